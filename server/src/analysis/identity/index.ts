import { ParsedLog } from '../parse/document';
import { upperBound } from '../sorted';
import { extractKeys } from './keys';
import { IDENTITY_KINDS, IdentityKey, IdentityKind } from './types';

/** One place a key stands: which log, which line, the span, and the instant of the line's entry (NaN if none). */
export interface Occurrence {
  logId: string;
  line: number;
  start: number;
  end: number;
  time: number;
}

/** The size of an index, to watch its cost. `bytes` counts the typed arrays, not the interned strings. */
export interface IdentityIndexStats {
  logs: number;
  keys: number;
  occurrences: number;
  bytes: number;
}

/**
 * One log's keys, struct-of-arrays: occurrence `o` is key `keyIds[o]` at `starts[o]` for
 * `lengths[o]` chars, in file order; line `l` holds occurrences `lineFirst[l]` to
 * `lineFirst[l + 1]`. `byKey` lists the occurrences ordered by key id (stably), so one key's
 * occurrences in this log are one binary search away. About 14 bytes per occurrence.
 */
interface LogKeys {
  id: string;
  log: ParsedLog;
  keyIds: Int32Array;
  starts: Int32Array;
  lengths: Uint16Array;
  lineFirst: Int32Array;
  byKey: Int32Array;
}

/** A growable Int32Array, so building does not go through arrays of boxed numbers. */
class IntBuffer {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  trimmed(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Where every identity key of a set of logs stands, for references, highlights, "go to first
 * appearance" and message traces. Keys are interned (one string per distinct kind and value, freed
 * when its last log goes); occurrences live in typed arrays per log, so removing a log is dropping
 * its arrays. Logs are kept in the order they were added, which orders occurrences.
 */
export class IdentityIndex {
  private readonly logs = new Map<string, LogKeys>();
  private readonly ids = new Map<string, number>();
  private kinds = new Uint8Array(1024);
  private refs = new Int32Array(1024);
  private values: (string | undefined)[] = [];
  private readonly freeIds: number[] = [];

  /** Indexes a parsed log under `id` (a URI, a path), replacing what was there under that id. */
  addLog(id: string, log: ParsedLog): void {
    this.removeLog(id);
    const count = log.lines.length;
    const keyIds = new IntBuffer(count * 2);
    const starts = new IntBuffer(count * 2);
    const lengths = new IntBuffer(count * 2);
    const lineFirst = new Int32Array(count + 1);
    for (let line = 0; line < count; line++) {
      lineFirst[line] = keyIds.length;
      for (const key of extractKeys(log.text.line(line), log.lines.fields(line))) {
        // A span longer than 65535 chars cannot be stored; such a token is no identity anyway.
        if (key.end - key.start > 0xffff) continue;
        keyIds.push(this.intern(key.kind, key.value));
        starts.push(key.start);
        lengths.push(key.end - key.start);
      }
    }
    lineFirst[count] = keyIds.length;
    const ids = keyIds.trimmed();
    this.logs.set(id, {
      id,
      log,
      keyIds: ids,
      starts: starts.trimmed(),
      lengths: Uint16Array.from(lengths.trimmed()),
      lineFirst,
      byKey: this.sortByKey(ids),
    });
  }

  /** Forgets a log; keys no other log has are released. */
  removeLog(id: string): void {
    const entry = this.logs.get(id);
    if (!entry) return;
    this.logs.delete(id);
    for (const keyId of entry.keyIds) {
      if (--this.refs[keyId] === 0) {
        this.ids.delete(this.keyString(this.kinds[keyId], this.values[keyId] as string));
        this.values[keyId] = undefined;
        this.freeIds.push(keyId);
      }
    }
  }

  /** The ids of the indexed logs, in the order they were added. */
  logIds(): string[] {
    return [...this.logs.keys()];
  }

  /** The parsed log indexed under `id`. */
  log(id: string): ParsedLog | undefined {
    return this.logs.get(id)?.log;
  }

  /** Every place `kind`/`value` stands: logs in the order added, lines in file order; at most `limit`. */
  occurrences(kind: IdentityKind, value: string, limit = Infinity): Occurrence[] {
    const keyId = this.ids.get(this.keyString(IDENTITY_KINDS.indexOf(kind), value));
    const found: Occurrence[] = [];
    if (keyId === undefined) return found;
    for (const entry of this.logs.values()) {
      for (let k = lowerBoundByKey(entry, keyId); k < entry.byKey.length && found.length < limit; k++) {
        const o = entry.byKey[k];
        if (entry.keyIds[o] !== keyId) break;
        const line = lineOf(entry.lineFirst, o);
        const start = entry.starts[o];
        found.push({ logId: entry.id, line, start, end: start + entry.lengths[o], time: entry.log.times[entry.log.entryStart[line]] });
      }
    }
    return found;
  }

  /**
   * The first appearance of a key ("definition"): the earliest by time; ties, and lines without
   * a time (which come after all timed ones), by the order logs were added, then by line.
   */
  firstOccurrence(kind: IdentityKind, value: string): Occurrence | undefined {
    let best: Occurrence | undefined;
    for (const occurrence of this.occurrences(kind, value)) {
      if (!best || (Number.isNaN(best.time) ? !Number.isNaN(occurrence.time) : occurrence.time < best.time)) best = occurrence;
    }
    return best;
  }

  /** The keys on one line, in the order they stand. */
  keysOnLine(logId: string, line: number): IdentityKey[] {
    const entry = this.logs.get(logId);
    if (!entry || line < 0 || line >= entry.lineFirst.length - 1) return [];
    const keys: IdentityKey[] = [];
    for (let o = entry.lineFirst[line]; o < entry.lineFirst[line + 1]; o++) {
      const keyId = entry.keyIds[o];
      const start = entry.starts[o];
      keys.push({ kind: IDENTITY_KINDS[this.kinds[keyId]], value: this.values[keyId] as string, start, end: start + entry.lengths[o] });
    }
    return keys;
  }

  /** The key under a cursor at `character` (inside the span, or just after its end), if any. */
  keyAt(logId: string, line: number, character: number): IdentityKey | undefined {
    const keys = this.keysOnLine(logId, line);
    return keys.find((key) => key.start <= character && character < key.end) ?? keys.find((key) => key.end === character);
  }

  /** How big the index is. */
  stats(): IdentityIndexStats {
    let occurrences = 0;
    let bytes = this.kinds.byteLength + this.refs.byteLength;
    for (const entry of this.logs.values()) {
      occurrences += entry.keyIds.length;
      bytes += entry.keyIds.byteLength + entry.starts.byteLength + entry.lengths.byteLength + entry.lineFirst.byteLength + entry.byKey.byteLength;
    }
    return { logs: this.logs.size, keys: this.ids.size, occurrences, bytes };
  }

  private keyString(kind: number, value: string): string {
    return String.fromCharCode(48 + kind) + value;
  }

  private intern(kind: IdentityKind, value: string): number {
    const kindIndex = IDENTITY_KINDS.indexOf(kind);
    const key = this.keyString(kindIndex, value);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.freeIds.pop() ?? this.values.length;
      if (id >= this.kinds.length) this.grow();
      this.ids.set(key, id);
      this.kinds[id] = kindIndex;
      this.values[id] = value;
      this.refs[id] = 0;
    }
    this.refs[id]++;
    return id;
  }

  private grow(): void {
    const kinds = new Uint8Array(this.kinds.length * 2);
    kinds.set(this.kinds);
    const refs = new Int32Array(this.refs.length * 2);
    refs.set(this.refs);
    this.kinds = kinds;
    this.refs = refs;
  }

  /** Occurrence numbers ordered by key id, stable: a counting sort, linear in occurrences and keys. */
  private sortByKey(keyIds: Int32Array): Int32Array {
    const counts = new Int32Array(this.values.length + 1);
    for (const keyId of keyIds) counts[keyId + 1]++;
    for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
    const order = new Int32Array(keyIds.length);
    for (let o = 0; o < keyIds.length; o++) order[counts[keyIds[o]]++] = o;
    return order;
  }
}

/** The first position in `entry.byKey` whose key id is at least `keyId`. */
function lowerBoundByKey(entry: LogKeys, keyId: number): number {
  let low = 0;
  let high = entry.byKey.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (entry.keyIds[entry.byKey[mid]] < keyId) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The line holding occurrence `o`: the last line whose first occurrence is at or before it. */
function lineOf(lineFirst: Int32Array, o: number): number {
  return Math.max(0, upperBound(lineFirst, o) - 1);
}
