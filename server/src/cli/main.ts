import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { RuleSource, buildCatalogue } from '../analysis/rules/catalogue';
import { RuleMatcher } from '../analysis/rules/matcher';
import { AnalyzedLog } from '../analysis/service';
import { isKnownZone } from '../analysis/time/zone';
import { RuleFolderError, readRuleFolder, readSigmaFolder, shippedRuleSources } from '../rulesOnDisk';
import { machineZone } from '../logs/timeSettings';
import { IncidentRead, WholeRead, analyseIncident, readWholeLog } from '../logs/readWhole';
import { SuppressionSet } from '../analysis/rules/suppress';
import { annotationPathOf, workspaceRootOf } from '../files/annotationsFile';
import { readSuppressionsIn } from '../files/suppressionsFile';
import { readDisabledRulesIn } from '../files/disabledRulesFile';
import { Severity } from '../analysis/rules/types';
import { LogFileSystem } from '../files/fileSystem';
import { CliArgs, CliRequest, FailOnSeverity, STANDARD_INPUT, UsageError, cliTimeSettings, parseArgs } from './args';
import { USAGE, usageAfterMistake, usageOf } from './usage';
import { InputError, expandFolders, fileSystemFor, readStandardInput } from './inputs';
import { PLAIN, Paint, endQuietlyWhenOutputCloses, paintForStdout, printRuleProblems, terminalSafe } from './output';
import { toSarif } from './sarif';
import { printTriage } from './triage';
import { runReport } from './report';
import { runRulesExport } from './rulesExport';

/** The version `--version` prints and SARIF names; a test keeps it equal to package.json's. */
const VERSION = '0.1.0';

interface LoadedFile {
  file: string;
  uri: string;
  log: AnalyzedLog;
}

/**
 * Reads one log the way the editor does: a plain file from disk in chunks (any size, on `--jobs`
 * threads), a .gz, a pipe or standard input unpacked into memory within `--max-size`.
 */
async function readFile(file: string, args: CliArgs, rules: LoadedRules, fs: LogFileSystem): Promise<WholeRead> {
  try {
    const read = await readWholeLog(file, { matcher: rules.matcher, recipe: { sources: rules.sources, disabled: rules.disabled }, jobs: args.jobs, maxBytes: args.maxMiB * 1024 * 1024, fs });
    if (read.scan.bytesRead === 0) process.stderr.write(`${file}: is empty; nothing to read\n`);
    return read;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'too many levels of symbolic links' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
    throw new InputError(`${file}: ${reason}`, { cause: error });
  }
}

/** The rules the CLI runs, with the sources they were built from (worker threads build them again). */
interface LoadedRules {
  matcher: RuleMatcher;
  sources: RuleSource[];
  /** Rule ids the workspace's `disabled-rules.json` switched off (worker threads drop them too). */
  disabled: string[];
  /** The folder suppressions name logs from (the annotations' root, else the current folder), and its suppressions. */
  root: string;
  suppressions: SuppressionSet;
}

/**
 * Reads every log, then analyses them together with the editor's time model (a log whose lines
 * name no year takes the one the others' lines name) and the workspace's findings marked as
 * expected left out.
 */
async function loadFiles(args: CliArgs, rules: LoadedRules, zone: string): Promise<LoadedFile[]> {
  // Standard input is read whole first, as a pipe is, and then read like any log.
  const standardInput = args.files.includes(STANDARD_INPUT) ? await readStandardInput(args.maxMiB * 1024 * 1024) : undefined;
  const reads: IncidentRead[] = [];
  for (const file of args.files) reads.push({ read: await readFile(file, args, rules, fileSystemFor(file, standardInput)), settings: cliTimeSettings(args, zone), name: annotationPathOf(rules.root, file) ?? file, suppressions: rules.suppressions });
  return analyseIncident(reads).map(({ log, notes }, k) => {
    const file = args.files[k];
    for (const note of notes) process.stderr.write(`log-forensics: ${note}\n`);
    for (const problem of log.parsed.problems) process.stderr.write(`${file}${problem.line >= 0 ? `:${problem.line + 1}` : ''}: ${problem.message}\n`);
    return { file, uri: file === STANDARD_INPUT ? file : pathToFileURL(path.resolve(file)).href, log };
  });
}

function iso(ms: number): string | null {
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

function printScan(args: CliArgs, files: LoadedFile[], rules: ReturnType<typeof buildCatalogue>, paint: Paint): void {
  if (args.format === 'sarif') {
    const sarif = toSarif(files.map((f) => ({ file: f.file, findings: f.log.findings, lineText: (line) => f.log.parsed.text.line(line) })), rules.byId, { version: VERSION, base: path.resolve(args.base ?? process.cwd()), exitCode: failStatus(args, files), maxResults: args.maxResults });
    process.stdout.write(`${JSON.stringify(sarif, null, 2)}\n`);
    return;
  }
  const rows = files.flatMap((f) =>
    f.log.findings.map((finding) => ({ file: f.file, line: finding.line + 1, endLine: finding.endLine + 1, ruleId: finding.ruleId, severity: finding.severity, message: finding.message, time: iso(finding.time) })),
  );
  if (args.format === 'json') {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  for (const row of rows) process.stdout.write(`${paint.location(`${terminalSafe(row.file)}:${row.line}`)}: ${paint.severity(row.severity, row.severity)} [${row.ruleId}] ${terminalSafe(row.message)}${row.time ? ` (${row.time})` : ''}\n`);
  process.stdout.write(`${rows.length} finding${rows.length === 1 ? '' : 's'} in ${files.length} file${files.length === 1 ? '' : 's'}\n`);
}

function printTimeline(args: CliArgs, files: LoadedFile[], paint: Paint): void {
  const entries: { time: number; file: string; line: number; host?: string; program?: string; pid?: number; text: string; order: number }[] = [];
  let untimed = 0;
  files.forEach((f, order) => {
    const { parsed, index } = f.log;
    for (let k = 0; k < index.lines.length; k++) {
      const line = index.lines[k];
      const text = parsed.text.line(line);
      const pid = parsed.lines.pid(line);
      entries.push({ time: index.times[k], file: f.file, line: line + 1, host: parsed.lines.host(line), program: parsed.lines.program(line), pid: pid !== undefined && /^\d+$/.test(pid) ? Number(pid) : undefined, text, order });
    }
    for (let i = 0; i < parsed.lines.length; i++) if (parsed.lines.kind(i) === 'entry' && Number.isNaN(parsed.times[i])) untimed++;
  });
  entries.sort((a, b) => a.time - b.time || a.order - b.order || a.line - b.line);
  const out: string[] = [];
  for (const entry of entries) {
    if (args.json) {
      out.push(JSON.stringify({ time: new Date(entry.time).toISOString(), file: entry.file, line: entry.line, host: entry.host ?? null, program: entry.program ?? null, pid: entry.pid ?? null, text: entry.text }));
    } else {
      out.push(`${new Date(entry.time).toISOString()}  ${paint.faint(`${terminalSafe(entry.file)}:${entry.line}`)}  ${terminalSafe(entry.text)}`);
    }
    if (out.length >= 10_000) process.stdout.write(`${out.splice(0).join('\n')}\n`);
  }
  if (out.length) process.stdout.write(`${out.join('\n')}\n`);
  if (untimed > 0) process.stderr.write(`${untimed} entries had no usable time and are not in the timeline\n`);
}

const SEVERITY_RANK: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Whether a finding shown (not one marked as expected) is at least as severe as `threshold`. */
function anyFindingAtLeast(files: readonly LoadedFile[], threshold: FailOnSeverity): boolean {
  return files.some((f) => f.log.findings.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[threshold]));
}

/** The folder whose `.log-forensics/` applies: the annotations' workspace, else the current folder. */
function workspaceRoot(args: CliArgs): string {
  return args.annotations !== undefined ? workspaceRootOf(args.annotations) : process.cwd();
}

/** The rule ids switched off by each folder's `.log-forensics/disabled-rules.json`; problems go to stderr. */
function disabledIn(folders: readonly string[]): string[] {
  const disabled = new Set<string>();
  for (const folder of new Set(folders.map((f) => path.resolve(f)))) {
    const state = readDisabledRulesIn(folder);
    for (const problem of state.problems) process.stderr.write(`log-forensics: ${state.file}:${problem.line + 1}:${problem.column + 1}: ${problem.message}\n`);
    for (const id of state.disabled) disabled.add(id);
  }
  return [...disabled];
}

/**
 * The built-in catalogue with `--rules` and `--sigma`, less the rules the `.log-forensics/disabled-rules.json`
 * of the workspace or of a folder scanned switches off; problems go to stderr.
 */
function loadRules(args: CliArgs, stateFolders: readonly string[]): { catalogue: ReturnType<typeof buildCatalogue>; matcher: RuleMatcher; sources: RuleSource[]; disabled: string[] } {
  const sources: RuleSource[] = shippedRuleSources();
  for (const folder of args.rules) sources.push(...readRuleFolder(folder));
  for (const folder of args.sigma) sources.push(...readSigmaFolder(folder));
  const full = buildCatalogue(sources);
  printRuleProblems(full.problems);
  const disabled = disabledIn(stateFolders);
  const off = new Set(disabled);
  const rules = full.rules.filter((rule) => !off.has(rule.definition.id));
  const catalogue = { ...full, rules, byId: new Map(rules.map((rule) => [rule.definition.id, rule])) };
  return { catalogue, matcher: new RuleMatcher(rules), sources, disabled };
}

/** Runs the command on its logs (folders already expanded); returns the exit status (1 for a finding at `--fail-on`). */
async function runOnLogs(args: CliArgs, zone: string, scannedFolders: readonly string[]): Promise<number> {
  const root = workspaceRoot(args);
  const { catalogue, matcher, sources, disabled } = loadRules(args, [root, ...scannedFolders]);
  if (args.command === 'report' || args.command === 'export') return runReport(args, matcher, { sources, disabled }, catalogue.byId, zone);
  const suppressions = readSuppressionsIn(root);
  for (const problem of suppressions.problems) process.stderr.write(`log-forensics: ${problem}\n`);
  const files = await loadFiles(args, { matcher, sources, disabled, root, suppressions: suppressions.set }, zone);
  const paint = args.format === 'text' && !args.json ? paintForStdout() : PLAIN;
  if (args.command === 'scan') printScan(args, files, catalogue, paint);
  else if (args.command === 'triage') printTriage(files.map((f) => ({ id: f.uri, file: f.file, analyzed: f.log })), catalogue.byId, { json: args.json, top: args.top, windowSeconds: args.windowSeconds, paint });
  else printTimeline(args, files, paint);
  return failStatus(args, files);
}

/** 1 when a finding at or above `--fail-on` exists, else 0. */
function failStatus(args: CliArgs, files: LoadedFile[]): number {
  return args.failOn !== undefined && anyFindingAtLeast(files, args.failOn) ? 1 : 0;
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Runs a command over its inputs; returns the exit status (2 for an input that cannot be read). */
async function runCommand(args: CliArgs): Promise<number> {
  if (args.command === 'rules') return runRulesExport(args);
  const zone = args.zone ?? machineZone();
  if (!isKnownZone(zone)) {
    process.stderr.write(`log-forensics: unknown time zone "${zone}"\n`);
    return 2;
  }
  try {
    const files = expandFolders(args.files, (line) => process.stderr.write(`log-forensics: ${line}\n`));
    const scannedFolders = args.files.filter((file) => file !== STANDARD_INPUT && isFolder(file));
    return await runOnLogs({ ...args, files }, zone, scannedFolders);
  } catch (error) {
    if (error instanceof InputError || error instanceof RuleFolderError) {
      process.stderr.write(`log-forensics: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

/** The request on the command line, or the status of a usage mistake (printed with the usage on stderr). */
function requestOf(argv: readonly string[]): CliRequest | number {
  try {
    return parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`log-forensics: ${error.message}\n${usageAfterMistake(error.command)}\n`);
    return 2;
  }
}

/** Runs the CLI; returns the exit status (0 ok, 1 a finding at `--fail-on`, 2 usage or input error). */
export async function runCli(argv: readonly string[]): Promise<number> {
  const request = requestOf(argv);
  if (typeof request === 'number') return request;
  if (request.kind === 'help') {
    process.stdout.write(`${request.command ? usageOf(request.command) : USAGE}\n`);
    return 0;
  }
  if (request.kind === 'version') {
    process.stdout.write(`log-forensics ${VERSION}\n`);
    return 0;
  }
  return runCommand(request.args);
}

if (require.main === module) {
  endQuietlyWhenOutputCloses();
  void runCli(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
