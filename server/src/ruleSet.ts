import * as fs from 'fs';
import * as path from 'path';
import { Catalogue, CompiledFileCache, RuleRecipe, RuleSource, buildCatalogue } from './analysis/rules/catalogue';
import { RuleMatcher } from './analysis/rules/matcher';
import { RuleProblem } from './analysis/rules/types';
import { SuppressionSet } from './analysis/rules/suppress';
import { readSuppressionsIn } from './files/suppressionsFile';
import { readDisabledRulesIn } from './files/disabledRulesFile';
import { builtInRulesFolder, readRuleFolder, readSigmaFolder, shipped } from './rulesOnDisk';
import { RuleSettings } from './settings';

/** The workspace folder where rule files and suppressions of a workspace live. */
export const WORKSPACE_DIR = '.log-forensics';

/** Everything that decides which rules run. */
export interface RuleSetInputs {
  /** Workspace folders as file-system paths. */
  workspaceFolders: string[];
  settings: RuleSettings;
  /** In an untrusted workspace only the shipped rules load. */
  trusted: boolean;
  /** Unsaved text of rule files open in the editor, by path: validated live. */
  liveTexts: Map<string, string>;
  /** Files compiled by earlier loads; only files whose text changed are compiled again. */
  compiled?: CompiledFileCache;
}

/** The rules in force, and what went wrong loading them. */
export interface RuleSet {
  catalogue: Catalogue;
  matcher: RuleMatcher;
  /** What the rules were built from: threads that read a large log build them again from this. */
  recipe: RuleRecipe;
  /** Problems per rule file path, for diagnostics on those files. */
  problems: Map<string, RuleProblem[]>;
  /** Suppressions per workspace folder path. */
  suppressions: Map<string, SuppressionSet>;
  /** Things to tell the user once (restricted mode, unreadable folders). */
  notices: string[];
}

/** Whether a path is a rule file the workspace can bring: `.log-forensics/rules/*.y(a)ml|json`. */
export function isWorkspaceRuleFile(filePath: string): boolean {
  return /[\\/]\.log-forensics[\\/]rules[\\/][^\\/]+\.(?:ya?ml|json)$/.test(filePath);
}

function readFolderQuietly(folder: string, notices: string[], required: boolean): RuleSource[] {
  if (!required && !fs.existsSync(folder)) return [];
  try {
    return readRuleFolder(folder);
  } catch (error) {
    notices.push((error as Error).message);
    return [];
  }
}

/** The rule folders a workspace brings: its own `.log-forensics/rules` and those named in settings. */
export function workspaceRuleFolders(inputs: Pick<RuleSetInputs, 'workspaceFolders' | 'settings'>): string[] {
  const base = inputs.workspaceFolders[0];
  const own = inputs.workspaceFolders.map((folder) => path.join(folder, WORKSPACE_DIR, 'rules'));
  const named = inputs.settings.folders.map((folder) => (path.isAbsolute(folder) || !base ? folder : path.join(base, folder)));
  return [...own, ...named];
}

/** The Sigma folders named in settings, resolved against the first workspace folder. */
function sigmaFolders(inputs: Pick<RuleSetInputs, 'workspaceFolders' | 'settings'>): string[] {
  const base = inputs.workspaceFolders[0];
  return inputs.settings.sigmaFolders.map((folder) => (path.isAbsolute(folder) || !base ? folder : path.join(base, folder)));
}

/**
 * The rule ids the settings and each folder's `.log-forensics/disabled-rules.json` switch off; a
 * malformed file's problems become problems of that file (diagnostics on it) and notices.
 */
function disabledIds(inputs: RuleSetInputs, problems: RuleProblem[], notices: string[]): Set<string> {
  const disabled = new Set(inputs.settings.disabled);
  for (const folder of inputs.workspaceFolders) {
    const read = readDisabledRulesIn(folder);
    for (const id of read.disabled) disabled.add(id);
    for (const problem of read.problems) {
      problems.push({ source: read.file, line: problem.line, column: problem.column, message: problem.message });
      notices.push(`${read.file}: ${problem.message}`);
    }
  }
  return disabled;
}

function readSuppressions(folder: string, notices: string[]): SuppressionSet {
  const { set, problems } = readSuppressionsIn(folder);
  notices.push(...problems);
  return set;
}

/**
 * Loads the shipped rules, then (in a trusted workspace) the workspace's rule files, whose rules
 * replace shipped ones of the same id; drops the ids disabled in settings or in a folder's
 * `.log-forensics/disabled-rules.json`. Never throws.
 */
export function loadRuleSet(inputs: RuleSetInputs): RuleSet {
  const notices: string[] = [];
  // The shipped catalogue is reviewed and tested: it may use the full regex syntax.
  const sources: RuleSource[] = shipped(readFolderQuietly(builtInRulesFolder(), notices, true));
  if (inputs.trusted) {
    const own = new Set(inputs.workspaceFolders.map((folder) => path.join(folder, WORKSPACE_DIR, 'rules')));
    const folders = workspaceRuleFolders(inputs);
    const seen = new Set<string>();
    for (const folder of folders) {
      for (const source of readFolderQuietly(folder, notices, !own.has(folder))) {
        seen.add(source.source);
        sources.push({ ...source, text: inputs.liveTexts.get(source.source) ?? source.text, engine: 'linear' });
      }
    }
    for (const folder of sigmaFolders(inputs)) {
      try {
        sources.push(...readSigmaFolder(folder).map((source) => ({ ...source, text: inputs.liveTexts.get(source.source) ?? source.text, engine: 'linear' as const })));
      } catch (error) {
        notices.push((error as Error).message);
      }
    }
    // Rule files being written in the editor count before they are first saved.
    for (const [file, text] of inputs.liveTexts) {
      if (!seen.has(file) && folders.includes(path.dirname(file))) sources.push({ source: file, text, engine: 'linear' });
    }
  } else if (inputs.workspaceFolders.some((folder) => fs.existsSync(path.join(folder, WORKSPACE_DIR, 'rules'))) || inputs.settings.folders.length > 0 || inputs.settings.sigmaFolders.length > 0) {
    notices.push('This workspace is not trusted: its rule files are not loaded; the shipped rules still apply. Trust the workspace to use them.');
  }
  const full = buildCatalogue(sources, inputs.compiled);
  // Like suppressions, disabled rules only hide findings: they apply in a restricted workspace too.
  const stateProblems: RuleProblem[] = [];
  const disabled = disabledIds(inputs, stateProblems, notices);
  const rules = full.rules.filter((rule) => !disabled.has(rule.definition.id));
  const catalogue: Catalogue = { rules, byId: new Map(rules.map((rule) => [rule.definition.id, rule])), problems: full.problems };
  const problems = new Map<string, RuleProblem[]>();
  for (const source of sources) if (source.engine !== 'native') problems.set(source.source, []);
  for (const problem of [...full.problems, ...stateProblems]) problems.set(problem.source, [...(problems.get(problem.source) ?? []), problem]);
  // Suppressions are data that only hide findings, never code: they apply in a restricted workspace
  // too, as the command line applies them, so "This line is expected" works wherever it is offered.
  const suppressions = new Map(inputs.workspaceFolders.map((folder) => [folder, readSuppressions(folder, notices)]));
  return { catalogue, matcher: new RuleMatcher(rules), recipe: { sources, disabled: [...disabled] }, problems, suppressions, notices };
}
