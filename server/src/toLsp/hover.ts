import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { StoredLog } from '../logs/registry';
import { groupNamesOf } from '../analysis/rules/placeholders';
import { CompiledRule, Finding } from '../analysis/rules/types';
import { formatInZone, formatOffset, zoneOffsetMinutes } from '../analysis/time/zone';
import { fillPlaceholders, firstCheck } from './explanation';
import { escapeMarkdown, inlineCode } from './markdown';
import { isoUtc } from './time';

function within(character: number, span: { start: number; end: number } | undefined): boolean {
  return span !== undefined && character >= span.start && character <= span.end;
}

/** The stamped entry before `line` in file order, for the gap shown on hover. */
function previousStamped(log: StoredLog, line: number): number | undefined {
  const { times, entryStart } = log.parsed;
  for (let i = line - 1; i >= 0; i--) if (entryStart[i] === i && !Number.isNaN(times[i])) return i;
  return undefined;
}

function signedSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${seconds >= 0 ? '+' : '−'}${Math.abs(seconds) < 10 && !Number.isInteger(seconds) ? Math.abs(seconds).toFixed(3) : Math.round(Math.abs(seconds))} s`;
}

/**
 * Whether showing `utcMs` in `zone` would only repeat a time the hover already gives: the UTC
 * instant, or the stamp as written at its own offset (unless a clock correction moved it).
 */
function repeatsShownTime(utcMs: number, zone: string, ownOffset: number | undefined, corrected: boolean): boolean {
  const offset = zoneOffsetMinutes(zone, utcMs);
  return offset === 0 || (offset === ownOffset && !corrected);
}

/**
 * The time story of a stamp: as written (with its own offset when it has one), the instant in UTC
 * and in the file's zone, where the zone and the year came from, and the gap to the entry before.
 */
function timeSection(log: StoredLog, line: number): string | undefined {
  const parsed = log.parsed;
  const record = parsed.lines.get(line);
  const time = parsed.times[line];
  if (Number.isNaN(time)) {
    if (record.civil) return `**Time:** this stamp could not be placed on the timeline.`;
    if (record.format === 'dmesg') return `**Kernel uptime** ${record.uptime} s. No line of this file ties uptime to the wall clock, so it stays off the timeline.`;
    return undefined;
  }
  const context = parsed.context;
  const text = parsed.text.line(line);
  const host = record.host ? text.slice(record.host.start, record.host.end) : undefined;
  const hostZone = host !== undefined ? context.zoneByHost?.[host] : undefined;
  const zone = hostZone ?? parsed.zone;
  const own = record.civil?.offsetMinutes;
  const offset = host !== undefined ? context.hostOffsetsMs?.[host] : undefined;
  const head: string[] = [];
  if (record.stamp) head.push(`As written: ${inlineCode(text.slice(record.stamp.start, record.stamp.end))}${own !== undefined ? `, with its own offset ${formatOffset(own)}` : ''}`);
  const instant = [`**${isoUtc(time)}** (UTC)`];
  if (!repeatsShownTime(time, zone, own, Boolean(offset))) instant.push(`${formatInZone(time, zone)} in ${escapeMarkdown(zone)}`);
  if (record.uptime !== undefined && record.format !== 'dmesg') instant.push(`kernel uptime ${record.uptime} s`);
  head.push(instant.join(' · '));
  const zoneOrigin = hostZone ? `zone ${escapeMarkdown(hostZone)} from setting logForensics.time.hostZones for ${escapeMarkdown(host ?? '')}` : `zone ${escapeMarkdown(parsed.zone)} from ${escapeMarkdown(context.zoneSource ?? 'settings')}`;
  const sources: string[] = [];
  if (record.civil && record.civil.year === undefined) sources.push(context.yearReference.explanation ? `year ${escapeMarkdown(context.yearReference.explanation)}` : `year ${new Date(time).getUTCFullYear()} from ${parsed.yearSource ?? 'the clock'}`);
  else if (record.civil) sources.push('year written in the stamp');
  // A stamp's own offset decides its instant: the file's zone is named only so that a wrong
  // zone setting is not suspected.
  if (own !== undefined) sources.push(`offset written in the stamp (this file's ${zoneOrigin} does not apply to it)`);
  else if (record.civil) sources.push(zoneOrigin);
  if (offset) sources.push(`${signedSeconds(offset)} clock offset of ${escapeMarkdown(host ?? '')} taken off`);
  if (record.format === 'dmesg') sources.push('kernel uptime mapped to the clock through this file\'s syslog lines or the kernel\'s RTC line');
  const previous = previousStamped(log, line);
  const gap = previous !== undefined ? `\n\n${signedSeconds(time - parsed.times[previous])} after the previous entry (line ${previous + 1})` : '';
  return `${head.join('  \n')}${sources.length > 0 ? `\n\n_${sources.join('; ')}_` : ''}${gap}`;
}

/** A one-line pointer from the stamp's hover to the findings of its line, which the message's hover explains. */
function findingsPointer(findings: readonly Finding[]): string {
  const titles = [...new Set(findings.map((finding) => finding.title))].map(escapeMarkdown).join('; ');
  return `${findings.length} finding${findings.length === 1 ? '' : 's'} on this line: ${titles} (hover the message for what to do)`;
}

/**
 * What a finding means, leading with what to do: a two-line summary (what happened, in the
 * finding's message with the line's values; the first thing to check or run, from the
 * explanation's *How to confirm*), then the rule, then the whole explanation with its
 * placeholders filled from the line.
 */
export function findingSection(finding: Finding, rule: CompiledRule | undefined): string {
  const definition = rule?.definition;
  const names = definition ? groupNamesOf(definition) : new Set<string>();
  const summary = [`**${escapeMarkdown(finding.message)}**`];
  const check = definition && firstCheck(definition.explanation);
  if (check) summary.push(`**Check first:** ${fillPlaceholders(check, names, finding.groups)}`);
  const about = `_${escapeMarkdown(finding.title)}_ · ${inlineCode(finding.ruleId)} · ${finding.severity}`;
  const parts = [summary.join('  \n'), about];
  if (definition) parts.push(fillPlaceholders(definition.explanation, names, finding.groups).trim());
  if (definition?.references?.length) parts.push(`**References:** ${definition.references.map(escapeMarkdown).join('; ')}`);
  return parts.join('\n\n');
}

/**
 * The hover for a position. On the stamp: the time story only, with a pointer to the line's
 * findings. Anywhere else on a flagged line: what each finding means and what to do first.
 */
export function hoverFor(log: StoredLog, position: Position, rules: Map<string, CompiledRule>): Hover | null {
  const parsed = log.parsed;
  if (!(position.line >= 0 && position.line < parsed.lines.length)) return null;
  const record = parsed.lines.get(position.line);
  const findings = log.findingsByLine.get(position.line) ?? [];
  const onStamp = within(position.character, record.stamp) || within(position.character, record.uptimeSpan);
  const time = onStamp ? timeSection(log, position.line) : undefined;
  let value: string | undefined;
  if (time) value = findings.length > 0 ? `${time}\n\n${findingsPointer(findings)}` : time;
  else if (findings.length > 0) value = findings.map((finding) => findingSection(finding, rules.get(finding.ruleId))).join('\n\n---\n\n');
  return value === undefined ? null : { contents: { kind: MarkupKind.Markdown, value } };
}
