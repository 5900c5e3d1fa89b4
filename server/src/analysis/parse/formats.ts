import { LineLevel, Span } from './types';
import { COLON, SPACE, isDigit, skipBlanks } from './chars';
import { levelFromSyslogSeverity } from './level';

/** Syslog severity names as `dmesg -x` writes them, with their number. */
const SEVERITIES: Record<string, number> = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, notice: 5, info: 6, debug: 7 };

/**
 * The `facility:level` prefix `dmesg -x` writes: `kern  :err   : ` (padded). Returns the level,
 * whether the facility is the kernel's, and where the rest of the line starts.
 */
export function readKernelPrefix(text: string): { level: LineLevel; kernel: boolean; end: number } | undefined {
  let p = 0;
  while (p < 9 && text.charCodeAt(p) >= 97 && text.charCodeAt(p) <= 122) p++;
  while (p < 9 && isDigit(text.charCodeAt(p))) p++; // local0 … local7
  if (p === 0) return undefined;
  const facilityEnd = p;
  while (text.charCodeAt(p) === SPACE) p++;
  if (text.charCodeAt(p) !== COLON) return undefined;
  const levelAt = ++p;
  while (p - levelAt < 6 && text.charCodeAt(p) >= 97 && text.charCodeAt(p) <= 122) p++;
  const severity = SEVERITIES[text.slice(levelAt, p)];
  if (severity === undefined) return undefined;
  while (text.charCodeAt(p) === SPACE) p++;
  if (text.charCodeAt(p) !== COLON) return undefined;
  return { level: levelFromSyslogSeverity(severity), kernel: facilityEnd === 4 && text.startsWith('kern'), end: skipBlanks(text, p + 1) };
}

/** Apache's error-log level field right after a ctime stamp: `[error]`, `[core:error]`, `[proxy_fcgi:warn]`. */
const APACHE_LEVEL = /^\[(?:[a-z_0-9]+:)?(?:emerg|alert|crit|error|warn|notice|info|debug|trace[1-8])\]/;

/** Whether the text at `at` is an Apache error-log level (so a `[ctime]` stamp is Apache's, not the kernel's). */
export function isApacheLevel(text: string, at: number): boolean {
  return text.charCodeAt(at) === 91 && APACHE_LEVEL.test(text.slice(at, at + 40));
}

/** The message types of macOS's unified log that say something about severity. */
const APPLE_TYPES: Record<string, LineLevel | undefined> = { Default: undefined, Info: 'info', Debug: 'debug', Error: 'error', Fault: 'error', Notice: 'notice' };

function skipHex(text: string, at: number): number {
  if (text.charCodeAt(at) !== 48 || text.charCodeAt(at + 1) !== 120) return at;
  let p = at + 2;
  for (;;) {
    const code = text.charCodeAt(p);
    if (!(isDigit(code) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70))) break;
    p++;
  }
  return p > at + 2 ? p : at;
}

/**
 * The columns `log show` (macOS unified log, default style) writes after its stamp:
 * `0x1f4  Default  0x0  123  0  sshd: (libpam) …` = thread, type, activity, pid, TTL (newer
 * systems only), then `process:` and the message. `at` points after the stamp.
 */
export function readAppleColumns(text: string, at: number): { pid: Span; program: Span; messageStart: number; level: LineLevel | undefined; known: boolean } | undefined {
  let p = skipBlanks(text, at);
  const thread = skipHex(text, p);
  if (thread === p || text.charCodeAt(thread) !== SPACE) return undefined;
  p = skipBlanks(text, thread);
  const typeAt = p;
  while (p - typeAt < 24 && ((text.charCodeAt(p) >= 65 && text.charCodeAt(p) <= 90) || (text.charCodeAt(p) >= 97 && text.charCodeAt(p) <= 122))) p++;
  if (p === typeAt || text.charCodeAt(p) !== SPACE) return undefined;
  const type = text.slice(typeAt, p);
  p = skipBlanks(text, p);
  const activity = skipHex(text, p);
  if (activity === p) return undefined;
  p = skipBlanks(text, activity);
  const pidAt = p;
  while (isDigit(text.charCodeAt(p))) p++;
  if (p === pidAt || text.charCodeAt(p) !== SPACE) return undefined;
  const pid = { start: pidAt, end: p };
  p = skipBlanks(text, p);
  // The TTL column (a number) came with macOS 10.13; a process is never named by digits alone.
  const ttlAt = p;
  while (isDigit(text.charCodeAt(p))) p++;
  p = p > ttlAt && text.charCodeAt(p) === SPACE ? skipBlanks(text, p) : ttlAt;
  const programAt = p;
  const limit = Math.min(text.length, programAt + 128);
  while (p < limit && text.charCodeAt(p) !== COLON) p++;
  if (p === programAt || p >= limit) return undefined;
  return { pid, program: { start: programAt, end: p }, messageStart: skipBlanks(text, p + 1), level: APPLE_TYPES[type], known: type in APPLE_TYPES };
}

/**
 * A `program[pid]` or `program[pid:thread]` tag followed by a blank, as unbound writes after its
 * `[epoch]` stamp (`unbound[3551:0] notice: …`), and `[pid N]` as vsftpd writes after its stamp.
 */
export function readBracketedPid(text: string, at: number): { program?: Span; pid: Span; end: number } | undefined {
  let p = at;
  if (text.startsWith('[pid ', at)) {
    const pidAt = at + 5;
    p = pidAt;
    while (isDigit(text.charCodeAt(p))) p++;
    if (p === pidAt || text.charCodeAt(p) !== 93) return undefined;
    return { pid: { start: pidAt, end: p }, end: skipBlanks(text, p + 1) };
  }
  while (p - at < 64 && p < text.length) {
    const code = text.charCodeAt(p);
    if (code === SPACE || code === 91 || code === COLON || code === 9) break;
    p++;
  }
  if (p === at || text.charCodeAt(p) !== 91) return undefined;
  const pidAt = p + 1;
  let q = pidAt;
  while (isDigit(text.charCodeAt(q))) q++;
  if (q === pidAt) return undefined;
  const pidEnd = q;
  if (text.charCodeAt(q) === COLON) {
    q++;
    while (isDigit(text.charCodeAt(q))) q++;
  }
  if (text.charCodeAt(q) !== 93 || text.charCodeAt(q + 1) !== SPACE) return undefined;
  return { program: { start: at, end: p }, pid: { start: pidAt, end: pidEnd }, end: skipBlanks(text, q + 1) };
}
