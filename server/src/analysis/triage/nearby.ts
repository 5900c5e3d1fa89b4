import { lowerBound } from '../sorted';

/** Flagged lines of another log close to a group's moments. */
export interface NearbyLines {
  /** Index of the log in the input. */
  log: number;
  lines: number;
}

/** One log's flagged lines in time order, each with the index of its group. */
interface LogFlags {
  times: Float64Array;
  groups: Int32Array;
}

/** A flagged line that marks a moment of its group: its first line, a line of its burst, where its rate changes. */
export interface GroupMoment {
  group: number;
  log: number;
  time: number;
}

/**
 * Answers "what else was flagged in the other logs around this moment", from the moments of the
 * groups rather than all their lines: a stream that runs on (background, or an error repeated
 * every few minutes since it started) has a line near any moment, which says nothing about one.
 */
export class NearbyFlags {
  private readonly logs: LogFlags[];

  constructor(moments: readonly GroupMoment[], logCount: number) {
    const byLog: GroupMoment[][] = Array.from({ length: logCount }, () => []);
    for (const moment of moments) if (Number.isFinite(moment.time) && moment.log >= 0 && moment.log < logCount) byLog[moment.log].push(moment);
    this.logs = byLog.map((list) => {
      list.sort((a, b) => a.time - b.time || a.group - b.group);
      return { times: Float64Array.from(list, (m) => m.time), groups: Int32Array.from(list, (m) => m.group) };
    });
  }

  /**
   * Per log other than `ownLog`, the flagged lines of other groups than `group` within
   * `windowMs` of any of `moments` (UTC ms), most first; logs with none are left out.
   */
  around(group: number, ownLog: number, moments: readonly number[], windowMs: number): NearbyLines[] {
    const ranges = mergedRanges(moments.filter((m) => Number.isFinite(m)), windowMs);
    const found: NearbyLines[] = [];
    this.logs.forEach((flags, log) => {
      if (log === ownLog) return;
      let lines = 0;
      for (const [from, to] of ranges) {
        for (let k = lowerBound(flags.times, from); k < flags.times.length && flags.times[k] <= to; k++) if (flags.groups[k] !== group) lines++;
      }
      if (lines > 0) found.push({ log, lines });
    });
    return found.sort((a, b) => b.lines - a.lines || a.log - b.log);
  }
}

/** The windows `± windowMs` around each moment, overlapping ones joined, in order. */
function mergedRanges(moments: readonly number[], windowMs: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (const moment of [...moments].sort((a, b) => a - b)) {
    const last = ranges[ranges.length - 1];
    if (last && moment - windowMs <= last[1]) last[1] = Math.max(last[1], moment + windowMs);
    else ranges.push([moment - windowMs, moment + windowMs]);
  }
  return ranges;
}
