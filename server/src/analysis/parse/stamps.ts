import { CivilTime } from './types';
import { COLON, DASH, DOT, PLUS, SLASH, SPACE, isDigit, readDigits, readMonth, readWeekday } from './chars';
import { civilToUtc } from '../time/zone';

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

export function blankCivil(): CivilTime {
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
 * `DD<separator>Mon<separator>YYYY<afterYear>hh:mm:ss` from `p` (`17/Feb/2006:16:08:16`,
 * `12-Mar-2013 11:21:46`): the civil time and where the clock ends.
 */
function readDaySeparatedClock(text: string, p: number, separator: number, afterYear: number): { civil: CivilTime; end: number } | undefined {
  const day = readDigits(text, p, 2);
  if (day < 1 || day > 31 || text.charCodeAt(p + 2) !== separator) return undefined;
  const month = readMonth(text, p + 3);
  if (month === 0 || text.charCodeAt(p + 6) !== separator) return undefined;
  const year = readDigits(text, p + 7, 4);
  if (year < 0 || text.charCodeAt(p + 11) !== afterYear) return undefined;
  const civil = blankCivil();
  civil.year = year;
  civil.month = month;
  civil.day = day;
  const end = readClock(text, p + 12, civil);
  return end < 0 ? undefined : { civil, end };
}

/**
 * The bracketed common-log form: `[17/Feb/2006:16:08:16 -0500]`. A line whose leading bracket was
 * lost in copying (`17/Feb/2006:14:05:59 -0500]`) is read too; `at` then points at the day.
 */
export function readBracketed(text: string, at: number): StampMatch | undefined {
  const p = text.charCodeAt(at) === 91 /* [ */ ? at + 1 : at;
  const read = readDaySeparatedClock(text, p, SLASH, COLON);
  if (!read) return undefined;
  const civil = read.civil;
  let end = read.end;
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

/**
 * The civil fields, in UTC, of an instant given in milliseconds since 1970: for stamps written as
 * seconds since the epoch (journald, auditd), so that every stamp reaches the timeline the same way.
 */
export function civilFromEpochMs(ms: number): CivilTime {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // Days to a proleptic Gregorian date in 400-year eras (no Date object per line).
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  const millis = Math.floor(rest - second * 1000);
  return { year, month, day, hour, minute, second, millis, offsetMinutes: 0 };
}

/**
 * Seconds since the epoch with an optional fraction (`1596542127.123456`, auditd's
 * `1364481363.243`): at least `minDigits` whole-second digits. Returns milliseconds and the end.
 */
export function readEpochSeconds(text: string, at: number, minDigits: number): { ms: number; end: number } | undefined {
  let p = at;
  let seconds = 0;
  while (p - at < 12 && isDigit(text.charCodeAt(p))) seconds = seconds * 10 + (text.charCodeAt(p++) - 48);
  if (p - at < minDigits || isDigit(text.charCodeAt(p))) return undefined;
  let millis = 0;
  if (text.charCodeAt(p) === DOT && isDigit(text.charCodeAt(p + 1))) {
    p++;
    let digits = 0;
    while (isDigit(text.charCodeAt(p))) {
      if (digits < 3) millis = millis * 10 + (text.charCodeAt(p) - 48);
      digits++;
      p++;
    }
    for (; digits < 3; digits++) millis *= 10;
  }
  return { ms: seconds * 1000 + millis, end: p };
}

/**
 * Zone abbreviations that stand for one offset wherever they are written (`journalctl -o
 * short-full` writes the abbreviation of the reading machine's zone). Ambiguous ones (`CST`:
 * China or US Central; `IST`: India, Ireland or Israel) are left out: such stamps are read in
 * the file's zone.
 */
const ZONE_ABBREVIATIONS: Record<string, number> = {
  UTC: 0, GMT: 0, UT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, MET: 60, MEST: 120, EET: 120, EEST: 180,
  MSK: 180, EST: -300, EDT: -240, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420, AKST: -540, AKDT: -480,
  HST: -600, JST: 540, KST: 540, HKT: 480, AEST: 600, AEDT: 660, ACST: 570, ACDT: 630, AWST: 480, NZST: 720, NZDT: 780,
};

/** Reads a word of capital letters (a zone abbreviation) at `at`; returns its end, or `at`. */
function readCapitals(text: string, at: number): number {
  let p = at;
  while (p - at < 6) {
    const code = text.charCodeAt(p);
    if (code < 65 || code > 90) break;
    p++;
  }
  return p;
}

/**
 * `journalctl -o short-full` (and its `-- Logs begin at` header): `Tue 2020-08-04 13:55:27 CEST`.
 * The abbreviation gives the offset when it names one; a numeric `+03` is read too.
 */
export function readWeekdayIso(text: string, at: number): StampMatch | undefined {
  if (readWeekday(text, at) === 0 || text.charCodeAt(at + 3) !== SPACE) return undefined;
  const iso = readIso8601(text, at + 4);
  if (!iso || !iso.spaced) return undefined;
  let end = iso.end;
  if (iso.civil.offsetMinutes === undefined && text.charCodeAt(end) === SPACE) {
    const word = readCapitals(text, end + 1);
    const after = text.charCodeAt(word);
    if (word > end + 1 && (Number.isNaN(after) || after === SPACE || after === 44 /* , */)) {
      const offset = ZONE_ABBREVIATIONS[text.slice(end + 1, word)];
      if (offset !== undefined) iso.civil.offsetMinutes = offset;
      end = word;
    }
  }
  return { civil: iso.civil, end };
}

/**
 * The C library's `ctime` form inside brackets, as `dmesg -T` writes it: `[Sun Nov  8 16:49:44
 * 2026]` (local time of the machine that ran dmesg, no zone). `at` points at the bracket.
 */
export function readBracketedCtime(text: string, at: number): StampMatch | undefined {
  if (text.charCodeAt(at) !== 91 /* [ */ || readWeekday(text, at + 1) === 0 || text.charCodeAt(at + 4) !== SPACE) return undefined;
  const classic = readRfc3164(text, at + 5);
  if (!classic || classic.civil.year !== undefined || text.charCodeAt(classic.end) !== SPACE) return undefined;
  const year = readDigits(text, classic.end + 1, 4);
  if (year < 0 || text.charCodeAt(classic.end + 5) !== 93 /* ] */) return undefined;
  classic.civil.year = year;
  return { civil: classic.civil, end: classic.end + 6 };
}

/** `2011/02/22 21:53:38` (rsyncd, and many daemons' own logs). */
export function readSlashedDate(text: string, at: number): StampMatch | undefined {
  const year = readDigits(text, at, 4);
  if (year < 0 || text.charCodeAt(at + 4) !== SLASH || text.charCodeAt(at + 7) !== SLASH || text.charCodeAt(at + 10) !== SPACE) return undefined;
  const month = readDigits(text, at + 5, 2);
  const day = readDigits(text, at + 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const civil = blankCivil();
  civil.year = year;
  civil.month = month;
  civil.day = day;
  const end = readClock(text, at + 11, civil);
  return end < 0 ? undefined : { civil, end };
}

/** Whether `code` may stand in an IANA zone name (`America/New_York`, `Etc/GMT+5`). */
function isZoneNameChar(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === SLASH || code === 95 || code === DASH || code === PLUS || isDigit(code);
}

/**
 * PHP's `[12-Mar-2013 11:21:46 +0100]` as roundcube and PHP's error log write it; the zone may be
 * an offset, `UTC`, or an IANA name (`America/New_York`), which is turned into the offset it had
 * at that moment. `at` points at the bracket.
 */
export function readBracketedDayMonthYear(text: string, at: number): StampMatch | undefined {
  if (text.charCodeAt(at) !== 91) return undefined;
  const read = readDaySeparatedClock(text, at + 1, DASH, SPACE);
  if (!read) return undefined;
  const civil = read.civil;
  let end = read.end;
  if (text.charCodeAt(end) === SPACE) {
    const zoneAt = end + 1;
    const offsetEnd = readOffset(text, zoneAt, civil);
    if (offsetEnd > zoneAt) end = offsetEnd;
    else {
      let q = zoneAt;
      while (q - zoneAt < 40 && isZoneNameChar(text.charCodeAt(q))) q++;
      if (q === zoneAt || text.charCodeAt(q) !== 93) return undefined;
      const zone = text.slice(zoneAt, q);
      if (zone === 'UTC' || zone === 'GMT') civil.offsetMinutes = 0;
      else {
        const instant = zoneInstant(civil, zone);
        if (instant !== undefined) civil.offsetMinutes = Math.round((utcWall(civil) - instant) / 60_000);
      }
      end = q;
    }
  }
  if (text.charCodeAt(end) !== 93) return undefined;
  return { civil, end: end + 1 };
}

function utcWall(civil: CivilTime): number {
  return Date.UTC(civil.year!, civil.month - 1, civil.day, civil.hour, civil.minute, civil.second, civil.millis);
}

/** The instant wall time `civil` denotes in the IANA `zone`, or undefined when the zone is unknown. */
function zoneInstant(civil: CivilTime, zone: string): number | undefined {
  try {
    return civilToUtc(civil, civil.year!, zone);
  } catch {
    return undefined;
  }
}

/**
 * The `ctime` form without brackets, as vsftpd and some syslogd templates write it:
 * `Fri Jan 19 12:20:33 2007` (local time, no zone).
 */
export function readCtime(text: string, at: number): StampMatch | undefined {
  if (readWeekday(text, at) === 0 || text.charCodeAt(at + 3) !== SPACE) return undefined;
  const classic = readRfc3164(text, at + 4);
  if (!classic || classic.civil.year !== undefined || text.charCodeAt(classic.end) !== SPACE) return undefined;
  const year = readDigits(text, classic.end + 1, 4);
  if (year < 1970) return undefined;
  const after = text.charCodeAt(classic.end + 5);
  if (!(Number.isNaN(after) || after === SPACE)) return undefined;
  classic.civil.year = year;
  return { civil: classic.civil, end: classic.end + 5 };
}

/** BIND's log file stamp, `25-Jan-2013 13:09:08.048` (local time, no zone). */
export function readDayMonthYear(text: string, at: number): StampMatch | undefined {
  return readDaySeparatedClock(text, at, DASH, SPACE);
}
