import * as path from 'path';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { CompiledFileCache } from './analysis/rules/catalogue';
import { SuppressionSet } from './analysis/rules/suppress';
import { RuleProblem } from './analysis/rules/types';
import { RuleSet, isWorkspaceRuleFile, loadRuleSet } from './ruleSet';
import { cleanRuleSettings } from './settings';

/** A rule-file problem as a diagnostic on the rule file. */
function ruleProblemDiagnostic(problem: RuleProblem): Diagnostic {
  const at = { line: problem.line, character: problem.column };
  // Rules skipped on purpose (a Sigma rule for another product) are hints: visible in the file,
  // not thousands of rows in the Problems panel for a full Sigma checkout.
  const severity = problem.severity === 'warning' ? DiagnosticSeverity.Warning : problem.severity === 'information' || problem.severity === 'hint' ? DiagnosticSeverity.Hint : DiagnosticSeverity.Error;
  return { range: { start: at, end: at }, severity, source: 'log-forensics', code: 'rule-file', message: problem.message };
}

/** Everything the matcher is built from, as one string: equal strings build equal matchers. */
function recipeKey(rules: RuleSet): string {
  return JSON.stringify([rules.recipe.sources.map((source) => [source.source, source.engine, source.text]), rules.recipe.disabled]);
}

/** What a reload changed that the user should see. */
export interface RuleReload {
  /** Notices not shown before (restricted mode, unreadable folders). */
  notices: string[];
  /** Diagnostics for rule files: their problems, or empty lists for files whose problems are gone. */
  diagnostics: { uri: string; diagnostics: Diagnostic[] }[];
}

/**
 * The rules in force for the workspace: the shipped ones, and (trusted) the workspace's rule
 * files, Sigma folders and suppressions, with rule files open in the editor validated live.
 */
export class RuleState {
  private readonly liveTexts = new Map<string, string>();
  private readonly compiled: CompiledFileCache = new Map();
  private readonly shownNotices = new Set<string>();
  private filesWithProblems = new Set<string>();
  private folders: string[] = [];
  /** What the rules in force were built from, to tell a reload that changed nothing. */
  private recipe = '';
  current: RuleSet = loadRuleSet({ workspaceFolders: [], settings: cleanRuleSettings({}), trusted: false, liveTexts: new Map() });

  /** Reads every rule source again. */
  reload(section: unknown, folders: string[], trusted: boolean): RuleReload {
    this.folders = folders;
    const loaded = loadRuleSet({ workspaceFolders: folders, settings: cleanRuleSettings(section), trusted, liveTexts: this.liveTexts, compiled: this.compiled });
    // The same rules as before keep the same matcher: a settings change must not re-read every log.
    const key = recipeKey(loaded);
    this.current = key === this.recipe ? { ...loaded, matcher: this.current.matcher, catalogue: this.current.catalogue } : loaded;
    this.recipe = key;
    const notices = this.current.notices.filter((notice) => !this.shownNotices.has(notice));
    for (const notice of notices) this.shownNotices.add(notice);
    const diagnostics: RuleReload['diagnostics'] = [];
    const withProblems = new Set<string>();
    for (const [file, problems] of this.current.problems) {
      if (problems.length > 0) withProblems.add(file);
      diagnostics.push({ uri: URI.file(file).toString(), diagnostics: problems.map(ruleProblemDiagnostic) });
    }
    for (const file of this.filesWithProblems) if (!this.current.problems.has(file)) diagnostics.push({ uri: URI.file(file).toString(), diagnostics: [] });
    this.filesWithProblems = withProblems;
    return { notices, diagnostics };
  }

  /** Whether a document is a rule file (validated as rules, never analysed as a log). */
  isRuleDocument(uri: string): boolean {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return false;
    return isWorkspaceRuleFile(parsed.fsPath) || this.current.problems.has(parsed.fsPath);
  }

  /** A rule file's unsaved text (or its closing: `undefined`), validated before it is saved. */
  liveText(uri: string, text: string | undefined): void {
    const file = URI.parse(uri).fsPath;
    if (text === undefined) this.liveTexts.delete(file);
    else this.liveTexts.set(file, text);
  }

  /** The suppressions that apply to a log: those of the workspace folder holding it, by relative path. */
  suppressionsFor(uri: string): { set: SuppressionSet; file: string } | undefined {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return undefined;
    const folder = this.folders.find((candidate) => parsed.fsPath.startsWith(candidate + path.sep));
    const set = folder ? this.current.suppressions.get(folder) : undefined;
    return folder && set ? { set, file: path.relative(folder, parsed.fsPath).split(path.sep).join('/') } : undefined;
  }
}
