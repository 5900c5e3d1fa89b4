import { ParsedLog } from '../parse/document';
import { CompiledRule, Finding } from './types';
import { formatDuration } from '../time/duration';
import { TimeIndex, buildTimeIndex } from '../correlate/timeIndex';

const HOUR_MS = 3_600_000;

/**
 * Finds gaps: for each silence rule, every pause of at least `minutes` between consecutive
 * entries (in time order) of a log that wrote at least `busyEntries` entries in the hour before
 * the pause. The finding sits on the first entry after the gap and names the host that fell
 * silent. A log that was quiet anyway (a nightly cron) is not flagged.
 */
export function findSilences(log: ParsedLog, rules: CompiledRule[], index?: TimeIndex): Finding[] {
  if (rules.length === 0) return [];
  // The time order of entries is the correlation index's, built once per log.
  const order = (index ?? buildTimeIndex(log)).lines;
  const findings: Finding[] = [];
  for (const rule of rules) {
    const { minutes, busyEntries = 20 } = rule.definition.silence!;
    const minGap = minutes * 60_000;
    let windowStart = 0;
    for (let k = 1; k < order.length; k++) {
      const before = log.times[order[k - 1]];
      const after = log.times[order[k]];
      while (log.times[order[windowStart]] < before - HOUR_MS) windowStart++;
      const busy = k - windowStart;
      if (after - before < minGap || busy < busyEntries) continue;
      const line = order[k];
      const host = log.lines.host(order[k - 1]) ?? 'this log';
      findings.push({
        ruleId: rule.definition.id,
        severity: rule.definition.severity,
        title: rule.definition.title,
        message: `No lines from ${host} for ${formatDuration(after - before)} (after ${busy} entries in the hour before; last at line ${order[k - 1] + 1})`,
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
