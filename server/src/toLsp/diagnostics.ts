import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation, Location } from 'vscode-languageserver';
import { StoredLog } from '../logStore';
import { Finding, Severity } from '../analysis/rules/types';

/** VS Code shows at most this many diagnostics per file; the rest would be silently dropped. */
export const DIAGNOSTIC_BUDGET = 1000;

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function toDiagnostic(uri: string, finding: Finding): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: { line: finding.line, character: finding.start }, end: { line: finding.line, character: finding.end } },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    source: 'log-forensics',
    message: finding.message,
  };
  if (finding.endedAt) {
    const at = { start: { line: finding.endedAt.line, character: 0 }, end: { line: finding.endedAt.line, character: 0 } };
    diagnostic.relatedInformation = [DiagnosticRelatedInformation.create(Location.create(uri, at), 'ended here')];
  }
  return diagnostic;
}

/**
 * The diagnostics to publish for a log: its findings, most severe first when over budget, plus
 * one summary line saying how many were left out, and the file's input problems.
 */
export function diagnosticsFor(log: StoredLog): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const problem of log.parsed.problems) {
    const line = Math.max(problem.line, 0);
    diagnostics.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'log-forensics', code: 'input', message: problem.message });
  }
  for (const note of log.notes) {
    diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Warning, source: 'log-forensics', code: 'settings', message: note });
  }
  let findings = log.findings;
  const budget = DIAGNOSTIC_BUDGET - diagnostics.length - 1;
  if (findings.length > budget) {
    findings = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.line - b.line).slice(0, budget);
    const hidden = log.findings.length - findings.length;
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: 'log-forensics',
      code: 'more-findings',
      message: `${hidden} more findings are not shown as diagnostics (the ${findings.length} most severe are).`,
    });
  }
  for (const finding of findings) diagnostics.push(toDiagnostic(log.uri, finding));
  return diagnostics;
}
