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

export class LiteralSearch {
  readonly literals: readonly SearchedLiteral[];
  /** Character class of each UTF-16 code unit, folded. */
  private readonly classes = new Uint16Array(65536);
  private readonly width: number;
  /** `next[state * width + class]`. */
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
    let classCount = 1;
    for (const literal of literals) {
      for (let i = 0; i < literal.text.length; i++) {
        const c = foldChar(literal.text.charCodeAt(i));
        if (this.classes[c] === NO_CLASS) this.classes[c] = classCount++;
      }
    }
    // The letters that fold read as what they fold onto.
    for (let c = 65; c <= 90; c++) this.classes[c] = this.classes[c + 32];
    this.classes[0x212a] = this.classes[107];
    this.classes[0x17f] = this.classes[115];
    this.width = classCount;

    // The trie of the folded literals, in a table as wide as the alphabet (0: no child yet; the
    // root is never a child).
    const width = this.width;
    let bound = 1;
    for (const literal of literals) bound += literal.text.length;
    const trie = new Int32Array(bound * width);
    const ends: number[][] = [[]];
    let states = 1;
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.text.length; i++) {
        const cell = state * width + this.classes[foldChar(literal.text.charCodeAt(i))];
        if (trie[cell] === 0) {
          trie[cell] = states++;
          ends.push([]);
        }
        state = trie[cell];
      }
      ends[state].push(id);
    });
    const next = states <= 65536 ? new Uint16Array(states * width) : new Uint32Array(states * width);
    const fail = new Uint32Array(states);
    const outs: number[][] = ends.map((list) => [...list]);
    // Breadth first, so a state's failure link is complete before its children's.
    const queue = new Uint32Array(states);
    let tail = 0;
    for (let k = 1; k < width; k++) {
      const child = trie[k];
      next[k] = child;
      if (child !== 0) queue[tail++] = child;
    }
    for (let head = 0; head < tail; head++) {
      const state = queue[head];
      const inherited = outs[fail[state]];
      for (const id of inherited) if (!ends[state].includes(id)) outs[state].push(id);
      const row = state * width;
      const failRow = fail[state] * width;
      for (let k = 1; k < width; k++) {
        const child = trie[row + k];
        if (child === 0) next[row + k] = next[failRow + k];
        else {
          next[row + k] = child;
          fail[child] = next[failRow + k];
          queue[tail++] = child;
        }
      }
    }
    this.next = next;
    this.outStart = new Uint32Array(states + 1);
    for (let s = 0; s < states; s++) this.outStart[s + 1] = this.outStart[s] + outs[s].length;
    this.outputs = new Uint32Array(this.outStart[states]);
    for (let s = 0; s < states; s++) this.outputs.set(outs[s], this.outStart[s]);
  }

  /** Reads `text` once; afterwards `found[0 .. count)` are the literals it contains and `has(id)` says whether one is. */
  scan(text: string): number {
    this.pass = this.pass === 0xffffffff ? 1 : this.pass + 1;
    if (this.pass === 1) this.seenAt.fill(0);
    this.count = 0;
    const { classes, next, width, outStart, outputs } = this;
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = next[state * width + classes[text.charCodeAt(i)]];
      const first = outStart[state];
      const last = outStart[state + 1];
      for (let o = first; o < last; o++) this.record(outputs[o], text, i + 1);
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
