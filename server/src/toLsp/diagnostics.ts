import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation, Location } from 'vscode-languageserver';
import { StoredLog } from '../logs/registry';
import { FindingsResult } from '../protocol';
import { CompiledRule, Finding, Severity } from '../analysis/rules/types';
import { findingGroupKey } from '../analysis/triage/groups';
import { groupRanksSteps } from '../analysis/triage/triage';
import { runSteps } from '../analysis/steps';

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

/**
 * The findings to show when there are more than `budget`: the first line of every group (a rule,
 * or a rare template) in triage order, most telling first, then the groups' other lines in the
 * same order; never the first N by position, so a steady flood cannot push a one-off off the list.
 */
function byRank(log: StoredLog, rules: ReadonlyMap<string, CompiledRule>, budget: number): { shown: Finding[]; groups: number } {
  const rankOf = log.ranks ?? runSteps(groupRanksSteps(log, log.uri, rules));
  const keyed = log.findings.map((finding) => ({ finding, rank: rankOf.get(findingGroupKey(log, finding, rules)) ?? Infinity }));
  keyed.sort((a, b) => a.rank - b.rank || a.finding.line - b.finding.line);
  const firsts: Finding[] = [];
  const rest: Finding[] = [];
  keyed.forEach((item, k) => (k === 0 || keyed[k - 1].rank !== item.rank ? firsts : rest).push(item.finding));
  return { shown: [...firsts, ...rest].slice(0, budget), groups: firsts.length };
}

/** The source of a finding found ahead of the read, in a window of the lines an editor shows. */
export const PROVISIONAL_SOURCE = 'log-forensics (provisional)';

function toDiagnostic(uri: string, finding: Finding, source = 'log-forensics'): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: { line: finding.line, character: finding.start }, end: { line: finding.line, character: finding.end } },
    severity: SEVERITY[finding.severity],
    code: finding.ruleId,
    source,
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
 * one summary line saying how many were left out, and the file's input problems. `provisional`:
 * findings of lines shown beyond what the log's analysis covers yet (a read under way), marked by
 * their source and shown first, since they are what the editor shows.
 */
export function diagnosticsFor(log: StoredLog, rules: ReadonlyMap<string, CompiledRule> = new Map(), provisional: readonly Finding[] = []): Diagnostic[] {
  const diagnostics: Diagnostic[] = provisional.slice(0, DIAGNOSTIC_BUDGET / 2).map((finding) => toDiagnostic(log.uri, finding, PROVISIONAL_SOURCE));
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
    const ranked = byRank(log, rules, budget);
    findings = ranked.shown;
    const hidden = log.findings.length - findings.length;
    const every = ranked.groups <= budget ? `each of the ${ranked.groups} kinds is shown by its first line, the most telling first` : `the first lines of the ${budget} most telling of ${ranked.groups} kinds are shown`;
    diagnostics.push({
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      severity: DiagnosticSeverity.Information,
      source: 'log-forensics',
      code: 'more-findings',
      message: `${hidden} more findings are not shown as diagnostics; ${every} (What's Unusual and logForensics/findings list them all).`,
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
