import { ParsedLog } from '../parse/document';
import { Steps, endsStep, runSteps } from '../steps';

export { lowerBound, upperBound } from '../sorted';

/** The entries of one log ordered by time, for range queries. */
export interface TimeIndex {
  /** Line numbers of entry-starting lines that have a time, in time order (ties keep file order). */
  lines: Int32Array;
  /** The times of `lines`, ascending. */
  times: Float64Array;
}

/** Builds the time order of a log's entries. Logs are mostly in order already; the sort is stable. */
export function buildTimeIndex(log: ParsedLog): TimeIndex {
  return runSteps(timeIndexSteps(log));
}

/** `buildTimeIndex` in steps of lines (`Steps`); a log out of order is sorted in one piece. */
export function* timeIndexSteps(log: ParsedLog): Steps<TimeIndex> {
  const { entryStart, times } = log;
  const count = log.lines.length;
  let stampedCount = 0;
  for (let i = 0; i < count; i++) {
    if (endsStep(i)) yield;
    if (entryStart[i] === i && !Number.isNaN(times[i])) stampedCount++;
  }
  const lines = new Int32Array(stampedCount);
  let k = 0;
  let sorted = true;
  for (let i = 0; i < count; i++) {
    if (endsStep(i)) yield;
    if (entryStart[i] !== i || Number.isNaN(times[i])) continue;
    if (k > 0 && times[i] < times[lines[k - 1]]) sorted = false;
    lines[k++] = i;
  }
  if (!sorted) lines.sort((a, b) => times[a] - times[b] || a - b);
  // Every line an entry with a time, in order (most syslog files): the log's own times are the
  // index's, and a copy would cost 8 bytes a line (80 MB at 10 M lines). Neither is written after.
  if (sorted && stampedCount === count) return { lines, times: times.length === count ? times : times.subarray(0, count) };
  const ordered = new Float64Array(stampedCount);
  for (let j = 0; j < stampedCount; j++) {
    if (endsStep(j)) yield;
    ordered[j] = times[lines[j]];
  }
  return { lines, times: ordered };
}

/** The last line of the entry that starts at `line` (its continuation lines included). */
export function entryEnd(log: ParsedLog, line: number): number {
  let end = line;
  while (end + 1 < log.lines.length && log.entryStart[end + 1] === line && log.lines.kind(end + 1) !== 'blank') end++;
  return end;
}
