import { LineFieldsView } from '../parse/lineTable';
import { extractKeys } from '../identity/keys';
import { isEximId, isPostfixLongQueueId, isSendmailQueueId } from '../identity/tokens';

/** A day of the calendar (month 1-12). */
export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** What a line's message can hold that names a full date. */
export type ClueKind = 'sendmail queue id' | 'postfix queue id' | 'exim id' | 'message-id' | 'date in a message';

/** A full date read from a line's message, and the token it was read from. */
export interface DatedClue extends CalendarDate {
  kind: ClueKind;
  token: string;
}

/** Years a decoded date may fall in: older or later ones are misreadings, not mail of that year. */
const FIRST_YEAR = 1990;
const LAST_YEAR = 2099;
const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const YEAR = '((?:19|20)\\d\\d)';
// The embedded date forms, each read into (year, month, day) by its position in the match.
// Dates may be glued to what stands before them (`\011Wed Mar 10 ...` in an escaped Windows
// event), so each form is only kept from being the tail of a longer word or number.
const ISO_DATE = new RegExp(`(?<![\\d.])${YEAR}-(\\d\\d)-(\\d\\d)(?!\\d)`, 'g');
const RFC2822_DATE = new RegExp(`(?<![A-Za-z\\d])(?:${WEEKDAY}, )?(\\d{1,2}) ${MONTH} ${YEAR}(?!\\d)`, 'g');
const CTIME_DATE = new RegExp(`(?<![A-Za-z])${WEEKDAY} ${MONTH} {1,2}(\\d{1,2}) \\d\\d:\\d\\d:\\d\\d (?:[A-Z]{1,5} )?${YEAR}(?!\\d)`, 'g');
const DASHED_DATE = new RegExp(`(?<!\\d)(\\d{1,2})([-/])${MONTH}\\2${YEAR}(?!\\d)`, 'g');
const WORDY_DATE = new RegExp(`(?<![A-Za-z])${MONTH}[a-z]{0,6}\\.? {1,2}(\\d{1,2}),? ${YEAR}(?!\\d)`, 'g');
const KERNEL_VERSION = 'Linux version ';
const MESSAGE_ID_HEADER = /\bMessage-ID: ?<([^<>\s]{3,250})>/gi;

/** sendmail's base-60 queue id alphabet, exim's base 62, postfix's vowel-free base 52. */
const BASE60 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE52 = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';

/** The date when it exists (no 31 April) and lies in the years a log can come from. */
function calendarDate(year: number, month: number, day: number): CalendarDate | undefined {
  if (!Number.isInteger(year) || year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? { year, month, day } : undefined;
}

/** The UTC date of an instant in seconds, when it lies in the years a log can come from. */
function dateOfSeconds(seconds: number): CalendarDate | undefined {
  if (!Number.isFinite(seconds)) return undefined;
  const date = new Date(seconds * 1000);
  return calendarDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

function digitsValue(s: string, from: number, to: number): number {
  let value = 0;
  for (let i = from; i < to; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return NaN;
    value = value * 10 + digit;
  }
  return value;
}

function baseValue(s: string, alphabet: string): number {
  let value = 0;
  for (const char of s) {
    const digit = alphabet.indexOf(char);
    if (digit < 0) return NaN;
    value = value * alphabet.length + digit;
  }
  return value;
}

/**
 * The UTC day a sendmail (8.10 and later) queue id was made on. Its first six chars are the
 * year since 1900 modulo 60, the month from 0, the day, hour, minute and second, each one char of
 * `0-9A-Za-x`; the year is read in 2000-2059, the sixty years since sendmail began writing it.
 */
export function sendmailQueueIdDate(id: string): CalendarDate | undefined {
  if (!isSendmailQueueId(id)) return undefined;
  const cycle = BASE60.indexOf(id[0]);
  const year = cycle >= 40 ? 1960 + cycle : 2020 + cycle;
  return calendarDate(year, BASE60.indexOf(id[1]) + 1, BASE60.indexOf(id[2]));
}

/** The UTC day an exim message id (`1cNc9F-0000zy-9N`) was made on: its first six chars are the epoch seconds in base 62. */
export function eximIdDate(id: string): CalendarDate | undefined {
  return isEximId(id) ? dateOfSeconds(baseValue(id.slice(0, 6), BASE62)) : undefined;
}

/**
 * The UTC day a postfix long queue id (`4PbM2t5z8Hz3tBr`) was made on: the chars before its last
 * `z`, less the four of microseconds, are the epoch seconds in postfix's vowel-free base 52.
 */
export function postfixQueueIdDate(id: string): CalendarDate | undefined {
  if (!isPostfixLongQueueId(id)) return undefined;
  return dateOfSeconds(baseValue(id.slice(0, id.lastIndexOf('z') - 4), BASE52));
}

function localPart(messageId: string): string {
  const at = messageId.indexOf('@');
  return at > 0 ? messageId.slice(0, at) : messageId;
}

/** The exim message id inside a message-id exim made (`E1cNc9F-0000zy-9N@host`), if it is one. */
function eximMessageId(messageId: string): string | undefined {
  const local = localPart(messageId);
  return local.length > 1 && local[0] === 'E' && isEximId(local.slice(1)) ? local.slice(1) : undefined;
}

/**
 * The UTC day a message-id names, in the forms mail programs write: a stamp `YYYYMMDDhhmm[ss]`
 * first (postfix, mutt, sendmail's `<$t.$i@$j>`, behind up to four letters), exim's `E` and
 * its message id, or epoch seconds or milliseconds as one dotted part (JavaMail and the like).
 */
export function messageIdDate(value: string): CalendarDate | undefined {
  const local = localPart(value);
  const exim = eximMessageId(value);
  if (exim) return eximIdDate(exim);
  let start = 0;
  while (start < local.length && start < 4 && /[A-Za-z]/.test(local[start])) start++;
  let end = start;
  while (end < local.length && local.charCodeAt(end) >= 48 && local.charCodeAt(end) <= 57) end++;
  if (end - start === 12 || end - start === 14) {
    const hour = digitsValue(local, start + 8, start + 10);
    const minute = digitsValue(local, start + 10, start + 12);
    if (hour <= 23 && minute <= 59) return calendarDate(digitsValue(local, start, start + 4), digitsValue(local, start + 4, start + 6), digitsValue(local, start + 6, start + 8));
  }
  for (const part of local.split(/[._-]/)) {
    if (!/^\d+$/.test(part) || (part.length !== 10 && part.length !== 13)) continue;
    const seconds = part.length === 13 ? Number(part) / 1000 : Number(part);
    const date = dateOfSeconds(seconds);
    if (date && date.year >= 2000) return date;
  }
  return undefined;
}

/** The full dates written out in a text: ISO `2011-03-14`, `Mon, 14 Mar 2011`, ctime, `14-Mar-2011`, `March 14, 2011`. */
export function embeddedDates(text: string): { date: CalendarDate; written: string }[] {
  const found: { date: CalendarDate; written: string; at: number }[] = [];
  const month = (name: string): number => MONTHS.indexOf(name) + 1;
  const read = (pattern: RegExp, parts: (m: RegExpExecArray) => [number, number, number]): void => {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const date = calendarDate(...parts(m));
      if (date && !found.some((other) => m.index < other.at + other.written.length && other.at < m.index + m[0].length)) found.push({ date, written: m[0], at: m.index });
    }
  };
  read(CTIME_DATE, (m) => [Number(m[3]), month(m[1]), Number(m[2])]);
  read(ISO_DATE, (m) => [Number(m[1]), Number(m[2]), Number(m[3])]);
  read(RFC2822_DATE, (m) => [Number(m[3]), month(m[2]), Number(m[1])]);
  read(DASHED_DATE, (m) => [Number(m[4]), month(m[3]), Number(m[1])]);
  read(WORDY_DATE, (m) => [Number(m[3]), month(m[1]), Number(m[2])]);
  return found.map(({ date, written }) => ({ date, written }));
}

/**
 * The build date a kernel's `Linux version ... #1 SMP Tue Mar 1 12:00:00 UTC 2011` (or Debian's
 * `(2023-01-21)`) line gives: the kernel booted after it, so it bounds the line's date from below.
 */
export function kernelBuildDate(message: string): CalendarDate | undefined {
  const at = message.indexOf(KERNEL_VERSION);
  if (at < 0) return undefined;
  const build = message.indexOf(' #', at + KERNEL_VERSION.length);
  if (build < 0) return undefined;
  return embeddedDates(message.slice(build))[0]?.date;
}

/**
 * The dated tokens of one line's message: queue ids (sendmail, postfix long ids, exim) and
 * message-ids where the identity scanner finds them, message-ids echoed as a `Message-ID:`
 * header, and dates written out. A kernel's version line only bounds the date (`kernelBuildDate`).
 */
export function datedClues(text: string, line: LineFieldsView): DatedClue[] {
  const clues: DatedClue[] = [];
  const postfix = line.program !== undefined && text.startsWith('postfix', line.program.start);
  const add = (kind: ClueKind, token: string, date: CalendarDate | undefined): void => {
    if (date) clues.push({ kind, token, ...date });
  };
  for (const key of extractKeys(text, line)) {
    if (key.kind === 'message-id') add(eximMessageId(key.value) ? 'exim id' : 'message-id', key.value, messageIdDate(key.value));
    if (key.kind !== 'queue-id') continue;
    const nextHop = text.slice(Math.max(0, key.start - 10), key.start) === 'queued as ';
    if (isPostfixLongQueueId(key.value)) add('postfix queue id', key.value, postfixQueueIdDate(key.value));
    else if (isEximId(key.value)) add('exim id', key.value, eximIdDate(key.value));
    else if (!postfix && !nextHop) add('sendmail queue id', key.value, sendmailQueueIdDate(key.value));
  }
  const message = text.slice(Math.max(0, line.message.start), Math.max(0, line.message.end));
  MESSAGE_ID_HEADER.lastIndex = 0;
  for (let m = MESSAGE_ID_HEADER.exec(message); m; m = MESSAGE_ID_HEADER.exec(message)) {
    const id = m[1];
    if (!clues.some((clue) => clue.token === id)) add(eximMessageId(id) ? 'exim id' : 'message-id', id, messageIdDate(id));
  }
  if (message.includes(KERNEL_VERSION)) return clues;
  // Message-ids are read above; a date inside one is not read a second time as written text.
  const bare = message.replace(/<[^<>\s]*@[^<>\s]*>/g, ' ');
  // A date written on many lines counts on each: unlike an id, each line wrote it anew.
  for (const { date, written } of embeddedDates(bare)) clues.push({ kind: 'date in a message', token: `${written}@${line.line}`, ...date });
  return clues;
}

/** How well a clue's date fits the line it was found on: the line's own year, or nothing. */
export interface ClueFit {
  /** The year of the line (not of the clue: a clue of 31 December fits a 1 January line of the year after). */
  year: number;
  /** `strong`: the same day, give or take the zone; `weak`: up to a week before the line (a message queued, then retried). */
  strength: 'strong' | 'weak';
}

/** How many days after a clue's date its line may be and still have the clue count, weakly. */
export const WEAK_DAYS = 7;

/**
 * Whether a dated clue fits a line stamped `month`/`day` without a year, and which year that makes
 * the line. Ids are stamped in UTC, so a day either side counts as the same day; a line may come
 * some days after its message was made; a date further off is about something else.
 */
export function fitClue(clue: CalendarDate, month: number, day: number): ClueFit | undefined {
  const clueDay = Date.UTC(clue.year, clue.month - 1, clue.day) / DAY_MS;
  let best: { year: number; delta: number } | undefined;
  for (const year of [clue.year - 1, clue.year, clue.year + 1]) {
    // A 29 February only exists in a leap year: no year without one fits it.
    if (month === 2 && day === 29 && !calendarDate(year, 2, 29)) continue;
    const delta = Date.UTC(year, month - 1, day) / DAY_MS - clueDay;
    if (!best || Math.abs(delta) < Math.abs(best.delta)) best = { year, delta };
  }
  if (!best) return undefined;
  if (Math.abs(best.delta) <= 1) return { year: best.year, strength: 'strong' };
  if (best.delta > 1 && best.delta <= WEAK_DAYS) return { year: best.year, strength: 'weak' };
  return undefined;
}
