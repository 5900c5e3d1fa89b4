/** Character-code helpers for the hand-written parsers (faster than a regex per line). */

export const SPACE = 32;
export const TAB = 9;
export const COLON = 58;
export const LBRACKET = 91;
export const RBRACKET = 93;
export const LT = 60;
export const GT = 62;
export const DOT = 46;
export const COMMA = 44;
export const DASH = 45;
export const PLUS = 43;
export const SLASH = 47;

/** Whether `code` is an ASCII digit. */
export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Reads `count` digits at `at`; returns -1 when any of them is not a digit. */
export function readDigits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = 0; i < count; i++) {
    const code = text.charCodeAt(at + i);
    // Past the end of the text charCodeAt gives NaN, which no comparison rejects: test for digits.
    if (!(code >= 48 && code <= 57)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Reads a three-letter English month abbreviation at `at` (any case); returns 1-12, or 0. */
export function readMonth(text: string, at: number): number {
  if (at + 3 > text.length) return 0;
  const word = text.substr(at, 3).toLowerCase();
  const index = MONTHS.indexOf(word);
  return index + 1;
}

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Reads a three-letter English weekday abbreviation at `at` (any case); returns 1-7, or 0. */
export function readWeekday(text: string, at: number): number {
  if (at + 3 > text.length) return 0;
  return WEEKDAYS.indexOf(text.substr(at, 3).toLowerCase()) + 1;
}

/** Skips spaces and tabs from `at`; returns the first offset that is neither. */
export function skipBlanks(text: string, at: number): number {
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code !== SPACE && code !== TAB) break;
    at++;
  }
  return at;
}
