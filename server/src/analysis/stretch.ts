import { TimeContext } from './parse/document';
import { LinesInMemory } from './parse/logText';
import { KIND_ENTRY, KIND_MARKER } from './parse/lineTable';
import { RuleMatcher } from './rules/matcher';
import { SuppressionSet } from './rules/suppress';
import { CompiledRule, Finding } from './rules/types';
import { LogAnalysis, withoutSuppressed } from './service';

/** What a stretch of a log's lines, read out of order, says on its own. */
export interface StretchFindings {
  /**
   * The first line (of the file) the findings speak for: the stretch's first entry start. Lines
   * above it may belong to an entry that began before the stretch, so they are left out.
   */
  from: number;
  /** The line after the last one read. */
  to: number;
  /** Findings of line rules on lines `from` to `to`, numbered as in the file. */
  findings: Finding[];
}

/**
 * Whether a rule's finding on a line is decided by that line and its entry alone, so a stretch
 * read out of order finds it as the read of the whole file does: a pattern or a declared level
 * on one line. Not bursts (a count over time), paired rules (an end further on), silences, rare
 * lines (templates of the whole file), Sigma correlations (other findings) or rules reading an
 * audit event (whose records may lie outside the stretch).
 */
export function decidedByItsLine(rule: CompiledRule): boolean {
  const definition = rule.definition;
  if (definition.burst || definition.silence || definition.rare || rule.endPattern || rule.correlation || rule.readsAuditEvents) return false;
  return rule.pattern !== undefined || definition.declared !== undefined;
}

const lineRuleIds = new WeakMap<RuleMatcher, Set<string>>();

/** The ids of a matcher's rules that `decidedByItsLine`, worked out once per matcher. */
function lineRulesOf(matcher: RuleMatcher): Set<string> {
  let ids = lineRuleIds.get(matcher);
  if (!ids) {
    ids = new Set([...matcher.all, ...matcher.declared].filter(decidedByItsLine).map((rule) => rule.definition.id));
    lineRuleIds.set(matcher, ids);
  }
  return ids;
}

/**
 * Analyses `lines`, which begin at line `firstLine` of a log, with the log's own time context and
 * rules, as the read of the whole file would (the same parser and matcher), and keeps what they
 * can say on their own: the findings of line rules from the stretch's first entry on, numbered as
 * in the file, suppressions (`file` as they name it) left out. Templates are not learnt: a
 * stretch cannot tell a rare line from a common one.
 */
export function analyseStretch(lines: readonly string[], firstLine: number, context: TimeContext, matcher: RuleMatcher, suppressions?: SuppressionSet, file = ''): StretchFindings {
  const analysis = new LogAnalysis(matcher, { templates: false });
  analysis.add(lines);
  const analysed = analysis.result(context, new LinesInMemory(lines));
  withoutSuppressed(analysed, suppressions, file);
  const table = analysed.parsed.lines;
  let first = 0;
  while (first < table.length && table.kindCode(first) !== KIND_ENTRY && table.kindCode(first) !== KIND_MARKER) first++;
  const ids = lineRulesOf(matcher);
  const findings = analysed.findings
    .filter((finding) => finding.line >= first && ids.has(finding.ruleId))
    .map((finding) => ({ ...finding, line: finding.line + firstLine, endLine: finding.endLine + firstLine }));
  return { from: firstLine + first, to: firstLine + lines.length, findings };
}
