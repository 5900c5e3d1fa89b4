import { detached } from '../parse/text';

/**
 * What is counted of the lines behind a template or a masked message: how many, the first line,
 * the earliest and latest instant, and the hosts and files (a few of each). Every field is
 * order-independent (a minimum, a maximum, a sum, a capped set filled in line order), so what two
 * threads count joins into what one pass counts.
 */
export interface Tally {
  count: number;
  /** Smallest line number; Infinity when empty. */
  firstLine: number;
  /** Largest line number; -Infinity when empty (also how recent a template is). */
  lastLine: number;
  /** Earliest instant in UTC milliseconds; NaN when no line had one. */
  firstTime: number;
  /** Latest instant in UTC milliseconds; NaN when no line had one. */
  lastTime: number;
  hosts?: string[];
  files?: number[];
  /** Some hosts or files were left out of the capped lists. */
  truncated?: boolean;
}

/** An empty tally. */
export function emptyTally(): Tally {
  return { count: 0, firstLine: Infinity, lastLine: -Infinity, firstTime: NaN, lastTime: NaN };
}

/** Counts one line into `tally`; `time` NaN (or not finite) is simply not a time. */
export function countLine(tally: Tally, line: number, time: number, host: string | undefined, file: number | undefined, cap: number): void {
  tally.count++;
  if (line < tally.firstLine) tally.firstLine = line;
  if (line > tally.lastLine) tally.lastLine = line;
  noteTime(tally, time);
  if (host) addCapped(tally, 'hosts', host, cap);
  if (file !== undefined) addCapped(tally, 'files', file, cap);
}

/** Widens the tally's time range to `time` when it is an instant. */
export function noteTime(tally: Tally, time: number): void {
  if (!Number.isFinite(time)) return;
  if (!(time >= tally.firstTime)) tally.firstTime = time;
  if (!(time <= tally.lastTime)) tally.lastTime = time;
}

function addCapped<K extends 'hosts' | 'files'>(tally: Tally, key: K, value: NonNullable<Tally[K]>[number], cap: number): void {
  const list = (tally[key] ??= [] as unknown as Tally[K]) as (typeof value)[];
  if (list.includes(value)) return;
  if (list.length >= cap) tally.truncated = true;
  // A copy: a host cut from a line would keep the chunk the line was read in alive.
  else list.push((typeof value === 'string' ? detached(value) : value) as typeof value);
}

/** Adds `other` (its line numbers shifted by `lineOffset`) into `into`. */
export function absorbTally(into: Tally, other: Tally, lineOffset: number, cap: number): void {
  if (other.count === 0) return;
  into.count += other.count;
  into.firstLine = Math.min(into.firstLine, other.firstLine + lineOffset);
  into.lastLine = Math.max(into.lastLine, other.lastLine + lineOffset);
  noteTime(into, other.firstTime);
  noteTime(into, other.lastTime);
  for (const host of other.hosts ?? []) addCapped(into, 'hosts', host, cap);
  for (const file of other.files ?? []) addCapped(into, 'files', file, cap);
  if (other.truncated) into.truncated = true;
}

/** A copy of `tally` that shares no arrays with it. */
export function copyTally(tally: Tally): Tally {
  return { ...tally, hosts: tally.hosts?.slice(), files: tally.files?.slice() };
}
