import * as fs from 'fs';
import * as path from 'path';
import { DisabledRulesProblem, addDisabledRule, parseDisabledRules } from '../analysis/rules/disabledRules';
import { writeFileAtomicSync } from './atomicWrite';

/** Where a workspace keeps the rules any editor switched off, relative to its root. */
export const DISABLED_RULES_FILE = path.join('.log-forensics', 'disabled-rules.json');

/** The file's path in the workspace rooted at `root`. */
export function disabledRulesFileIn(root: string): string {
  return path.join(root, DISABLED_RULES_FILE);
}

/**
 * The rule ids switched off in the workspace rooted at `root` (none when it has no file), and the
 * file's problems. Read by the editor and the CLI alike; never throws.
 */
export function readDisabledRulesIn(root: string): { disabled: string[]; file: string; problems: DisabledRulesProblem[] } {
  const file = disabledRulesFileIn(root);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { disabled: [], file, problems: code === 'ENOENT' || code === 'ENOTDIR' ? [] : [{ message: `cannot be read (${(error as Error).message})`, line: 0, column: 0 }] };
  }
  const parsed = parseDisabledRules(text);
  return { disabled: parsed.file.disabled, file, problems: parsed.problems };
}

/**
 * Switches one rule off in the workspace's file, written atomically (the old content or the whole
 * new one). A file that cannot be read as disabled rules is left alone and named in the error.
 * Returns the file written.
 */
export function disableRuleIn(root: string, ruleId: string): string {
  const target = disabledRulesFileIn(root);
  let current = '{"version":1,"disabled":[]}';
  try {
    current = fs.readFileSync(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${target} cannot be read (${(error as Error).message})`, { cause: error });
  }
  const parsed = parseDisabledRules(current);
  if (parsed.problems.length > 0) throw new Error(`${target} is not valid (${parsed.problems[0].message}); fix it before adding to it`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomicSync(target, addDisabledRule(parsed.file, ruleId));
  return target;
}
