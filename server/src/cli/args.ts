import { availableParallelism } from 'os';
import { LogForensicsSettings } from '../settings';

/** The parsed command line of `log-forensics`. */
export interface CliArgs {
  command: string;
  files: string[];
  format: 'text' | 'json' | 'sarif' | ExportFormat;
  json: boolean;
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
  /** `report`, `export`: the annotations file (default `.log-forensics/annotations.json` here, if any). */
  annotations?: string;
  /** `report`, `export`: write here (atomically) instead of standard output. */
  out?: string;
  /** `report`: the postmortem's title. */
  title?: string;
  /** `triage`: print the first N groups only. */
  top?: number;
  /** `triage`: how close in time other logs' flagged lines must be to count as company (`--window`). */
  windowSeconds: number;
}

/** The timeline formats `export` writes. */
export type ExportFormat = 'timesketch-jsonl' | 'timesketch-csv';

/** A command-line mistake; the CLI prints its message with the usage and exits with status 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  log-forensics scan FILE... [--format text|json|sarif] [--tz ZONE] [--year YYYY] [--rules DIR] [--sigma DIR] [--max-size MIB] [--jobs N]
  log-forensics timeline FILE... [--json] [--tz ZONE] [--year YYYY] [--offset HOST=S] [--host-tz HOST=ZONE] [--max-size MIB] [--jobs N]
  log-forensics triage FILE... [--top N] [--json] [--window S] [--tz ZONE] [--year YYYY] [--rules DIR] [--max-size MIB] [--jobs N]
  log-forensics report FILE... [--annotations PATH] [--out FILE] [--title TEXT] [--tz ZONE] [--year YYYY] [--rules DIR] [--max-size MIB]
  log-forensics export FILE... --format timesketch-jsonl|timesketch-csv [--annotations PATH] [--out FILE] [--tz ZONE] [--year YYYY] [--rules DIR] [--max-size MIB]

  scan       print the findings of the signature catalogue in each file
  timeline   merge the entries of all files in time order
  triage     rank what is unusual across the files, most telling first: findings grouped by rule,
             rare lines by template, steady background low, with the reasons for each rank
  report     write the postmortem in Markdown: timeline of annotated lines, findings not annotated,
             evidence (size, mtime, SHA-256 of each file as on disk; for .gz, the compressed bytes)
  export     write the timeline for Timesketch (JSONL or CSV: message, datetime, timestamp_desc, ...)

  --tz ZONE  IANA zone for stamps without an offset (default: this machine's zone)
  --year Y   year of the last yearless line in each file (default: from the file's mtime)
  --offset HOST=SECONDS  HOST's clock ran SECONDS ahead of true time (negative: behind); repeatable
  --host-tz HOST=ZONE    read HOST's stamps without an offset in ZONE; repeatable
  --rules D  also load the rule files in folder D (repeatable)
  --sigma D  also load the Sigma rules (*.yml, *.yaml) in folder D and below, for product linux (repeatable)
  --max-size MIB  refuse a .gz or piped log larger than this, after decompression (default 512,
                  at most 512); plain files are read from disk in chunks, whatever their size
  --jobs N   threads that read a plain log of 16 MiB or more (default: 2, or 1 on one core)
  --top N    triage: print the first N groups only
  --window S triage: other logs' flagged lines within S seconds count as company (default 60)
  --annotations P  annotations file (default: .log-forensics/annotations.json in this folder, if present)
  --out F    write to F atomically instead of standard output; never onto one of the input logs`;

/** Splits `HOST=VALUE`; throws UsageError naming the option when it is not that shape. */
function splitPair(option: string, text: string): [string, string] {
  const at = text.indexOf('=');
  if (at <= 0 || at === text.length - 1) throw new UsageError(`${option} wants HOST=VALUE, not "${text}"`);
  return [text.slice(0, at), text.slice(at + 1)];
}

/** Parses argv (without `node` and the script). Throws UsageError on a mistake. */
export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') throw new UsageError('');
  if (command !== 'scan' && command !== 'timeline' && command !== 'triage' && command !== 'report' && command !== 'export') throw new UsageError(`unknown command "${command}"`);
  const args: CliArgs = { command, files: [], format: 'text', json: false, windowSeconds: 60, hostOffsets: {}, hostZones: {}, rules: [], sigma: [], maxMiB: 512, jobs: Math.min(2, availableParallelism()) };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--format') {
      const format = value();
      if (command === 'export') {
        if (format !== 'timesketch-jsonl' && format !== 'timesketch-csv') throw new UsageError(`--format must be timesketch-jsonl or timesketch-csv, not "${format}"`);
        args.format = format;
      } else {
        if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
        args.format = format;
      }
    } else if (arg === '--json') args.json = true;
    else if (arg === '--tz') args.zone = value();
    else if (arg === '--offset') {
      const [host, seconds] = splitPair(arg, value());
      const number = Number(seconds);
      if (!Number.isFinite(number) || Math.abs(number) > 366 * 86_400) throw new UsageError(`--offset wants HOST=SECONDS, a number of seconds, not "${seconds}"`);
      args.hostOffsets[host] = number;
    } else if (arg === '--host-tz') {
      const [host, zone] = splitPair(arg, value());
      args.hostZones[host] = zone;
    }
    else if (arg === '--year') {
      const year = Number(value());
      if (!Number.isInteger(year) || year < 1970 || year > 2200) throw new UsageError('--year must be a year between 1970 and 2200');
      args.year = year;
    } else if (arg === '--rules') args.rules.push(value());
    else if (arg === '--sigma') args.sigma.push(value());
    else if (arg === '--max-size') {
      const mib = Number(value());
      if (!Number.isInteger(mib) || mib < 1 || mib > 512) throw new UsageError('--max-size must be a whole number of MiB between 1 and 512');
      args.maxMiB = mib;
    }
    else if (arg === '--jobs') {
      const jobs = Number(value());
      if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError('--jobs must be a whole number of threads between 1 and 64');
      args.jobs = jobs;
    }
    else if (arg === '--top') {
      const top = Number(value());
      if (!Number.isInteger(top) || top < 1) throw new UsageError('--top must be a whole number ≥ 1');
      args.top = top;
    } else if (arg === '--window') {
      const seconds = Number(value());
      if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) throw new UsageError('--window must be a number of seconds between 0 and 86400');
      args.windowSeconds = seconds;
    }
    else if (arg === '--annotations') args.annotations = value();
    else if (arg === '--out') args.out = value();
    else if (arg === '--title') args.title = value();
    else if (arg === '--') {
      args.files.push(...rest.slice(i + 1));
      break;
    }
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) throw new UsageError('no FILE given');
  if (command === 'export' && args.format !== 'timesketch-jsonl' && args.format !== 'timesketch-csv') throw new UsageError('export needs --format timesketch-jsonl or timesketch-csv');
  return args;
}

/** The CLI's options in the shape the server's settings take, so both read time alike. */
export function cliTimeSettings(args: Pick<CliArgs, 'year' | 'hostOffsets' | 'hostZones'>, zone: string): LogForensicsSettings {
  return { windowSeconds: 60, zone, year: args.year, fileZones: {}, hostZones: args.hostZones, hostOffsets: args.hostOffsets };
}
