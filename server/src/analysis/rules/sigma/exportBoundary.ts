/**
 * Word boundaries (`\b`, `\B`) rewritten out of a pattern already in Sigma's subset, where the
 * rewrite keeps which lines match. A rule is a boolean search, so:
 * - a boundary between two parts whose characters are known (a word character, a non-word
 *   character, the start or end of the text) always or never holds: it is dropped, or the rule
 *   refused;
 * - a boundary with nothing that must match before it (the start of the pattern, of a top-level
 *   alternative, or after parts that may be empty) only asks about the character before the
 *   match, which the search may consume instead: `(^|[^A-Za-z0-9_])` before a word character;
 *   likewise at the end, `([^A-Za-z0-9_]|$)` after one. Parts that may be empty at either end
 *   of a search never change whether a line matches, so they may stay in place.
 * Anything else (a boundary beside `.*`, a class or an optional part that may be either) is
 * refused with its reason.
 */

/** What a consuming part may be: a word character (`[A-Za-z0-9_]`, as JavaScript's `\b` reads it), another, or either. */
type Kind = 'word' | 'nonword' | 'either';

type Atom =
  | { type: 'char'; text: string; kind: Kind }
  | { type: 'start' }
  | { type: 'end' }
  | { type: 'boundary'; negated: boolean; text?: string }
  | { type: 'group'; branches: Item[][] };

interface Item {
  atom: Atom;
  quantifier: string;
  min: number;
  max: number;
}

/** The characters a part may consume next to a boundary, and whether it may also match nothing. */
interface Edge {
  kinds: Set<Kind>;
  empty: boolean;
}

const WORD = 'A-Za-z0-9_';
const WORD_RANGES: [number, number][] = [[48, 57], [65, 90], [97, 122], [95, 95]];
const WORD_CHARS = WORD_RANGES.flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, k) => lo + k));

const REASONS = {
  either: 'a word boundary (\\b, \\B) beside a part that may or may not be a word character has no Sigma form',
  other: 'a word boundary (\\b, \\B) that never holds, is repeated or is all the pattern has no Sigma form',
  unterminated: 'the pattern is not well formed',
} as const;

const isWord = (code: number) => WORD_RANGES.some(([lo, hi]) => code >= lo && code <= hi);

/** A class's ranges, from the text between `[` (or `[^`) and `]`. */
function classRanges(body: string): [number, number][] {
  const chars: { code: number; escaped: boolean }[] = [];
  for (let i = 0; i < body.length; i++) {
    const escaped = body[i] === '\\';
    if (escaped) i++;
    chars.push({ code: body.codePointAt(i)!, escaped });
  }
  const ranges: [number, number][] = [];
  for (let i = 0; i < chars.length; i++) {
    const dash = chars[i + 1];
    if (dash && !dash.escaped && dash.code === 45 && i + 2 < chars.length) {
      ranges.push([chars[i].code, chars[i + 2].code]);
      i += 2;
    } else ranges.push([chars[i].code, chars[i].code]);
  }
  return ranges;
}

/** Whether a class holds only word characters, none, or both; a case-blind pattern folds ASCII letters. */
function classKind(body: string, ignoreCase: boolean): Kind {
  const negated = body.startsWith('^');
  const ranges = classRanges(negated ? body.slice(1) : body);
  const holds = (code: number) => {
    const folded = ignoreCase && /[A-Za-z]/.test(String.fromCharCode(code)) ? [code, code ^ 0x20] : [code];
    return folded.some((c) => ranges.some(([lo, hi]) => c >= lo && c <= hi));
  };
  const words = WORD_CHARS.filter(holds).length;
  if (negated) return words === WORD_CHARS.length ? 'nonword' : 'either';
  if (words === 0) return 'nonword';
  return ranges.every(([lo, hi]) => WORD_RANGES.some(([wlo, whi]) => lo >= wlo && hi <= whi)) ? 'word' : 'either';
}

/** Parses a pattern in Sigma's subset (with `\b`, `\B`) into its alternatives; undefined when it is not well formed. */
function parse(source: string, ignoreCase: boolean): Item[][] | undefined {
  let i = 0;
  const branches = (): Item[][] | undefined => {
    const all: Item[][] = [[]];
    while (i < source.length && source[i] !== ')') {
      const ch = source[i];
      if (ch === '|') {
        all.push([]);
        i++;
        continue;
      }
      let atom: Atom;
      if (ch === '(') {
        i++;
        const inner = branches();
        if (!inner || source[i] !== ')') return undefined;
        i++;
        atom = { type: 'group', branches: inner };
      } else if (ch === '[') {
        const close = /^\[(?:\\.|[^\]\\])*\]/.exec(source.slice(i));
        if (!close) return undefined;
        atom = { type: 'char', text: close[0], kind: classKind(close[0].slice(1, -1), ignoreCase) };
        i += close[0].length;
      } else if (ch === '\\') {
        const next = source[i + 1];
        if (next === undefined) return undefined;
        atom = next === 'b' || next === 'B' ? { type: 'boundary', negated: next === 'B' } : { type: 'char', text: `\\${next}`, kind: isWord(next.charCodeAt(0)) ? 'word' : 'nonword' };
        i += 2;
      } else {
        atom = ch === '^' ? { type: 'start' } : ch === '$' ? { type: 'end' } : { type: 'char', text: ch, kind: ch === '.' ? 'either' : isWord(ch.charCodeAt(0)) ? 'word' : 'nonword' };
        i++;
      }
      const quantifier = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})/.exec(source.slice(i));
      const text = quantifier?.[0] ?? '';
      const min = text === '' || text === '+' ? 1 : text === '*' || text === '?' ? 0 : Number(quantifier![1]);
      const max = text === '' || text === '?' ? 1 : text === '*' || text === '+' ? Infinity : quantifier![2] ? (quantifier![3] ? Number(quantifier![3]) : Infinity) : min;
      i += text.length;
      all[all.length - 1].push({ atom, quantifier: text, min, max });
    }
    return all;
  };
  const top = branches();
  return top && i === source.length ? top : undefined;
}

/** The characters an item may begin (`side` first) or end (last) with. */
function edgeOf(item: Item, side: 'first' | 'last'): Edge {
  const { atom } = item;
  const skippable = item.min === 0;
  if (atom.type === 'char') return { kinds: new Set([atom.kind]), empty: skippable };
  if (atom.type === 'group') {
    const edges = atom.branches.map((branch) => edgeOfSequence(branch, side));
    return { kinds: new Set(edges.flatMap((edge) => [...edge.kinds])), empty: skippable || edges.some((edge) => edge.empty) };
  }
  // The start of the text stands before the match like a non-word character; the end after it.
  if ((atom.type === 'start' && side === 'last') || (atom.type === 'end' && side === 'first')) return { kinds: new Set(['nonword']), empty: false };
  return { kinds: new Set(['either']), empty: false };
}

function edgeOfSequence(items: Item[], side: 'first' | 'last'): Edge {
  const kinds = new Set<Kind>();
  const ordered = side === 'first' ? items : [...items].reverse();
  for (const item of ordered) {
    const edge = edgeOf(item, side);
    for (const kind of edge.kinds) kinds.add(kind);
    if (!edge.empty) return { kinds, empty: false };
  }
  return { kinds, empty: true };
}

/** Where a boundary stands: each sequence from the innermost out, with its index there and the group item holding it. */
type Path = { items: Item[]; index: number; holder?: Item }[];

/** The kind of character on one side of a boundary, or `outside` when nothing must match on that side. */
function sideOf(path: Path, side: 'before' | 'after'): Kind | 'outside' {
  const kinds = new Set<Kind>();
  for (const { items, index, holder } of path) {
    const neighbours = side === 'before' ? items.slice(0, index) : items.slice(index + 1);
    const edge = edgeOfSequence(neighbours, side === 'before' ? 'last' : 'first');
    for (const kind of edge.kinds) kinds.add(kind);
    if (!edge.empty) return kinds.size === 1 ? [...kinds][0] : 'either';
    // In a repeated group, the other side may be the group's previous or next round.
    if (holder && holder.max > 1) return 'either';
  }
  return 'outside';
}

/** The text standing for a boundary, '' when it always holds, or why it has no rewrite. */
function replacementOf(negated: boolean, before: Kind | 'outside', after: Kind | 'outside'): string | { reason: string } {
  if (before === 'either' || after === 'either') return { reason: REASONS.either };
  if (before === 'outside' && after === 'outside') return { reason: REASONS.other };
  const known = before === 'outside' ? after : before;
  if (before !== 'outside' && after !== 'outside') return (before !== after) !== negated ? '' : { reason: REASONS.other };
  // \b wants the other side unlike the known one, \B alike.
  const wanted = (known === 'word') !== negated ? 'nonword' : 'word';
  if (wanted === 'word') return `[${WORD}]`;
  return before === 'outside' ? `(^|[^${WORD}])` : `([^${WORD}]|$)`;
}

function textOf(branches: Item[][]): string {
  const atomText = (atom: Atom): string =>
    atom.type === 'char' ? atom.text : atom.type === 'start' ? '^' : atom.type === 'end' ? '$' : atom.type === 'boundary' ? atom.text ?? '' : `(${textOf(atom.branches)})`;
  return branches.map((items) => items.map((item) => atomText(item.atom) + item.quantifier).join('')).join('|');
}

/** Replaces every boundary of `items` (a sequence in the group `holder`, inside `outer`) and of the groups in it; returns the first refusal. */
function rewriteAll(items: Item[], holder: Item | undefined, outer: Path): { reason: string } | undefined {
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const path: Path = [{ items, index, holder }, ...outer];
    if (item.atom.type === 'group') {
      for (const branch of item.atom.branches) {
        const refused = rewriteAll(branch, item, path);
        if (refused) return refused;
      }
    } else if (item.atom.type === 'boundary') {
      if (item.quantifier !== '') return { reason: REASONS.other };
      const replacement = replacementOf(item.atom.negated, sideOf(path, 'before'), sideOf(path, 'after'));
      if (typeof replacement !== 'string') return replacement;
      item.atom.text = replacement;
    }
  }
  return undefined;
}

/** `pattern` (Sigma's subset plus `\b`, `\B`) without its boundaries, or why they cannot go. */
export function withoutBoundaries(pattern: string, ignoreCase: boolean): { pattern: string } | { reason: string } {
  const branches = parse(pattern, ignoreCase);
  if (!branches) return { reason: REASONS.unterminated };
  for (const items of branches) {
    const refused = rewriteAll(items, undefined, []);
    if (refused) return refused;
  }
  return { pattern: textOf(branches) };
}
