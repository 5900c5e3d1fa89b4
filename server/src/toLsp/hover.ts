import { Hover, MarkupKind, Position } from 'vscode-languageserver';
import { StoredLog } from '../logs/registry';
import { CompiledRule } from '../analysis/rules/types';
import { formatInZone } from '../analysis/time/zone';
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
  const host = record.host ? parsed.text.line(line).slice(record.host.start, record.host.end) : undefined;
  const hostZone = host !== undefined ? context.zoneByHost?.[host] : undefined;
  const zone = hostZone ?? parsed.zone;
  const parts = [`**${isoUtc(time)}** (UTC)`, `${formatInZone(time, zone)} in ${escapeMarkdown(zone)}`];
  const sources: string[] = [];
  if (record.civil && record.civil.year === undefined) sources.push(context.yearReference.explanation ? `year ${escapeMarkdown(context.yearReference.explanation)}` : `year ${new Date(time).getUTCFullYear()} from ${parsed.yearSource ?? 'the clock'}`);
  else if (record.civil) sources.push('year written in the stamp');
  if (record.civil?.offsetMinutes !== undefined) sources.push('offset written in the stamp');
  else if (record.civil && hostZone) sources.push(`zone ${escapeMarkdown(hostZone)} from setting logForensics.time.hostZones for ${escapeMarkdown(host ?? '')}`);
  else if (record.civil) sources.push(`zone ${escapeMarkdown(parsed.zone)} from ${escapeMarkdown(context.zoneSource ?? 'settings')}`);
  const offset = host !== undefined ? context.hostOffsetsMs?.[host] : undefined;
  if (offset) sources.push(`${signedSeconds(offset)} clock offset of ${escapeMarkdown(host ?? '')} taken off`);
  if (record.format === 'dmesg') sources.push('kernel uptime mapped to the clock through this file\'s syslog lines or the kernel\'s RTC line');
  if (record.uptime !== undefined && record.format !== 'dmesg') parts.push(`kernel uptime ${record.uptime} s`);
  const previous = previousStamped(log, line);
  const gap = previous !== undefined ? `\n\n${signedSeconds(time - parsed.times[previous])} after the previous entry (line ${previous + 1})` : '';
  return `${parts.join(' · ')}\n\n_${sources.join('; ')}_${gap}`;
}

/** The hover for a position: the time of a stamp, and what the line's findings mean. */
export function hoverFor(log: StoredLog, position: Position, rules: Map<string, CompiledRule>): Hover | null {
  const parsed = log.parsed;
  if (!(position.line >= 0 && position.line < parsed.lines.length)) return null;
  const record = parsed.lines.get(position.line);
  const sections: string[] = [];
  if (within(position.character, record.stamp) || within(position.character, record.uptimeSpan)) {
    const time = timeSection(log, position.line);
    if (time) sections.push(time);
  }
  for (const finding of log.findingsByLine.get(position.line) ?? []) {
    const rule = rules.get(finding.ruleId);
    const head = `### ${escapeMarkdown(finding.title)}\n\n${inlineCode(finding.ruleId)} · ${finding.severity} · ${escapeMarkdown(finding.message)}`;
    const references = rule?.definition.references?.length ? `\n\n**References:** ${rule.definition.references.map(escapeMarkdown).join('; ')}` : '';
    sections.push(`${head}\n\n${rule?.definition.explanation ?? ''}${references}`);
  }
  if (sections.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') } };
}
