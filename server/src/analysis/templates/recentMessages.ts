import { detachedQuickly } from '../parse/text';

/**
 * Messages seen lately, each with what the caller worked out for it, so that an exact repeat
 * (a cron job's line, a monitor's probe, the same client refused again) is one hash lookup
 * instead of the work again. Bounded: when `capacity` messages are kept the oldest half is let go
 * (two generations, a repeat found in the older one is kept on): a log of distinct messages
 * costs at most a lookup and a copy a line, never memory without end, and a `RepeatGate` soon
 * spares it both. Keys are copies: a slice of a line would keep the whole chunk it was read in
 * alive.
 */
export class RecentMessages<V> {
  private current = new Map<string, V>();
  private older = new Map<string, V>();
  private readonly generation: number;

  constructor(capacity = 16_384) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  /** What was kept for `message`, or undefined. */
  get(message: string): V | undefined {
    const value = this.current.get(message);
    if (value !== undefined || this.older.size === 0) return value;
    const old = this.older.get(message);
    if (old !== undefined) this.set(message, old);
    return old;
  }

  /** Keeps `value` for `message`. */
  set(message: string, value: V): void {
    if (this.current.size >= this.generation) {
      this.older = this.current;
      this.current = new Map();
    }
    this.current.set(detachedQuickly(message), value);
  }

  /** Messages kept (both generations). */
  get size(): number {
    return this.current.size + this.older.size;
  }
}

/** Below this credit a gate is shut. */
const GATE_FLOOR = -4;
/** What a repeat found adds: looking up pays while about one message in this many is a repeat. */
const REPEAT_CREDIT = 4;
/** The most credit a gate builds up, so that it soon shuts when the repeats stop. */
const CREDIT_MAX = 1024;
/** A shut gate still lets one message in this many be looked up, so repeats that start are seen to. */
const RETRY_EVERY = 64;

/**
 * Whether the messages of one source (a program) repeat word for word often enough
 * that looking each up among the recent messages, and keeping it there, pays: a lookup hashes the
 * message and keeping it copies it, which a source whose every message differs (a queue id, a
 * port) never wins back. Credit goes up for each repeat found and down for each one looked up
 * in vain.
 */
export class RepeatGate {
  private credit = 0;
  private shut = 0;

  /** Whether to look the next message up (and keep it, with what it gave, when it is not found). */
  open(): boolean {
    if (this.credit >= GATE_FLOOR) return true;
    return ++this.shut % RETRY_EVERY === 0;
  }

  /** The message was found among the recent ones. */
  found(): void {
    this.credit = Math.min(this.credit + REPEAT_CREDIT, CREDIT_MAX);
  }

  /** The message was looked up and not found. */
  missed(): void {
    this.credit--;
  }
}
