import { RE2JS } from 're2js';
import { compilePattern } from '../patterns';

/** Where a value matched within the text it was tested on. */
export interface Span {
  index: number;
  length: number;
}

/** Tests one text (a field, or the whole line); `lower` is the text lower-cased, computed once per line. */
export type TextTest = (text: string, lower: string) => Span | null;

/** How a plain Sigma value is compared: the whole text, or part of it (from its modifiers). */
export type ValueKind = 'exact' | 'contains' | 'startswith' | 'endswith';

type Piece = string | { wildcard: '*' | '?' };

/**
 * Splits a Sigma value into literal text and wildcards. `*` and `?` are wildcards; `\*`, `\?`
 * and `\\` stand for the characters themselves; any other backslash is a plain backslash.
 */
export function splitWildcards(value: string): Piece[] {
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (ch === '\\' && (value[i + 1] === '*' || value[i + 1] === '?' || value[i + 1] === '\\')) {
      literal += value[++i];
    } else if (ch === '*' || ch === '?') {
      if (literal) pieces.push(literal);
      literal = '';
      pieces.push({ wildcard: ch });
    } else {
      literal += ch;
    }
  }
  if (literal) pieces.push(literal);
  return pieces;
}

/** A plain value without wildcards: string comparisons, no regex at all. */
function literalTest(needle: string, kind: ValueKind, cased: boolean): TextTest {
  const wanted = cased ? needle : needle.toLowerCase();
  return (text, lower) => {
    const hay = cased ? text : lower;
    const index =
      kind === 'exact' ? (hay === wanted ? 0 : -1)
        : kind === 'contains' ? hay.indexOf(wanted)
          : kind === 'startswith' ? (hay.startsWith(wanted) ? 0 : -1)
            : hay.endsWith(wanted) ? hay.length - wanted.length : -1;
    if (index < 0) return null;
    // Lower-casing can change a string's length (a dotted capital I); then the span is the whole text.
    if (hay.length !== text.length) return { index: 0, length: text.length };
    return { index, length: kind === 'exact' ? text.length : wanted.length };
  };
}

/** Compiles a Sigma value with its wildcards and comparison kind. Linear time: wildcards become RE2. */
export function valueTest(value: string, kind: ValueKind, cased: boolean): TextTest {
  const pieces = splitWildcards(value);
  if (pieces.every((piece) => typeof piece === 'string')) return literalTest(pieces.join(''), kind, cased);
  const body = pieces.map((piece) => (typeof piece === 'string' ? RE2JS.quote(piece) : piece.wildcard === '*' ? '.*' : '.')).join('');
  const source = `(?s)${kind === 'exact' || kind === 'startswith' ? '^' : ''}${body}${kind === 'exact' || kind === 'endswith' ? '$' : ''}`;
  const compiled = RE2JS.compile(source, cased ? 0 : RE2JS.CASE_INSENSITIVE);
  // Most lines lack the value's longest literal piece; finding that out needs no regex at all.
  const longest = pieces.reduce<string>((best, piece) => (typeof piece === 'string' && piece.length > best.length ? piece : best), '');
  const required = cased ? longest : longest.toLowerCase();
  return (text, lower) => {
    if (required && !(cased ? text : lower).includes(required)) return null;
    const matcher = compiled.matcher(text);
    if (!matcher.find()) return null;
    return { index: matcher.start(), length: matcher.end() - matcher.start() };
  };
}

/**
 * Compiles a `|re` value with the linear engine; `flags` are the `i`, `m` and `s` sub-modifiers.
 * Returns the reason when RE2 refuses the pattern (look-around, back-references, bad syntax).
 */
export function regexTest(pattern: string, flags: string): TextTest | string {
  const inline = flags.replace(/i/g, '');
  const compiled = compilePattern(inline ? `(?${inline})${pattern}` : pattern, flags.includes('i'), 'linear');
  if (typeof compiled === 'string') return compiled;
  return (text) => {
    const match = compiled.exec({ message: text, line: text });
    return match ? { index: match.index, length: match.length } : null;
  };
}
