import { CivilTime } from './types';
import { COLON, DASH, DOT, PLUS, SLASH, SPACE, isDigit, readDigits, readMonth } from './chars';

/** A timestamp found at a given offset: its fields and where it ends. */
export interface StampMatch {
  civil: CivilTime;
  end: number;
}

/** Reads `HH:MM:SS` at `at`, with an optional `.fraction` or `,fraction`. */
function readClock(text: string, at: number, civil: CivilTime): number {
  const hour = readDigits(text, at, 2);
  if (hour < 0 || hour > 23 || text.charCodeAt(at + 2) !== COLON) return -1;
  const minute = readDigits(text, at + 3, 2);
  if (minute < 0 || minute > 59 || text.charCodeAt(at + 5) !== COLON) return -1;
  const second = readDigits(text, at + 6, 2);
  if (second < 0 || second > 60) return -1;
  civil.hour = hour;
  civil.minute = minute;
  civil.second = second;
  let end = at + 8;
  const sep = text.charCodeAt(end);
  if ((sep === DOT || sep === 44) && isDigit(text.charCodeAt(end + 1))) {
    let digits = 0;
    let millis = 0;
    end++;
    while (isDigit(text.charCodeAt(end))) {
      if (digits < 3) millis = millis * 10 + (text.charCodeAt(end) - 48);
      digits++;
      end++;
    }
    while (digits < 3) {
      millis *= 10;
      digits++;
    }
    civil.millis = millis;
  }
  return end;
}

/** Reads a zone designator (`Z`, `+01:00`, `+0100`, `-05`) at `at`; returns its end, or `at` if none. */
function readOffset(text: string, at: number, civil: CivilTime): number {
  const sign = text.charCodeAt(at);
  if (sign === 90 /* Z */) {
    civil.offsetMinutes = 0;
    return at + 1;
  }
  if (sign !== PLUS && sign !== DASH) return at;
  const hours = readDigits(text, at + 1, 2);
  if (hours < 0 || hours > 14) return at;
  let end = at + 3;
  let minutes = 0;
  if (text.charCodeAt(end) === COLON) {
    minutes = readDigits(text, end + 1, 2);
    if (minutes < 0) return at;
    end += 3;
  } else {
    const m = readDigits(text, end, 2);
    if (m >= 0) {
      minutes = m;
      end += 2;
    }
  }
  if (minutes > 59) return at;
  civil.offsetMinutes = (sign === DASH ? -1 : 1) * (hours * 60 + minutes);
  return end;
}

/** Whether the word at `at` is `UTC` or `GMT`, standing alone. */
function isUtcWord(text: string, at: number): boolean {
  const word = text.substr(at, 3);
  const after = text.charCodeAt(at + 3);
  return (word === 'UTC' || word === 'GMT') && (Number.isNaN(after) || after === SPACE);
}

function blankCivil(): CivilTime {
  return { month: 0, day: 0, hour: 0, minute: 0, second: 0, millis: 0 };
}

/**
 * Classic BSD syslog (RFC 3164): `Nov  8 16:49:42`, `Jan 4 21:51:05`, optionally with a fraction.
 * Some daemons write a year after the day (`Feb 17 2006 16:08:16`); that is accepted too.
 */
export function readRfc3164(text: string, at: number): StampMatch | undefined {
  const month = readMonth(text, at);
  if (month === 0 || text.charCodeAt(at + 3) !== SPACE) return undefined;
  let p = at + 4;
  if (text.charCodeAt(p) === SPACE) p++;
  let day = 0;
  let digits = 0;
  while (digits < 2 && isDigit(text.charCodeAt(p))) {
    day = day * 10 + (text.charCodeAt(p) - 48);
    p++;
    digits++;
  }
  if (digits === 0 || day < 1 || day > 31 || text.charCodeAt(p) !== SPACE) return undefined;
  p++;
  const civil = blankCivil();
  civil.month = month;
  civil.day = day;
  const year = readDigits(text, p, 4);
  if (year >= 1970 && text.charCodeAt(p + 4) === SPACE) {
    civil.year = year;
    p += 5;
  }
  const end = readClock(text, p, civil);
  if (end < 0) return undefined;
  return { civil, end };
}

/** Reads `YYYY-MM-DD` at `at` into `civil`; returns the offset after it, or -1. */
function readIsoDate(text: string, at: number, civil: CivilTime): number {
  const year = readDigits(text, at, 4);
  if (year < 0 || text.charCodeAt(at + 4) !== DASH) return -1;
  const month = readDigits(text, at + 5, 2);
  if (month < 1 || month > 12 || text.charCodeAt(at + 7) !== DASH) return -1;
  const day = readDigits(text, at + 8, 2);
  if (day < 1 || day > 31) return -1;
  civil.year = year;
  civil.month = month;
  civil.day = day;
  return at + 10;
}

/**
 * ISO 8601 as rsyslog and RFC 5424 write it (`2026-03-01T16:49:42.123456+01:00`), and the
 * space-separated form of exim and many daemons (`2026-03-01 16:49:42`, optionally `+0100`).
 */
export function readIso8601(text: string, at: number): (StampMatch & { spaced: boolean }) | undefined {
  const civil = blankCivil();
  const dateEnd = readIsoDate(text, at, civil);
  if (dateEnd < 0) return undefined;
  const sep = text.charCodeAt(dateEnd);
  if (sep !== 84 /* T */ && sep !== SPACE) return undefined;
  let end = readClock(text, dateEnd + 1, civil);
  if (end < 0) return undefined;
  if (sep === SPACE && text.charCodeAt(end) === SPACE && isUtcWord(text, end + 1)) {
    civil.offsetMinutes = 0;
    end += 4;
  } else if (sep === SPACE && text.charCodeAt(end) === SPACE) {
    const withZone = readOffset(text, end + 1, civil);
    // A space-separated offset counts only when it stands alone as a word (exim's `+0100`).
    if (withZone > end + 1 && (withZone >= text.length || text.charCodeAt(withZone) === SPACE)) end = withZone;
    else delete civil.offsetMinutes;
  } else {
    end = readOffset(text, end, civil);
  }
  return { civil, end, spaced: sep === SPACE };
}

/**
 * The bracketed common-log form: `[17/Feb/2006:16:08:16 -0500]`. A line whose leading bracket was
 * lost in copying (`17/Feb/2006:14:05:59 -0500]`) is read too; `at` then points at the day.
 */
export function readBracketed(text: string, at: number): StampMatch | undefined {
  let p = at;
  if (text.charCodeAt(p) === 91 /* [ */) p++;
  const day = readDigits(text, p, 2);
  if (day < 1 || day > 31 || text.charCodeAt(p + 2) !== SLASH) return undefined;
  const month = readMonth(text, p + 3);
  if (month === 0 || text.charCodeAt(p + 6) !== SLASH) return undefined;
  const year = readDigits(text, p + 7, 4);
  if (year < 0 || text.charCodeAt(p + 11) !== COLON) return undefined;
  const civil = blankCivil();
  civil.year = year;
  civil.month = month;
  civil.day = day;
  let end = readClock(text, p + 12, civil);
  if (end < 0) return undefined;
  if (text.charCodeAt(end) === SPACE) {
    const zoneEnd = readOffset(text, end + 1, civil);
    if (zoneEnd > end + 1) end = zoneEnd;
  }
  if (text.charCodeAt(end) !== 93 /* ] */) return undefined;
  return { civil, end: end + 1 };
}

/** A kernel uptime stamp `[3018172.820223]` (leading spaces inside the bracket allowed). */
export function readUptime(text: string, at: number): { seconds: number; end: number } | undefined {
  if (text.charCodeAt(at) !== 91 /* [ */) return undefined;
  let p = at + 1;
  while (text.charCodeAt(p) === SPACE) p++;
  const start = p;
  while (isDigit(text.charCodeAt(p))) p++;
  if (p === start || text.charCodeAt(p) !== DOT) return undefined;
  p++;
  const fracStart = p;
  while (isDigit(text.charCodeAt(p))) p++;
  if (p === fracStart || text.charCodeAt(p) !== 93 /* ] */) return undefined;
  const seconds = Number(text.slice(start, p));
  return { seconds, end: p + 1 };
}
