import { lowerBound, upperBound } from '../analysis/correlate/timeIndex';
import { AnalyzedLog } from '../analysis/service';

/** A view holds at most this many lines: a window is for reading, and VS Code syncs it whole. */
export const MAX_VIEW_LINES = 100_000;

/** The lines of a log a time-window view holds: `[startLine, endLine)` of the log. */
export interface ViewSlice {
  startLine: number;
  endLine: number;
  /** The window held more than `MAX_VIEW_LINES`; the view stops there. */
  truncated: boolean;
}

/**
 * The stretch of a log from its first entry at or after `fromMs` to the last at or before `toMs`
 * (with that entry's continuation lines), in file order: lines in between that are out of order
 * stay where the log has them. Undefined when no entry falls in the window.
 */
export function timeWindowSlice(log: AnalyzedLog, fromMs: number, toMs: number, maxLines = MAX_VIEW_LINES): ViewSlice | undefined {
  const { lines, times } = log.index;
  const a = lowerBound(times, fromMs);
  const b = upperBound(times, toMs);
  if (a >= b) return undefined;
  let first = Infinity;
  let last = -1;
  for (let k = a; k < b; k++) {
    if (lines[k] < first) first = lines[k];
    if (lines[k] > last) last = lines[k];
  }
  const count = log.parsed.lines.length;
  let end = last + 1;
  while (end < count && log.parsed.entryStart[end] === last) end++;
  const truncated = end - first > maxLines;
  return { startLine: first, endLine: truncated ? first + maxLines : end, truncated };
}

/** The text of a slice, its lines joined by `\n`. */
export function sliceText(log: AnalyzedLog, slice: ViewSlice): string {
  const out: string[] = [];
  for (let line = slice.startLine; line < slice.endLine; line++) out.push(log.parsed.text.line(line));
  return out.join('\n');
}
