/**
 * Rewrites a catalogue regular expression (JavaScript syntax) into the subset Sigma's `re`
 * modifier promises every backend: `.`, `^`, `$`, `*`, `+`, `?`, `{n,m}`, `[a-z]`, `[^a-z]`,
 * `()`, `|`, and escaped literals. What has an exact equivalent is rewritten (named and
 * non-capturing groups become plain groups, `\d` a class, lazy quantifiers greedy: whether a
 * line matches does not depend on laziness); word boundaries where the rule keeps its meaning
 * without them (`exportBoundary.ts`); what has none leaves the rule out, with a reason.
 */

import { withoutBoundaries } from './exportBoundary';

/** The rewritten pattern, or why the pattern has no Sigma form. */
export type SigmaRegex = { pattern: string } | { reason: string };

/** Sigma's whitespace: a syslog message is one line, so space and tab are all it holds. */
const SPACE = ' \t';
const CLASS_OF: Record<string, string> = { d: '0-9', w: 'A-Za-z0-9_', s: SPACE };

/** Characters that keep their backslash outside a class; any other escaped character is written plain. */
const META = new Set([...'.*+?()[]{}|^$\\']);
/** The same inside a class, where only these are special. */
const CLASS_META = new Set([...'\\]^-[']);

const REASONS = {
  lookAround: 'look-around ((?=, (?!, (?<=, (?<!) has no Sigma form',
  backReference: 'a back-reference has no Sigma form',
  property: 'a Unicode property class (\\p{…}) has no Sigma form',
  control: 'a control-character escape (\\n, \\r, \\0, \\c…) has no Sigma form',
  group: 'a group modifier other than (?: and (?<name> has no Sigma form',
  negatedShorthand: 'a negated shorthand (\\D, \\W, \\S) inside a class has no Sigma form',
  emptyClass: 'JavaScript\'s [] and [^] classes have no Sigma form',
  unterminated: 'the pattern is not well formed',
} as const;

/** A character from a `\x`/`\u` escape, or undefined when the escape is not one. */
function codeEscape(source: string, at: number): { char: string; length: number } | undefined {
  const hex = source[at] === 'x' ? /^x([0-9A-Fa-f]{2})/.exec(source.slice(at)) : source[at] === 'u' ? /^u(?:([0-9A-Fa-f]{4})|\{([0-9A-Fa-f]{1,6})\})/.exec(source.slice(at)) : null;
  if (!hex) return undefined;
  return { char: String.fromCodePoint(parseInt(hex[1] ?? hex[2], 16)), length: hex[0].length };
}

/** An escape (the text after `\` at `at`) as Sigma text; `inClass` says where it stands. */
function rewriteEscape(source: string, at: number, inClass: boolean): { text: string; length: number } | { reason: string } {
  const ch = source[at];
  if (ch === undefined) return { reason: REASONS.unterminated };
  if (Object.hasOwn(CLASS_OF, ch)) return { text: inClass ? CLASS_OF[ch] : `[${CLASS_OF[ch]}]`, length: 1 };
  if (Object.hasOwn(CLASS_OF, ch.toLowerCase())) return inClass ? { reason: REASONS.negatedShorthand } : { text: `[^${CLASS_OF[ch.toLowerCase()]}]`, length: 1 };
  // Outside a class, `\b` and `\B` stay for `withoutBoundaries`; inside one, `\b` is a backspace.
  if (ch === 'b' || ch === 'B') return inClass ? { reason: REASONS.control } : { text: `\\${ch}`, length: 1 };
  if (/[1-9]/.test(ch) || (ch === 'k' && source[at + 1] === '<')) return { reason: REASONS.backReference };
  if (ch === 'p' || ch === 'P') return { reason: REASONS.property };
  if (ch === 't') return { text: '\t', length: 1 };
  if ('nrfv0c'.includes(ch)) return { reason: REASONS.control };
  const code = codeEscape(source, at);
  const char = code?.char ?? ch;
  const special = inClass ? CLASS_META : META;
  return { text: special.has(char) ? `\\${char}` : char, length: code?.length ?? 1 };
}

/** Rewrites a class starting at `[` at `start`; returns its text and where it ends. */
function rewriteClass(source: string, start: number): { text: string; end: number } | { reason: string } {
  let i = start + 1;
  let text = '[';
  if (source[i] === '^') {
    text += '^';
    i++;
  }
  if (source[i] === ']') return { reason: REASONS.emptyClass };
  while (i < source.length && source[i] !== ']') {
    const ch = source[i];
    if (ch === '\\') {
      const escape = rewriteEscape(source, i + 1, true);
      if ('reason' in escape) return escape;
      text += escape.text;
      i += 1 + escape.length;
    } else {
      // A bare `[` is literal in JavaScript but opens a POSIX class in PCRE (`[:alpha:]`).
      text += ch === '[' ? '\\[' : ch;
      i++;
    }
  }
  if (i >= source.length) return { reason: REASONS.unterminated };
  return { text: `${text}]`, end: i + 1 };
}

/** Rewrites what follows `(` at `at`: the group's opening as Sigma writes it, and its length. */
function rewriteGroupOpen(source: string, at: number): { text: string; length: number } | { reason: string } {
  if (source[at + 1] !== '?') return { text: '(', length: 1 };
  const rest = source.slice(at + 2);
  if (rest.startsWith(':')) return { text: '(', length: 3 };
  if (/^<?[=!]/.test(rest)) return { reason: REASONS.lookAround };
  const named = /^<[A-Za-z_$][A-Za-z0-9_$]*>/.exec(rest);
  if (named) return { text: '(', length: 2 + named[0].length };
  return { reason: REASONS.group };
}

/** Rewrites a catalogue pattern (`ignoreCase`: matched case-blind) into Sigma's regular-expression subset, or says why it cannot be. */
export function sigmaRegexOf(source: string, ignoreCase = false): SigmaRegex {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\') {
      const escape = rewriteEscape(source, i + 1, false);
      if ('reason' in escape) return escape;
      out += escape.text;
      i += 1 + escape.length;
    } else if (ch === '[') {
      const rewritten = rewriteClass(source, i);
      if ('reason' in rewritten) return rewritten;
      out += rewritten.text;
      i = rewritten.end;
    } else if (ch === '(') {
      const open = rewriteGroupOpen(source, i);
      if ('reason' in open) return open;
      out += open.text;
      i += open.length;
    } else if (ch === '{') {
      // JavaScript reads a brace that starts no `{n}`, `{n,}` or `{n,m}` as a literal brace.
      const quantifier = /^\{\d+(?:,\d*)?\}/.exec(source.slice(i));
      out += quantifier ? quantifier[0] : '\\{';
      i += quantifier ? quantifier[0].length : 1;
      if (quantifier && source[i] === '?') i++;
    } else if (ch === '}') {
      out += '\\}';
      i++;
    } else if (ch === '*' || ch === '+' || ch === '?') {
      out += ch;
      i++;
      // A lazy quantifier matches the same lines as a greedy one.
      if (source[i] === '?') i++;
    } else {
      out += ch;
      i++;
    }
  }
  return /\\[bB]/.test(out) ? withoutBoundaries(out, ignoreCase) : { pattern: out };
}
