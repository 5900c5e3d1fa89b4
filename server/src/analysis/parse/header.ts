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
 * Reads the header after a syslog stamp. With `hostRequired` false the host may be missing
 * (`sendmail[123]: ...`), as some syslogd configurations write it; a line with a host but no
 * program (`host last message repeated 2 times`) keeps the host.
 */
export function readSyslogHeader(text: string, at: number, acceptHostOnly: boolean): SyslogHeader {
  const start = skipBlanks(text, at);
  const direct = readProgram(text, start);
  if (direct && text.charCodeAt(direct.end) === SPACE && direct.pid) {
    return { program: direct.program, pid: direct.pid, messageStart: skipBlanks(text, direct.end) };
  }
  let p = start;
  while (p < text.length && text.charCodeAt(p) !== SPACE) p++;
  if (p === start) return { messageStart: start };
  const host = { start, end: p };
  const programAt = skipBlanks(text, p);
  const prog = readProgram(text, programAt);
  if (prog) return { host, program: prog.program, pid: prog.pid, messageStart: skipBlanks(text, prog.end) };
  if (direct) return { program: direct.program, pid: direct.pid, messageStart: skipBlanks(text, direct.end) };
  if (acceptHostOnly) return { host, messageStart: programAt };
  return { messageStart: start };
}
