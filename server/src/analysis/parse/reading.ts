import { LogLine } from './types';
import { InputProblem, detached } from './text';
import { exportValue, isExportField } from './journal';

/** How many lines not understood are quoted in the one problem that reports them. */
const EXAMPLES = 3;
/** Characters of each quoted line. */
const EXAMPLE_CHARS = 80;

/** One quoted line: 0-based number and its first characters. */
export interface ExampleLine {
  line: number;
  text: string;
}

/** `ReadingStats` as plain data, to send from one thread to another. */
export interface ReadingData {
  stamped: number;
  nonBlank: number;
  unread: number;
  unreadExamples: ExampleLine[];
  plain: number;
  plainExamples: ExampleLine[];
}

// The start of an entry whose stamp the parser does not read: a date or a time-of-day first
// (`12/03/2013`, `2013.03.12`, `11:21:46`), a month or weekday name and a number.
const DATE_LIKE = /^\[?(?:\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}:\d\d:\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? +\d|(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,? )/i;

/**
 * Whether an unstamped line looks like something the parser failed to read rather than the
 * continuation of the entry above: a line before the first entry, or one that starts like a date
 * or time. Indented lines, stack frames, wrapped text, comments and journal export fields are
 * continuations.
 */
export function isUnreadStart(raw: string, beforeFirstEntry: boolean): boolean {
  const first = raw.charCodeAt(0);
  if (first === 32 || first === 9 || first === 35 /* # */) return false;
  if (beforeFirstEntry) return !isExportField(raw);
  return DATE_LIKE.test(raw);
}

/** Exim's flags before a header it copies (`P` Received, `F` From, `*` deleted, …). */
const EXIM_HEADER_FLAGS = '*BCFIPRST';

/**
 * Whether a line is part of what an exim reject log writes under an entry: the rejected
 * message's `Envelope-from:` and `Envelope-to:`, then its headers, each behind a flag and a
 * blank (`P Received: from …`, `I Message-Id: <…>`).
 */
function isEximRejectDetail(raw: string): boolean {
  if (raw.startsWith('Envelope-from: ') || raw.startsWith('Envelope-to: ')) return true;
  if (raw.charCodeAt(1) !== 32 || !EXIM_HEADER_FLAGS.includes(raw.charAt(0))) return false;
  let p = 2;
  for (; p < raw.length && p < 80; p++) {
    const code = raw.charCodeAt(p);
    const nameChar = (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45;
    if (!nameChar) break;
  }
  return p > 2 && raw.charCodeAt(p) === 58 /* : */;
}

/**
 * Whether an unstamped line is text of its own rather than part of an entry: indented lines
 * continue an entry, `#` lines are comments (annotated samples), `FIELD=` lines belong to a
 * journal export entry, envelope and header lines to an exim reject. A file that is mostly such
 * text is probably not a log.
 */
export function isPlainText(raw: string): boolean {
  const first = raw.charCodeAt(0);
  return first !== 32 && first !== 9 && first !== 35 && !isExportField(raw) && !isEximRejectDetail(raw);
}

/**
 * Whether stamped lines are too few beside lines of text (`isPlainText`) for a log: fewer than
 * one for every four. The reader judges a whole file by it, the sniffer a file's start.
 */
export function tooFewStamped(stamped: number, plain: number): boolean {
  return stamped * 4 < plain;
}

function quote(i: number, raw: string): ExampleLine {
  return { line: i, text: detached(raw.slice(0, EXAMPLE_CHARS)) };
}

function listed(examples: readonly ExampleLine[]): string {
  return examples.map((example) => `${example.line + 1}: \`${example.text}\``).join('; ');
}

/**
 * Counts what the parser could not place while it reads a log, so that a file says once, as one
 * problem, that some of its lines were not understood, or that it is probably not a log at all.
 */
export class ReadingStats implements ReadingData {
  /** Entries with a stamp. */
  stamped = 0;
  nonBlank = 0;
  /** Unstamped lines that look like entries the parser could not read (`isUnreadStart`). */
  unread = 0;
  unreadExamples: ExampleLine[] = [];
  /** Unstamped lines that are not indented: text, if the file is not a log. */
  plain = 0;
  plainExamples: ExampleLine[] = [];

  /** Notes an unstamped continuation line; `unread` as `isUnreadStart` says. */
  noteContinuation(i: number, raw: string, unread: boolean): void {
    if (isPlainText(raw)) {
      this.plain++;
      if (this.plainExamples.length < EXAMPLES) this.plainExamples.push(quote(i, raw));
    }
    if (!unread) return;
    this.unread++;
    if (this.unreadExamples.length < EXAMPLES) this.unreadExamples.push(quote(i, raw));
  }

  /** The counts as plain data. */
  data(): ReadingData {
    return { stamped: this.stamped, nonBlank: this.nonBlank, unread: this.unread, unreadExamples: this.unreadExamples, plain: this.plain, plainExamples: this.plainExamples };
  }

  /** Adds what was counted of the `offset` lines that follow. */
  append(other: ReadingData, offset: number): void {
    this.stamped += other.stamped;
    this.nonBlank += other.nonBlank;
    this.unread += other.unread;
    this.plain += other.plain;
    for (const example of other.unreadExamples) if (this.unreadExamples.length < EXAMPLES) this.unreadExamples.push({ line: example.line + offset, text: example.text });
    for (const example of other.plainExamples) if (this.plainExamples.length < EXAMPLES) this.plainExamples.push({ line: example.line + offset, text: example.text });
  }

  /** The one problem to report, or undefined when every line was read. */
  problem(): InputProblem | undefined {
    // Mostly text without a stamp (a report, a config file, a core dump's text): say so once.
    // A log with long stack traces has few stamped lines too, but its unstamped lines are indented.
    if (this.nonBlank >= 3 && this.stamped * 20 < this.nonBlank && tooFewStamped(this.stamped, this.plain)) {
      const examples = this.plainExamples;
      const subject = this.stamped === 0 ? 'No line' : `Only ${this.stamped} of ${this.nonBlank} lines`;
      return {
        line: examples[0]?.line ?? 0,
        message: `${subject} of this file carries a timestamp this parser reads: it is probably not a log, or one in a format not known here, and its lines are not on the timeline. First lines not read: ${listed(examples)}.`,
      };
    }
    if (this.unread === 0) return undefined;
    const subject = this.unread === 1 ? 'One line looks' : `${this.unread} lines look`;
    return {
      line: this.unreadExamples[0].line,
      message: `${subject} like the start of an entry but carries no timestamp this parser reads; each is kept with the entry above it (or on its own before the first entry). First: ${listed(this.unreadExamples)}.`,
    };
  }
}

/**
 * The head a journal export entry's field lines are matched with: `HOST PROGRAM[PID]:` composed
 * from its `_HOSTNAME=`, `SYSLOG_IDENTIFIER=` (or `_COMM=`) and `_PID=` (or `SYSLOG_PID=`) lines,
 * with spans into that composed text. Undefined when the entry names none of them.
 */
export function composeExportHead(fields: readonly string[], entryLine: LogLine): { raw: string; line: LogLine } | undefined {
  let host: string | undefined;
  let identifier: string | undefined;
  let comm: string | undefined;
  let pid: string | undefined;
  let syslogPid: string | undefined;
  for (const raw of fields) {
    const first = raw.charCodeAt(0);
    if (first !== 95 && first !== 83) continue; // `_…` or `SYSLOG_…`
    host ??= exportValue(raw, '_HOSTNAME');
    identifier ??= exportValue(raw, 'SYSLOG_IDENTIFIER');
    comm ??= exportValue(raw, '_COMM');
    pid ??= exportValue(raw, '_PID');
    syslogPid ??= exportValue(raw, 'SYSLOG_PID');
  }
  const program = identifier ?? comm;
  pid ??= syslogPid;
  if (host === undefined && program === undefined && pid === undefined) return undefined;
  let raw = '';
  const line: LogLine = { line: entryLine.line, kind: 'entry', format: entryLine.format, message: { start: 0, end: 0 } };
  if (host !== undefined) {
    line.host = { start: 0, end: host.length };
    raw = `${host} `;
  }
  if (program !== undefined) {
    line.program = { start: raw.length, end: raw.length + program.length };
    raw += program;
  }
  if (pid !== undefined) {
    line.pid = { start: raw.length + 1, end: raw.length + 1 + pid.length };
    raw += `[${pid}]`;
  }
  raw += ':';
  line.message = { start: raw.length, end: raw.length };
  return { raw, line };
}
