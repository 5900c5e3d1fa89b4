import { LineLevel, LogLine, Span, StampFormat } from './types';
import { GT, LT, SPACE, isDigit, readDigits, readWeekday, skipBlanks } from './chars';
import {
  civilFromEpochMs, readBracketed, readBracketedCtime, readBracketedDayMonthYear, readCtime, readDayMonthYear, readEpochSeconds, readIso8601, readRfc3164, readSlashedDate, readUptime,
  readWeekdayIso,
} from './stamps';
import { readProgram, readSyslogHeader } from './header';
import { levelFromSyslogSeverity, levelFromWords } from './level';
import { isJournalMarker, readExportField, readJournalJson } from './journal';
import { readAuditRecord } from './audit';
import { isApacheLevel, readAppleColumns, readBracketedPid, readKernelPrefix } from './formats';

// Solaris pstack: `ff129394 txn_abort (0, f30a14d8, ...) + 4`; gdb: `#3  0x00007f... in main (...) at x.c:12`.
const PSTACK_FRAME = /^\s*[0-9a-f]{8,16}\s+[^\s(]+\s*\(.*\)(?:\s*\+\s*[0-9a-fx]+)?\s*$/i;
const GDB_FRAME = /^#\d+\s+(?:0x[0-9a-f]+\s+in\s+)?\S+\s*\(/i;
const THREAD_HEADER = /^(?:-{3,}\s*lwp#\s*\d+\s*\/\s*thread#\s*\d+\s*-{3,}|Thread \d+ \(.*\):?)\s*$/i;

/** The column heading `log show` prints first (macOS unified log). */
const APPLE_HEADING = /^Timestamp +Thread +Type +Activity +PID\b/;

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

/**
 * Reads the `HOST PROGRAM[PID]:` after a stamp into `line`. A relay that forwards lines with
 * their original header (`Nov  8 16:49:42 relay Nov  8 16:49:40 origin prog[1]: msg`) gives
 * the origin's host and program, since they say who logged the message; the relay's outer stamp
 * is kept, because it is the clock that wrote every line of the file and so keeps the file in
 * order, where origins' clocks and zones may differ. A `last message repeated N times` line
 * belongs to the entry above it (the repeated message's program).
 */
function readHeaderInto(line: LogLine, text: string, from: number, acceptHostOnly: boolean): void {
  const header = readSyslogHeader(text, from, acceptHostOnly);
  line.host = header.host;
  line.program = header.program;
  line.pid = header.pid;
  line.message = { start: header.messageStart, end: text.length };
  if (header.program || !header.host) return;
  const inner = readRfc3164(text, header.messageStart);
  if (inner) {
    const origin = readSyslogHeader(text, inner.end, false);
    if (origin.program) {
      line.host = origin.host ?? header.host;
      line.program = origin.program;
      line.pid = origin.pid;
      line.message = { start: origin.messageStart, end: text.length };
    }
    return;
  }
  if (repeatCount(text, header.messageStart) > 0) line.kind = 'continuation';
}

const REPEATED = 'last message repeated ';

/**
 * The count of a syslogd `last message repeated N times` (or `--- last message repeated N times
 * ---`) message starting at `at`; 0 when the text there is not one.
 */
export function repeatCount(text: string, at = 0): number {
  let p = at;
  if (text.startsWith('--- ', p)) p += 4;
  if (!text.startsWith(REPEATED, p)) return 0;
  p += REPEATED.length;
  let count = 0;
  while (isDigit(text.charCodeAt(p)) && count < 1e9) count = count * 10 + (text.charCodeAt(p++) - 48);
  return text.startsWith(' time', p) ? count : 0;
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
  const lead = text.charCodeAt(0);
  // Formats known by their first character, which carry no syslog PRI.
  if (lead === 123 /* { */) {
    const journal = readJournalJson(text, lineNo);
    if (journal) return journal;
  } else if (lead >= 97 && lead <= 122) {
    const audit = lead === 116 /* t */ || lead === 110 /* n */ ? readAuditRecord(text, lineNo) : undefined;
    if (audit) return audit;
    const prefix = readKernelPrefix(text);
    if (prefix) return finish(kernelLine(text, lineNo, prefix.end, prefix.kernel), prefix.level);
  } else if (lead === 45 /* - */) {
    if (isJournalMarker(text)) return { line: lineNo, kind: 'marker', format: 'none', message: { start: 0, end: length } };
    if (repeatCount(text) > 0) return { line: lineNo, kind: 'continuation', format: 'none', message: { start: 0, end: length } };
  } else if (lead === 95 /* _ */ || (lead >= 65 && lead <= 90)) {
    const field = readExportField(text, lineNo);
    if (field) return field;
    // `Tue 2020-08-04 …`: a blank, a digit and a dash where they stand come first, as a month (`Nov 18 10:00`) fails there.
    if (text.charCodeAt(3) === SPACE && isDigit(text.charCodeAt(4)) && text.charCodeAt(8) === 45 && readWeekday(text, 0) > 0) {
      const full = readWeekdayIso(text, 0);
      if (full) {
        const line = stamped(lineNo, 'journal-full', { start: 0, end: full.end }, text);
        line.civil = full.civil;
        readHeaderInto(line, text, full.end, true);
        return finish(line, undefined);
      }
    }
    // `Fri Jan 19 12:20:33 2007 [pid 27202] …` (vsftpd), `Tue May  9 08:04:56 2017 daemon.info named[1397]: …`.
    const ctime = text.charCodeAt(3) === SPACE && text.charCodeAt(7) === SPACE ? readCtime(text, 0) : undefined;
    if (ctime) {
      const line = stamped(lineNo, 'ctime', { start: 0, end: ctime.end }, text);
      line.civil = ctime.civil;
      const vsftpd = readBracketedPid(text, skipBlanks(text, ctime.end));
      if (vsftpd && !vsftpd.program) {
        line.pid = vsftpd.pid;
        line.programName = 'vsftpd';
        line.message = { start: vsftpd.end, end: length };
      } else readHeaderInto(line, text, ctime.end, true);
      return finish(line, undefined);
    }
    if (lead === 84 /* T */ && APPLE_HEADING.test(text)) return { line: lineNo, kind: 'marker', format: 'none', message: { start: 0, end: length } };
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
      if (!iso.spaced) {
        readHeaderInto(line, text, iso.end, true);
        takeUptime(line, text);
        return finish(line, priLevel);
      }
      const apple = iso.civil.offsetMinutes !== undefined && text.charCodeAt(iso.end) === SPACE ? readAppleColumns(text, iso.end) : undefined;
      if (apple?.known) {
        line.format = 'apple';
        line.program = apple.program;
        line.pid = apple.pid;
        line.message = { start: apple.messageStart, end: length };
        return finish(line, apple.level ?? priLevel);
      }
      const header = readSyslogHeader(text, iso.end, false);
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
    const year = readDigits(text, at, 4);
    // rsyslog and Solaris templates that put the year first: `2015 Nov 13 13:40:01 host prog: msg`.
    const afterYear = year >= 1970 && text.charCodeAt(at + 4) === SPACE ? readRfc3164(text, at + 5) : undefined;
    if (afterYear && afterYear.civil.year === undefined) {
      const line = stamped(lineNo, 'rfc3164', { start: at, end: afterYear.end }, text);
      line.civil = afterYear.civil;
      line.civil.year = year;
      readHeaderInto(line, text, afterYear.end, true);
      takeUptime(line, text);
      return finish(line, priLevel);
    }
    // BIND's own log file: `25-Jan-2013 13:09:08.048 xfer-in: …`.
    const bind = text.charCodeAt(at + 2) === 45 ? readDayMonthYear(text, at) : undefined;
    if (bind) {
      const line = stamped(lineNo, 'day-month-year', { start: at, end: bind.end }, text);
      line.civil = bind.civil;
      line.message = { start: skipBlanks(text, bind.end), end: length };
      return finish(line, priLevel);
    }
    const slashed = readSlashedDate(text, at);
    if (slashed) return slashedLine(lineNo, text, at, slashed.end, slashed.civil, priLevel);
    // `journalctl -o short-unix`: seconds since the epoch with microseconds, then the header.
    const epoch = readEpochSeconds(text, at, 9);
    if (epoch && epoch.end > at + 10 && text.charCodeAt(epoch.end - 1) !== 46 && text.charCodeAt(at + 10) === 46 && text.charCodeAt(epoch.end) === SPACE) {
      const line = stamped(lineNo, 'epoch', { start: at, end: epoch.end }, text);
      line.civil = civilFromEpochMs(epoch.ms);
      readHeaderInto(line, text, epoch.end, true);
      return finish(line, priLevel);
    }
  }

  if (first === 91 /* [ */) {
    const bracketed = readBracketed(text, at);
    if (bracketed) return bracketedLine(lineNo, text, at, bracketed.end, bracketed.civil, priLevel);
    const ctime = readBracketedCtime(text, at);
    if (ctime) return finish(ctimeLine(lineNo, text, at, ctime.end, ctime.civil, true), priLevel);
    const bracketedEpoch = isDigit(text.charCodeAt(at + 1)) ? readEpochSeconds(text, at + 1, 9) : undefined;
    if (bracketedEpoch && text.charCodeAt(bracketedEpoch.end) === 93 /* ] */) {
      // Nagios/Icinga (`[1620246538] SERVICE ALERT: …`) and unbound (`[1631314649] unbound[3551:0] notice: …`).
      const line = stamped(lineNo, 'epoch', { start: at, end: bracketedEpoch.end + 1 }, text);
      line.civil = civilFromEpochMs(bracketedEpoch.ms);
      const messageAt = skipBlanks(text, bracketedEpoch.end + 1);
      const tag = readBracketedPid(text, messageAt);
      if (tag?.program) {
        line.program = tag.program;
        line.pid = tag.pid;
      }
      line.message = { start: tag?.program ? tag.end : messageAt, end: length };
      return finish(line, priLevel);
    }
    const bracketedIso = isDigit(text.charCodeAt(at + 1)) ? readIso8601(text, at + 1) : undefined;
    if (bracketedIso && text.charCodeAt(bracketedIso.end) === 93) {
      // Nagios and many applications (`[2021-03-16 04:01:49] production.ERROR: …`): no syslog header follows.
      const line = stamped(lineNo, 'iso8601', { start: at, end: bracketedIso.end + 1 }, text);
      line.civil = bracketedIso.civil;
      line.message = { start: skipBlanks(text, bracketedIso.end + 1), end: length };
      return finish(line, priLevel);
    }
    const dated = readBracketedDayMonthYear(text, at);
    if (dated) {
      // roundcube writes `[12-Mar-2013 11:21:46 +0100]: IMAP Error: …`; PHP's error log the same stamp without the colon.
      const line = stamped(lineNo, 'day-month-year', { start: at, end: dated.end }, text);
      line.civil = dated.civil;
      const colon = text.charCodeAt(dated.end) === 58;
      if (colon) line.programName = 'roundcube';
      line.message = { start: skipBlanks(text, dated.end + (colon ? 1 : 0)), end: length };
      return finish(line, priLevel);
    }
    const uptime = readUptime(text, at);
    if (uptime) {
      const line = stamped(lineNo, 'dmesg', { start: at, end: uptime.end }, text);
      line.uptime = uptime.seconds;
      line.uptimeSpan = { start: at, end: uptime.end };
      line.message = { start: skipBlanks(text, uptime.end), end: length };
      // `journalctl -o short-monotonic`: `[ 3.25] host systemd[1]: …`. Host and `[pid]` both, as
      // the kernel writes `init[1]: segfault at …` and `usb 1-1: new device` itself.
      const header = readSyslogHeader(text, uptime.end, false);
      if (header.pid && header.host) {
        line.host = header.host;
        line.program = header.program;
        line.pid = header.pid;
        line.message = { start: header.messageStart, end: length };
      }
      return finish(line, priLevel);
    }
  }

  const classic = readRfc3164(text, at);
  if (classic) {
    const line = stamped(lineNo, 'rfc3164', { start: at, end: classic.end }, text);
    line.civil = classic.civil;
    readHeaderInto(line, text, classic.end, true);
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

/**
 * What follows a `dmesg -x` prefix (`kern  :err   : `): a `dmesg -T` stamp, an uptime, or (with
 * `-t`) the message alone.
 */
function kernelLine(text: string, lineNo: number, at: number, kernel: boolean): LogLine {
  const ctime = readBracketedCtime(text, at);
  if (ctime) return ctimeLine(lineNo, text, at, ctime.end, ctime.civil, kernel);
  const uptime = readUptime(text, at);
  const line: LogLine = uptime
    ? { ...stamped(lineNo, 'dmesg', { start: at, end: uptime.end }, text), uptime: uptime.seconds, uptimeSpan: { start: at, end: uptime.end } }
    : { line: lineNo, kind: 'entry', format: 'none', message: { start: at, end: text.length } };
  if (uptime) line.message = { start: skipBlanks(text, uptime.end), end: text.length };
  if (kernel) line.programName = 'kernel';
  return line;
}

/**
 * A `dmesg -T` line, `[Sun Nov  8 16:49:44 2026] message`: the kernel's, unless an Apache error
 * level follows (`[Sun Nov 08 16:49:44 2026] [error] …`, Apache 2.2's error log), which has the same stamp.
 */
function ctimeLine(lineNo: number, text: string, at: number, end: number, civil: LogLine['civil'], kernel: boolean): LogLine {
  const line = stamped(lineNo, 'ctime', { start: at, end }, text);
  line.civil = civil;
  const messageStart = skipBlanks(text, end);
  line.message = { start: messageStart, end: text.length };
  if (kernel && !isApacheLevel(text, messageStart)) line.programName = 'kernel';
  return line;
}

/** `2011/02/22 21:53:38 [9219] …`: rsync's daemon log, whose `[pid]` follows the stamp; other logs with this stamp keep their words. */
function slashedLine(lineNo: number, text: string, at: number, end: number, civil: LogLine['civil'], level: LineLevel | undefined): LogLine {
  const line = stamped(lineNo, 'slashed', { start: at, end }, text);
  line.civil = civil;
  let p = skipBlanks(text, end);
  if (text.charCodeAt(p) === 91) {
    let q = p + 1;
    while (isDigit(text.charCodeAt(q))) q++;
    if (q > p + 1 && text.charCodeAt(q) === 93 && text.charCodeAt(q + 1) === SPACE) {
      line.pid = { start: p + 1, end: q };
      line.programName = 'rsyncd';
      p = skipBlanks(text, q + 1);
    }
  }
  line.message = { start: p, end: text.length };
  return finish(line, level);
}

function bracketedLine(lineNo: number, text: string, at: number, end: number, civil: LogLine['civil'], level: LineLevel | undefined): LogLine {
  const line = stamped(lineNo, 'bracketed', { start: at, end }, text);
  line.civil = civil;
  readHeaderInto(line, text, end, true);
  return finish(line, level);
}
