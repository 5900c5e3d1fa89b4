import { lowerBound, upperBound } from '../sorted';
import { countInBuckets, evenGrid } from './profile';

/**
 * How a group fires over its logs' span. `steady` is background: a stream at an even rate from
 * start to end (brute force, spam rejects, health checks). `burst`, `starts`, `stops`, `rises`
 * and `falls` change rate somewhere, which is what an incident does. `once` and `few` are too
 * few lines to have a rhythm: novel by nature. `irregular` comes and goes without one clear
 * change; `brief` is a span too short to tell; `untimed`, lines without a usable time.
 */
export type RhythmKind = 'untimed' | 'once' | 'few' | 'brief' | 'steady' | 'burst' | 'starts' | 'stops' | 'rises' | 'falls' | 'irregular';

/** The densest short stretch of a group. */
export interface Peak {
  /** Instants of its first and last line, UTC ms. */
  from: number;
  to: number;
  count: number;
  /** Its rate over the rate in the rest of the span. */
  ratio: number;
}

/** Where a group's rate changes most. */
export interface RateChange {
  /** UTC ms. */
  at: number;
  beforePerHour: number;
  afterPerHour: number;
}

/** What `rhythmOf` found. */
export interface Rhythm {
  kind: RhythmKind;
  /** Share of the coarse buckets (about three lines each) that hold a line. */
  presence: number;
  /** `presence` over the share a steady random rate of the same total fills: about 1 for an even stream, far below for one that clusters. */
  evenness: number;
  /** Variance over mean of the counts per fine bucket: about 1 at a steady random rate. */
  dispersion: number;
  /** For `burst` (and a burst at either end, `starts`/`stops`). */
  peak?: Peak;
  /** For `starts`, `stops`, `rises`, `falls`. */
  change?: RateChange;
}

/** The thresholds of the rhythm tests, in one place. */
export const RHYTHM_LIMITS = {
  /** Fine buckets over a group's span, for the burst and change tests: 15 minutes over a day. */
  buckets: 96,
  /** Up to this many lines there is no rate to judge; such a group is novel by nature. */
  fewLines: 7,
  /** A span shorter than this has no rhythm to speak of. */
  minSpanMs: 10 * 60_000,
  /** The coarse grid (presence) gives each bucket about this many lines of a steady stream, so an even stream fills most of them… */
  linesPerCoarseBucket: 3,
  /** …with at least this many buckets. */
  minCoarseBuckets: 8,
  /** A steady stream is in at least this share of the coarse buckets… */
  steadyPresence: 0.5,
  /** …and fills at least this share of those a random steady rate would. */
  steadyEvenness: 0.6,
  /** The widest burst, as a share of the span: wider is a change of rate. */
  maxBurstShare: 1 / 8,
  /** A burst has at least this many lines… */
  burstLines: 8,
  /** …at this many times the rate of the rest of the span, at least; a change of rate at least this factor too. */
  rateRatio: 4,
  /**
   * The chance a steady stream would show a peak or change as strong anywhere in its span
   * (windows and cut points are many; the test divides this by their number). Small, since
   * background that looks like an incident is the failure triage exists to avoid.
   */
  falseAlarm: 1e-4,
  /** A side of a change holding at most this share of the lines counts as silent: the group starts or stops there. */
  silentShare: 0.05,
} as const;

/** Natural log of an upper bound of P(X ≥ k) for a Poisson count of mean `mean` (Chernoff); 0 when k ≤ mean. */
export function poissonTailLog(k: number, mean: number): number {
  if (k <= mean) return 0;
  if (mean <= 0) return -Infinity;
  return -(k * Math.log(k / mean) - k + mean);
}

/** `x ln(x/m)`, 0 for x = 0: a term of the Poisson likelihood ratio. */
function xLog(x: number, m: number): number {
  return x > 0 ? x * Math.log(x / m) : 0;
}

function dispersionOf(counts: readonly number[]): number {
  const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
  if (mean === 0) return 0;
  const variance = counts.reduce((a, c) => a + (c - mean) * (c - mean), 0) / counts.length;
  return variance / mean;
}

interface Window {
  start: number;
  width: number;
  count: number;
  ratio: number;
  logP: number;
}

/** The most significant dense window of at most `maxBurstShare` of the buckets that passes the burst bars, if any. */
function densestWindow(counts: readonly number[], total: number): Window | undefined {
  const buckets = counts.length;
  const prefix = [0];
  for (const c of counts) prefix.push(prefix[prefix.length - 1] + c);
  const widest = Math.max(1, Math.floor(buckets * RHYTHM_LIMITS.maxBurstShare));
  const bar = Math.log(RHYTHM_LIMITS.falseAlarm / (buckets * widest));
  let best: Window | undefined;
  for (let width = 1; width <= widest && width < buckets; width++) {
    let start = 0;
    for (let p = 1; p + width <= buckets; p++) if (prefix[p + width] - prefix[p] > prefix[start + width] - prefix[start]) start = p;
    const count = prefix[start + width] - prefix[start];
    // Half a line elsewhere keeps the rate of a group silent outside its burst finite.
    const mean = ((total - count + 0.5) / (buckets - width)) * width;
    const ratio = count / mean;
    const logP = poissonTailLog(count, mean);
    if (count < RHYTHM_LIMITS.burstLines || ratio < RHYTHM_LIMITS.rateRatio || logP > bar) continue;
    if (!best || logP < best.logP) best = { start, width, count, ratio, logP };
  }
  return best;
}

/** The cut of the buckets where one rate before and another after explain the counts best, if it passes the change bars. */
function strongestChange(counts: readonly number[], total: number): { cut: number; before: number; after: number } | undefined {
  const buckets = counts.length;
  const rate = total / buckets;
  const bar = -Math.log(RHYTHM_LIMITS.falseAlarm / buckets);
  let best: { cut: number; before: number; score: number } | undefined;
  let before = 0;
  for (let cut = 1; cut < buckets; cut++) {
    before += counts[cut - 1];
    const score = xLog(before, cut * rate) + xLog(total - before, (buckets - cut) * rate);
    if (!best || score > best.score) best = { cut, before, score };
  }
  if (!best || best.score < bar) return undefined;
  const beforeRate = (best.before + 0.5) / best.cut;
  const afterRate = (total - best.before + 0.5) / (buckets - best.cut);
  if (Math.max(beforeRate / afterRate, afterRate / beforeRate) < RHYTHM_LIMITS.rateRatio) return undefined;
  return { cut: best.cut, before: best.before, after: total - best.before };
}

/**
 * The rhythm of a group whose lines fell at `times` (ascending UTC ms) within the span `[from,
 * to]` of the logs it occurs in. First a burst (a short window far denser than the rest, beyond
 * what chance gives a steady stream anywhere in the span), then a change of rate (the one cut
 * that best splits the counts into two rates), then steadiness (present in most buckets, as
 * evenly as a random steady rate fills them).
 */
export function rhythmOf(times: Float64Array, from: number, to: number): Rhythm {
  const total = times.length;
  const base = { presence: 0, evenness: 0, dispersion: 0 };
  if (total === 0) return { kind: 'untimed', ...base };
  if (total === 1) return { kind: 'once', ...base };
  if (total <= RHYTHM_LIMITS.fewLines) return { kind: 'few', ...base };
  if (!(to - from >= RHYTHM_LIMITS.minSpanMs)) return { kind: 'brief', ...base };
  const grid = evenGrid(from, to, RHYTHM_LIMITS.buckets);
  const counts = countInBuckets(times, grid);
  const coarseCount = Math.min(RHYTHM_LIMITS.buckets, Math.max(RHYTHM_LIMITS.minCoarseBuckets, Math.floor(total / RHYTHM_LIMITS.linesPerCoarseBucket)));
  const coarse = countInBuckets(times, evenGrid(from, to, coarseCount));
  const presence = coarse.filter((c) => c > 0).length / coarseCount;
  const evenness = presence / (1 - Math.exp(-total / coarseCount));
  const facts = { presence, evenness, dispersion: dispersionOf(counts) };
  const at = (bucket: number): number => grid.from + bucket * grid.bucketMs;
  const perHour = (count: number, buckets: number): number => (count / (buckets * grid.bucketMs)) * 3_600_000;

  const burst = densestWindow(counts, total);
  if (burst) {
    const first = lowerBound(times, at(burst.start));
    const last = burst.start + burst.width >= grid.count ? times.length - 1 : upperBound(times, at(burst.start + burst.width)) - 1;
    const peak: Peak = { from: times[first], to: times[Math.max(first, last)], count: burst.count, ratio: burst.ratio };
    const rest = total - burst.count;
    // A burst running into the end of the span has not been seen to stop: the group starts there (and the mirror).
    if (burst.start + burst.width >= grid.count && burst.start > 0) {
      return { kind: 'starts', ...facts, peak, change: { at: peak.from, beforePerHour: perHour(rest, burst.start), afterPerHour: perHour(burst.count, burst.width) } };
    }
    if (burst.start === 0 && burst.width < grid.count) {
      return { kind: 'stops', ...facts, peak, change: { at: peak.to, beforePerHour: perHour(burst.count, burst.width), afterPerHour: perHour(rest, grid.count - burst.width) } };
    }
    return { kind: 'burst', ...facts, peak };
  }
  const change = strongestChange(counts, total);
  if (change) {
    const beforePerHour = perHour(change.before, change.cut);
    const afterPerHour = perHour(change.after, grid.count - change.cut);
    const kind: RhythmKind =
      change.before <= total * RHYTHM_LIMITS.silentShare ? 'starts' : change.after <= total * RHYTHM_LIMITS.silentShare ? 'stops' : afterPerHour > beforePerHour ? 'rises' : 'falls';
    // Where it starts is its first line after the cut; where it stops, its last line before.
    const cutAt = at(change.cut);
    const changeAt = kind === 'starts' ? times[Math.min(times.length - 1, lowerBound(times, cutAt))] : kind === 'stops' ? times[Math.max(0, lowerBound(times, cutAt) - 1)] : cutAt;
    return { kind, ...facts, change: { at: changeAt, beforePerHour, afterPerHour } };
  }
  if (presence >= RHYTHM_LIMITS.steadyPresence && evenness >= RHYTHM_LIMITS.steadyEvenness) return { kind: 'steady', ...facts };
  return { kind: 'irregular', ...facts };
}
