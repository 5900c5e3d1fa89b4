/**
 * Finds, in one left-to-right pass over a text, which of many literals it contains: an
 * Aho–Corasick automaton turned into a full transition table, so each character costs one table
 * read however many literals there are.
 *
 * Case: the automaton reads the text with ASCII letters folded to lower case, and with the two
 * letters outside ASCII whose case folds onto an ASCII letter (U+212A KELVIN SIGN onto `k`, U+017F
 * LATIN SMALL LETTER LONG S onto `s`, as RE2 folds them) folded the same way; each fold keeps the
 * text's length, so a hit's position is the same in the text as written. A case-insensitive
 * literal is found wherever the folded text holds the folded literal; a case-sensitive one is
 * confirmed against the text as written.
 */

/** One literal to look for. */
export interface SearchedLiteral {
  text: string;
  ignoreCase: boolean;
}

/** Where the table reads a character outside every literal: it always leads back to the root. */
const NO_CLASS = 0;

/** A character as the automaton reads it. */
export function foldChar(code: number): number {
  if (code >= 65 && code <= 90) return code + 32;
  if (code === 0x212a) return 107;
  if (code === 0x17f) return 115;
  return code;
}

/** A text as the automaton reads it, character for character. */
export function foldText(text: string): string {
  let folded = '';
  for (let i = 0; i < text.length; i++) folded += String.fromCharCode(foldChar(text.charCodeAt(i)));
  return folded;
}

/**
 * Each cell of the transition table holds the next state's number shifted left by one, its low
 * bit set when literals end there: one read per character says both where to go and whether to
 * look at outputs. The table is stored a class at a time (`class * states + state`) and states are
 * numbered breadth first, so the few shallow states most characters lead to lie side by side in
 * each class's column, and the cells a scan reads share far fewer cache lines than the table has.
 */
const HAS_OUTPUTS = 1;

const NO_OUTPUTS: number[] = [];

/**
 * The trie of the folded literals, its states numbered as inserted (0, the root, is never a
 * child, so 0 also says "none"); each state's children in a list, as most states have one.
 */
interface Trie {
  states: number;
  firstChild: Int32Array;
  sibling: Int32Array;
  /** The class of the character leading to each state. */
  label: Uint16Array;
  /** The literals ending at each state, where any do. */
  ends: (number[] | undefined)[];
}

function buildTrie(literals: readonly SearchedLiteral[], classes: Uint16Array): Trie {
  let bound = 1;
  for (const literal of literals) bound += literal.text.length;
  const trie: Trie = { states: 1, firstChild: new Int32Array(bound), sibling: new Int32Array(bound), label: new Uint16Array(bound), ends: [] };
  literals.forEach((literal, id) => {
    let state = 0;
    for (let i = 0; i < literal.text.length; i++) {
      const k = classes[foldChar(literal.text.charCodeAt(i))];
      let child = trie.firstChild[state];
      while (child !== 0 && trie.label[child] !== k) child = trie.sibling[child];
      if (child === 0) {
        child = trie.states++;
        trie.label[child] = k;
        trie.sibling[child] = trie.firstChild[state];
        trie.firstChild[state] = child;
      }
      state = child;
    }
    (trie.ends[state] ??= []).push(id);
  });
  return trie;
}

/** The trie's states breadth first: `order[n]` is the state numbered n, `number[state]` its number. */
function breadthFirst(trie: Trie): { order: Uint32Array; number: Uint32Array } {
  const order = new Uint32Array(trie.states);
  const number = new Uint32Array(trie.states);
  let tail = 1;
  for (let head = 0; head < tail; head++) {
    for (let child = trie.firstChild[order[head]]; child !== 0; child = trie.sibling[child]) {
      number[child] = tail;
      order[tail++] = child;
    }
  }
  return { order, number };
}

/**
 * A table of `states` rows of `width` cells rewritten a class at a time, each cell with its
 * `HAS_OUTPUTS` bit set from `hasOutputs` (1 where literals end at the state it leads to); a block
 * of rows after another, so that both tables' lines stay in cache.
 */
function byClass<Cells extends Uint16Array | Uint32Array>(rows: Cells, states: number, width: number, hasOutputs: Uint8Array): Cells {
  const columns = (rows instanceof Uint16Array ? new Uint16Array(rows.length) : new Uint32Array(rows.length)) as Cells;
  const BLOCK = 64;
  for (let first = 0; first < states; first += BLOCK) {
    const last = Math.min(first + BLOCK, states);
    for (let k = 0; k < width; k++) {
      const column = k * states;
      for (let n = first; n < last; n++) {
        const cell = rows[n * width + k];
        columns[column + n] = cell | (hasOutputs[cell >>> 1] * HAS_OUTPUTS);
      }
    }
  }
  return columns;
}

export class LiteralSearch {
  readonly literals: readonly SearchedLiteral[];
  /** Where the column of each UTF-16 code unit's class starts in `next`: `class * states`. */
  private readonly columns = new Uint32Array(65536);
  /** `next[columns[char] + state]`: the next state `<< 1`, `| HAS_OUTPUTS` when literals end there. */
  private readonly next: Uint16Array | Uint32Array;
  /** The literals ending at each state, its own and its suffixes': `outputs[outStart[s] .. outStart[s + 1])`. */
  private readonly outStart: Uint32Array;
  private readonly outputs: Uint32Array;
  /** `seenAt[id] === pass` when the last `scan` found literal `id`. */
  private readonly seenAt: Uint32Array;
  private pass = 0;
  /** The literals the last `scan` found, `found[0 .. count)`, each once. */
  readonly found: Uint32Array;
  count = 0;

  constructor(literals: readonly SearchedLiteral[]) {
    this.literals = literals;
    this.seenAt = new Uint32Array(literals.length);
    this.found = new Uint32Array(literals.length);
    /** Character class of each UTF-16 code unit, folded. */
    const classes = new Uint16Array(65536);
    let width = 1;
    for (const literal of literals) {
      for (let i = 0; i < literal.text.length; i++) {
        const c = foldChar(literal.text.charCodeAt(i));
        if (classes[c] === NO_CLASS) classes[c] = width++;
      }
    }
    // The letters that fold read as what they fold onto.
    for (let c = 65; c <= 90; c++) classes[c] = classes[c + 32];
    classes[0x212a] = classes[107];
    classes[0x17f] = classes[115];

    const trie = buildTrie(literals, classes);
    const { order, number } = breadthFirst(trie);
    const states = trie.states;
    const Cells = states <= 0x8000 ? Uint16Array : Uint32Array;
    const rows = new Cells(states * width);
    /** By number: the failure link, and the literals ending there (`NO_OUTPUTS` for most). */
    const fail = new Uint32Array(states);
    const outs: number[][] = new Array<number[]>(states);
    const hasOutputs = new Uint8Array(states);
    for (let n = 0; n < states; n++) {
      const state = order[n];
      const own = trie.ends[state];
      const inherited = n === 0 ? NO_OUTPUTS : outs[fail[n]];
      outs[n] = own ? [...own, ...inherited] : inherited;
      hasOutputs[n] = outs[n].length > 0 ? 1 : 0;
      // A state goes where its failure state goes, but to its own children: the failure state's
      // row is complete, being shallower.
      const row = n * width;
      const failRow = fail[n] * width;
      if (n > 0) rows.copyWithin(row, failRow, failRow + width);
      for (let child = trie.firstChild[state]; child !== 0; child = trie.sibling[child]) {
        const k = trie.label[child];
        if (n > 0) fail[number[child]] = rows[failRow + k] >>> 1;
        rows[row + k] = number[child] << 1;
      }
    }
    this.next = byClass(rows, states, width, hasOutputs);
    for (let c = 0; c < 65536; c++) this.columns[c] = classes[c] * states;
    this.outStart = new Uint32Array(states + 1);
    for (let n = 0; n < states; n++) this.outStart[n + 1] = this.outStart[n] + outs[n].length;
    this.outputs = new Uint32Array(this.outStart[states]);
    for (let n = 0; n < states; n++) if (hasOutputs[n] === 1) this.outputs.set(outs[n], this.outStart[n]);
  }

  /** Reads `text` once; afterwards `found[0 .. count)` are the literals it contains and `has(id)` says whether one is. */
  scan(text: string): number {
    this.pass = this.pass === 0xffffffff ? 1 : this.pass + 1;
    if (this.pass === 1) this.seenAt.fill(0);
    this.count = 0;
    const { columns, next, outStart, outputs } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      const cell = next[columns[text.charCodeAt(i)] + state];
      state = cell >>> 1;
      if ((cell & HAS_OUTPUTS) === 0) continue;
      const last = outStart[state + 1];
      for (let o = outStart[state]; o < last; o++) this.record(outputs[o], text, i + 1);
    }
    return this.count;
  }

  /** Whether the last `scan` found literal `id`. */
  has(id: number): boolean {
    return this.seenAt[id] === this.pass;
  }

  private record(id: number, text: string, end: number): void {
    if (this.seenAt[id] === this.pass) return;
    const literal = this.literals[id];
    if (!literal.ignoreCase && !text.startsWith(literal.text, end - literal.text.length)) return;
    this.seenAt[id] = this.pass;
    this.found[this.count++] = id;
  }
}
