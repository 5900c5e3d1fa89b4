/**
 * The reference the product's masking is tested against: the straightforward way, each token cut
 * out of its message, each piece out of its token, classified as a string and joined back (what
 * the product did before it masked in place, `server/src/analysis/templates/mask.ts`). Kept in
 * the tests only; the product's masking must give exactly what this gives.
 *
 * Masking: a message cut into whitespace tokens, with the parts that vary from one occurrence of
 * a message to the next (numbers, addresses, ids, paths, quoted text, …) replaced by typed
 * placeholders, so the template miner compares messages by their constant words.
 *
 * Tokens are classified piece by piece: a token is cut at brackets, commas, semicolons and its
 * first `=`, and each piece, stripped of edge punctuation, is one value (`[192.0.2.7]:25` is
 * `[`, `192.0.2.7`, `]:`, `25`). Character tests, one pass per piece; no regex per token.
 */

/** The placeholders masking writes, and `<*>` for what the miner learns varies. */
export const PLACEHOLDERS = ['<*>', '<NUM>', '<HEX>', '<DUR>', '<TIME>', '<DATE>', '<IP>', '<MAC>', '<EMAIL>', '<HOST>', '<PATH>', '<URL>', '<STR>', '<ID>', '<UUID>'] as const;
/** One of `PLACEHOLDERS`. */
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The placeholder a template gets where its lines differ. */
export const WILDCARD = '<*>';

/** How far a double-quoted string may run over blanks before its closing quote. */
const MAX_QUOTED = 512;
/** Tokens a message is cut into at most; the rest is one last token (a huge line stays cheap). */
const MAX_TOKENS = 256;
/** Characters of a token looked at; a longer token is a value. */
const MAX_TOKEN = 256;

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

function isDigitCode(c: number): boolean {
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

/** Characters that cut a token into pieces. */
function isSplit(c: number): boolean {
  // [ ] ( ) < > { } , ; |
  return c === 91 || c === 93 || c === 40 || c === 41 || c === 60 || c === 62 || c === 123 || c === 125 || c === 44 || c === 59 || c === 124;
}
/** Punctuation stripped from the front of a piece before it is classified. */
function isLead(c: number): boolean {
  // : # $ ' " * + ! ~ is kept for paths
  return c === 58 || c === 35 || c === 36 || c === 39 || c === 34 || c === 42;
}
/** Punctuation stripped from the end of a piece before it is classified. */
function isTrail(c: number): boolean {
  // . : ! ? ' " *
  return c === 46 || c === 58 || c === 33 || c === 63 || c === 39 || c === 34 || c === 42;
}

/** Whether `text` is a dotted IPv4 address (each part 0-255). */
function isIPv4(text: string): boolean {
  let parts = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 46;
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

/** Whether `text` is an IPv6 address (hex groups and colons, maybe an IPv4 tail or a `%zone`). */
function isIPv6(text: string): boolean {
  const zone = text.indexOf('%');
  const address = zone > 0 ? text.slice(0, zone) : text;
  let colons = 0;
  let run = 0;
  for (let i = 0; i < address.length; i++) {
    const c = address.charCodeAt(i);
    if (c === 58) {
      colons++;
      run = 0;
    } else if (isHexCode(c)) {
      if (++run > 4) return false;
    } else if (c === 46) return colons >= 2 && isIPv4(address.slice(address.lastIndexOf(':') + 1));
    else return false;
  }
  return colons >= 2 && colons <= 7 && address.length >= 3;
}

/** Whether `text` is `aa:bb:cc:dd:ee:ff` (or with dashes). */
function isMac(text: string): boolean {
  if (text.length !== 17) return false;
  const sep = text.charCodeAt(2);
  if (sep !== 58 && sep !== 45) return false;
  for (let i = 0; i < 17; i++) {
    const c = text.charCodeAt(i);
    if (i % 3 === 2 ? c !== sep : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether `text` is `8-4-4-4-12` hex digits. */
function isUuid(text: string): boolean {
  if (text.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = text.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23 ? c !== 45 : !isHexCode(c)) return false;
  }
  return true;
}

/** Whether `text` is an exim message id, `1VxPit-000MMd-U4`. */
function isEximId(text: string): boolean {
  if (text.length !== 16 || text.charCodeAt(6) !== 45 || text.charCodeAt(13) !== 45) return false;
  for (let i = 0; i < 16; i++) if (i !== 6 && i !== 13 && !isAlnumCode(text.charCodeAt(i))) return false;
  return true;
}

/** Whether `text` is a host name: dotted labels, three or more, or two ending in a known top-level name. */
function isHostName(text: string): boolean {
  let labels = 1;
  let labelStart = 0;
  let camel = false;
  let lower = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      if (i === labelStart) return false;
      labels++;
      labelStart = i + 1;
    } else if (c >= 65 && c <= 90) camel ||= lower;
    else if (c >= 97 && c <= 122) lower = true;
    else if (!(isDigitCode(c) || c === 45 || c === 95)) return false;
  }
  if (labels < 2 || labelStart === text.length) return false;
  const last = text.slice(labelStart);
  // Java and Objective-C names (`dfs.DataNode`, `com.apple.Foo`) mix cases inside a label.
  if (camel) return false;
  for (let i = 0; i < last.length; i++) if (!isLetterCode(last.charCodeAt(i))) return false;
  return labels >= 3 || TOP_LEVEL.has(last.toLowerCase());
}

/** A number with a unit glued on (`250ms`, `4.5s`, `512MB`), or undefined. */
function unitNumber(text: string): Placeholder | undefined {
  let i = 0;
  if (text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43) i = 1;
  const start = i;
  while (i < text.length && (isDigitCode(text.charCodeAt(i)) || text.charCodeAt(i) === 46)) i++;
  if (i === start || !isDigitCode(text.charCodeAt(start))) return undefined;
  if (i === text.length) return '<NUM>';
  const unit = text.slice(i);
  if (DURATION_UNITS.has(unit)) return '<DUR>';
  if (SIZE_UNITS.has(unit)) return '<NUM>';
  return undefined;
}

/** What a piece made only of digits and `.:-/+TZ,` is: a number, a version, a time, a date or an address. */
function numericShape(text: string, colons: number, dashes: number, slashes: number, dots: number): Placeholder {
  if (dots === 3 && colons === 0 && isIPv4(text)) return '<IP>';
  if (colons === 1 && dots === 3) {
    const at = text.indexOf(':');
    if (isIPv4(text.slice(0, at))) return '<IP>';
  }
  if (dashes >= 2 || slashes >= 2 || text.includes('T')) return '<DATE>';
  if (colons >= 1) return '<TIME>';
  return '<NUM>';
}

/** The placeholder for one piece, or the piece itself when it is a constant word. */
export function classifyPiece(text: string): string {
  const length = text.length;
  if (length === 0) return text;
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
  for (let i = 0; i < length; i++) {
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
    else if (c === 64) at = at < 0 ? i : at;
    else if (c !== 95 && c !== 43 && c !== 44) others++;
  }
  const first = text.charCodeAt(0);
  if (first === 47 && length > 1) return '<PATH>';
  if (slashes > 0 && text.includes('://')) return '<URL>';
  if ((first === 126 || first === 46) && slashes > 0 && text.indexOf('/') <= 2) return '<PATH>';
  if (at > 0 && at < length - 1 && others === 0) return '<EMAIL>';
  if (digits === 0) {
    // A postfix queue id can draw only the letters A-F (one in some 18,000 ids of ten): still an id.
    if (length >= 8 && upper === length && hexLetters === length) return '<ID>';
    if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(text)) return '<HOST>';
    if (colons >= 2 && isIPv6(text)) return '<IP>';
    return text;
  }
  if (letters === 0 && others === 0 && at < 0) {
    if (isDigitCode(first) || ((first === 45 || first === 43) && length > 1)) return numericShape(text, colons, dashes, slashes, dots);
    return text;
  }
  if (first === 48 && (text.charCodeAt(1) === 120 || text.charCodeAt(1) === 88) && length > 2) {
    let hex = true;
    for (let i = 2; i < length && hex; i++) hex = isHexCode(text.charCodeAt(i));
    if (hex) return '<HEX>';
  }
  if (length === 36 && isUuid(text)) return '<UUID>';
  if (length === 17 && isMac(text)) return '<MAC>';
  if (colons >= 2 && isIPv6(text)) return '<IP>';
  // Only T and Z among the letters: an ISO stamp.
  if (numericOther === 0 && others === 0 && isDigitCode(first) && (colons > 0 || dashes > 0)) return '<DATE>';
  const unit = unitNumber(text);
  if (unit) return unit;
  if (isEximId(text)) return '<ID>';
  if (dots === 0 && colons === 0 && slashes === 0 && others === 0 && at < 0 && dashes === 0) {
    // Hex of eight or more digits (a hash, an inode, a postfix queue id in upper case).
    if (letters === hexLetters && length >= 6 && (length >= 8 || upper === letters)) return upper === letters ? '<ID>' : '<HEX>';
    // Letters and digits mixed over eight or more characters: a queue or session id.
    if (length >= 8) return '<ID>';
    return text;
  }
  if (colons === 1 && others === 0) {
    // host:port
    const split = text.lastIndexOf(':');
    let port = split < length - 1;
    for (let i = split + 1; i < length && port; i++) port = isDigitCode(text.charCodeAt(i));
    if (port && isHostName(text.slice(0, split))) return '<HOST>:<NUM>';
  }
  if (dots > 0 && others === 0 && at < 0 && slashes === 0 && colons === 0 && isHostName(text)) return '<HOST>';
  if (length >= 12 && others === 0 && colons === 0 && slashes === 0 && dots === 0 && digits >= 3) return '<ID>';
  return text;
}

/** Masks one piece: edge punctuation kept, the rest classified. `value` marks the right side of `key=`. */
function maskPiece(token: string, start: number, end: number, value: boolean): string {
  let from = start;
  let to = end;
  while (from < to && isLead(token.charCodeAt(from))) from++;
  while (to > from && isTrail(token.charCodeAt(to - 1))) to--;
  if (from === to) return token.slice(start, end);
  const core = token.slice(from, to);
  let masked = classifyPiece(core);
  // A value after `key=` that holds a digit is a variable even when it is no known shape.
  if (value && masked === core) {
    for (let i = 0; i < core.length; i++) {
      if (isDigitCode(core.charCodeAt(i))) {
        masked = WILDCARD;
        break;
      }
    }
  }
  return from === start && to === end ? masked : token.slice(start, from) + masked + token.slice(to, end);
}

/**
 * Whether a token is letters only and no id (most tokens are words): it is its own mask, with no
 * piece to cut or classify.
 */
function isPlainLetters(token: string): boolean {
  const length = token.length;
  if (length === 0 || length > MAX_TOKEN) return false;
  let upperHex = 0;
  for (let i = 0; i < length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 97 && c <= 122) continue;
    if (c >= 65 && c <= 90) {
      if (c <= 70) upperHex++;
      continue;
    }
    return false;
  }
  return !(length >= 8 && upperHex === length);
}

/** Masks one whitespace token (which may hold a quoted string with blanks in it). */
export function maskToken(token: string): string {
  if (isPlainLetters(token)) return token;
  let out = '';
  let pieceStart = 0;
  let value = false;
  let sawEquals = false;
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 34 && i === pieceStart) {
      const close = token.indexOf('"', i + 1);
      if (close > 0) {
        out += '"<STR>"';
        pieceStart = close + 1;
        i = close;
        continue;
      }
    }
    if (isSplit(c) || (c === 61 && !sawEquals)) {
      if (i > pieceStart) out += maskPiece(token, pieceStart, i, value);
      out += token[i];
      pieceStart = i + 1;
      if (c === 61) {
        sawEquals = true;
        value = true;
      }
    }
  }
  if (pieceStart < token.length) out += maskPiece(token, pieceStart, token.length, value);
  return out;
}

/** Whether `code` separates tokens. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 13;
}

/**
 * Cuts a message into whitespace tokens, a double-quoted string with blanks in it staying one
 * token, and masks each. Never throws; an empty message gives no tokens.
 */
export function maskMessage(message: string): string[] {
  const tokens: string[] = [];
  const length = message.length;
  let i = 0;
  while (i < length) {
    while (i < length && isBlank(message.charCodeAt(i))) i++;
    if (i >= length) break;
    const start = i;
    if (tokens.length === MAX_TOKENS - 1) {
      tokens.push('<STR>');
      break;
    }
    while (i < length && !isBlank(message.charCodeAt(i))) {
      // A quote opening a token (or a `key=` value) runs to its closing quote, blanks and all.
      if (message.charCodeAt(i) === 34 && (i === start || message.charCodeAt(i - 1) === 61)) {
        const close = message.indexOf('"', i + 1);
        if (close > i && close - i <= MAX_QUOTED) {
          i = close + 1;
          continue;
        }
      }
      i++;
    }
    tokens.push(maskToken(message.slice(start, i)));
  }
  return tokens;
}

/** Whether a template token is a placeholder (`<*>`, `<IP>`, …) rather than a constant word. */
export function isPlaceholder(token: string): boolean {
  return token.length >= 3 && token.charCodeAt(0) === 60 && token.charCodeAt(token.length - 1) === 62 && (PLACEHOLDERS as readonly string[]).includes(token);
}

/** Whether a template token holds a placeholder anywhere (`[<IP>]:`, `uid=<NUM>`). */
export function hasPlaceholder(token: string): boolean {
  return token.includes('<') && (token.includes('<*>') || /<[A-Z]+>/.test(token));
}

/**
 * A syslog tag as the miner keys programs: lower case, without its pid or a trailing colon
 * (`postfix/smtpd[123]:` → `postfix/smtpd`). Undefined or empty gives `''`.
 */
export function normaliseProgram(tag: string | undefined): string {
  if (!tag) return '';
  let end = tag.length;
  while (end > 0 && (tag.charCodeAt(end - 1) === 58 || tag.charCodeAt(end - 1) === 32)) end--;
  if (end > 0 && tag.charCodeAt(end - 1) === 93) {
    const open = tag.lastIndexOf('[', end);
    if (open > 0) end = open;
  }
  return tag.slice(0, end).trim().toLowerCase();
}
