import { ParsedLog } from '../parse/document';
import { TimeIndex, entryEnd, lowerBound, upperBound } from './timeIndex';

/** A log taking part in correlation, under the id its caller knows it by (a URI, a path). */
export interface IndexedLog {
  id: string;
  log: ParsedLog;
  index: TimeIndex;
}

/** One entry near the moment asked about. */
export interface CorrelatedEntry {
  id: string;
  line: number;
  endLine: number;
  time: number;
  deltaMs: number;
  /** The host the entry's header names, if any. */
  host?: string;
  text: string;
}

/** The entries of several logs within `windowMs` of `center`, and whether the list was cut at `limit`. */
export interface EntriesInWindow {
  entries: CorrelatedEntry[];
  truncated: boolean;
}

/** One log's part in a correlation. */
export interface CorrelatedLog {
  id: string;
  /** How many of the listed entries are this log's. */
  entries: number;
  /** Where this log's nearest entry is in `nearest`; absent for the log asked from. */
  nearest?: number;
}

/** What happened around a moment: the entries in the window, and how near each other log comes. */
export interface CorrelationResult extends EntriesInWindow {
  /**
   * For each log other than the one asked from, its entry nearest the centre, inside the window
   * or not, nearest first: a log whose lines all fall outside still says how far it is.
   */
  nearest: CorrelatedEntry[];
  /** Every log with a timed entry, in the order to show them: the one asked from, then nearest first. */
  logs: CorrelatedLog[];
}

/** How a correlation is asked for. */
export interface CorrelationQuery {
  center: number;
  windowMs: number;
  /** The id of the log the centre was taken from; its nearest entry is the line itself. */
  origin?: string;
  limit?: number;
}

function entryAt({ id, log, index }: IndexedLog, k: number, center: number): CorrelatedEntry {
  const line = index.lines[k];
  const time = index.times[k];
  const host = log.lines.host(line);
  return { id, line, endLine: entryEnd(log, line), time, deltaMs: time - center, ...(host ? { host } : {}), text: log.text.line(line) };
}

function byId(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lists, across all logs, the entries whose time lies within ± `windowMs` of `center`, in time
 * order (ties by log id, then line). Stops at `limit` entries nearest the centre.
 */
export function entriesAround(logs: IndexedLog[], center: number, windowMs: number, limit = 2000): EntriesInWindow {
  const entries: CorrelatedEntry[] = [];
  for (const indexed of logs) {
    const { times } = indexed.index;
    const to = upperBound(times, center + windowMs);
    for (let k = lowerBound(times, center - windowMs); k < to; k++) entries.push(entryAt(indexed, k, center));
  }
  let truncated = false;
  if (entries.length > limit) {
    entries.sort((a, b) => Math.abs(a.deltaMs) - Math.abs(b.deltaMs));
    entries.length = limit;
    truncated = true;
  }
  entries.sort((a, b) => a.time - b.time || byId(a.id, b.id) || a.line - b.line);
  return { entries, truncated };
}

/**
 * The log's entry nearest `center`, wherever it lies; of two as near, the earlier (a cause comes
 * before its effect), and of entries of one instant, the first in the file. Undefined when the
 * log has no timed entry.
 */
export function nearestEntry(indexed: IndexedLog, center: number): CorrelatedEntry | undefined {
  const { times } = indexed.index;
  if (times.length === 0) return undefined;
  const after = lowerBound(times, center);
  const before = after - 1;
  const k = after === times.length || (before >= 0 && center - times[before] <= times[after] - center) ? lowerBound(times, times[before]) : after;
  return entryAt(indexed, k, center);
}

/**
 * What happened around `center`: the entries within the window (as `entriesAround`), each other
 * log's nearest entry, and the logs in the order to show them, the one asked from first.
 */
export function correlateAround(logs: IndexedLog[], query: CorrelationQuery): CorrelationResult {
  const { center, windowMs, origin } = query;
  const { entries, truncated } = entriesAround(logs, center, windowMs, query.limit);
  const nearest = logs
    .filter((indexed) => indexed.id !== origin)
    .map((indexed) => nearestEntry(indexed, center))
    .filter((entry): entry is CorrelatedEntry => entry !== undefined)
    .sort((a, b) => Math.abs(a.deltaMs) - Math.abs(b.deltaMs) || a.deltaMs - b.deltaMs || byId(a.id, b.id));
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.id, (counts.get(entry.id) ?? 0) + 1);
  const asked = logs.filter((indexed) => indexed.id === origin && indexed.index.times.length > 0).map(({ id }) => ({ id, entries: counts.get(id) ?? 0 }));
  const others = nearest.map((entry, position) => ({ id: entry.id, entries: counts.get(entry.id) ?? 0, nearest: position }));
  return { entries, truncated, nearest, logs: [...asked, ...others] };
}
