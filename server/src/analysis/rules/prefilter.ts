/**
 * Required literals of a regular expression: strings at least one of which every match must
 * contain. A rule whose message contains none of them cannot match, so its regular expression need
 * not run. The reading is deliberately conservative: anything it does not fully understand ends the
 * current literal or, for syntax that could change what characters mean (inline flags, RE2's `\Q`,
 * POSIX classes), gives up on the whole pattern. A prefilter may let through lines that do not
 * match; it must never turn away one that does.
 */
import { LiteralSearch } from './literalSearch';

/** What a rule's message must contain before its regular expression is worth running. */
export interface Prefilter {
  /** Every match contains at least one of these (lower-cased when `ignoreCase`). */
  literals: string[];
  /**
   * Further sets every match must also hold one literal of each of, for a pattern that requires
   * several: `literals` is the one fewest sample lines hold, these the rest.
   */
  also?: string[][];
  /** Compare against the lower-cased message. */
  ignoreCase: boolean;
}

/** Literals shorter than this are not selective enough to be worth a search. */
const MIN_LITERAL = 3;
/** More alternatives than this and a search for each costs more than the regular expression. */
const MAX_LITERALS = 8;

/** How often an atom must occur: `min` 0 or 1 (enough to know it is required); `many`: it may repeat. */
interface Count {
  min: number;
  many: boolean;
}

type Node =
  | ({ kind: 'char'; ch: string } & Count)
  | ({ kind: 'group'; alternatives: Node[][] } & Count)
  | { kind: 'assertion' }
  | { kind: 'other' };

/** Thrown inside the reader only, for syntax it does not trust itself to read. */
class Unreadable extends Error {}

const IDENTITY_ESCAPES = new Set('\\/.-[](){}*+?|^$ :,;=<>!@#%&~`\'"_'.split(''));
const CONTROL_ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', f: '\f', v: '\v' };

class Reader {
  private at = 0;
  constructor(private readonly source: string) {}

  read(): Node[][] {
    const alternatives = this.alternatives();
    if (this.at < this.source.length) throw new Unreadable('unbalanced parenthesis');
    return alternatives;
  }

  private alternatives(): Node[][] {
    const list: Node[][] = [this.sequence()];
    while (this.source[this.at] === '|') {
      this.at++;
      list.push(this.sequence());
    }
    return list;
  }

  private sequence(): Node[] {
    const nodes: Node[] = [];
    while (this.at < this.source.length && this.source[this.at] !== '|' && this.source[this.at] !== ')') {
      const atom = this.atom();
      const count = this.quantifier();
      if (count && (atom.kind === 'char' || atom.kind === 'group')) nodes.push({ ...atom, ...count });
      else nodes.push(atom);
    }
    return nodes;
  }

  /** Reads a quantifier if one follows (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy). */
  private quantifier(): Count | undefined {
    const c = this.source[this.at];
    let count: Count;
    if (c === '*') count = { min: 0, many: true };
    else if (c === '?') count = { min: 0, many: false };
    else if (c === '+') count = { min: 1, many: true };
    else if (c === '{') {
      // Without the `u` flag a brace that does not form a quantifier is a literal brace.
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(this.source.slice(this.at));
      if (!braces) return undefined;
      this.at += braces[0].length - 1;
      const min = Number(braces[1]);
      count = { min: Math.min(min, 1), many: !(min === 1 && braces[2] === undefined) && !(min === 1 && braces[3] === '1') };
    } else return undefined;
    this.at++;
    if (this.source[this.at] === '?') this.at++;
    return count;
  }

  private atom(): Node {
    const c = this.source[this.at++];
    if (c === '^' || c === '$') return { kind: 'assertion' };
    if (c === '.') return { kind: 'other' };
    if (c === '[') return this.characterClass();
    if (c === '(') return this.group();
    if (c === '\\') return this.escape();
    if (c === '*' || c === '+' || c === '?') throw new Unreadable('nothing to repeat');
    return { kind: 'char', ch: c, min: 1, many: false };
  }

  private characterClass(): Node {
    if (this.source[this.at] === '[') throw new Unreadable('nested or POSIX class');
    if (this.source[this.at] === '^') this.at++;
    // `[]` is an empty class to V8 but a class holding `]` to RE2: read it neither way.
    if (this.source[this.at] === ']') throw new Unreadable('class opening with ]');
    while (this.at < this.source.length && this.source[this.at] !== ']') {
      if (this.source[this.at] === '\\') this.at++;
      else if (this.source[this.at] === '[' && this.source[this.at + 1] === ':') throw new Unreadable('POSIX class');
      this.at++;
    }
    if (this.at >= this.source.length) throw new Unreadable('unclosed class');
    this.at++;
    return { kind: 'other' };
  }

  private group(): Node {
    let lookaround = false;
    if (this.source[this.at] === '?') {
      const head = /^(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(this.source.slice(this.at + 1));
      if (!head) throw new Unreadable('inline flags or unknown group');
      // Look-around is zero width; what it looks at is not part of the match.
      lookaround = head[0] === '=' || head[0] === '!' || head[0] === '<=' || head[0] === '<!';
      this.at += 1 + head[0].length;
    }
    const alternatives = this.alternatives();
    if (this.source[this.at] !== ')') throw new Unreadable('unclosed group');
    this.at++;
    return lookaround ? { kind: 'assertion' } : { kind: 'group', alternatives, min: 1, many: false };
  }

  private escape(): Node {
    const c = this.source[this.at++];
    if (c === undefined) throw new Unreadable('trailing backslash');
    if (c === 'b' || c === 'B') return { kind: 'assertion' };
    if (c in CONTROL_ESCAPES) return { kind: 'char', ch: CONTROL_ESCAPES[c], min: 1, many: false };
    if (IDENTITY_ESCAPES.has(c)) return { kind: 'char', ch: c, min: 1, many: false };
    if ('dDwWsS'.includes(c)) return { kind: 'other' };
    if (c === 'x' && /^[0-9A-Fa-f]{2}/.test(this.source.slice(this.at))) {
      this.at += 2;
      return { kind: 'other' };
    }
    if (/[1-9]/.test(c)) return { kind: 'other' };
    // \Q, \p, \k, \u, \c, \0, RE2's \A and \z, ...: not worth the risk of reading them wrong.
    throw new Unreadable(`escape \\${c}`);
  }
}

/** Picks the most selective of several literal sets a match must each contain. */
type Choose = (sets: string[][]) => string[] | null;

/** The best literal set of a sequence: adjacent required characters joined into runs. */
function sequenceLiterals(nodes: Node[], choose: Choose): string[] | null {
  return choose(requiredSets(nodes, choose));
}

/** Every literal set a sequence requires: a match holds one literal of each. */
function requiredSets(nodes: Node[], choose: Choose): string[][] {
  const sets: string[][] = [];
  let run = '';
  const close = (): void => {
    if (run !== '') sets.push([run]);
    run = '';
  };
  const walk = (items: Node[]): void => {
    for (const node of items) {
      if (node.kind === 'assertion') continue; // zero width: the characters around it stay adjacent
      if (node.kind === 'other') close();
      else if (node.kind === 'char') {
        if (node.min === 0) close();
        else {
          run += node.ch;
          // `ab+c` holds "ab" and "c", never "abc" for sure.
          if (node.many) close();
        }
      } else if (node.min === 0) close();
      else if (node.alternatives.length === 1 && !node.many) walk(node.alternatives[0]);
      else {
        close();
        const inner = alternativeLiterals(node.alternatives, choose);
        if (inner) sets.push(inner);
      }
    }
  };
  walk(nodes);
  close();
  return sets.filter((set) => set.every((literal) => literal.length >= MIN_LITERAL));
}

/** How selective a set looks on its own: its shortest literal, less a little for each extra literal. */
function score(set: string[]): number {
  return Math.min(...set.map((s) => s.length)) - (set.length - 1) * 0.5;
}

/** Below this length a literal is found in too many real lines (`log`, `Start`, `1326`) to filter. */
const SHORT_LITERAL = 6;

/**
 * Prefers sets whose every literal is at least `SHORT_LITERAL` long: the catalogue's samples are
 * mostly failure lines, so a short word they rarely hold ("log", "Start") can still be in most
 * real lines. Among those, the set fewest of `corpus` lines contain (real log lines: common
 * phrases such as "disconnect from " are poor filters however long they are), then the longest.
 */
function chooser(corpus: readonly string[]): Choose {
  const lines = linesHolding(corpus);
  const seen = (set: string[]): number => {
    if (set.length === 1) return bitCount(lines(set[0]));
    const union = new Uint32Array(lines(set[0]));
    for (let k = 1; k < set.length; k++) {
      const other = lines(set[k]);
      for (let w = 0; w < union.length; w++) union[w] |= other[w];
    }
    return bitCount(union);
  };
  // A set of more literals than a prefilter may hold would leave the rule with none at all.
  const short = (set: string[]): number => (set.length > MAX_LITERALS ? 2 : set.some((literal) => literal.length < SHORT_LITERAL) ? 1 : 0);
  return (sets) => {
    let best: string[] | null = null;
    let bestShort = Infinity;
    let bestSeen = Infinity;
    for (const set of sets) {
      const isShort = short(set);
      const count = corpus.length > 0 ? seen(set) : 0;
      const better = isShort < bestShort || (isShort === bestShort && (count < bestSeen || (count === bestSeen && best !== null && score(set) > score(best))));
      if (!best || better) {
        best = set;
        bestShort = isShort;
        bestSeen = count;
      }
    }
    return best;
  };
}

/** Bit sets of the corpus lines holding each literal, kept per corpus: the catalogue's rules share one corpus, and their literals repeat. */
const holding = new WeakMap<readonly string[], Map<string, Uint32Array>>();

/** Which lines of `corpus` hold a literal, as a bit set (computed once a literal). */
function linesHolding(corpus: readonly string[]): (literal: string) => Uint32Array {
  let known = holding.get(corpus);
  if (!known) holding.set(corpus, (known = new Map()));
  const memo = known;
  return (literal) => {
    let bits = memo.get(literal);
    if (!bits) {
      bits = new Uint32Array((corpus.length + 31) >>> 5);
      for (let i = 0; i < corpus.length; i++) if (corpus[i].includes(literal)) bits[i >>> 5] |= 1 << (i & 31);
      memo.set(literal, bits);
    }
    return bits;
  };
}

/**
 * Counts, in one pass over `corpus`, the lines holding each literal the prefilters of `patterns`
 * could choose from, so that choosing among them costs no search of the corpus per literal.
 * Optional: a literal not counted here is counted when it is first needed.
 */
export function prepareCorpus(patterns: readonly string[], corpus: readonly string[]): void {
  const candidates = new Set<string>();
  // Every set a choice is ever offered is made of runs of its own level and of literals chosen a
  // level below, which were offered there: offering them all and keeping any one sees them all.
  const collect: Choose = (sets) => {
    for (const set of sets) for (const literal of set) candidates.add(literal);
    return sets[0] ?? null;
  };
  for (const pattern of patterns) {
    try {
      alternativeLiterals(new Reader(pattern).read(), collect);
    } catch (error) {
      if (!(error instanceof Unreadable)) throw error;
    }
  }
  let memo = holding.get(corpus);
  if (!memo) holding.set(corpus, (memo = new Map()));
  const literals = [...candidates].filter((literal) => !memo.has(literal));
  const search = new LiteralSearch(literals.map((text) => ({ text, ignoreCase: false })));
  const bits = literals.map(() => new Uint32Array((corpus.length + 31) >>> 5));
  for (let i = 0; i < corpus.length; i++) {
    const found = search.scan(corpus[i]);
    for (let k = 0; k < found; k++) bits[search.found[k]][i >>> 5] |= 1 << (i & 31);
  }
  literals.forEach((literal, k) => memo.set(literal, bits[k]));
}

/** How many bits are set. */
function bitCount(bits: Uint32Array): number {
  let total = 0;
  for (let w = 0; w < bits.length; w++) {
    let v = bits[w];
    v -= (v >>> 1) & 0x55555555;
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    total += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return total;
}

/** The union of each alternative's literals; null when one alternative has none. */
function alternativeLiterals(alternatives: Node[][], choose: Choose): string[] | null {
  const union = new Set<string>();
  for (const alternative of alternatives) {
    const literals = sequenceLiterals(alternative, choose);
    if (!literals) return null;
    for (const literal of literals) union.add(literal);
  }
  // A literal that contains another adds nothing: the shorter one is found wherever it is.
  const list = [...union];
  return list.filter((literal) => !list.some((other) => other !== literal && literal.includes(other)));
}

/**
 * Reads a rule's regular expression and returns the literals every match must contain, or
 * undefined when there are none worth testing (or the pattern is not understood). Where a match
 * must contain several literals, the one fewest `corpus` lines hold is taken (any is correct).
 */
export function prefilterFor(pattern: string, ignoreCase = false, corpus: readonly string[] = []): Prefilter | undefined {
  let literals: string[] | null;
  let also: string[][] = [];
  try {
    const choose = chooser(corpus);
    const alternatives = new Reader(pattern).read();
    literals = alternativeLiterals(alternatives, choose);
    // A pattern of one alternative requires every set of its sequence, not only the one chosen.
    if (alternatives.length === 1 && literals) also = requiredSets(alternatives[0], choose).filter((set) => set !== literals && set.length <= MAX_LITERALS && set.join('\u0000') !== literals!.join('\u0000'));
  } catch (error) {
    if (error instanceof Unreadable) return undefined;
    throw error;
  }
  if (!literals || literals.length === 0 || literals.length > MAX_LITERALS) return undefined;
  // Without the `u` flag, only ASCII letters fold to ASCII letters; a lower-cased message then
  // holds a lower-cased ASCII literal wherever the pattern matched it.
  const ascii = (set: string[]): boolean => set.every((literal) => /^[\x20-\x7e\t]*$/.test(literal));
  if (ignoreCase) {
    if (!ascii(literals)) return undefined;
    literals = literals.map((literal) => literal.toLowerCase());
    also = also.filter(ascii).map((set) => set.map((literal) => literal.toLowerCase()));
  }
  return also.length > 0 ? { literals, ignoreCase, also } : { literals, ignoreCase };
}

/** Whether a message may match: it contains one of the literals, and one of each further set. */
export function admits(prefilter: Prefilter, message: string, lowerMessage: string): boolean {
  const text = prefilter.ignoreCase ? lowerMessage : message;
  const holds = (set: string[]): boolean => set.some((literal) => text.includes(literal));
  return holds(prefilter.literals) && (prefilter.also ?? []).every(holds);
}
