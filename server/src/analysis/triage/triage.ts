import { CompiledRule, Severity } from '../rules/types';
import { lowerBound } from '../sorted';
import { FindingGroup, GroupKind, SEVERITY_ORDER, TriageLog, groupFindingsSteps } from './groups';
import { Steps, runSteps } from '../steps';
import type { AnalyzedLog } from '../service';
import { GroupMoment, NearbyFlags } from './nearby';
import { RateProfile, countInBuckets, displayGrid } from './profile';
import { Rhythm, rhythmOf } from './rhythm';
import { scoreGroup } from './score';

export type { TriageLog } from './groups';

/** What the caller may set. */
export interface TriageOptions {
  /** How close in time flagged lines of other logs must be to count as company (default 60). */
  windowSeconds?: number;
  /** Keep the first `top` groups only. */
  top?: number;
}

/** One group, ranked: the fields the CLI's `--json` prints, then what the rest of the product may use. */
export interface TriageGroup {
  /** 1-based, most telling first. */
  rank: number;
  kind: GroupKind;
  ruleId: string;
  severity: Severity;
  title: string;
  count: number;
  /** The file of the group's first line. */
  file: string;
  /** 1-based line of the group's first line in `file`. */
  line: number;
  /** Its instant, ISO 8601 UTC, or null when it has none. */
  time: string | null;
  text: string;
  score: number;
  reasons: string[];
  /** Not printed: the group's key, its first line's log id, its last instant (UTC ms, NaN when none), rhythm and rate over the incident's span. */
  key: string;
  logId: string;
  lastTime: number;
  rhythm: Rhythm;
  profile?: RateProfile;
}

/** The default company window, in seconds. */
export const DEFAULT_WINDOW_SECONDS = 60;

/** The first and last entry instant of a log; undefined when none has a time. */
function logSpan(log: TriageLog): { from: number; to: number } | undefined {
  const times = log.analyzed.index.times;
  return times.length > 0 ? { from: times[0], to: times[times.length - 1] } : undefined;
}

/** The span of the logs a group occurs in (so a group of a log that covers an hour is judged over that hour). */
function groupSpan(group: FindingGroup, spans: readonly ({ from: number; to: number } | undefined)[]): { from: number; to: number } {
  let from = Infinity;
  let to = -Infinity;
  for (const log of group.perLog.keys()) {
    const span = spans[log];
    if (!span) continue;
    from = Math.min(from, span.from);
    to = Math.max(to, span.to);
  }
  if (group.times.length > 0) {
    from = Math.min(from, group.times[0]);
    to = Math.max(to, group.times[group.times.length - 1]);
  }
  return { from, to };
}

/**
 * The moments of a group that other logs' groups may keep company with: each line of a group of
 * a few, else its first line, the lines of its burst and the line where its rate changes; none
 * for background.
 */
function momentsOf(group: FindingGroup, rhythm: Rhythm, index: number): GroupMoment[] {
  const { times, timeLogs } = group;
  if (rhythm.kind === 'steady' || times.length === 0) return [];
  // Positions in `times`; the first line is the earliest, at 0.
  const chosen = new Set<number>([0]);
  if (rhythm.kind === 'few') for (let k = 0; k < times.length; k++) chosen.add(k);
  if (rhythm.peak) for (let k = lowerBound(times, rhythm.peak.from); k < times.length && times[k] <= rhythm.peak.to; k++) chosen.add(k);
  if (rhythm.change) chosen.add(Math.min(times.length - 1, lowerBound(times, rhythm.change.at)));
  return [...chosen].map((k) => ({ group: index, log: timeLogs[k], time: times[k] }));
}

/**
 * Ranks the findings of a set of logs of one incident, most telling first: groups them (one
 * per rule, one per rare template), judges each group's rhythm over the span of its logs
 * (background streams apart from starts, stops and bursts), notes what other logs flagged
 * around it, and scores it (`score.ts`), with the reasons.
 */
export function triage(logs: readonly TriageLog[], rules: ReadonlyMap<string, CompiledRule>, options: TriageOptions = {}): TriageGroup[] {
  return runSteps(triageSteps(logs, rules, options));
}

/** Groups judged or scored between two yields of `triageSteps`. */
const TRIAGE_STEP = 128;

/** `triage` in steps (`Steps`): a log with thousands of findings takes 40-190 ms. */
export function* triageSteps(logs: readonly TriageLog[], rules: ReadonlyMap<string, CompiledRule>, options: TriageOptions = {}): Steps<TriageGroup[]> {
  const windowSeconds = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const groups = yield* groupFindingsSteps(logs, rules);
  const spans = logs.map(logSpan);
  const known = spans.filter((span): span is { from: number; to: number } => span !== undefined);
  const grid = displayGrid(Math.min(...known.map((s) => s.from)), Math.max(...known.map((s) => s.to)));
  const judged: { group: FindingGroup; span: { from: number; to: number }; rhythm: Rhythm }[] = [];
  for (const group of groups) {
    if (judged.length % TRIAGE_STEP === TRIAGE_STEP - 1) yield;
    const span = groupSpan(group, spans);
    judged.push({ group, span, rhythm: rhythmOf(group.times, span.from, span.to) });
  }
  yield;
  const nearby = new NearbyFlags(judged.flatMap(({ group, rhythm }, index) => momentsOf(group, rhythm, index)), logs.length);
  yield;
  const ranked: TriageGroup[] = [];
  for (const [index, { group, span, rhythm }] of judged.entries()) {
    if (index % TRIAGE_STEP === TRIAGE_STEP - 1) yield;
    const moments = [group.first.time, rhythm.peak?.from ?? NaN, rhythm.change?.at ?? NaN];
    const company = nearby.around(index, group.first.log, moments, windowSeconds * 1000).map((n) => ({ log: logs[n.log].file, lines: n.lines }));
    const log = logs[group.first.log];
    const { score, reasons } = scoreGroup({ group, rhythm, span, nearby: company, windowSeconds, zone: log.analyzed.parsed.zone });
    ranked.push({
      rank: 0,
      kind: group.kind,
      ruleId: group.ruleId,
      severity: group.severity,
      title: group.title,
      count: group.count,
      file: log.file,
      line: group.first.line + 1,
      time: Number.isNaN(group.first.time) ? null : new Date(group.first.time).toISOString(),
      text: group.first.text,
      score: Math.round(score * 10) / 10,
      reasons,
      key: group.key,
      logId: log.id,
      lastTime: group.times.length > 0 ? group.times[group.times.length - 1] : NaN,
      rhythm,
      profile: grid ? { ...grid, counts: countInBuckets(group.times, grid) } : undefined,
    });
  }
  yield;
  ranked.sort(
    (a, b) =>
      b.score - a.score ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      (a.time ?? '~').localeCompare(b.time ?? '~') ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  ranked.forEach((group, k) => (group.rank = k + 1));
  return options.top !== undefined ? ranked.slice(0, Math.max(0, options.top)) : ranked;
}

/**
 * The rank of each group of one log's findings, triaged alone, keyed as `findingGroupKey` keys
 * them: the order the diagnostics of a log with more findings than they can show take.
 */
export function* groupRanksSteps(log: AnalyzedLog, name: string, rules: ReadonlyMap<string, CompiledRule>): Steps<Map<string, number>> {
  const ranked = yield* triageSteps([{ id: name, file: name, analyzed: log }], rules);
  return new Map(ranked.map((group) => [group.key, group.rank]));
}
