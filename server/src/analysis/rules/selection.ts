import { LiteralSearch, SearchedLiteral } from './literalSearch';
import { Prefilter } from './prefilter';
import type { RuleScope } from './matcher';

/**
 * The rules one message is worth running: `starts[0 .. startCount)` positions in its scope's
 * rules, `ends[0 .. endCount)` positions in the matcher's rules with an end pattern, each in
 * ascending order. Reused from line to line: read it before the next `select`.
 */
export interface Selection {
  starts: Int32Array;
  startCount: number;
  ends: Int32Array;
  endCount: number;
}

/**
 * Picks a message's rules by the literals it holds: one `LiteralSearch` over every required
 * literal of the catalogue (start and end patterns alike) reads the message once; a rule runs when
 * it has no prefilter, or when the message holds one of its literals.
 */
export class RuleSelector {
  private readonly search: LiteralSearch;
  /** The slots (a start rule's position in `all`, or `all.length` + an end rule's position) each literal stands for. */
  private readonly slotsOf: Int32Array[];
  private readonly startRules: number;
  /** End rules without a prefilter: tried on every line. */
  private readonly endsUnfiltered: number[];
  /** For each slot, the further literal sets it needs one literal of each of (`Prefilter.also`), as literal ids. */
  private readonly also: Int32Array[][];
  private readonly slotSeen: Uint32Array;
  private mark = 0;
  private readonly selection: Selection;

  constructor(startPrefilters: readonly (Prefilter | undefined)[], endPrefilters: readonly (Prefilter | undefined)[]) {
    const literals: SearchedLiteral[] = [];
    const ids = new Map<string, number>();
    const slots: number[][] = [];
    const idOf = (text: string, ignoreCase: boolean): number => {
      const key = `${ignoreCase ? 'i' : 's'}${text}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = literals.length;
        ids.set(key, id);
        literals.push({ text, ignoreCase });
        slots.push([]);
      }
      return id;
    };
    const also: Int32Array[][] = [];
    const add = (prefilter: Prefilter, slot: number): void => {
      for (const text of prefilter.literals) {
        const id = idOf(text, prefilter.ignoreCase);
        if (!slots[id].includes(slot)) slots[id].push(slot);
      }
      also[slot] = (prefilter.also ?? []).map((set) => Int32Array.from(set, (text) => idOf(text, prefilter.ignoreCase)));
    };
    startPrefilters.forEach((prefilter, r) => prefilter && add(prefilter, r));
    endPrefilters.forEach((prefilter, e) => prefilter && add(prefilter, startPrefilters.length + e));
    this.also = Array.from({ length: startPrefilters.length + endPrefilters.length }, (_, slot) => also[slot] ?? []);
    this.search = new LiteralSearch(literals);
    this.slotsOf = slots.map((list) => Int32Array.from(list));
    this.startRules = startPrefilters.length;
    this.endsUnfiltered = endPrefilters.flatMap((prefilter, e) => (prefilter ? [] : [e]));
    this.slotSeen = new Uint32Array(startPrefilters.length + endPrefilters.length);
    this.selection = { starts: new Int32Array(startPrefilters.length), startCount: 0, ends: new Int32Array(endPrefilters.length), endCount: 0 };
  }

  select(scope: RuleScope, message: string): Selection {
    const selection = this.selection;
    const { starts, ends } = selection;
    let startCount = 0;
    let endCount = 0;
    for (const position of scope.unfiltered) starts[startCount++] = position;
    for (const e of this.endsUnfiltered) ends[endCount++] = e;
    const found = this.search.scan(message);
    if (found > 0) {
      this.mark = this.mark === 0xffffffff ? 1 : this.mark + 1;
      if (this.mark === 1) this.slotSeen.fill(0);
      for (let k = 0; k < found; k++) {
        const slots = this.slotsOf[this.search.found[k]];
        for (let j = 0; j < slots.length; j++) {
          const slot = slots[j];
          if (this.slotSeen[slot] === this.mark) continue;
          this.slotSeen[slot] = this.mark;
          if (!this.holdsAlso(slot)) continue;
          if (slot >= this.startRules) ends[endCount++] = slot - this.startRules;
          else if (scope.position[slot] >= 0) starts[startCount++] = scope.position[slot];
        }
      }
    }
    selection.startCount = startCount;
    selection.endCount = endCount;
    sortPrefix(starts, startCount);
    sortPrefix(ends, endCount);
    return selection;
  }

  /** Whether the message just searched holds a literal of each further set the slot's rule requires. */
  private holdsAlso(slot: number): boolean {
    const sets = this.also[slot];
    for (let s = 0; s < sets.length; s++) {
      const set = sets[s];
      let held = false;
      for (let k = 0; k < set.length && !held; k++) held = this.search.has(set[k]);
      if (!held) return false;
    }
    return true;
  }
}

/** Sorts `values[0 .. count)` in place: a handful of values, where insertion sort is quickest. */
function sortPrefix(values: Int32Array, count: number): void {
  for (let i = 1; i < count; i++) {
    const value = values[i];
    let j = i - 1;
    while (j >= 0 && values[j] > value) {
      values[j + 1] = values[j];
      j--;
    }
    values[j + 1] = value;
  }
}
