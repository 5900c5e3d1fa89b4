import { ParsedLog } from '../parse/document';
import { MATCHED_CHARS } from '../parse/text';
import { KIND_BLANK, KIND_CONTINUATION } from '../parse/lineTable';
import { Finding } from './types';
import { LineFields } from './patterns';
import { RuleMatcher } from './matcher';
import { admits } from './prefilter';
import { gatherBursts } from './bursts';
import { findSilences } from './silence';
import { formatDuration } from '../time/duration';

/** Fills `{name}` placeholders from a match's named groups. */
function renderMessage(template: string, groups: Record<string, string | undefined> | undefined): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => (groups && name in groups ? (groups[name] ?? '') : whole));
}

interface OpenPair {
  finding: Finding;
  time: number;
  withinMs: number;
}

/**
 * Runs the catalogue over a parsed log and returns its findings in line order. Rules with an
 * `end` pair up a start with the next end of the same key on the same host, and report the
 * duration, or that no end followed.
 */
export function findFindings(log: ParsedLog, matcher: RuleMatcher): Finding[] {
  const findings: Finding[] = [];
  const burstKeys = new Map<Finding, string>();
  const open = new Map<string, OpenPair>();
  const { lines, text, times, entryStart } = log;
  for (let i = 0; i < lines.length; i++) {
    const kind = lines.kindCode(i);
    if (kind === KIND_BLANK) continue;
    const raw = text[i];
    const entry = entryStart[i];
    // Program (for a continuation), host and pid missing from the line come from its entry's first line.
    const program = lines.program(i) ?? (kind === KIND_CONTINUATION ? lines.program(entry) : undefined);
    const messageStart = lines.messageStart(i);
    const message = raw.slice(messageStart, Math.min(lines.messageEnd(i), messageStart + MATCHED_CHARS));
    const scope = matcher.scope(program);
    // Most lines hold no literal of any rule: one search each turns them away before any work.
    const mayStart = scope.gate === undefined || scope.gate.test(message);
    const mayEnd = matcher.mayEnd(message);
    if (!mayStart && !mayEnd) continue;
    const hostName = lines.host(i) ?? lines.host(entry);
    const host = hostName ?? '';
    const time = times[entry];
    const fields: LineFields = { message, host: hostName, program, pid: lines.pid(i) ?? lines.pid(entry), line: raw };

    let lower: string | undefined;
    for (let r = 0; mayEnd && r < matcher.withEnd.length; r++) {
      const rule = matcher.withEnd[r];
      const prefilter = matcher.endPrefilters[r];
      if (prefilter && !admits(prefilter, message, prefilter.ignoreCase ? (lower ??= message.toLowerCase()) : message)) continue;
      const end = rule.endPattern!.exec(fields);
      if (!end) continue;
      const pairKey = `${rule.definition.id}\u0000${host}\u0000${(rule.definition.key ?? []).map((k) => end.groups?.[k] ?? '').join('\u0000')}`;
      const pending = open.get(pairKey);
      if (!pending) continue;
      const duration = time - pending.time;
      if (Number.isNaN(duration) || duration <= pending.withinMs) {
        pending.finding.endedAt = { line: i, durationMs: Number.isNaN(duration) ? NaN : duration };
        pending.finding.message += Number.isNaN(duration) ? ` (ended at line ${i + 1})` : ` (lasted ${formatDuration(duration)}, until line ${i + 1})`;
      }
      open.delete(pairKey);
    }

    for (let r = 0; mayStart && r < scope.rules.length; r++) {
      const rule = scope.rules[r];
      const prefilter = scope.prefilters[r];
      if (prefilter && !admits(prefilter, message, prefilter.ignoreCase ? (lower ??= message.toLowerCase()) : message)) continue;
      const match = rule.pattern!.exec(fields);
      if (!match) continue;
      const definition = rule.definition;
      const finding: Finding = {
        ruleId: definition.id,
        severity: definition.severity,
        title: definition.title,
        message: renderMessage(definition.message ?? definition.title, match.groups),
        line: i,
        endLine: i,
        start: messageStart + match.index,
        end: messageStart + match.index + match.length,
        time,
      };
      findings.push(finding);
      if (definition.burst) burstKeys.set(finding, `${host}\u0000${(definition.key ?? []).map((k) => match.groups?.[k] ?? '').join('\u0000')}`);
      if (rule.endPattern) {
        const pairKey = `${definition.id}\u0000${host}\u0000${(definition.key ?? []).map((k) => match.groups?.[k] ?? '').join('\u0000')}`;
        const previous = open.get(pairKey);
        if (previous) previous.finding.message += ' (no end seen before it started again)';
        open.set(pairKey, { finding, time, withinMs: (definition.end?.withinSeconds ?? Infinity) * 1000 });
      }
    }
  }
  for (const pending of open.values()) pending.finding.message += ' (no end follows in this log)';
  const gathered = burstKeys.size > 0 ? gatherBursts(findings, burstKeys, matcher) : findings;
  const silences = findSilences(log, matcher.silence);
  if (silences.length === 0) return gathered;
  return [...gathered, ...silences].sort((a, b) => a.line - b.line);
}
