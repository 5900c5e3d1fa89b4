/** The parsed command line of `log-forensics`. */
export interface CliArgs {
  command: string;
  files: string[];
  format: 'text' | 'json' | 'sarif';
  json: boolean;
  zone?: string;
  year?: number;
  rules: string[];
  /** Largest log, in MiB (after decompression for .gz), the CLI reads. */
  maxMiB: number;
}

/** A command-line mistake; the CLI prints its message with the usage and exits with status 2. */
export class UsageError extends Error {}

export const USAGE = `Usage:
  log-forensics scan FILE... [--format text|json|sarif] [--tz ZONE] [--year YYYY] [--rules DIR] [--max-size MIB]
  log-forensics timeline FILE... [--json] [--tz ZONE] [--year YYYY] [--max-size MIB]

  scan       print the findings of the signature catalogue in each file
  timeline   merge the entries of all files in time order

  --tz ZONE  IANA zone for stamps without an offset (default: this machine's zone)
  --year Y   year of the last yearless line in each file (default: from the file's mtime)
  --rules D  also load the rule files in folder D (repeatable)
  --max-size MIB  refuse logs larger than this, after decompression (default 512, at most 512)`;

/** Parses argv (without `node` and the script). Throws UsageError on a mistake. */
export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') throw new UsageError('');
  if (command !== 'scan' && command !== 'timeline') throw new UsageError(`unknown command "${command}"`);
  const args: CliArgs = { command, files: [], format: 'text', json: false, rules: [], maxMiB: 512 };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    const value = (): string => {
      const next = rest[++i];
      if (next === undefined) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    if (arg === '--format') {
      const format = value();
      if (format !== 'text' && format !== 'json' && format !== 'sarif') throw new UsageError(`--format must be text, json or sarif, not "${format}"`);
      args.format = format;
    } else if (arg === '--json') args.json = true;
    else if (arg === '--tz') args.zone = value();
    else if (arg === '--year') {
      const year = Number(value());
      if (!Number.isInteger(year) || year < 1970 || year > 2200) throw new UsageError('--year must be a year between 1970 and 2200');
      args.year = year;
    } else if (arg === '--rules') args.rules.push(value());
    else if (arg === '--max-size') {
      const mib = Number(value());
      if (!Number.isInteger(mib) || mib < 1 || mib > 512) throw new UsageError('--max-size must be a whole number of MiB between 1 and 512');
      args.maxMiB = mib;
    }
    else if (arg === '--') {
      args.files.push(...rest.slice(i + 1));
      break;
    }
    else if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
    else args.files.push(arg);
  }
  if (args.files.length === 0) throw new UsageError('no FILE given');
  return args;
}
