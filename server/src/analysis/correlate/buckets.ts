import { ParsedLog } from '../parse/document';
import { Finding } from '../rules/types';

/** One log as the chart counts it. */
export interface BucketLog {
  /** How the log is named in the "per file" grouping (a workspace-relative path, a URI). */
  file: string;
  parsed: ParsedLog;
  findings: readonly Finding[];
}

/** What the caller asks for; everything is optional. */
export interface BucketRequest {
  /** Width of a bucket; chosen from `NICE_BUCKETS_MS` to give about `targetBuckets` when absent. */
  bucketMs?: number;
  /** UTC ms, inclusive; defaults to the earliest entry. */
  from?: number;
  /** UTC ms, exclusive; defaults to just after the latest entry. */
  to?: number;
  /** How many buckets an automatic width aims at (default 96). */
  targetBuckets?: number;
}

/** Where a bucket's first entry of a group is: the log (index into the input) and its line. */
export interface BucketLine {
  log: number;
  line: number;
}

/** The counts of one host or one file, one slot per bucket. */
export interface BucketGroup {
  key: string;
  entries: number[];
  findings: number[];
  /** The earliest entry of this group in each bucket, to reveal; null for an empty bucket. */
  first: (BucketLine | null)[];
}

/** Entries and findings per time bucket, grouped per host and per file. */
export interface BucketCounts {
  /** Start of the first bucket (UTC ms, a multiple of `bucketMs`); NaN when no entry has a time. */
  from: number;
  bucketMs: number;
  /** Number of buckets; 0 when no entry has a time. */
  count: number;
  byHost: BucketGroup[];
  byFile: BucketGroup[];
}

/** Bucket widths a chart reads easily, from a second to a week. */
export const NICE_BUCKETS_MS: readonly number[] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800].map((s) => s * 1000);

/** The most buckets one answer holds; a narrower width asked for is widened to respect it. */
export const MAX_BUCKETS = 2000;

/** The group name of entries without a host (a pstack, a bare message). */
export const NO_HOST = '(no host)';

/** The narrowest nice width that covers `spanMs` in at most `target` buckets. */
export function chooseBucketMs(spanMs: number, target = 96): number {
  const wanted = Math.max(spanMs, 1) / Math.max(1, target);
  return NICE_BUCKETS_MS.find((width) => width >= wanted) ?? Math.ceil(wanted / NICE_BUCKETS_MS[NICE_BUCKETS_MS.length - 1]) * NICE_BUCKETS_MS[NICE_BUCKETS_MS.length - 1];
}

/** The earliest and latest entry times over all logs; undefined when no entry has a time. */
function timeSpan(logs: readonly BucketLog[]): { min: number; max: number } | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const { parsed } of logs) {
    for (let line = 0; line < parsed.lines.length; line++) {
      const ms = parsed.times[line];
      if (parsed.lines.kind(line) !== 'entry' || Number.isNaN(ms)) continue;
      if (ms < min) min = ms;
      if (ms > max) max = ms;
    }
  }
  return min <= max ? { min, max } : undefined;
}

function hostOf(parsed: ParsedLog, line: number): string {
  const host = line >= 0 && line < parsed.lines.length ? (parsed.lines.host(line) ?? '') : '';
  return host || NO_HOST;
}

/** Counts per group, created on first use. */
class Groups {
  private readonly byKey = new Map<string, BucketGroup>();
  constructor(private readonly count: number) {}

  get(key: string): BucketGroup {
    let group = this.byKey.get(key);
    if (!group) {
      group = { key, entries: new Array<number>(this.count).fill(0), findings: new Array<number>(this.count).fill(0), first: new Array<BucketLine | null>(this.count).fill(null) };
      this.byKey.set(key, group);
    }
    return group;
  }

  /** Groups with at least one entry or finding, busiest first, then by name. */
  list(): BucketGroup[] {
    const total = (g: BucketGroup): number => g.entries.reduce((a, b) => a + b, 0) + g.findings.reduce((a, b) => a + b, 0);
    return [...this.byKey.values()].filter((g) => total(g) > 0).sort((a, b) => total(b) - total(a) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/**
 * Counts the entries (lines that start an entry and have a time) and the findings of the logs in
 * buckets of equal width between `from` and `to`, per host and per file, and remembers each
 * group's first entry per bucket so a chart can reveal it. Logs are scanned in line order, so the
 * first entry is the earliest one of that log; across logs the earlier time wins.
 */
export function countBuckets(logs: readonly BucketLog[], request: BucketRequest = {}): BucketCounts {
  const span = timeSpan(logs);
  const min = request.from ?? span?.min;
  const end = request.to ?? (span ? span.max + 1 : undefined);
  if (min === undefined || end === undefined || !Number.isFinite(min) || !Number.isFinite(end) || end <= min) {
    return { from: NaN, bucketMs: request.bucketMs ?? NICE_BUCKETS_MS[0], count: 0, byHost: [], byFile: [] };
  }
  let bucketMs = request.bucketMs !== undefined && request.bucketMs > 0 ? request.bucketMs : chooseBucketMs(end - min, request.targetBuckets);
  // Too narrow a width for the range would make an answer nobody can draw.
  if ((end - min) / bucketMs > MAX_BUCKETS) bucketMs = chooseBucketMs(end - min, MAX_BUCKETS);
  const from = Math.floor(min / bucketMs) * bucketMs;
  const count = Math.max(1, Math.ceil((end - from) / bucketMs));
  const hosts = new Groups(count);
  const files = new Groups(count);
  const slotOf = (ms: number): number => (Number.isNaN(ms) || ms < min || ms >= end ? -1 : Math.floor((ms - from) / bucketMs));
  const earlier = (logs: readonly BucketLog[], a: BucketLine | null, b: BucketLine): boolean =>
    a === null || logs[b.log].parsed.times[b.line] < logs[a.log].parsed.times[a.line];

  logs.forEach((log, index) => {
    const { parsed } = log;
    const file = files.get(log.file);
    for (let line = 0; line < parsed.lines.length; line++) {
      if (parsed.lines.kind(line) !== 'entry') continue;
      const slot = slotOf(parsed.times[line]);
      if (slot < 0) continue;
      const host = hosts.get(hostOf(parsed, line));
      const at = { log: index, line };
      for (const group of [host, file]) {
        group.entries[slot]++;
        if (earlier(logs, group.first[slot], at)) group.first[slot] = at;
      }
    }
    for (const finding of log.findings) {
      const slot = slotOf(finding.time);
      if (slot < 0) continue;
      const entry = parsed.entryStart[finding.line] ?? finding.line;
      hosts.get(hostOf(parsed, entry)).findings[slot]++;
      file.findings[slot]++;
    }
  });
  return { from, bucketMs, count, byHost: hosts.list(), byFile: files.list() };
}
