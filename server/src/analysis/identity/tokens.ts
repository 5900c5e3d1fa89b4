/**
 * Validators and normalisers for the tokens identity keys are made of. Each is a plain loop over
 * char codes: they run on every candidate of every line, so they never backtrack.
 */

function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isHexUpperCode(code: number): boolean {
  return isDigitCode(code) || (code >= 65 && code <= 70);
}

function isAlnumCode(code: number): boolean {
  return isDigitCode(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** sendmail's base-60 alphabet (`0-9A-Za-x`): the value of a char, or -1. */
function base60(code: number): number {
  if (isDigitCode(code)) return code - 48;
  if (code >= 65 && code <= 90) return code - 55;
  if (code >= 97 && code <= 120) return code - 61;
  return -1;
}

/**
 * Whether `s` is a sendmail queue id: `YMDhms` in base 60 (month 0-11, day 1-31, hour 0-23), one
 * or two sequence chars, then the pid in at least five digits (`oA8H048F012220`). The calendar
 * checks are what keep ordinary words out.
 */
export function isSendmailQueueId(s: string): boolean {
  const n = s.length;
  if (n < 12 || n > 16) return false;
  if (base60(s.charCodeAt(0)) < 0) return false;
  const month = base60(s.charCodeAt(1));
  const day = base60(s.charCodeAt(2));
  const hour = base60(s.charCodeAt(3));
  if (month < 0 || month > 11 || day < 1 || day > 31 || hour < 0 || hour > 23) return false;
  if (base60(s.charCodeAt(4)) < 0 || base60(s.charCodeAt(5)) < 0 || base60(s.charCodeAt(6)) < 0) return false;
  let digits = 0;
  for (let i = n - 1; i >= 7 && isDigitCode(s.charCodeAt(i)); i--) digits++;
  // 8.12+ writes two sequence chars and a six-digit pid; 8.11 one char and five digits.
  const sequence = n - 6 - digits;
  if (sequence === 2 && base60(s.charCodeAt(7)) < 0) return false;
  return digits >= 5 && (sequence === 1 || sequence === 2);
}

/**
 * Whether `s` is a postfix short queue id: upper-case hex, five digits of microseconds then the
 * inode number (`1D8CC1CA0A7F`).
 */
export function isPostfixShortQueueId(s: string): boolean {
  // Five hex digits of microseconds, then up to sixteen of a 64-bit inode number.
  if (s.length < 6 || s.length > 21) return false;
  for (let i = 0; i < s.length; i++) if (!isHexUpperCode(s.charCodeAt(i))) return false;
  return true;
}

const VOWELS = 'AEIOUaeiou';

/**
 * Whether `s` is a postfix long queue id (`enable_long_queue_ids`): at least ten chars of time
 * in a vowel-free alphabet, the separator `z`, then the inode (`4Lq3Yx0Jm5z9sR`).
 */
export function isPostfixLongQueueId(s: string): boolean {
  if (s.length < 12 || s.length > 32) return false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (!isAlnumCode(code) || VOWELS.includes(s[i])) return false;
  }
  const separator = s.lastIndexOf('z');
  return separator >= 10 && separator < s.length - 1;
}

/**
 * Whether `s` is an exim message id: base 62 in `6-6-2` (before 4.97) or `6-11-4` (4.97 and
 * later) groups (`1cNc9F-0000zy-9N`, `10HmaX-000000005vi-0000`).
 */
export function isEximId(s: string): boolean {
  let second: number;
  let third: number;
  if (s.length === 16) [second, third] = [6, 2];
  else if (s.length === 23) [second, third] = [11, 4];
  else return false;
  if (s.charCodeAt(6) !== 45 || s.charCodeAt(7 + second) !== 45) return false;
  for (let i = 0; i < s.length; i++) {
    if (i === 6 || i === 7 + second) continue;
    if (!isAlnumCode(s.charCodeAt(i))) return false;
  }
  return third > 0;
}

/** Whether `s` is a dotted-quad IPv4 address: four parts 0-255, no leading zeros (so no version numbers). */
export function isIPv4(s: string): boolean {
  let parts = 0;
  let i = 0;
  while (i <= s.length) {
    const from = i;
    let value = 0;
    while (i < s.length && isDigitCode(s.charCodeAt(i))) {
      value = value * 10 + s.charCodeAt(i) - 48;
      i++;
    }
    const width = i - from;
    if (width === 0 || width > 3 || value > 255 || (width > 1 && s.charCodeAt(from) === 48)) return false;
    parts++;
    if (i === s.length) break;
    if (s.charCodeAt(i) !== 46 || parts === 4) return false;
    i++;
  }
  return parts === 4;
}

function parseHexGroups(part: string, into: number[]): boolean {
  if (part === '') return true;
  for (const group of part.split(':')) {
    if (group.length === 0 || group.length > 4) return false;
    let value = 0;
    for (let i = 0; i < group.length; i++) {
      const code = group.charCodeAt(i) | 0x20;
      const digit = isDigitCode(code) ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1;
      if (digit < 0) return false;
      value = value * 16 + digit;
    }
    into.push(value);
  }
  return true;
}

/**
 * The RFC 5952 form of an IPv6 address (lower case, no leading zeros, the longest run of zero
 * groups as `::`), or undefined when `s` is not one. A trailing dotted quad is kept as written
 * when the address is IPv4-mapped (`::ffff:1.2.3.4`), the form logs use.
 */
export function normaliseIPv6(s: string): string | undefined {
  if (s.length < 2 || s.length > 45 || !s.includes(':')) return undefined;
  let body = s;
  let v4: string | undefined;
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) >= 0) {
    v4 = s.slice(lastColon + 1);
    if (!isIPv4(v4)) return undefined;
    const [a, b, c, d] = v4.split('.').map(Number);
    body = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const gap = body.indexOf('::');
  if (gap >= 0 && body.indexOf('::', gap + 1) >= 0) return undefined;
  const head: number[] = [];
  const tail: number[] = [];
  if (gap < 0) {
    if (!parseHexGroups(body, head) || head.length !== 8) return undefined;
  } else {
    if (!parseHexGroups(body.slice(0, gap), head) || !parseHexGroups(body.slice(gap + 2), tail)) return undefined;
    if (head.length + tail.length > 7) return undefined;
  }
  const groups = gap < 0 ? head : [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  if (v4 !== undefined && groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${v4}`;
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The normalised form of an IPv4 or IPv6 address (an `IPv6:` prefix is dropped), or undefined. */
export function normaliseIp(s: string): string | undefined {
  if (isIPv4(s)) return s;
  const bare = s.startsWith('IPv6:') || s.startsWith('ipv6:') ? s.slice(5) : s;
  return normaliseIPv6(bare);
}

/**
 * The lower-cased form of a host name (a trailing root dot dropped), or undefined when `s` is not
 * a plausible one: letters, digits, `.`, `-`, `_`, at least one letter, not an address.
 */
export function normaliseHost(s: string): string | undefined {
  const name = s.endsWith('.') ? s.slice(0, -1) : s;
  if (name.length === 0 || name.length > 253) return undefined;
  let letter = false;
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122)) letter = true;
    else if (!isDigitCode(code) && code !== 45 && code !== 46 && code !== 95) return undefined;
  }
  const first = name.charCodeAt(0);
  if (!letter || first === 45 || first === 46) return undefined;
  return name.toLowerCase();
}
