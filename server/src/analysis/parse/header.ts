import { Span } from './types';
import { COLON, LBRACKET, RBRACKET, SPACE, isDigit, skipBlanks } from './chars';

/** The `HOST PROGRAM[PID]:` part that follows a syslog timestamp. */
export interface SyslogHeader {
  host?: Span;
  program?: Span;
  pid?: Span;
  messageStart: number;
}

/**
 * Reads `PROGRAM[PID]:` or `PROGRAM:` at `at`. Program names may hold `/`, `-`, `.` and `_`
 * (`postfix/smtpd`, `sm-mta`), but no blanks, brackets or colons.
 */
export function readProgram(text: string, at: number): { program: Span; pid?: Span; end: number } | undefined {
  let p = at;
  while (p < text.length) {
    const code = text.charCodeAt(p);
    if (code === SPACE || code === LBRACKET || code === COLON || code === 9) break;
    p++;
  }
  if (p === at || p - at > 64) return undefined;
  const program = { start: at, end: p };
  let pid: Span | undefined;
  if (text.charCodeAt(p) === LBRACKET) {
    const pidStart = p + 1;
    let q = pidStart;
    while (isDigit(text.charCodeAt(q))) q++;
    if (q === pidStart || text.charCodeAt(q) !== RBRACKET) return undefined;
    pid = { start: pidStart, end: q };
    p = q + 1;
  }
  if (text.charCodeAt(p) !== COLON) return undefined;
  p++;
  return { program, pid, end: p };
}

/**
 * macOS program names as ASL and syslogd write them: with blanks (`Google Chrome Helper[123]:`)
 * and with what follows the pid before the colon, a launchd job in parentheses
 * (`com.apple.xpc.launchd[1] (com.apple.foo[123]):`, where the message starts at the job) or a
 * level (`sockerfilterfw[1985] <Info>:`). Only with a `[pid]`: without one, words before a colon
 * are message text.
 */
export function readSpacedProgram(text: string, at: number): { program: Span; pid: Span; end: number } | undefined {
  let p = at;
  const limit = Math.min(text.length, at + 64);
  while (p < limit) {
    const code = text.charCodeAt(p);
    if (code === LBRACKET || code === COLON || code === RBRACKET || code === 9) break;
    p++;
  }
  if (p === at || text.charCodeAt(p) !== LBRACKET || text.charCodeAt(p - 1) === SPACE) return undefined;
  // Application names are capitalised words (`Google Chrome Helper`); lower-case words before a
  // tag are a host or a facility (`pancake sshd[1]:`), never part of a program's name.
  for (let q = at; q < p; q++) {
    if (text.charCodeAt(q) !== SPACE) continue;
    const next = text.charCodeAt(q + 1);
    if (!(next >= 65 && next <= 90) || !(text.charCodeAt(at) >= 65 && text.charCodeAt(at) <= 90)) return undefined;
  }
  const program = { start: at, end: p };
  const pidStart = p + 1;
  let q = pidStart;
  while (isDigit(text.charCodeAt(q))) q++;
  if (q === pidStart || text.charCodeAt(q) !== RBRACKET) return undefined;
  const pid = { start: pidStart, end: q };
  q++;
  // A launchd job stays in the message (`(com.apple.foo[123]): Service exited`): it names what failed.
  const job = text.charCodeAt(q) === SPACE && text.charCodeAt(q + 1) === 40 /* ( */ ? q + 1 : -1;
  if (text.charCodeAt(q) === SPACE && (job > 0 || text.charCodeAt(q + 1) === 60 /* < */)) {
    const close = job > 0 ? 41 : 62;
    let r = q + 2;
    const end = Math.min(text.length, r + 256);
    while (r < end && text.charCodeAt(r) !== close) r++;
    if (r >= end) return undefined;
    q = r + 1;
    // A launchd job may be followed by a level too: `(com.apple.foo) <Warning>:`.
    if (close === 41 && text.charCodeAt(q) === SPACE && text.charCodeAt(q + 1) === 60) {
      const level = text.indexOf('>', q + 2);
      if (level < 0 || level - q > 16) return undefined;
      q = level + 1;
    }
  }
  if (text.charCodeAt(q) !== COLON) return undefined;
  return { program, pid, end: job > 0 ? job : q + 1 };
}

const FACILITY_LEVEL = /^(?:kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|security|local[0-7])\.(?:emerg|alert|crit|err|error|warn|warning|notice|info|debug|panic)$/;

/** The end of a `facility.level` word at `at` (`daemon.warn`), or `at` when there is none. */
export function readFacilityLevel(text: string, at: number): number {
  let p = at;
  let dot = false;
  for (; p - at < 20 && p < text.length; p++) {
    const code = text.charCodeAt(p);
    if (code === SPACE) break;
    if (code === 46) {
      // One dot only: `daemon.warn`, where a host name has several (`mx.example.org`).
      if (dot) return at;
      dot = true;
    }
    // Only lower-case letters, digits and the dot: a program or host name fails here at once.
    else if (!((code >= 97 && code <= 122) || (code >= 48 && code <= 57))) return at;
  }
  if (!dot || p - at >= 20 || text.charCodeAt(p) !== SPACE) return at;
  return FACILITY_LEVEL.test(text.slice(at, p)) ? p : at;
}

/**
 * Whether what follows a `word:` looks like a second header word (`host prog[1]:` where the host
 * was written with a colon is not a thing; but `pop3-login: Info: …` is program then message).
 * Only a following `program[pid]:` makes the first word a host.
 */
function looksLikeHostThenProgram(text: string, after: number): boolean {
  const next = readProgram(text, skipBlanks(text, after));
  return next?.pid !== undefined;
}

/**
 * Reads the header after a syslog stamp. With `hostRequired` false the host may be missing
 * (`sendmail[123]: ...`), as some syslogd configurations write it; a line with a host but no
 * program (`host last message repeated 2 times`) keeps the host.
 */
export function readSyslogHeader(text: string, at: number, acceptHostOnly: boolean): SyslogHeader {
  let start = skipBlanks(text, at);
  // BSD syslogd can write `<facility.priority>` before the host; it is neither host nor program.
  if (text.charCodeAt(start) === 60 /* < */) {
    const close = text.indexOf('>', start);
    if (close > start && close - start < 32 && /^<[a-z0-9]+\.[a-z0-9]+>$/i.test(text.slice(start, close + 1))) start = skipBlanks(text, close + 1);
  }
  const leadingFacility = readFacilityLevel(text, start);
  if (leadingFacility > start) start = skipBlanks(text, leadingFacility);
  const direct = readProgram(text, start);
  // A first word ending in `:` is a program (or a category tag), never a host: host names hold no colon.
  if (direct && text.charCodeAt(direct.end) === SPACE && (direct.pid || !looksLikeHostThenProgram(text, direct.end))) {
    return { program: direct.program, pid: direct.pid, messageStart: skipBlanks(text, direct.end) };
  }
  let p = start;
  while (p < text.length && text.charCodeAt(p) !== SPACE) p++;
  if (p === start) return { messageStart: start };
  const host = { start, end: p };
  let programAt = skipBlanks(text, p);
  // busybox and OpenWrt syslogd can write `facility.level` after the host: `host daemon.warn chronyd[583]:`.
  const facility = readFacilityLevel(text, programAt);
  if (facility > programAt) programAt = skipBlanks(text, facility);
  const prog = readProgram(text, programAt) ?? readSpacedProgram(text, programAt);
  if (prog) return { host, program: prog.program, pid: prog.pid, messageStart: skipBlanks(text, prog.end) };
  if (direct) return { program: direct.program, pid: direct.pid, messageStart: skipBlanks(text, direct.end) };
  if (acceptHostOnly) return { host, messageStart: programAt };
  return { messageStart: start };
}
