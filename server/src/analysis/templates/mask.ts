/**
 * Masking: a message cut into whitespace tokens, with the parts that vary from one occurrence of
 * a message to the next (numbers, addresses, ids, paths, quoted text, …) replaced by typed
 * placeholders, so the template miner compares messages by their constant words.
 *
 * Tokens are classified piece by piece: a token is cut at brackets, commas, semicolons and its
 * first `=`, and each piece, stripped of edge punctuation, is one value (`[192.0.2.7]:25` is
 * `[`, `192.0.2.7`, `]:`, `25`). Character tests, one pass per piece, no regex per token
 * (`shapes.ts`). The masked text is written into reusable buffers (`MaskedMessage`), so a
 * message costs no string until the miner needs one: a message it has not seen before.
 */
import { CHAR_AT, CHAR_CLASS, MAX_TOKEN, PieceCounts, classifyCounted } from './shapes';

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
/** Token separator in `MaskedMessage.chars`, as in the miner's keys. */
const SEPARATOR = 0;
/** What a `"…"` piece is masked to. */
const QUOTED = '"<STR>"';

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
/** Whether `code` separates tokens. */
function isBlank(code: number): boolean {
  return code === 32 || code === 9 || code === 11 || code === 12 || code === 13;
}

/**
 * A message masked into reusable buffers: its masked tokens' characters, joined by NUL (as the
 * miner keys a message), and where each token ends. `maskInto` fills it without cutting a
 * string out of the message; strings are made only when asked for (`tokens`, `text`).
 */
export class MaskedMessage {
  chars = new Uint16Array(512);
  /** Characters used in `chars`. */
  length = 0;
  /** Where each token ends in `chars` (the next starts one further, after its separator). */
  readonly tokenEnds = new Int32Array(MAX_TOKENS);
  tokenCount = 0;

  /** The masked tokens as strings (cut from `text` when the caller has it already). */
  tokens(text = this.text()): string[] {
    const tokens: string[] = [];
    let start = 0;
    for (let t = 0; t < this.tokenCount; t++) {
      tokens.push(text.slice(start, this.tokenEnds[t]));
      start = this.tokenEnds[t] + 1;
    }
    return tokens;
  }

  /** The masked tokens joined by NUL: the miner's key for the message, after its program. */
  text(): string {
    // In steps: a function takes a limited number of arguments.
    let out = '';
    for (let from = 0; from < this.length; from += 4096) out += String.fromCharCode.apply(null, this.chars.subarray(from, Math.min(this.length, from + 4096)) as unknown as number[]);
    return out;
  }

  clear(): void {
    this.length = 0;
    this.tokenCount = 0;
  }

  putCode(code: number): void {
    if (this.length === this.chars.length) this.reserve(1);
    this.chars[this.length++] = code;
  }

  putRange(text: string, start: number, end: number): void {
    if (this.length + end - start > this.chars.length) this.reserve(end - start);
    const chars = this.chars;
    let at = this.length;
    for (let i = start; i < end; i++) chars[at++] = text.charCodeAt(i);
    this.length = at;
  }

  putString(text: string): void {
    this.putRange(text, 0, text.length);
  }

  endToken(): void {
    this.tokenEnds[this.tokenCount++] = this.length;
  }

  /** Makes sure `more` characters fit after `length` without growing. */
  reserveFor(more: number): void {
    if (this.length + more > this.chars.length) this.reserve(more);
  }

  /** Makes room for `more` characters. */
  private reserve(more: number): void {
    const grown = new Uint16Array(Math.max(this.chars.length * 2, this.length + more));
    grown.set(this.chars.subarray(0, this.length));
    this.chars = grown;
  }
}

/** The counts of the piece being masked (one piece at a time). */
const pieceCounts = new PieceCounts();

/**
 * Masks one piece, from `start` to `end` (`codes` are `text`'s), whose characters were just written to `out` from
 * `written` on and counted into `pieceCounts`: edge punctuation kept, the rest classified, and
 * where it is a value, what was written is replaced by its placeholder. `value` marks the right
 * side of `key=`.
 */
function maskPiece(text: string, codes: Uint16Array, start: number, end: number, value: boolean, out: MaskedMessage, written: number): void {
  let from = start;
  let to = end;
  while (from < to && isLead(codes[from])) pieceCounts.uncount(codes[from++]);
  while (to > from && isTrail(codes[to - 1])) pieceCounts.uncount(codes[--to]);
  if (from === to) return;
  let masked = classifyCounted(codes, from, to, pieceCounts);
  // A value after `key=` that holds a digit is a variable even when it is no known shape.
  if (value && masked === undefined && pieceCounts.hasDigit) masked = WILDCARD;
  if (masked === undefined) return;
  out.length = written + from - start;
  out.putString(masked);
  out.putRange(text, to, end);
}

/** Masks the whitespace token from `start` to `end` (not empty; it may hold a quoted string with blanks in it). */
function maskTokenInto(text: string, codes: Uint16Array, start: number, end: number, out: MaskedMessage): void {
  let pieceStart = start;
  let pieceWritten = out.length;
  let value = false;
  let sawEquals = false;
  pieceCounts.clear();
  // Written through locals: `out.length` is set back before a piece is masked, and read again after.
  out.reserveFor(end - start + 1);
  let chars = out.chars;
  let at = out.length;
  const byClass = pieceCounts.byClass;
  for (let i = start; i < end; i++) {
    const c = codes[i];
    if (c === 34 && i === pieceStart) {
      let close = i + 1;
      while (close < end && codes[close] !== 34) close++;
      if (close < end) {
        out.length = at;
        out.putString(QUOTED);
        pieceStart = close + 1;
        pieceWritten = out.length;
        out.reserveFor(end - close);
        chars = out.chars;
        at = out.length;
        i = close;
        continue;
      }
    }
    if (isSplit(c) || (c === 61 && !sawEquals)) {
      if (i > pieceStart) {
        out.length = at;
        maskPiece(text, codes, pieceStart, i, value, out, pieceWritten);
        out.reserveFor(end - i + 1);
        chars = out.chars;
        at = out.length;
        pieceCounts.clear();
      }
      chars[at++] = c;
      pieceStart = i + 1;
      pieceWritten = at;
      if (c === 61) {
        sawEquals = true;
        value = true;
      }
    } else {
      chars[at++] = c;
      const kind = CHAR_CLASS[c];
      byClass[kind]++;
      if (kind === CHAR_AT && pieceCounts.firstAt < 0) pieceCounts.firstAt = i;
    }
  }
  out.length = at;
  if (pieceStart < end) maskPiece(text, codes, pieceStart, end, value, out, pieceWritten);
}

/** Messages up to this long are copied into a kept buffer; a longer one gets its own, let go after. */
const KEPT_CODES = 64 * 1024;
let keptCodes = new Uint16Array(1024);

/**
 * The message's UTF-16 code units in a typed array. Masking reads most characters two or three
 * times; a message is a slice of its chunk, whose `charCodeAt` costs more than an array read, so
 * the copy is made once (about 15 % of the masking's time).
 */
function codesOf(message: string): Uint16Array {
  const length = message.length;
  if (length > keptCodes.length) {
    if (length > KEPT_CODES) return codesInto(message, new Uint16Array(length));
    keptCodes = new Uint16Array(Math.min(KEPT_CODES, length * 2));
  }
  return codesInto(message, keptCodes);
}

function codesInto(message: string, codes: Uint16Array): Uint16Array {
  for (let k = 0; k < message.length; k++) codes[k] = message.charCodeAt(k);
  return codes;
}

/**
 * Cuts a message into whitespace tokens, a double-quoted string with blanks in it staying one
 * token, and masks each into `out` (cleared first). Never throws; an empty message gives no tokens.
 */
export function maskInto(message: string, out: MaskedMessage): void {
  out.clear();
  const length = message.length;
  const codes = codesOf(message);
  let i = 0;
  while (i < length) {
    while (i < length && isBlank(codes[i])) i++;
    if (i >= length) break;
    const start = i;
    if (out.tokenCount > 0) out.putCode(SEPARATOR);
    if (out.tokenCount === MAX_TOKENS - 1) {
      out.putString('<STR>');
      out.endToken();
      break;
    }
    // Most tokens are words, letters only and no id: their own mask, written as they are read
    // (the token is no longer than the rest of the message).
    out.reserveFor(length - i);
    const chars = out.chars;
    const written = out.length;
    let at = written;
    let plain = true;
    let upperHex = 0;
    while (i < length) {
      const c = codes[i];
      if (c <= 32 && isBlank(c)) break;
      // A quote opening a token (or a `key=` value) runs to its closing quote, blanks and all.
      if (c === 34 && (i === start || codes[i - 1] === 61)) {
        const close = message.indexOf('"', i + 1);
        if (close > i && close - i <= MAX_QUOTED) {
          plain = false;
          i = close + 1;
          continue;
        }
      }
      if (plain) {
        if (c >= 65 && c <= 90) {
          if (c <= 70) upperHex++;
          chars[at++] = c;
        } else if (c >= 97 && c <= 122) chars[at++] = c;
        else plain = false;
      }
      i++;
    }
    const tokenLength = i - start;
    out.length = written;
    if (!plain || tokenLength > MAX_TOKEN || (tokenLength >= 8 && upperHex === tokenLength)) maskTokenInto(message, codes, start, i, out);
    else out.length = at;
    out.endToken();
  }
}

/** The masked tokens of a message (`maskInto`, as strings). */
export function maskMessage(message: string): string[] {
  const out = new MaskedMessage();
  maskInto(message, out);
  return out.tokens();
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
  // Most tags are lower-case ASCII already, with no blank at either end: nothing to trim or fold.
  for (let i = 0; i < end; i++) {
    const c = tag.charCodeAt(i);
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90)) return tag.slice(0, end).trim().toLowerCase();
  }
  return end === tag.length ? tag : tag.slice(0, end);
}
