import { MaskedMessage } from './mask';

/**
 * The miner's remembered messages found by their key (`program \u0001 masked tokens joined by
 * NUL`) without building the key: a line's masked text is hashed and compared where it lies, in
 * its `MaskedMessage`, so a repeat (most lines) costs no string. Keys are the miner's own
 * strings; this holds only numbers: per hash its newest id, per id the previous one with the
 * same hash.
 */
export class SequenceIndex {
  private readonly newest = new Map<number, number>();
  private previous = new Int32Array(1024);

  /** Files `key` (of `program`) under `id`; ids are 0, 1, 2, … in order. */
  add(key: string, id: number): void {
    if (id >= this.previous.length) {
      const grown = new Int32Array(this.previous.length * 2);
      grown.set(this.previous);
      this.previous = grown;
    }
    const hash = hashRange(key, 0, key.length);
    this.previous[id] = this.newest.get(hash) ?? -1;
    this.newest.set(hash, id);
  }

  /** The id filed under `key`, or undefined. */
  find(key: string, keys: readonly { key: string }[]): number | undefined {
    for (let id = this.newest.get(hashRange(key, 0, key.length)) ?? -1; id >= 0; id = this.previous[id]) if (keys[id].key === key) return id;
    return undefined;
  }

  /** The id filed under the key `program \u0001 masked.text()`, or undefined. */
  findMasked(program: string, masked: MaskedMessage, keys: readonly { key: string }[]): number | undefined {
    let hash = hashRange(program, 0, program.length, FNV_OFFSET);
    hash = Math.imul(hash ^ 1, FNV_PRIME);
    const chars = masked.chars;
    const length = masked.length;
    for (let i = 0; i < length; i++) hash = Math.imul(hash ^ chars[i], FNV_PRIME);
    for (let id = this.newest.get(hash) ?? -1; id >= 0; id = this.previous[id]) if (keyEquals(keys[id].key, program, masked)) return id;
    return undefined;
  }
}

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** FNV-1a over the UTF-16 code units of `text` from `start` to `end`. */
function hashRange(text: string, start: number, end: number, seed = FNV_OFFSET): number {
  let hash = seed;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  return hash;
}

/** Whether `key` is `program \u0001` followed by the masked text. */
function keyEquals(key: string, program: string, masked: MaskedMessage): boolean {
  const offset = program.length + 1;
  const length = masked.length;
  if (key.length !== offset + length || key.charCodeAt(program.length) !== 1 || !key.startsWith(program)) return false;
  const chars = masked.chars;
  for (let i = 0; i < length; i++) if (key.charCodeAt(offset + i) !== chars[i]) return false;
  return true;
}
