import { LineLevel, LogLine, Span, StampFormat } from './types';
import { GT, LT, SPACE, isDigit, readDigits, skipBlanks } from './chars';
import { readBracketed, readIso8601, readRfc3164, readUptime } from './stamps';
import { readProgram, readSyslogHeader } from './header';
import { levelFromSyslogSeverity, levelFromWords } from './level';

// Solaris pstack: `ff129394 txn_abort (0, f30a14d8, ...) + 4`; gdb: `#3  0x00007f... in main (...) at x.c:12`.
const PSTACK_FRAME = /^\s*[0-9a-f]{8,16}\s+[^\s(]+\s*\(.*\)(?:\s*\+\s*[0-9a-fx]+)?\s*$/i;
const GDB_FRAME = /^#\d+\s+(?:0x[0-9a-f]+\s+in\s+)?\S+\s*\(/i;
const THREAD_HEADER = /^(?:-{3,}\s*lwp#\s*\d+\s*\/\s*thread#\s*\d+\s*-{3,}|Thread \d+ \(.*\):?)\s*$/i;

/** An exim message id, old (6-6-2) or 4.97+ (6-11-4) form. */
const EXIM_ID = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6}(?:[0-9A-Za-z]{5})?-[0-9A-Za-z]{2}(?:[0-9A-Za-z]{2})?$/;

/** Reads an RFC 3164/5424 `<PRI>` prefix; returns the syslog severity and where the rest starts. */
function readPri(text: string): { severity: number; end: number } | undefined {
  if (text.charCodeAt(0) !== LT) return undefined;
  let p = 1;
  let value = 0;
  while (p < 5 && isDigit(text.charCodeAt(p))) {
    value = value * 10 + (text.charCodeAt(p) - 48);
    p++;
  }
  if (p === 1 || text.charCodeAt(p) !== GT || value > 191) return undefined;
  return { severity: value & 7, end: p + 1 };
}

/** Reads one RFC 5424 header field (a word, or `-` for nil); returns its span or undefined for nil. */
function readField(text: string, at: number): { span?: Span; end: number } {
  let p = at;
  while (p < text.length && text.charCodeAt(p) !== SPACE) p++;
  const span = p - at === 1 && text.charCodeAt(at) === 45 ? undefined : { start: at, end: p };
  return { span, end: Math.min(p + 1, text.length) };
}

/** Skips RFC 5424 structured data (`-` or one or more `[id k="v"]` elements, `\]` escaped). */
function skipStructuredData(text: string, at: number): number {
  if (text.charCodeAt(at) === 45) return skipBlanks(text, at + 1);
  let p = at;
  while (text.charCodeAt(p) === 91) {
    p++;
    while (p < text.length && text.charCodeAt(p) !== 93) p += text.charCodeAt(p) === 92 ? 2 : 1;
    p++;
  }
  return skipBlanks(text, p);
}

function finish(line: LogLine, level?: LineLevel): LogLine {
  line.level = level;
  return line;
}

/** Reads a kernel uptime stamp at the start of the message and records it. */
function takeUptime(line: LogLine, text: string): void {
  const at = line.message.start;
  const uptime = readUptime(text, at);
  if (!uptime) return;
  line.uptime = uptime.seconds;
  line.uptimeSpan = { start: at, end: uptime.end };
}

function stamped(lineNo: number, format: StampFormat, stamp: Span, text: string): LogLine {
  return { line: lineNo, kind: 'entry', format, stamp, message: { start: stamp.end, end: text.length } };
}

/**
 * Parses one line of a log. Never throws: a line that matches no known format becomes a
 * continuation of the entry above it (stack frames and thread headers are recognised as such).
 */
export function parseLogLine(text: string, lineNo: number): LogLine {
  const line = readLogLine(text, lineNo);
  // Blank lines, stack frames and thread headers have no level to guess.
  if ('level' in line && line.level === undefined) line.level = levelFromWords(text.slice(line.message.start, line.message.end));
  return line;
}

/**
 * `parseLogLine` without guessing a level from the message's words when the line has no syslog
 * priority: a few regular expressions a line that scanning a large log does not need, so
 * `LineTable.level` guesses only for the lines it is asked about.
 */
export function readLogLine(text: string, lineNo: number): LogLine {
  const length = text.length;
  if (skipBlanks(text, 0) >= length) {
    return { line: lineNo, kind: 'blank', format: 'none', message: { start: 0, end: length } };
  }
  const pri = readPri(text);
  const at = pri ? pri.end : 0;
  const priLevel = pri ? levelFromSyslogSeverity(pri.severity) : undefined;

  // RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`.
  if (pri && text.charCodeAt(at) === 49 && text.charCodeAt(at + 1) === SPACE) {
    const iso = readIso8601(text, at + 2);
    if (iso) {
      const line = stamped(lineNo, 'rfc5424', { start: at + 2, end: iso.end }, text);
      line.civil = iso.civil;
      const host = readField(text, iso.end + 1);
      const app = readField(text, host.end);
      const procId = readField(text, app.end);
      const msgId = readField(text, procId.end);
      line.host = host.span;
      line.program = app.span;
      line.pid = procId.span;
      line.message = { start: skipStructuredData(text, msgId.end), end: length };
      return finish(line, priLevel);
    }
  }

  const first = text.charCodeAt(at);
  if (isDigit(first)) {
    const iso = readIso8601(text, at);
    if (iso) {
      const line = stamped(lineNo, iso.spaced ? 'exim' : 'iso8601', { start: at, end: iso.end }, text);
      line.civil = iso.civil;
      const header = readSyslogHeader(text, iso.end, !iso.spaced);
      // In exim's log a message id comes first (`1VxPit-000MMd-U4 SA: …`): it is not a host.
      const eximId = iso.spaced && header.host !== undefined && EXIM_ID.test(text.slice(header.host.start, header.host.end));
      if ((header.program && !eximId) || !iso.spaced) {
        line.host = header.host;
        line.program = header.program;
        line.pid = header.pid;
        line.message = { start: header.messageStart, end: length };
      } else {
        // exim main log: optional `[pid]` straight after the stamp.
        let p = skipBlanks(text, iso.end);
        if (text.charCodeAt(p) === 91) {
          let q = p + 1;
          while (isDigit(text.charCodeAt(q))) q++;
          if (q > p + 1 && text.charCodeAt(q) === 93) {
            line.pid = { start: p + 1, end: q };
            p = skipBlanks(text, q + 1);
          }
        }
        line.message = { start: p, end: length };
      }
      takeUptime(line, text);
      return finish(line, priLevel);
    }
    const bracketed = readDigits(text, at, 2) >= 0 && text.charCodeAt(at + 2) === 47 ? readBracketed(text, at) : undefined;
    if (bracketed) return bracketedLine(lineNo, text, at, bracketed.end, bracketed.civil, priLevel);
  }

  if (first === 91 /* [ */) {
    const bracketed = readBracketed(text, at);
    if (bracketed) return bracketedLine(lineNo, text, at, bracketed.end, bracketed.civil, priLevel);
    const uptime = readUptime(text, at);
    if (uptime) {
      const line = stamped(lineNo, 'dmesg', { start: at, end: uptime.end }, text);
      line.uptime = uptime.seconds;
      line.uptimeSpan = { start: at, end: uptime.end };
      line.message = { start: skipBlanks(text, uptime.end), end: length };
      return finish(line, priLevel);
    }
  }

  const classic = readRfc3164(text, at);
  if (classic) {
    const line = stamped(lineNo, 'rfc3164', { start: at, end: classic.end }, text);
    line.civil = classic.civil;
    const header = readSyslogHeader(text, classic.end, true);
    line.host = header.host;
    line.program = header.program;
    line.pid = header.pid;
    line.message = { start: header.messageStart, end: length };
    takeUptime(line, text);
    return finish(line, priLevel);
  }

  // A line quoted without its syslog prefix but still carrying the kernel's tag and uptime.
  const program = readProgram(text, skipBlanks(text, at));
  if (program && text.slice(program.program.start, program.program.end) === 'kernel') {
    const messageStart = skipBlanks(text, program.end);
    if (readUptime(text, messageStart)) {
      const line: LogLine = { line: lineNo, kind: 'entry', format: 'none', program: program.program, message: { start: messageStart, end: length } };
      takeUptime(line, text);
      return finish(line, priLevel);
    }
  }

  if (THREAD_HEADER.test(text)) return { line: lineNo, kind: 'thread-header', format: 'none', message: { start: 0, end: length } };
  if (PSTACK_FRAME.test(text) || GDB_FRAME.test(text)) return { line: lineNo, kind: 'frame', format: 'none', message: { start: skipBlanks(text, 0), end: length } };
  return finish({ line: lineNo, kind: 'continuation', format: 'none', message: { start: 0, end: length } }, priLevel);
}

function bracketedLine(lineNo: number, text: string, at: number, end: number, civil: LogLine['civil'], level: LineLevel | undefined): LogLine {
  const line = stamped(lineNo, 'bracketed', { start: at, end }, text);
  line.civil = civil;
  const header = readSyslogHeader(text, end, true);
  line.host = header.host;
  line.program = header.program;
  line.pid = header.pid;
  line.message = { start: header.messageStart, end: text.length };
  return finish(line, level);
}
