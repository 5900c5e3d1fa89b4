import { ParsedLog } from '../parse/document';
import { CompiledRule, Finding } from './types';
import { formatDuration } from '../time/duration';
import { TimeIndex, buildTimeIndex } from '../correlate/timeIndex';
import { lowerBound } from '../sorted';
import { Steps, endsStep, runSteps } from '../steps';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** At the rate of the hour before, at least this many entries must have been due in the gap. */
const MIN_EXPECTED = 10;
/** Longer gaps are logs pulled from two periods (or a machine put away), not a writer that stopped. */
const MAX_GAP_MS = DAY_MS;
/** Gaps of at least this share of the candidate's length that the log has anyway make it its rhythm. */
const RHYTHM_SHARE = 0.7;
/** How many such gaps elsewhere make a rhythm (a queue-run cycle, a nightly lull). */
const RHYTHM_GAPS = 2;
/** Entries on each side of a gap searched for a suspend, a resume or a clock jump. */
const MARKER_REACH = 3;

// A machine asleep or a clock that jumped: the pause is not the writer stopping.
const SLEEP_OR_CLOCK = /\b(?:suspend|Suspending|hibernat|sleep\b|Sleeping|resum|Waking|wake ?up|Time has been changed|time (?:jump|moved|step)|clock (?:jump|step|was stepped)|Time just moved|Time moved backwards)/i;
// Where one pulled file ends and the next begins, in journal exports and rotated syslog.
const FILE_BOUNDARY = /^-- Logs begin at|logfile turned over|-- Journal begins at/;

/** Whether any of the lines `order[from..to]` says the machine slept or its clock jumped. */
function mentionsSleep(log: ParsedLog, order: Int32Array, from: number, to: number): boolean {
  for (let j = Math.max(0, from); j <= Math.min(order.length - 1, to); j++) {
    if (SLEEP_OR_CLOCK.test(log.text.line(order[j]))) return true;
  }
  return false;
}

/** Whether a journal or rotation header stands between two lines (a few lines apart at most). */
function joinsFiles(log: ParsedLog, from: number, to: number): boolean {
  for (let i = from + 1; i <= Math.min(to, from + MARKER_REACH); i++) if (FILE_BOUNDARY.test(log.text.line(i))) return true;
  return false;
}

/** The gaps between consecutive times, ascending. */
function sortedGaps(times: Float64Array): Float64Array {
  const gaps = new Float64Array(Math.max(0, times.length - 1));
  for (let k = 1; k < times.length; k++) gaps[k - 1] = times[k] - times[k - 1];
  return gaps.sort();
}

/** Entries of the log within [start, end), from its time order. */
function entriesBetween(times: Float64Array, start: number, end: number): number {
  return lowerBound(times, end) - lowerBound(times, start);
}

/**
 * Whether the log is this quiet anyway: other gaps nearly as long elsewhere in it, or the same
 * hours of another day it covers just as empty (quiet nights, a queue-run cycle).
 */
function isRhythm(times: Float64Array, gapStart: number, gapEnd: number, expected: number, gapsAsLong: number): boolean {
  if (gapsAsLong > RHYTHM_GAPS) return true;
  const first = times[0];
  const last = times[times.length - 1];
  for (let day = -7; day <= 7; day++) {
    if (day === 0) continue;
    const start = gapStart + day * DAY_MS;
    const end = gapEnd + day * DAY_MS;
    if (start < first || end > last) continue;
    if (entriesBetween(times, start, end) < expected / 4) return true;
  }
  return false;
}

/**
 * Finds gaps that break a log's own rhythm: for each silence rule, a pause of at least `minutes`
 * between consecutive entries (in time order) of a log that wrote at least `busyEntries` entries in
 * the hour before, long enough that many entries were due at that rate. Left out: a log quiet
 * anyway (its other gaps as long, the same hours of other days as empty), a machine that slept or
 * whose clock jumped (its lines around the gap say so), the seam between files pulled together
 * (time order against file order, journal headers), and gaps over a day. The finding sits on the
 * first entry after the gap and names the host that fell silent.
 */
export function findSilences(log: ParsedLog, rules: CompiledRule[], index?: TimeIndex): Finding[] {
  return runSteps(findSilencesSteps(log, rules, index));
}

/** `findSilences` in steps of entries (`Steps`); the gaps, when needed, are sorted in one piece. */
export function* findSilencesSteps(log: ParsedLog, rules: CompiledRule[], index?: TimeIndex): Steps<Finding[]> {
  if (rules.length === 0) return [];
  // The time order of entries is the correlation index's, built once per log.
  const timeIndex = index ?? buildTimeIndex(log);
  const order = timeIndex.lines;
  const times = timeIndex.times;
  const findings: Finding[] = [];
  // The log's gaps in ascending order, shared by the rules; only sorted when a gap is a candidate.
  let gaps: Float64Array | undefined;
  for (const rule of rules) {
    const { minutes, busyEntries = 20 } = rule.definition.silence!;
    const minGap = minutes * 60_000;
    const candidates: number[] = [];
    let windowStart = 0;
    for (let k = 1; k < order.length; k++) {
      if (endsStep(k)) yield;
      const before = times[k - 1];
      while (times[windowStart] < before - HOUR_MS) windowStart++;
      if (times[k] - before >= minGap && k - windowStart >= busyEntries) candidates.push(k);
    }
    if (candidates.length === 0) continue;
    gaps ??= sortedGaps(times);
    for (const k of candidates) {
      const before = times[k - 1];
      const after = times[k];
      const gap = after - before;
      const busy = k - lowerBound(times, before - HOUR_MS);
      const expected = (busy * gap) / HOUR_MS;
      if (gap > MAX_GAP_MS || expected < MIN_EXPECTED) continue;
      // The entry after the gap stands earlier in the file: two pulled files, out of order.
      if (order[k] < order[k - 1] || joinsFiles(log, order[k - 1], order[k])) continue;
      const gapsAsLong = gaps.length - lowerBound(gaps, gap * RHYTHM_SHARE) - 1;
      if (isRhythm(times, before, after, expected, gapsAsLong)) continue;
      if (mentionsSleep(log, order, k - MARKER_REACH, k + MARKER_REACH - 1)) continue;
      const line = order[k];
      const host = log.lines.host(order[k - 1]) ?? 'this log';
      findings.push({
        ruleId: rule.definition.id,
        severity: rule.definition.severity,
        title: rule.definition.title,
        message: `No lines from ${host} for ${formatDuration(gap)} (after ${busy} entries in the hour before; last at line ${order[k - 1] + 1})`,
        line,
        endLine: line,
        start: 0,
        end: log.text.line(line).length,
        time: after,
      });
    }
  }
  return findings;
}
