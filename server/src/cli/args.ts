import { availableParallelism } from 'os';
import { Severity } from '../analysis/rules/types';
import { DEFAULT_SETTINGS, LogForensicsSettings } from '../settings';

/** The commands of `log-forensics`, in the order the usage lists them. */
export const COMMANDS = ['scan', 'timeline', 'triage', 'report', 'export', 'rules'] as const;

/** One command of `log-forensics`. */
export type Command = (typeof COMMANDS)[number];

/** The parsed command line of a `log-forensics` command. */
export interface CliArgs {
  command: Command;
  /** Logs, folders to find logs in, and `-` for standard input, as given. */
  files: string[];
  format: 'text' | 'json' | 'sarif' | ExportFormat | 'sigma';
  json: boolean;
  /** `scan`, `triage`: exit with status 1 when a finding is at least this severe. */
  failOn?: FailOnSeverity;
  zone?: string;
  year?: number;
  /** `--offset host=SECONDS`: how far each host's clock ran ahead of true time. */
  hostOffsets: Record<string, number>;
  /** `--host-tz host=ZONE`: zones of lines written by particular hosts. */
  hostZones: Record<string, string>;
  rules: string[];
  /** Folders of Sigma rules (`*.yml`, `*.yaml`, searched recursively). */
  sigma: string[];
  /** Largest log, in MiB (after decompression for .gz), the CLI reads. */
  maxMiB: number;
  /** Threads that read one large plain log (`--jobs`); 1 reads on the main thread only. */
  jobs: number;
  /** The annotations file (default `.log-forensics/annotations.json` here, if any); its folder's suppressions apply. */
  annotations?: string;
  /** `report`, `export`: write here (atomically) instead of standard output; `rules export`: the folder of the rule files. */
  out?: string;
  /** `report`: the postmortem's title. */
  title?: string;
  /** `scan --format sarif`: artifact URIs are relative to this folder (default: the current one). */
  base?: string;
  /** `scan --format sarif`: the most results written. */
  maxResults: number;
  /** `triage`: print the first N groups only. */
  top?: number;
  /** `triage`: how close in time other logs' flagged lines must be to count as company (`--window`). */
  windowSeconds: number;
}

/** The timeline formats `export` writes. */
export type ExportFormat = 'timesketch-jsonl' | 'timesketch-csv';

/** The severities `--fail-on` takes. */
export type FailOnSeverity = Exclude<Severity, 'hint'>;

/** What the command line asks for: a command to run, its usage, or the version. */
export type CliRequest = { kind: 'run'; args: CliArgs } | { kind: 'help'; command?: Command } | { kind: 'version' };

/** A command-line mistake; the CLI prints its message with the usage (of `command`, if known) and exits with status 2. */
export class UsageError extends Error {
  constructor(message: string, readonly command?: Command) {
    super(message);
  }
}

/** The FILE argument that means standard input. */
export const STANDARD_INPUT = '-';

/** One option of a command: how the usage shows it and what it sets. */
export interface OptionSpec {
  name: string;
  /** The placeholder of its value; none for a flag. */
  value?: string;
  commands: readonly Command[];
  help: string;
  /** Shown without brackets in the synopsis. */
  required?: boolean;
  repeatable?: boolean;
  set(args: CliArgs, value: string): void;
}

/** The commands that read logs: every option about reading them applies to each. */
export const LOG_COMMANDS: readonly Command[] = ['scan', 'timeline', 'triage', 'report', 'export'];
const ALL = LOG_COMMANDS;
const WITH_RULES: readonly Command[] = ['scan', 'triage', 'report', 'export'];

/** Splits `HOST=VALUE`; throws UsageError naming the option when it is not that shape. */
function splitPair(option: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new UsageError(`${option} wants HOST=VALUE, not "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** A whole number within bounds, or a UsageError with `mistake`. */
function wholeNumber(text: string, min: number, max: number, mistake: string): number {
  const number = Number(text);
  if (!Number.isInteger(number) || number < min || number > max) throw new UsageError(mistake);
  return number;
}

/** Every option of every command; the usage is written from this table, so it cannot forget one. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    name: '--format', value: 'text|json|sarif', commands: ['scan'], help: 'findings as text (default), a JSON array of {file, line, endLine, ruleId, severity, message, time}, or SARIF 2.1.0',
    set(args, format) {
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
      args.format = format;
    },
  },
  {
    name: '--format', value: 'timesketch-jsonl|timesketch-csv', commands: ['export'], required: true, help: 'the Timesketch form: JSON lines or CSV (message, datetime, timestamp_desc, ...)',
    set(args, format) {
      if (format !== 'timesketch-jsonl' && format !== 'timesketch-csv') throw new UsageError(`--format must be timesketch-jsonl or timesketch-csv, not "${format}"`);
      args.format = format;
    },
  },
  {
    name: '--format', value: 'sigma', commands: ['rules'], required: true, help: 'Sigma 2 rules: detection rules over program and message, event_count and temporal_ordered correlations',
    set(args, format) {
      if (format !== 'sigma') throw new UsageError(`--format must be sigma, not "${format}"`);
      args.format = format;
    },
  },
  { name: '--json', commands: ['timeline', 'triage'], help: 'one JSON object per entry and line (timeline), a JSON array of the ranked groups (triage)', set: (args) => { args.json = true; } },
  {
    name: '--fail-on', value: 'error|warning|information', commands: ['scan', 'triage'], help: 'exit with status 1 when a finding (not one marked as expected) is this severe or more; default: never',
    set(args, severity) {
      if (severity !== 'error' && severity !== 'warning' && severity !== 'information') throw new UsageError(`--fail-on must be error, warning or information, not "${severity}"`);
      args.failOn = severity;
    },
  },
  { name: '--base', value: 'DIR', commands: ['scan'], help: "SARIF: name the logs relative to DIR, the checkout's root (default: the current folder)", set: (args, folder) => { args.base = folder; } },
  {
    name: '--max-results', value: 'N', commands: ['scan'], help: 'SARIF: write at most N results, the most severe first and every rule represented (default 5000, what GitHub code scanning shows; it refuses over 25000)',
    set: (args, n) => { args.maxResults = wholeNumber(n, 1, Number.MAX_SAFE_INTEGER, '--max-results must be a whole number ≥ 1'); },
  },
  { name: '--top', value: 'N', commands: ['triage'], help: 'print the first N groups only (--fail-on still weighs every finding)', set: (args, n) => { args.top = wholeNumber(n, 1, Number.MAX_SAFE_INTEGER, '--top must be a whole number ≥ 1'); } },
  {
    name: '--window', value: 'S', commands: ['triage'], help: "other logs' flagged lines within S seconds count as company (default 60)",
    set(args, text) {
      const seconds = Number(text);
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) throw new UsageError('--window must be a number of seconds between 0 and 86400');
      args.windowSeconds = seconds;
    },
  },
  { name: '--tz', value: 'ZONE', commands: ALL, help: "IANA zone for stamps without an offset (default: this machine's zone)", set: (args, zone) => { args.zone = zone; } },
  { name: '--year', value: 'YYYY', commands: ALL, help: "year of the last yearless line in each file (default: from the logs' own evidence, else the file's mtime)", set: (args, year) => { args.year = wholeNumber(year, 1970, 2200, '--year must be a year between 1970 and 2200'); } },
  {
    name: '--offset', value: 'HOST=SECONDS', commands: ALL, repeatable: true, help: "HOST's clock ran SECONDS ahead of true time (negative: behind)",
    set(args, pair) {
      const [host, seconds] = splitPair('--offset', pair);
      const number = Number(seconds);
      if (!Number.isFinite(number) || Math.abs(number) > 366 * 86_400) throw new UsageError(`--offset wants HOST=SECONDS, a number of seconds, not "${seconds}"`);
      args.hostOffsets[host] = number;
    },
  },
  {
    name: '--host-tz', value: 'HOST=ZONE', commands: ALL, repeatable: true, help: "read HOST's stamps without an offset in ZONE",
    set(args, pair) {
      const [host, zone] = splitPair('--host-tz', pair);
      args.hostZones[host] = zone;
    },
  },
  { name: '--rules', value: 'DIR', commands: WITH_RULES, repeatable: true, help: 'also load the rule files in folder DIR', set: (args, folder) => { args.rules.push(folder); } },
  { name: '--sigma', value: 'DIR', commands: WITH_RULES, repeatable: true, help: 'also load the Sigma rules (*.yml, *.yaml) in folder DIR and below, for product linux', set: (args, folder) => { args.sigma.push(folder); } },
  {
    name: '--max-size', value: 'MIB', commands: ALL, help: 'refuse a .gz, piped or standard-input log larger than this once decompressed (default 512, at most 512); plain files are read from disk in chunks, whatever their size',
    set: (args, mib) => { args.maxMiB = wholeNumber(mib, 1, 512, '--max-size must be a whole number of MiB between 1 and 512'); },
  },
  { name: '--jobs', value: 'N', commands: ALL, help: 'threads that read a plain log of 16 MiB or more (default: 2, or 1 on one core)', set: (args, jobs) => { args.jobs = wholeNumber(jobs, 1, 64, '--jobs must be a whole number of threads between 1 and 64'); } },
  {
    name: '--annotations', value: 'PATH', commands: WITH_RULES,
    help: 'the annotations file (default: .log-forensics/annotations.json here, if present); report and export place its notes, the suppressions.json beside it leaves out findings marked as expected and the disabled-rules.json beside it drops those rules',
    set: (args, file) => { args.annotations = file; },
  },
  { name: '--out', value: 'FILE', commands: ['report', 'export'], help: 'write to FILE atomically instead of standard output; never onto one of the input logs', set: (args, file) => { args.out = file; } },
  { name: '--out', value: 'DIR', commands: ['rules'], help: 'write one .yml per rule into DIR (created if need be; files of the same name are replaced, others left alone) instead of one YAML stream on standard output', set: (args, folder) => { args.out = folder; } },
  { name: '--title', value: 'TEXT', commands: ['report'], help: "the postmortem's title", set: (args, title) => { args.title = title; } },
];

/** Commands that read standard input for `-`; report and export name each log on disk as evidence. */
export const READS_STANDARD_INPUT: readonly Command[] = ['scan', 'timeline', 'triage'];

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word);
}

/** Whether the words before `--` ask for help or the version, which win over any mistake. */
function askedFor(words: readonly string[]): 'help' | 'version' | undefined {
  const end = words.indexOf('--');
  const options = end < 0 ? words : words.slice(0, end);
  if (options.some((word) => word === '--help' || word === '-h')) return 'help';
  if (options.some((word) => word === '--version' || word === '-V')) return 'version';
  return undefined;
}

/** The option `name` of `command`; throws UsageError when there is none. */
function optionOf(command: Command, name: string): OptionSpec {
  const option = OPTIONS.find((spec) => spec.name === name && spec.commands.includes(command));
  if (option) return option;
  if (OPTIONS.some((spec) => spec.name === name)) throw new UsageError(`${name} is not an option of ${command}`, command);
  throw new UsageError(`unknown option ${name}`, command);
}

/** Parses argv (without `node` and the script). Throws UsageError on a mistake. */
export function parseArgs(argv: readonly string[]): CliRequest {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help') return { kind: 'help', command: rest[0] !== undefined && isCommand(rest[0]) ? rest[0] : undefined };
  if (!isCommand(first)) {
    const asked = askedFor([first]);
    if (asked) return { kind: asked };
    throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command "${first}"`);
  }
  const command = first;
  const asked = askedFor(rest);
  if (asked === 'help') return { kind: 'help', command };
  if (asked === 'version') return { kind: 'version' };
  const args: CliArgs = { command, files: [], format: 'text', json: false, windowSeconds: 60, hostOffsets: {}, hostZones: {}, rules: [], sigma: [], maxMiB: 512, maxResults: 5000, jobs: Math.min(2, availableParallelism()) };
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (word === '--') {
      args.files.push(...rest.slice(i + 1));
      break;
    }
    if (word === STANDARD_INPUT || !word.startsWith('-')) {
      args.files.push(word);
      continue;
    }
    const option = optionOf(command, word);
    let value = '';
    if (option.value) {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${word} needs a value`, command);
      value = next;
    }
    try {
      option.set(args, value);
    } catch (error) {
      throw error instanceof UsageError ? new UsageError(error.message, command) : error;
    }
  }
  checkFiles(args);
  return { kind: 'run', args };
}

/** The FILE arguments make sense for the command; throws UsageError saying why not. */
function checkFiles(args: CliArgs): void {
  const { command } = args;
  if (command === 'rules') {
    if (args.files.length !== 1 || args.files[0] !== 'export') throw new UsageError(`rules takes one action, export${args.files.length > 0 ? `, not "${args.files.join(' ')}"` : ''}`, command);
    if (args.format !== 'sigma') throw new UsageError('rules export needs --format sigma', command);
    return;
  }
  if (args.files.length === 0) throw new UsageError('no FILE given', command);
  const stdin = args.files.filter((file) => file === STANDARD_INPUT).length;
  if (stdin > 0 && !READS_STANDARD_INPUT.includes(command)) {
    throw new UsageError(`${command} does not read standard input (-): its evidence names each log on disk by path and SHA-256; save it to a file first (cat > incident.log)`, command);
  }
  if (stdin > 1) throw new UsageError('- (standard input) can be given only once', command);
  if (command === 'export' && args.format !== 'timesketch-jsonl' && args.format !== 'timesketch-csv') throw new UsageError('export needs --format timesketch-jsonl or timesketch-csv', command);
}

/** The CLI's options in the shape the server's settings take, so both read time alike. */
export function cliTimeSettings(args: Pick<CliArgs, 'year' | 'hostOffsets' | 'hostZones'>, zone: string): LogForensicsSettings {
  return { windowSeconds: 60, zone, year: args.year, fileZones: {}, hostZones: args.hostZones, hostOffsets: args.hostOffsets, contextLines: DEFAULT_SETTINGS.contextLines };
}
