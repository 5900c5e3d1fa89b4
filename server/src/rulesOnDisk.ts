import * as fs from 'fs';
import * as path from 'path';
import { RuleSource } from './analysis/rules/catalogue';

/** The folder of built-in rule files: `rules/` beside `dist/`, in the packaged extension and in the repository. */
export function builtInRulesFolder(): string {
  const candidates = [path.join(__dirname, '..', 'rules'), path.join(__dirname, '..', '..', 'rules'), path.join(__dirname, '..', '..', '..', 'rules')];
  const holdsRules = (folder: string): boolean => {
    try {
      return fs.readdirSync(folder).some((name) => name.endsWith('.yaml'));
    } catch {
      return false;
    }
  };
  return candidates.find(holdsRules) ?? candidates[0];
}

/** A rule folder or one of its files could not be read; the message names it. */
export class RuleFolderError extends Error {}

/** Reads every `*.yaml`/`*.yml`/`*.json` rule file of a folder (the schema excepted), sorted by name. */
export function readRuleFolder(folder: string): RuleSource[] {
  let names: string[];
  try {
    names = fs.readdirSync(folder);
  } catch (error) {
    throw new RuleFolderError(`cannot read the rule folder ${folder}: ${(error as Error).message}`, { cause: error });
  }
  return names
    .filter((name) => /\.(ya?ml|json)$/.test(name) && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => {
      const source = path.join(folder, name);
      try {
        return { source, text: fs.readFileSync(source, 'utf8') };
      } catch (error) {
        // A symlink loop or a folder named like a rule file is named, never a stack trace.
        throw new RuleFolderError(`cannot read the rule file ${source}: ${(error as Error).message}`, { cause: error });
      }
    });
}
