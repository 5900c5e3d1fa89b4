import { readLogLine } from './line';
import { isPlainText, tooFewStamped } from './reading';
import { countControlCharacters, looksBinary, splitLines } from './text';

/**
 * File names the product treats as logs, plain, rotated (`.1`, `-20260301`) or gzip: the names
 * syslog daemons and journalctl exports are given, `*.log`, and crash stacks (`*.pstack`,
 * `*.backtrace`), which carry no stamp and so are logs only by name. The extension's language
 * contribution (`package.json`) lists the same names for the editor.
 */
const LOG_NAME = /^(?:messages|syslog|maillog|mail\.(?:log|err|warn|info)|secure|auth\.log|kern\.log|daemon\.log|dmesg|imap|popd|[^/]+\.log|[^/]+\.pstack|[^/]+\.backtrace|journal[^/]*\.(?:json|export|txt)|[^/]+[.-]journal\.(?:json|export))(?:[.-]\d+)*(?:\.gz)?$/;

/** Whether a file name looks like a log (`maillog.2.gz`, `messages-20260301`, `app.log`). */
export function isLogFileName(name: string): boolean {
  return LOG_NAME.test(name);
}

/**
 * Bytes of a file's start the sniffer is given: 50 lines of syslog take 5 to 10 KB, and a
 * journal JSON entry 1 to 3 KB, so this holds a few entries of any format the parser reads.
 */
export const SNIFF_BYTES = 16 * 1024;

/**
 * Lines that count (stamped, or text of their own) looked at: enough to outvote a header, few
 * enough to stay cheap. Lines that continue an entry (indented, stack frames, journal export
 * fields) do not use up the count, so that 50 is some entries of any format.
 */
const SNIFF_LINES = 50;

/**
 * Stamped lines a log's start must show: one stamp at a line's start can be chance (a dated
 * note), three are a pattern. A whole file with fewer is a log when most of its lines are
 * stamped (a log of one or two entries, maybe under a heading).
 */
const MIN_STAMPED = 3;

/** Whether a file's start reads as a log, and why, in words fit to show the user. */
export interface LogSniff {
  log: boolean;
  reason: string;
}

function lines(count: number): string {
  return count === 1 ? '1 line' : `${count} lines`;
}

/**
 * Why a file's start is not text (`binary (NUL bytes)`), or undefined when it is: a log by its
 * name can still be a database's binary write-ahead log (`000003.log`).
 */
export function binaryReason(sample: string): string | undefined {
  const counts = countControlCharacters(sample, SNIFF_BYTES);
  if (!looksBinary(counts)) return undefined;
  return counts.nul > 0 ? 'binary (NUL bytes)' : 'binary (control characters)';
}

/**
 * Decides from a file's first bytes (about `SNIFF_BYTES`, decoded) whether it is a log: not
 * binary, and enough of its first 50 lines carry a timestamp the product's own parser reads.
 * Indented lines, comments, stack frames and journal export fields are neither for nor against:
 * they continue entries. `complete` says the sample is the whole file; when it is not,
 * its last line may be cut and is left out. Never throws.
 */
export function sniffLog(sample: string, complete = true): LogSniff {
  if (sample.length === 0) return { log: false, reason: 'empty' };
  const binary = binaryReason(sample);
  if (binary) return { log: false, reason: binary };
  const all = splitLines(sample);
  const end = complete || all.length === 1 ? all.length : all.length - 1;
  let looked = 0;
  let stamped = 0;
  let plain = 0;
  let i = 0;
  for (; i < end && stamped + plain < SNIFF_LINES; i++) {
    const raw = all[i];
    const line = readLogLine(raw, i);
    if (line.kind === 'blank') continue;
    looked++;
    if (line.kind === 'entry' && line.stamp) stamped++;
    else if (line.kind === 'continuation' && line.format === 'none' && isPlainText(raw)) plain++;
  }
  if (looked === 0) return { log: false, reason: 'only blank lines' };
  const within = complete && i === end ? `in its ${lines(looked)}` : `in its first ${looked}`;
  if (stamped === 0) return { log: false, reason: `no timestamped lines ${within}` };
  const counted = stamped + plain;
  if (stamped < MIN_STAMPED) {
    if (complete && stamped * 2 >= counted) return { log: true, reason: `${stamped} of ${counted} lines stamped` };
    return { log: false, reason: `only ${stamped === 1 ? '1 timestamped line' : `${stamped} timestamped lines`} ${within}` };
  }
  // The reader's own measure of "probably not a log", so that what is found is what reads well.
  if (tooFewStamped(stamped, plain)) return { log: false, reason: `only ${stamped} of ${counted} lines stamped` };
  return { log: true, reason: `${stamped} of ${counted} lines stamped` };
}
