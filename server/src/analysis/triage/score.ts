import { LineLevel } from '../parse/types';
import { Severity } from '../rules/types';
import { formatDuration } from '../time/duration';
import { formatInZone } from '../time/zone';
import { FindingGroup } from './groups';
import { Rhythm } from './rhythm';

/** What is known of a group when it is scored. */
export interface GroupFacts {
  group: FindingGroup;
  rhythm: Rhythm;
  /** The span of the logs the group occurs in, UTC ms. */
  span: { from: number; to: number };
  /** Flagged lines of other logs near the group's first line (and peak), by log name, most first; background left out. */
  nearby: { log: string; lines: number }[];
  windowSeconds: number;
  /** The zone times are shown in (the first line's log's). */
  zone: string;
}

/** A group's score and why, in words an admin reads. */
export interface GroupScore {
  score: number;
  reasons: string[];
}

/**
 * The weights of the score, in points. They are set so that the order reads: severity first
 * (an error outranks a warning of the same shape), then how unusual the group is (few lines, a
 * rare template, new in the span, a change of rate, company in other logs), and background last
 * whatever its severity or count.
 */
export const SCORE_WEIGHTS = {
  severity: { error: 30, warning: 20, information: 10, hint: 0 } as Record<Severity, number>,
  /** For one line; each tenfold more lines takes `perDecade` off. */
  rarity: 12,
  perDecade: 4,
  /** A line whose template is rare in its program. */
  rareTemplate: 6,
  /** First seen a tenth or more into the span (scaled down before). */
  novelty: 6,
  /** Share of the span from which a start counts fully as new. */
  noveltyShare: 0.1,
  /** Below this share of the span the start is not worth a word. */
  noveltyNoted: 0.05,
  /** A burst: this much, and `burstPerDecade` for each tenfold of its rate over the rest, up to `burstMost`. */
  burst: 6,
  burstPerDecade: 2,
  burstMost: 12,
  starts: 8,
  stops: 6,
  rises: 5,
  falls: 3,
  /** A few lines closer together than this share of the span are said to come together. */
  compactShare: 0.1,
  /** Background: enough to put a steady error below a one-off warning. */
  steady: -25,
  /** Per other log with flagged lines nearby, up to `nearbyMost`. */
  nearbyPerLog: 5,
  nearbyMost: 10,
  /** The program's own level word, where the rule did not already read it. */
  declared: { emergency: 6, error: 4, warning: 2 } as Partial<Record<LineLevel, number>>,
} as const;

const count = (n: number): string => n.toLocaleString('en-US');

/** A rate for people: `120/h`, `0.3/h`, `none`. */
function rate(perHour: number): string {
  if (perHour === 0) return 'none';
  const digits = perHour >= 10 ? 0 : perHour >= 1 ? 1 : 2;
  return `${Number(perHour.toFixed(digits)).toLocaleString('en-US')}/h`;
}

/** The wall time of an instant in `zone`: the clock alone when the span is within a day, else with the date. */
function clock(ms: number, zone: string, spanMs: number): string {
  const text = formatInZone(ms, zone);
  return spanMs < 20 * 3_600_000 ? text.slice(11, 19) : text.slice(0, 19);
}

/** How the group's rhythm reads and what it adds. */
function rhythmPart(facts: GroupFacts, at: (ms: number) => string): { points: number; reason?: string } {
  const { group, rhythm } = facts;
  const w = SCORE_WEIGHTS;
  const peak = rhythm.peak;
  const change = rhythm.change;
  switch (rhythm.kind) {
    case 'steady':
      return { points: w.steady, reason: `${count(group.count)} at a steady rate: background` };
    case 'burst': {
      const ratio = peak!.ratio;
      return {
        points: Math.min(w.burstMost, w.burst + w.burstPerDecade * Math.log10(ratio)),
        reason: `burst: ${count(peak!.count)} within ${formatDuration(peak!.to - peak!.from)} from ${at(peak!.from)}, ${count(Math.round(ratio))}× the rate elsewhere`,
      };
    }
    case 'starts':
      // Starting with its first line, the start is already said; what follows is how it keeps on.
      return {
        points: w.starts,
        reason: change!.at <= group.first.time ? `then ${rate(change!.afterPerHour)} to the end of the span` : `takes off at ${at(change!.at)}: ${rate(change!.afterPerHour)} after, ${rate(change!.beforePerHour)} before`,
      };
    case 'stops':
      return { points: w.stops, reason: `stops at ${at(change!.at)}: ${rate(change!.beforePerHour)} before, ${rate(change!.afterPerHour)} after` };
    case 'rises':
    case 'falls':
      return { points: rhythm.kind === 'rises' ? w.rises : w.falls, reason: `rate ${rhythm.kind === 'rises' ? 'rises' : 'falls'} at ${at(change!.at)}: ${rate(change!.beforePerHour)} → ${rate(change!.afterPerHour)}` };
    case 'few': {
      const within = group.times.length > 1 ? group.times[group.times.length - 1] - group.times[0] : NaN;
      if (!Number.isFinite(within)) return { points: 0 };
      const spanMs = facts.span.to - facts.span.from;
      return { points: 0, reason: `${within < spanMs * w.compactShare ? 'all within' : 'spread over'} ${formatDuration(within)}` };
    }
    case 'irregular':
      return { points: 0, reason: 'comes and goes' };
    default:
      return { points: 0 };
  }
}

/**
 * Scores a group from its severity, how many lines it has (fewer score higher; a rare template
 * more), when it starts in the span, its rhythm (a burst or change of rate scores, background
 * loses more than any count can give), the flagged lines of other logs around it, and the level
 * its program gave the line. The reasons say each part that counted.
 */
export function scoreGroup(facts: GroupFacts): GroupScore {
  const { group, rhythm, span, zone } = facts;
  const w = SCORE_WEIGHTS;
  const reasons: string[] = [group.severity];
  let score = w.severity[group.severity];

  score += w.rarity - w.perDecade * Math.log10(Math.max(1, group.count));
  if (group.kind === 'rare') {
    score += w.rareTemplate;
    const within =
      group.logLines !== undefined
        ? ` in the log's ${count(group.logLines)} lines (${group.program} wrote ${count(group.programLines ?? group.count)})`
        : group.programLines !== undefined
          ? ` in ${count(group.programLines)} lines of ${group.program}`
          : '';
    reasons.push(`rare: ${group.count === 1 ? 'once' : `${count(group.count)}×`}${within}`);
  } else {
    reasons.push(group.count === 1 ? 'once' : `${count(group.count)} occurrences`);
  }

  const spanMs = span.to - span.from;
  const at = (ms: number): string => clock(ms, zone, spanMs);
  const first = group.first.time;
  if (rhythm.kind !== 'steady' && Number.isFinite(first) && spanMs > 0) {
    const share = (first - span.from) / spanMs;
    score += w.novelty * Math.min(1, Math.max(0, share) / w.noveltyShare);
    if (share >= w.noveltyNoted) reasons.push(`starts ${at(first)}, ${formatDuration(first - span.from)} into the span`);
  }

  const part = rhythmPart(facts, at);
  score += part.points;
  if (part.reason) reasons.push(part.reason);

  if (facts.nearby.length > 0) {
    score += Math.min(w.nearbyMost, w.nearbyPerLog * facts.nearby.length);
    const [most, ...others] = facts.nearby;
    const more = others.length > 0 ? ` (and ${count(others.reduce((a, n) => a + n.lines, 0))} in ${others.length} more log${others.length === 1 ? '' : 's'})` : '';
    reasons.push(`with ${count(most.lines)} flagged line${most.lines === 1 ? '' : 's'} of ${most.log} within ${facts.windowSeconds} s${more}`);
  }

  const declared = group.declared !== undefined ? w.declared[group.declared] : undefined;
  if (declared !== undefined) {
    score += declared;
    reasons.push(`the line says ${group.declared}`);
  }
  return { score, reasons };
}
