import * as fs from 'fs';
import * as path from 'path';
import { RuleSource } from './analysis/rules/catalogue';
import { readCatalogueSnapshot, withSnapshot } from './ruleSnapshot';

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

/**
 * The shipped catalogue's rule files, run with the native regex engine (they are ours, and
 * tested), each with its snapshot entry where the snapshot beside the bundles is current.
 */
export function shippedRuleSources(): RuleSource[] {
  return shipped(readRuleFolder(builtInRulesFolder()));
}

/** Rule files read from the shipped folder, as the shipped catalogue runs them. */
export function shipped(sources: readonly RuleSource[]): RuleSource[] {
  return withSnapshot(sources, readCatalogueSnapshot()).map((source) => ({ ...source, engine: 'native' as const }));
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

/** Sigma folders are searched this deep, so a cycle of bind mounts cannot keep the reader busy. */
const SIGMA_MAX_DEPTH = 8;

/**
 * Reads every Sigma rule file (`*.yml`, `*.yaml`) in a folder and its subfolders (as laid out in
 * the Sigma repository: `rules/linux/builtin/…`), sorted by path. Hidden folders and symbolic
 * links to folders are not followed.
 */
export function readSigmaFolder(folder: string): RuleSource[] {
  const sources: RuleSource[] = [];
  const visit = (dir: string, depth: number): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      throw new RuleFolderError(`cannot read the Sigma folder ${dir}: ${(error as Error).message}`, { cause: error });
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && depth < SIGMA_MAX_DEPTH) visit(full, depth + 1);
        continue;
      }
      if (!/\.ya?ml$/i.test(entry.name) || !(entry.isFile() || entry.isSymbolicLink())) continue;
      try {
        sources.push({ source: full, text: fs.readFileSync(full, 'utf8'), format: 'sigma' });
      } catch (error) {
        throw new RuleFolderError(`cannot read the Sigma rule file ${full}: ${(error as Error).message}`, { cause: error });
      }
    }
  };
  visit(folder, 0);
  return sources;
}
