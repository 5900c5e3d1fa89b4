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
export interface CorrelationResult {
  entries: CorrelatedEntry[];
  truncated: boolean;
}

/**
 * Lists, across all logs, the entries whose time lies within ± `windowMs` of `center`, in time
 * order (ties by log id, then line). Stops at `limit` entries nearest the centre.
 */
export function entriesAround(logs: IndexedLog[], center: number, windowMs: number, limit = 2000): CorrelationResult {
  const entries: CorrelatedEntry[] = [];
  for (const { id, log, index } of logs) {
    const from = lowerBound(index.times, center - windowMs);
    const to = upperBound(index.times, center + windowMs);
    for (let k = from; k < to; k++) {
      const line = index.lines[k];
      const time = index.times[k];
      const host = log.lines.host(line);
      entries.push({ id, line, endLine: entryEnd(log, line), time, deltaMs: time - center, ...(host ? { host } : {}), text: log.text.line(line) });
    }
  }
  let truncated = false;
  if (entries.length > limit) {
    entries.sort((a, b) => Math.abs(a.deltaMs) - Math.abs(b.deltaMs));
    entries.length = limit;
    truncated = true;
  }
  entries.sort((a, b) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || a.line - b.line);
  return { entries, truncated };
}
