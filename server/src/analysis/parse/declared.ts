import { LineLevel, Span } from './types';
import { SPACE, isDigit } from './chars';

/** How bad a line says it is, in its own words, and where those words are. */
export interface DeclaredLevel {
  level: LineLevel;
  /** Where the level word (or `<PRI>`-derived level: empty) sits in the line; empty for a priority. */
  word: Span;
  /** Where the line's own account of the problem starts (after the level word). */
  textStart: number;
}

// Level words as daemons write them before a colon: postfix and OpenSSH in lower case, dovecot
// capitalised, PostgreSQL and the kernel in capitals. Only these spellings: a level word is
// trusted because it is the program's own convention, not because an English word appears.
const COLON_WORDS: ReadonlyMap<string, LineLevel> = new Map([
  ...['panic', 'Panic', 'PANIC', 'fatal', 'Fatal', 'FATAL', 'emerg', 'alert', 'crit', 'critical', 'Critical', 'CRITICAL', 'BUG', 'Oops'].map((w) => [w, 'emergency'] as const),
  ...['error', 'Error', 'ERROR', 'IOERROR', 'DBERROR', 'SYSERR'].map((w) => [w, 'error'] as const),
  ...['warning', 'Warning', 'WARNING', 'warn', 'WARN'].map((w) => [w, 'warning'] as const),
  ...['notice', 'Notice', 'NOTICE', 'info', 'Info', 'INFO', 'debug', 'Debug', 'DEBUG'].map((w) => [w, w.toLowerCase() === 'notice' ? 'notice' : w.toLowerCase() === 'info' ? 'info' : 'debug'] as const),
]);

// `<warn>` (NetworkManager) and `[error]` (Apache, nginx, PHP): the word between brackets.
const BRACKET_WORDS: ReadonlyMap<string, LineLevel> = new Map([
  ...['emerg', 'alert', 'crit', 'fatal', 'FATAL', 'CRITICAL'].map((w) => [w, 'emergency'] as const),
  ...['error', 'err', 'ERROR'].map((w) => [w, 'error'] as const),
  ...['warn', 'warning', 'WARN', 'WARNING'].map((w) => [w, 'warning'] as const),
  ...['notice', 'info', 'debug', 'trace', 'NOTICE', 'INFO', 'DEBUG'].map((w) => [w, w.toLowerCase() === 'notice' ? 'notice' : w.toLowerCase() === 'info' ? 'info' : 'debug'] as const),
]);

// logfmt `level=` values (Go services, systemd-style key=value logs).
const LOGFMT_LEVELS: ReadonlyMap<string, LineLevel> = new Map([
  ...['fatal', 'panic', 'crit', 'critical'].map((w) => [w, 'emergency'] as const),
  ...['error', 'err', 'eror'].map((w) => [w, 'error'] as const),
  ...['warn', 'warning'].map((w) => [w, 'warning'] as const),
]);

/** Prefix segments (`imap(user)<1><ab>: `, `auth-worker(9): `, a queue id) before a level word. */
const MAX_SEGMENTS = 3;
/** How far into a message a level word may stand: daemons put it first, after their prefixes. */
const MAX_PREFIX = 160;
/** How far into a message `level=` is looked for. */
const MAX_LOGFMT = 240;

const isWordChar = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The end of one `token: ` prefix segment from `at` (brackets may hold spaces and colons), or -1. */
function segmentEnd(text: string, at: number, limit: number): number {
  let depth = 0;
  for (let p = at; p < limit; p++) {
    const c = text.charCodeAt(p);
    if (c === 40 || c === 60 || c === 91) depth++;
    else if ((c === 41 || c === 62 || c === 93) && depth > 0) depth--;
    else if (depth === 0 && c === SPACE) return -1;
    else if (depth === 0 && c === 58 /* : */ && text.charCodeAt(p + 1) === SPACE) return p + 2;
  }
  return -1;
}

/** A level word written at `at`: `word:`, `SYSERR(...)`, `error (`, `<warn>` or `[error]`. */
function levelWordAt(text: string, at: number, end: number): DeclaredLevel | undefined {
  const open = text.charCodeAt(at);
  if (open === 60 || open === 91) {
    const close = open === 60 ? 62 : 93;
    let p = at + 1;
    while (p < end && p - at <= 9 && isWordChar(text.charCodeAt(p))) p++;
    const level = text.charCodeAt(p) === close ? BRACKET_WORDS.get(text.slice(at + 1, p)) : undefined;
    return level ? { level, word: { start: at, end: p + 1 }, textStart: skipSpaces(text, p + 1, end) } : undefined;
  }
  let p = at;
  while (p < end && p - at <= 9 && isWordChar(text.charCodeAt(p))) p++;
  if (p === at) return undefined;
  const next = text.charCodeAt(p);
  const colon = next === 58;
  // Most first words are followed by none of these: no word is cut out of them (this runs on
  // every line of a program with level rules). Without a colon only `SYSERR(`, `error (` and
  // `DBERROR `/`IOERROR ` can be level words.
  if (!colon && (next === 40 ? p - at !== 6 : next !== SPACE || !(p - at === 7 || (p - at === 5 && text.charCodeAt(p + 1) === 40)))) return undefined;
  const word = text.slice(at, p);
  // sendmail: `SYSERR(root): ...`; named: `error (network unreachable) resolving ...`.
  const sendmail = next === 40 && word === 'SYSERR';
  const named = next === SPACE && word === 'error' && text.charCodeAt(p + 1) === 40;
  // Cyrus: `DBERROR db5: ...` as well as `DBERROR: ...`.
  const cyrus = next === SPACE && (word === 'DBERROR' || word === 'IOERROR');
  if (!colon && !sendmail && !named && !cyrus) return undefined;
  const level = COLON_WORDS.get(word);
  if (!level) return undefined;
  return { level, word: { start: at, end: p }, textStart: skipSpaces(text, colon ? p + 1 : p, end) };
}

function skipSpaces(text: string, at: number, end: number): number {
  let p = at;
  while (p < end && text.charCodeAt(p) === SPACE) p++;
  return p;
}

/** A kernel uptime `[ 12.345678]` or NetworkManager `[1596542127.1234]` at `at`: where it ends. */
function skipBracketedNumber(text: string, at: number, end: number): number {
  if (text.charCodeAt(at) !== 91) return at;
  let p = at + 1;
  while (p < end && text.charCodeAt(p) === SPACE) p++;
  const digits = p;
  while (p < end && (isDigit(text.charCodeAt(p)) || text.charCodeAt(p) === 46)) p++;
  return p > digits && text.charCodeAt(p) === 93 ? skipSpaces(text, p + 1, end) : at;
}

/** `level=error` (or `level="error"`) among the first words of a logfmt message. */
function logfmtLevel(text: string, start: number, end: number): DeclaredLevel | undefined {
  const limit = Math.min(end, start + MAX_LOGFMT);
  const at = text.indexOf('level=', start);
  if (at < 0 || at >= limit || (at > start && text.charCodeAt(at - 1) !== SPACE)) return undefined;
  let p = at + 6;
  if (text.charCodeAt(p) === 34) p++;
  const wordStart = p;
  while (p < end && isWordChar(text.charCodeAt(p))) p++;
  const level = LOGFMT_LEVELS.get(text.slice(wordStart, p).toLowerCase());
  return level ? { level, word: { start: at, end: p }, textStart: start } : undefined;
}

// The lines that continue a kernel warning or oops (frames, registers, the code dump) carry the
// headline's priority in `dmesg -x` and journal exports; only the headline states the problem.
const TRACE_LINE = /^(?:\s*(?:\? )?[\w.$]+\+0x[0-9a-f]+\/0x[0-9a-f]+|\s*(?:RIP|RSP|RAX|RBX|RCX|RDX|RSI|RDI|RBP|R\d{1,2}|FS|GS|CS|DS|ES|CR\d|DR\d|Code|Call Trace|Modules linked in|Hardware name|Workqueue|Stack|pc|lr|sp|x\d{1,2}|<\/?(?:TASK|IRQ|NMI)>)\b|\s*\[<[0-9a-f]+>\]|\s*---\[ end trace)/;

/** Whether a message (from `at`) is a frame, a register line or another piece of a kernel trace. */
function looksLikeTrace(text: string, at: number, end: number): boolean {
  const start = skipBracketedNumber(text, skipSpaces(text, at, end), end);
  return TRACE_LINE.test(text.slice(start, Math.min(end, start + 80)));
}

/**
 * The level a line gives itself: a daemon's level word before its message (postfix `warning:`,
 * dovecot `Error:`, named `error (…)`, sendmail `SYSERR`, cyrus `IOERROR`, NetworkManager
 * `<warn>`, Apache `[error]`, logfmt `level=`), else the syslog priority the parser read
 * (`priority`), except on the frames and registers that continue a kernel trace. Level words are
read with a few character tests at the places daemons write them, no regular expression.
 */
export function readDeclaredLevel(text: string, message: Span, priority?: LineLevel): DeclaredLevel | undefined {
  const end = Math.min(message.end, text.length);
  let at = skipBracketedNumber(text, skipSpaces(text, message.start, end), end);
  const limit = Math.min(end, message.start + MAX_PREFIX);
  for (let segment = 0; segment <= MAX_SEGMENTS && at < limit; segment++) {
    const found = levelWordAt(text, at, end);
    if (found) return found;
    const next = segmentEnd(text, at, limit);
    if (next < 0) break;
    at = skipBracketedNumber(text, skipSpaces(text, next, end), end);
  }
  const logfmt = logfmtLevel(text, message.start, end);
  if (logfmt) return logfmt;
  if (priority && !looksLikeTrace(text, message.start, end)) return { level: priority, word: { start: message.start, end: message.start }, textStart: message.start };
  return undefined;
}
