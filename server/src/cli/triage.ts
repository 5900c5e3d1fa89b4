import { CompiledRule } from '../analysis/rules/types';
import { TriageGroup, TriageLog, TriageOptions, triage } from '../analysis/triage/triage';
import { PLAIN, Paint, terminalSafe } from './output';

/** How the triage is printed. */
export interface TriagePrintOptions extends TriageOptions {
  /** The ranked groups as a JSON array instead of text. */
  json: boolean;
  /** How the text marks severity and location (plain unless standard output is a terminal). */
  paint?: Paint;
}

/** The fields `--json` prints for each group, in this order. */
const JSON_FIELDS = ['rank', 'kind', 'ruleId', 'severity', 'title', 'count', 'file', 'line', 'time', 'text', 'score', 'reasons'] as const;

/**
 * Ranked groups as the CLI prints them: as text, two lines a group
 * (`1. [error] title ×3  file:line  time`, then the reasons indented), or as a JSON array of the
 * fields in `JSON_FIELDS`.
 */
export function formatTriage(groups: readonly TriageGroup[], options: { json: boolean; paint?: Paint }): string {
  if (options.json) {
    const rows = groups.map((group) => Object.fromEntries(JSON_FIELDS.map((field) => [field, group[field]])));
    return `${JSON.stringify(rows, null, 2)}\n`;
  }
  const paint = options.paint ?? PLAIN;
  return groups
    .map((group) => `${group.rank}. [${paint.severity(group.severity, group.severity)}] ${terminalSafe(group.title)} ×${group.count.toLocaleString('en-US')}  ${paint.location(`${terminalSafe(group.file)}:${group.line}`)}  ${group.time ?? '(no time)'}\n    ${group.reasons.join('; ')}\n`)
    .join('');
}

/** Ranks the findings of the analysed logs and writes them to standard output; returns the groups. */
export function printTriage(logs: readonly TriageLog[], rules: ReadonlyMap<string, CompiledRule>, options: TriagePrintOptions): TriageGroup[] {
  const groups = triage(logs, rules, options);
  process.stdout.write(formatTriage(groups, options));
  if (!options.json && groups.length === 0) process.stdout.write('no findings to rank\n');
  return groups;
}
