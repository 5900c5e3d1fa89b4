/**
 * The shapes of values masking recognises, tested on a range of a message (its code units, from `start`
 * to `end`) with character codes only: a piece is classified without being cut out of its line,
 * so a message that is mostly seen before costs no substring per token.
 */

/** A piece's characters looked at; a longer piece is a value (`<STR>`). */
export const MAX_TOKEN = 256;

const DURATION_UNITS = new Set(['ms', 's', 'sec', 'secs', 'us', 'µs', 'ns', 'm', 'min', 'mins', 'h', 'hr', 'hrs', 'd', 'day', 'days']);
const SIZE_UNITS = new Set(['k', 'K', 'M', 'G', 'T', 'kb', 'KB', 'kB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'TiB', 'B', 'b', 'bytes', '%', 'x', 'Hz', 'kHz', 'MHz', 'GHz', 'Mbps', 'Gbps', 'C']);
/**
 * Final labels that make two dotted words a host name (`mail.example.org`, `spam.shop`, not
 * `main.cf`): generic names common in mail logs and country codes that are no file extension
 * (`cf`, `cc`, `in`, `id`, `pl`, `sh`, `py`, `so`, `md`, `rs`, `js`, `ts`, `pm` are left out).
 */
const TOP_LEVEL = new Set([
  'com', 'net', 'org', 'edu', 'gov', 'mil', 'int', 'info', 'biz', 'io', 'arpa', 'local', 'lan', 'home', 'internal', 'localdomain', 'example', 'invalid', 'test',
  'shop', 'store', 'online', 'site', 'xyz', 'top', 'club', 'app', 'dev', 'cloud', 'tech', 'email', 'live', 'life', 'world', 'space', 'website', 'pro', 'mobi', 'asia', 'work', 'icu', 'vip', 'buzz', 'fun', 'monster', 'rest', 'bar', 'cyou', 'sbs', 'click',
  'de', 'uk', 'fr', 'nl', 'be', 'ch', 'at', 'it', 'es', 'pt', 'se', 'no', 'dk', 'fi', 'ie', 'cz', 'sk', 'hu', 'ro', 'bg', 'gr', 'ru', 'ua', 'by', 'kz', 'tr', 'il', 'ir', 'cn', 'jp', 'kr', 'tw', 'hk', 'sg', 'my', 'th', 'vn', 'ph', 'au', 'nz', 'za', 'ng', 'ke', 'eg', 'br', 'ar', 'cl', 'co', 'mx', 'pe', 've', 'ca', 'us', 'eu', 'lt', 'lv', 'ee', 'si', 'hr', 'ba', 'me', 'tv', 'ws', 'su',
]);

/** The longest name in `TOP_LEVEL` and in the unit sets: a longer label or suffix is none of them. */
const LONGEST_TOP_LEVEL = Math.max(...[...TOP_LEVEL].map((name) => name.length));
const LONGEST_UNIT = Math.max(...[...DURATION_UNITS, ...SIZE_UNITS].map((unit) => unit.length));

/** The characters of `codes` from `start` to `end` as a string (a short range: a label, a unit). */
function stringOf(codes: Uint16Array, start: number, end: number): string {
  return String.fromCharCode.apply(null, codes.subarray(start, end) as unknown as number[]);
}

export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHexCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}
function isLetterCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
function isAlnumCode(c: number): boolean {
  return isDigitCode(c) || isLetterCode(c);
}

/** Where `code` first occurs in `codes` from `start` to `end`, or -1. */
function indexIn(codes: Uint16Array, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (codes[i] === code) return i;
  return -1;
}

/** Where `code` last occurs in `codes` from `start` to `end`, or -1. */
function lastIndexIn(codes: Uint16Array, code: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (codes[i] === code) return i;
  return -1;
}

/** Whether `codes` hold `://` from `start` to `end`. */
function hasScheme(codes: Uint16Array, start: number, end: number): boolean {
  for (let i = start; i + 2 < end; i++) if (codes[i] === 58 && codes[i + 1] === 47 && codes[i + 2] === 47) return true;
  return false;
}

/** Whether the range is a dotted IPv4 address (each part 0-255). */
function isIPv4(codes: Uint16Array, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? codes[i] : 46;
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      value = 0;
      digits = 0;
    } else if (isDigitCode(c) && digits < 3) {
      value = value * 10 + c - 48;
      digits++;
    } else return false;
  }
  return parts === 4;
}

/** Whether the range is an IPv6 address (hex groups and colons, maybe an IPv4 tail or a `%zone`). */
function isIPv6(codes: Uint16Array, start: number, end: number): boolean {
  const zone = indexIn(codes, 37, start, end);
  const addressEnd = zone > start ? zone : end;
  let colons = 0;
  let run = 0;
  for (let i = start; i < addressEnd; i++) {
    const c = codes[i];
    if (c === 58) {
      colons++;
      run = 0;
    } else if (isHexCode(c)) {
      if (++run > 4) return false;
    } else if (c === 46) return colons >= 2 && isIPv4(codes, lastIndexIn(codes, 58, start, addressEnd) + 1, addressEnd);
    else return false;
  }
  return colons >= 2 && colons <= 7 && addressEnd - start >= 3;
}

/** Whether the range is `aa:bb:cc:dd:ee:ff` (or with dashes). */
function isMac(codes: Uint16Array, start: number): boolean {
  const sep = codes[start + 2];
  if (sep !== 58 && sep !== 45) return false;
  for (let i = 0; i < 17; i++) {
    const c = codes[start + i];
    if (i % 3 === 2 ? c !== sep : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether the 36 characters from `start` are `8-4-4-4-12` hex digits. */
function isUuid(codes: Uint16Array, start: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = codes[start + i];
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether the range is an exim message id, `1VxPit-000MMd-U4`. */
function isEximId(codes: Uint16Array, start: number, end: number): boolean {
  if (end - start !== 16 || codes[start + 6] !== 45 || codes[start + 13] !== 45) return false;
  for (let i = 0; i < 16; i++) if (i !== 6 && i !== 13 && !isAlnumCode(codes[start + i])) return false;
  return true;
}

/** Whether the range is a host name: dotted labels, three or more, or two ending in a known top-level name. */
function isHostName(codes: Uint16Array, start: number, end: number): boolean {
  let labels = 1;
  let labelStart = start;
  let camel = false;
  let lower = false;
  for (let i = start; i < end; i++) {
    const c = codes[i];
    if (c === 46) {
      if (i === labelStart) return false;
      labels++;
      labelStart = i + 1;
    } else if (c >= 65 && c <= 90) camel ||= lower;
    else if (c >= 97 && c <= 122) lower = true;
    else if (!(isDigitCode(c) || c === 45 || c === 95)) return false;
  }
  if (labels < 2 || labelStart === end) return false;
  // Java and Objective-C names (`dfs.DataNode`, `com.apple.Foo`) mix cases inside a label.
  if (camel) return false;
  for (let i = labelStart; i < end; i++) if (!isLetterCode(codes[i])) return false;
  return labels >= 3 || end - labelStart <= LONGEST_TOP_LEVEL && TOP_LEVEL.has(stringOf(codes, labelStart, end).toLowerCase());
}

/** A number with a unit glued on (`250ms`, `4.5s`, `512MB`), or undefined. */
function unitNumber(codes: Uint16Array, start: number, end: number): string | undefined {
  let i = start;
  if (codes[start] === 45 || codes[start] === 43) i++;
  const first = i;
  while (i < end && (isDigitCode(codes[i]) || codes[i] === 46)) i++;
  if (i === first || !isDigitCode(codes[first])) return undefined;
  if (i === end) return '<NUM>';
  if (end - i > LONGEST_UNIT) return undefined;
  const unit = stringOf(codes, i, end);
  if (DURATION_UNITS.has(unit)) return '<DUR>';
  if (SIZE_UNITS.has(unit)) return '<NUM>';
  return undefined;
}

/** What a piece made only of digits and `.:-/+,` is: a number, a time, a date or an address. */
function numericShape(codes: Uint16Array, start: number, end: number, colons: number, dashes: number, slashes: number, dots: number): string {
  if (dots === 3 && colons === 0 && isIPv4(codes, start, end)) return '<IP>';
  if (colons === 1 && dots === 3 && isIPv4(codes, start, indexIn(codes, 58, start, end))) return '<IP>';
  // Such a piece has no letters: an ISO stamp's `T` is looked for by the caller.
  if (dashes >= 2 || slashes >= 2) return '<DATE>';
  if (colons >= 1) return '<TIME>';
  return '<NUM>';
}

/**
 * What a character counts as when a piece is classified: one class per character, so a piece's
 * counts are one table read and one increment a character, gathered while masking copies it.
 */
export const CHAR_OTHER = 0;
const CHAR_DIGIT = 1;
const CHAR_LOWER_HEX = 2;
const CHAR_LOWER = 3;
const CHAR_UPPER_HEX = 4;
const CHAR_UPPER = 5;
/** `T` and `Z`, the letters of an ISO stamp. */
const CHAR_UPPER_STAMP = 6;
const CHAR_DOT = 7;
const CHAR_COLON = 8;
const CHAR_DASH = 9;
const CHAR_SLASH = 10;
export const CHAR_AT = 11;
/** `_`, `+` and `,`: neither a shape's punctuation nor another character. */
const CHAR_NEUTRAL = 12;
const CHAR_CLASSES = 13;

/** The class of every UTF-16 code unit (all but ASCII digits, letters and a few marks are `CHAR_OTHER`). */
export const CHAR_CLASS = (() => {
  const table = new Uint8Array(65536);
  for (let c = 48; c <= 57; c++) table[c] = CHAR_DIGIT;
  for (let c = 97; c <= 122; c++) table[c] = c <= 102 ? CHAR_LOWER_HEX : CHAR_LOWER;
  for (let c = 65; c <= 90; c++) table[c] = c <= 70 ? CHAR_UPPER_HEX : c === 84 || c === 90 ? CHAR_UPPER_STAMP : CHAR_UPPER;
  table[46] = CHAR_DOT;
  table[58] = CHAR_COLON;
  table[45] = CHAR_DASH;
  table[47] = CHAR_SLASH;
  table[64] = CHAR_AT;
  table[95] = table[43] = table[44] = CHAR_NEUTRAL;
  return table;
})();

/**
 * The counts of a piece's characters by class (`CHAR_CLASS`), and where its first `@` is (an
 * index into the text, -1 for none). Reused from piece to piece.
 */
export class PieceCounts {
  readonly byClass = new Int32Array(CHAR_CLASSES);
  firstAt = -1;

  clear(): void {
    // By hand: `fill` is a call into the runtime, dearer than 13 stores for a piece of a few characters.
    const byClass = this.byClass;
    for (let k = 0; k < CHAR_CLASSES; k++) byClass[k] = 0;
    this.firstAt = -1;
  }

  /** Takes the character `code` out of the counts (edge punctuation stripped from a piece; never `@`). */
  uncount(code: number): void {
    this.byClass[CHAR_CLASS[code]]--;
  }

  /** Whether the piece holds a digit. */
  get hasDigit(): boolean {
    return this.byClass[CHAR_DIGIT] > 0;
  }
}

/**
 * The placeholder for the piece of `codes` from `start` to `end` (not empty), or undefined when
 * it is a constant word. `counts` are the piece's characters counted by class, exactly those from
 * `start` to `end` (masking counts them while it copies them).
 */
export function classifyCounted(codes: Uint16Array, start: number, end: number, counts: PieceCounts): string | undefined {
  const length = end - start;
  if (length > MAX_TOKEN) return '<STR>';
  const n = counts.byClass;
  const digits = n[CHAR_DIGIT];
  const hexLetters = n[CHAR_LOWER_HEX] + n[CHAR_UPPER_HEX];
  const upper = n[CHAR_UPPER_HEX] + n[CHAR_UPPER] + n[CHAR_UPPER_STAMP];
  const letters = hexLetters + n[CHAR_LOWER] + n[CHAR_UPPER] + n[CHAR_UPPER_STAMP];
  const numericOther = letters - n[CHAR_UPPER_STAMP];
  const dots = n[CHAR_DOT];
  const colons = n[CHAR_COLON];
  const dashes = n[CHAR_DASH];
  const slashes = n[CHAR_SLASH];
  const others = n[CHAR_OTHER];
  const at = counts.firstAt < 0 ? -1 : counts.firstAt - start;
  const first = codes[start];
  if (first === 47 && length > 1) return '<PATH>';
  if (slashes > 0 && hasScheme(codes, start, end)) return '<URL>';
  if ((first === 126 || first === 46) && slashes > 0 && indexIn(codes, 47, start, end) - start <= 2) return '<PATH>';
  if (at > 0 && at < length - 1 && others === 0) return '<EMAIL>';
  if (digits === 0) {
    // A postfix queue id can draw only the letters A-F (one in some 18,000 ids of ten): still an id.
    if (length >= 8 && upper === length && hexLetters === length) return '<ID>';
    if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(codes, start, end)) return '<HOST>';
    if (colons >= 2 && isIPv6(codes, start, end)) return '<IP>';
    return undefined;
  }
  if (letters === 0 && others === 0 && at < 0) {
    if (isDigitCode(first) || ((first === 45 || first === 43) && length > 1)) return numericShape(codes, start, end, colons, dashes, slashes, dots);
    return undefined;
  }
  if (first === 48 && length > 2 && (codes[start + 1] === 120 || codes[start + 1] === 88)) {
    let hex = true;
    for (let i = start + 2; i < end && hex; i++) hex = isHexCode(codes[i]);
    if (hex) return '<HEX>';
  }
  if (length === 36 && isUuid(codes, start)) return '<UUID>';
  if (length === 17 && isMac(codes, start)) return '<MAC>';
  if (colons >= 2 && isIPv6(codes, start, end)) return '<IP>';
  // Only T and Z among the letters: an ISO stamp.
  if (numericOther === 0 && others === 0 && isDigitCode(first) && (colons > 0 || dashes > 0)) return '<DATE>';
  const unit = unitNumber(codes, start, end);
  if (unit) return unit;
  if (isEximId(codes, start, end)) return '<ID>';
  if (dots === 0 && colons === 0 && slashes === 0 && others === 0 && at < 0 && dashes === 0) {
    // Hex of eight or more digits (a hash, an inode, a postfix queue id in upper case).
    if (letters === hexLetters && length >= 6 && (length >= 8 || upper === letters)) return upper === letters ? '<ID>' : '<HEX>';
    // Letters and digits mixed over eight or more characters: a queue or session id.
    if (length >= 8) return '<ID>';
    return undefined;
  }
  if (colons === 1 && others === 0) {
    // host:port
    const split = lastIndexIn(codes, 58, start, end);
    let port = split < end - 1;
    for (let i = split + 1; i < end && port; i++) port = isDigitCode(codes[i]);
    if (port && isHostName(codes, start, split)) return '<HOST>:<NUM>';
  }
  if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(codes, start, end)) return '<HOST>';
  if (length >= 12 && others === 0 && colons === 0 && slashes === 0 && dots === 0 && digits >= 3) return '<ID>';
  return undefined;
}
