import { LogLine, Span } from './types';
import { SPACE, isDigit, skipBlanks } from './chars';
import { civilFromEpochMs } from './stamps';
import { levelFromSyslogSeverity } from './level';

/**
 * systemd journal output read as text: `journalctl -o json` (one object a line), `-o export`
 * (one `FIELD=value` a line, entries separated by a blank line) and the header lines journalctl
 * writes between entries (`-- Logs begin at … --`, `-- Boot … --`, `-- No entries --`). The
 * `short*` outputs are syslog lines and are read as such (see `line.ts`).
 */

/** Skips a JSON string whose opening quote is at `at`; returns the offset after its closing quote (or the end). */
function skipString(text: string, at: number): number {
  let p = at + 1;
  for (;;) {
    // `indexOf` runs natively: far faster than a loop over each character of a long message.
    const quote = text.indexOf('"', p);
    if (quote < 0) return text.length;
    let backslashes = 0;
    while (quote - backslashes - 1 > at && text.charCodeAt(quote - backslashes - 1) === 92) backslashes++;
    if ((backslashes & 1) === 0) return quote + 1;
    p = quote + 1;
  }
}

/** Skips any JSON value at `at` (string, number, literal, array or object); returns where it ends. */
function skipValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === 34) return skipString(text, at);
  if (first === 91 /* [ */ || first === 123 /* { */) {
    let depth = 0;
    let p = at;
    const length = text.length;
    while (p < length) {
      const code = text.charCodeAt(p);
      if (code === 34) {
        p = skipString(text, p);
        continue;
      }
      if (code === 91 || code === 123) depth++;
      else if (code === 93 || code === 125) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return length;
  }
  let p = at;
  while (p < text.length) {
    const code = text.charCodeAt(p);
    if (code === 44 /* , */ || code === 125 /* } */ || code === SPACE || code === 9) break;
    p++;
  }
  return p;
}

function isBlank(code: number): boolean {
  return code === SPACE || code === 9;
}

/** The fields of a journal entry that a line's columns hold. */
const FIELDS = ['__REALTIME_TIMESTAMP', 'PRIORITY', 'SYSLOG_IDENTIFIER', '_COMM', '_PID', 'SYSLOG_PID', '_HOSTNAME', 'MESSAGE'] as const;
const [REALTIME_FIELD, PRIORITY_FIELD, IDENTIFIER_FIELD, COMM_FIELD, PID_FIELD, SYSLOG_PID_FIELD, HOSTNAME_FIELD, MESSAGE_FIELD] = FIELDS.map((_, k) => k);

/** Which of `FIELDS` the key between `start` and `end` (quotes excluded) is, or -1. */
function fieldOf(text: string, start: number, end: number): number {
  const length = end - start;
  // Most keys of an entry are none of these: compare lengths before characters.
  for (let k = 0; k < FIELDS.length; k++) if (FIELDS[k].length === length && text.startsWith(FIELDS[k], start)) return k;
  return -1;
}

/**
 * Reads a `journalctl -o json` line: `{"__REALTIME_TIMESTAMP" : "1534860261221373", …,
 * "MESSAGE" : "…"}`. One pass over the object's top level, no `JSON.parse`: each span points at
 * the value's characters inside its quotes, escapes and all. A line that is JSON but has no
 * `__REALTIME_TIMESTAMP` is not a journal entry (undefined).
 */
export function readJournalJson(text: string, lineNo: number): LogLine | undefined {
  let p = skipBlanks(text, 0);
  if (text.charCodeAt(p) !== 123) return undefined;
  p++;
  const length = text.length;
  // Start and end of each of `FIELDS`' values (between the quotes of a string); -1: not seen.
  const found = new Int32Array(FIELDS.length * 2).fill(-1);
  while (p < length) {
    while (p < length && (isBlank(text.charCodeAt(p)) || text.charCodeAt(p) === 44)) p++;
    if (text.charCodeAt(p) !== 34) break;
    const keyEnd = skipString(text, p);
    const field = fieldOf(text, p + 1, keyEnd - 1);
    p = keyEnd;
    while (isBlank(text.charCodeAt(p))) p++;
    if (text.charCodeAt(p) !== 58 /* : */) break;
    p++;
    while (isBlank(text.charCodeAt(p))) p++;
    const valueEnd = skipValue(text, p);
    if (field >= 0 && found[field * 2] < 0) {
      const quoted = text.charCodeAt(p) === 34;
      found[field * 2] = quoted ? p + 1 : p;
      found[field * 2 + 1] = quoted ? Math.max(p + 1, valueEnd - 1) : valueEnd;
    }
    if (valueEnd <= p) break;
    p = valueEnd;
  }
  const stampStart = found[REALTIME_FIELD * 2];
  const stampEnd = found[REALTIME_FIELD * 2 + 1];
  if (stampStart < 0 || !allDigits(text, stampStart, stampEnd)) return undefined;
  // The journal counts microseconds: the whole number is seconds times a million.
  const micros = Number(text.slice(stampStart, stampEnd));
  const span = (field: number): Span | undefined => (found[field * 2] >= 0 && found[field * 2 + 1] > found[field * 2] ? { start: found[field * 2], end: found[field * 2 + 1] } : undefined);
  const line: LogLine = {
    line: lineNo,
    kind: 'entry',
    format: 'journal',
    stamp: { start: stampStart, end: stampEnd },
    civil: civilFromEpochMs(Math.floor(micros / 1000)),
    message: found[MESSAGE_FIELD * 2] >= 0 ? { start: found[MESSAGE_FIELD * 2], end: found[MESSAGE_FIELD * 2 + 1] } : { start: length, end: length },
  };
  const host = span(HOSTNAME_FIELD);
  const program = span(IDENTIFIER_FIELD) ?? span(COMM_FIELD);
  const pid = span(PID_FIELD) ?? span(SYSLOG_PID_FIELD);
  if (host) line.host = host;
  if (program) line.program = program;
  if (pid) line.pid = pid;
  const priority = found[PRIORITY_FIELD * 2];
  const severity = priority >= 0 && found[PRIORITY_FIELD * 2 + 1] === priority + 1 ? text.charCodeAt(priority) - 48 : -1;
  line.level = severity >= 0 && severity <= 7 ? levelFromSyslogSeverity(severity) : undefined;
  return line;
}

function allDigits(text: string, start: number, end: number): boolean {
  if (end <= start || end - start > 17) return false;
  for (let p = start; p < end; p++) if (!isDigit(text.charCodeAt(p))) return false;
  return true;
}

/** Whether the line is a `FIELD=value` line of `journalctl -o export` (capitals, digits, `_`, then `=`). */
export function isExportField(text: string): boolean {
  let p = 0;
  while (p < 64) {
    const code = text.charCodeAt(p);
    if (code === 61 /* = */) return p > 0;
    if (!((code >= 65 && code <= 90) || code === 95 || (p > 0 && isDigit(code)))) return false;
    p++;
  }
  return false;
}

const REALTIME = '__REALTIME_TIMESTAMP=';

/**
 * Reads one line of `journalctl -o export`. `__REALTIME_TIMESTAMP=` starts the entry and gives its
 * time (microseconds since the epoch, UTC); every other field is a continuation of it, `MESSAGE=`
 * with its message span after the `=`. The `__CURSOR=` line, which comes first in each block,
 * therefore closes the entry above (it carries no time). `LogParser` shows the rules each field
 * line with a head composed of the entry's `_HOSTNAME`, `SYSLOG_IDENTIFIER` and `_PID` (they may
 * come after `MESSAGE=`). A binary field (`FIELD` alone, then a length and raw bytes) is not read.
 */
export function readExportField(text: string, lineNo: number): LogLine | undefined {
  if (text.startsWith(REALTIME)) {
    const start = REALTIME.length;
    const end = text.length;
    if (!allDigits(text, start, end)) return undefined;
    const micros = Number(text.slice(start, end));
    return { line: lineNo, kind: 'entry', format: 'journal-export', stamp: { start, end }, civil: civilFromEpochMs(Math.floor(micros / 1000)), message: { start: end, end } };
  }
  if (!isExportField(text)) return undefined;
  const equals = text.indexOf('=');
  const isMessage = equals === 7 && text.startsWith('MESSAGE');
  return { line: lineNo, kind: 'continuation', format: 'none', message: { start: isMessage ? equals + 1 : 0, end: text.length } };
}

/** The value of an export line `FIELD=value` when it is that field, else undefined. */
export function exportValue(text: string, field: string): string | undefined {
  return text.length > field.length && text.charCodeAt(field.length) === 61 && text.startsWith(field) ? text.slice(field.length + 1) : undefined;
}

/**
 * Whether the line is one journalctl writes between entries: `-- Logs begin at … --`,
 * `-- Journal begins at … --`, `-- Boot 0123… --`, `-- Reboot --`, `-- No entries --`.
 */
export function isJournalMarker(text: string): boolean {
  if (text.charCodeAt(0) !== 45 || text.charCodeAt(1) !== 45 || text.charCodeAt(2) !== SPACE) return false;
  return /^-- (?:Logs begin at |Journal begins at |Boot [0-9a-f]{32} --$|Reboot --$|No entries --$)/.test(text);
}
