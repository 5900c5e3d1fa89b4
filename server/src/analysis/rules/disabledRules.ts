/**
 * Rules switched off for a workspace by any editor: `.log-forensics/disabled-rules.json`,
 * `{"version":1,"disabled":["rule/id", …]}`. Data that only hides findings, like suppressions,
 * so it applies in a workspace not trusted to run its own rule files.
 */
export interface DisabledRulesFile {
  version: 1;
  disabled: string[];
}

/** A problem with the file, with where it is (0-based line and column) when JSON can say. */
export interface DisabledRulesProblem {
  message: string;
  line: number;
  column: number;
}

/** Line and column of a 0-based offset in `text`. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const line = before.split('\n').length - 1;
  return { line, column: before.length - (before.lastIndexOf('\n') + 1) };
}

function problem(message: string, text = '', offset = 0): DisabledRulesProblem {
  return { message, ...positionOf(text, offset) };
}

/** Reads the file's text. Never throws: malformed content gives what could be read and problems. */
export function parseDisabledRules(text: string): { file: DisabledRulesFile; problems: DisabledRulesProblem[] } {
  const empty: DisabledRulesFile = { version: 1, disabled: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    // A file cut short says so without a position: the problem is where the text ends.
    const offset = at ? Number(at[1]) : /end of JSON/i.test(message) ? text.trimEnd().length : 0;
    return { file: empty, problems: [problem(`not valid JSON: ${message}`, text, offset)] };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { file: empty, problems: [problem('expected an object {"version": 1, "disabled": ["rule/id", …]}')] };
  const { version, disabled } = data as { version?: unknown; disabled?: unknown };
  const problems: DisabledRulesProblem[] = [];
  if (version !== 1) problems.push(problem(`"version" must be 1, not ${JSON.stringify(version) ?? 'missing'}`));
  if (!Array.isArray(disabled)) return { file: empty, problems: [...problems, problem('expected a "disabled" list of rule ids')] };
  const ids: string[] = [];
  disabled.forEach((id: unknown, index) => {
    if (typeof id === 'string' && id.trim() !== '') ids.push(id.trim());
    else problems.push(problem(`"disabled" entry ${index + 1} must be a rule id (a non-empty string), not ${JSON.stringify(id)}`));
  });
  return { file: { version: 1, disabled: [...new Set(ids)] }, problems };
}

/** Adds a rule id (once) and returns the file's new JSON text, stably formatted. */
export function addDisabledRule(current: DisabledRulesFile, ruleId: string): string {
  const disabled = current.disabled.includes(ruleId) ? current.disabled : [...current.disabled, ruleId];
  return `${JSON.stringify({ version: 1, disabled }, null, 2)}\n`;
}
