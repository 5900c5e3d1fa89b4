import { chooseBucketMs } from '../correlate/buckets';
import { lowerBound } from '../sorted';

/** Buckets of equal width over a stretch of time. */
export interface BucketGrid {
  /** Start of the first bucket, UTC ms. */
  from: number;
  bucketMs: number;
  count: number;
}

/** A group's lines counted in the buckets of a grid. */
export interface RateProfile extends BucketGrid {
  counts: number[];
}

/** How many buckets the common grid of an incident aims at (as many as the chart draws). */
const DISPLAY_BUCKETS = 96;

/** A grid of nice widths (a minute, 15 minutes, an hour…) over `[from, to]`, as the chart draws one; undefined without a finite span. */
export function displayGrid(from: number, to: number): BucketGrid | undefined {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return undefined;
  const bucketMs = chooseBucketMs(to - from + 1, DISPLAY_BUCKETS);
  const start = Math.floor(from / bucketMs) * bucketMs;
  return { from: start, bucketMs, count: Math.max(1, Math.ceil((to + 1 - start) / bucketMs)) };
}

/**
 * `count` buckets exactly over `[from, to]`: the rhythm is judged on buckets that start with the
 * logs, so the first and last buckets are whole and do not look quieter than the rest.
 */
export function evenGrid(from: number, to: number, count: number): BucketGrid {
  return { from, bucketMs: Math.max(1, (to - from) / count), count };
}

/** The instants of `times` (ascending UTC ms) counted per bucket of `grid`; instants outside it are left out, except `to` itself, which the last bucket holds. */
export function countInBuckets(times: ArrayLike<number>, grid: BucketGrid): number[] {
  const counts = new Array<number>(grid.count).fill(0);
  const end = grid.from + grid.bucketMs * grid.count;
  for (let k = lowerBound(times, grid.from); k < times.length && times[k] <= end; k++) {
    counts[Math.min(grid.count - 1, Math.floor((times[k] - grid.from) / grid.bucketMs))]++;
  }
  return counts;
}
