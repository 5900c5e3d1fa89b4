import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation, Location } from 'vscode-languageserver';
import { StoredLog } from '../logs/registry';
import { FindingsResult } from '../protocol';
import { Finding, Severity } from '../analysis/rules/types';

/** VS Code shows at most this many diagnostics per file; the rest would be silently dropped. */
export const DIAGNOSTIC_BUDGET = 1000;

/** At most this many input problems are listed, so findings keep most of the budget. */
const PROBLEM_BUDGET = 100;

/** How many lines of a burst are linked from its diagnostic. */
const MAX_RELATED = 50;

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
  if (finding.members && finding.members.length > 1) {
    // Point at the rest of the burst, so one squiggle still leads to every line.
    diagnostic.relatedInformation = finding.members.slice(1, 1 + MAX_RELATED).map((line) =>
      DiagnosticRelatedInformation.create(Location.create(uri, { start: { line, character: 0 }, end: { line, character: 0 } }), 'also in this burst'),
    );
  }
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
  // Input problems share the budget: a file of broken stamps must not crowd out every finding.
  const problems = log.parsed.problems.slice(0, PROBLEM_BUDGET);
  for (const problem of problems) {
    const line = Math.max(problem.line, 0);
    diagnostics.push({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'log-forensics', code: 'input', message: problem.message });
  }
  const unshown = log.parsed.problems.length - problems.length;
  if (unshown > 0) {
    diagnostics.push({ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: DiagnosticSeverity.Information, source: 'log-forensics', code: 'input', message: `${unshown} more lines could not be read and are not shown as diagnostics.` });
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

/** One page of a log's findings for `logForensics/findings`. */
export function findingsPage(log: StoredLog, offset = 0, limit = 500): FindingsResult {
  const start = Math.max(0, Math.floor(offset));
  const size = Math.min(Math.max(1, Math.floor(limit)), 5000);
  return {
    total: log.findings.length,
    offset: start,
    findings: log.findings.slice(start, start + size).map((finding) => ({
      range: { start: { line: finding.line, character: finding.start }, end: { line: finding.line, character: finding.end } },
      severity: finding.severity,
      ruleId: finding.ruleId,
      message: finding.message,
      time: Number.isNaN(finding.time) ? null : new Date(finding.time).toISOString(),
    })),
  };
}
