/**
 * The shapes of values masking recognises, tested on a range of a message (`text`, from `start`
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

/** Where `code` first occurs in `text` from `start` to `end`, or -1. */
function indexIn(text: string, code: number, start: number, end: number): number {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Where `code` last occurs in `text` from `start` to `end`, or -1. */
function lastIndexIn(text: string, code: number, start: number, end: number): number {
  for (let i = end - 1; i >= start; i--) if (text.charCodeAt(i) === code) return i;
  return -1;
}

/** Whether `text` holds `://` from `start` to `end`. */
function hasScheme(text: string, start: number, end: number): boolean {
  for (let i = start; i + 2 < end; i++) if (text.charCodeAt(i) === 58 && text.charCodeAt(i + 1) === 47 && text.charCodeAt(i + 2) === 47) return true;
  return false;
}

/** Whether the range is a dotted IPv4 address (each part 0-255). */
function isIPv4(text: string, start: number, end: number): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i <= end; i++) {
    const c = i < end ? text.charCodeAt(i) : 46;
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
function isIPv6(text: string, start: number, end: number): boolean {
  const zone = indexIn(text, 37, start, end);
  const addressEnd = zone > start ? zone : end;
  let colons = 0;
  let run = 0;
  for (let i = start; i < addressEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) {
      colons++;
      run = 0;
    } else if (isHexCode(c)) {
      if (++run > 4) return false;
    } else if (c === 46) return colons >= 2 && isIPv4(text, lastIndexIn(text, 58, start, addressEnd) + 1, addressEnd);
    else return false;
  }
  return colons >= 2 && colons <= 7 && addressEnd - start >= 3;
}

/** Whether the range is `aa:bb:cc:dd:ee:ff` (or with dashes). */
function isMac(text: string, start: number): boolean {
  const sep = text.charCodeAt(start + 2);
  if (sep !== 58 && sep !== 45) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(start + i);
    if (i % 3 === 2 ? c !== sep : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether the 36 characters from `start` are `8-4-4-4-12` hex digits. */
function isUuid(text: string, start: number): boolean {
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(start + i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether the range is an exim message id, `1VxPit-000MMd-U4`. */
function isEximId(text: string, start: number, end: number): boolean {
  if (end - start !== 16 || text.charCodeAt(start + 6) !== 45 || text.charCodeAt(start + 13) !== 45) return false;
  for (let i = 0; i < 16; i++) if (i !== 6 && i !== 13 && !isAlnumCode(text.charCodeAt(start + i))) return false;
  return true;
}

/** Whether the range is a host name: dotted labels, three or more, or two ending in a known top-level name. */
function isHostName(text: string, start: number, end: number): boolean {
  let labels = 1;
  let labelStart = start;
  let camel = false;
  let lower = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
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
  for (let i = labelStart; i < end; i++) if (!isLetterCode(text.charCodeAt(i))) return false;
  return labels >= 3 || TOP_LEVEL.has(text.slice(labelStart, end).toLowerCase());
}

/** A number with a unit glued on (`250ms`, `4.5s`, `512MB`), or undefined. */
function unitNumber(text: string, start: number, end: number): string | undefined {
  let i = start;
  if (text.charCodeAt(start) === 45 || text.charCodeAt(start) === 43) i++;
  const first = i;
  while (i < end && (isDigitCode(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
  if (i === first || !isDigitCode(text.charCodeAt(first))) return undefined;
  if (i === end) return '<NUM>';
  const unit = text.slice(i, end);
  if (DURATION_UNITS.has(unit)) return '<DUR>';
  if (SIZE_UNITS.has(unit)) return '<NUM>';
  return undefined;
}

/** What a piece made only of digits and `.:-/+,` is: a number, a time, a date or an address. */
function numericShape(text: string, start: number, end: number, colons: number, dashes: number, slashes: number, dots: number): string {
  if (dots === 3 && colons === 0 && isIPv4(text, start, end)) return '<IP>';
  if (colons === 1 && dots === 3 && isIPv4(text, start, indexIn(text, 58, start, end))) return '<IP>';
  // Such a piece has no letters: an ISO stamp's `T` is looked for by the caller.
  if (dashes >= 2 || slashes >= 2) return '<DATE>';
  if (colons >= 1) return '<TIME>';
  return '<NUM>';
}

/**
 * The placeholder for the piece of `text` from `start` to `end` (not empty), or undefined when
 * it is a constant word.
 */
export function classifyRange(text: string, start: number, end: number): string | undefined {
  const length = end - start;
  if (length > MAX_TOKEN) return '<STR>';
  let digits = 0;
  let letters = 0;
  let hexLetters = 0;
  let upper = 0;
  let dots = 0;
  let colons = 0;
  let dashes = 0;
  let slashes = 0;
  let at = -1;
  let others = 0;
  let numericOther = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (isDigitCode(c)) digits++;
    else if (isLetterCode(c)) {
      letters++;
      if (isHexCode(c)) hexLetters++;
      if (c <= 90) upper++;
      if (c !== 84 && c !== 90) numericOther++;
    } else if (c === 46) dots++;
    else if (c === 58) colons++;
    else if (c === 45) dashes++;
    else if (c === 47) slashes++;
    else if (c === 64) at = at < 0 ? i - start : at;
    else if (c !== 95 && c !== 43 && c !== 44) others++;
  }
  const first = text.charCodeAt(start);
  if (first === 47 && length > 1) return '<PATH>';
  if (slashes > 0 && hasScheme(text, start, end)) return '<URL>';
  if ((first === 126 || first === 46) && slashes > 0 && indexIn(text, 47, start, end) - start <= 2) return '<PATH>';
  if (at > 0 && at < length - 1 && others === 0) return '<EMAIL>';
  if (digits === 0) {
    // A postfix queue id can draw only the letters A-F (one in some 18,000 ids of ten): still an id.
    if (length >= 8 && upper === length && hexLetters === length) return '<ID>';
    if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(text, start, end)) return '<HOST>';
    if (colons >= 2 && isIPv6(text, start, end)) return '<IP>';
    return undefined;
  }
  if (letters === 0 && others === 0 && at < 0) {
    if (isDigitCode(first) || ((first === 45 || first === 43) && length > 1)) return numericShape(text, start, end, colons, dashes, slashes, dots);
    return undefined;
  }
  if (first === 48 && length > 2 && (text.charCodeAt(start + 1) === 120 || text.charCodeAt(start + 1) === 88)) {
    let hex = true;
    for (let i = start + 2; i < end && hex; i++) hex = isHexCode(text.charCodeAt(i));
    if (hex) return '<HEX>';
  }
  if (length === 36 && isUuid(text, start)) return '<UUID>';
  if (length === 17 && isMac(text, start)) return '<MAC>';
  if (colons >= 2 && isIPv6(text, start, end)) return '<IP>';
  // Only T and Z among the letters: an ISO stamp.
  if (numericOther === 0 && others === 0 && isDigitCode(first) && (colons > 0 || dashes > 0)) return '<DATE>';
  const unit = unitNumber(text, start, end);
  if (unit) return unit;
  if (isEximId(text, start, end)) return '<ID>';
  if (dots === 0 && colons === 0 && slashes === 0 && others === 0 && at < 0 && dashes === 0) {
    // Hex of eight or more digits (a hash, an inode, a postfix queue id in upper case).
    if (letters === hexLetters && length >= 6 && (length >= 8 || upper === letters)) return upper === letters ? '<ID>' : '<HEX>';
    // Letters and digits mixed over eight or more characters: a queue or session id.
    if (length >= 8) return '<ID>';
    return undefined;
  }
  if (colons === 1 && others === 0) {
    // host:port
    const split = lastIndexIn(text, 58, start, end);
    let port = split < end - 1;
    for (let i = split + 1; i < end && port; i++) port = isDigitCode(text.charCodeAt(i));
    if (port && isHostName(text, start, split)) return '<HOST>:<NUM>';
  }
  if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(text, start, end)) return '<HOST>';
  if (length >= 12 && others === 0 && colons === 0 && slashes === 0 && dots === 0 && digits >= 3) return '<ID>';
  return undefined;
}
