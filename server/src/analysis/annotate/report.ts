import { ParsedLog } from '../parse/document';
import { Finding, Severity } from '../rules/types';
import { zoneOffsetMinutes } from '../time/zone';
import { resolveAnchors } from './anchor';
import { codeSpan, escapeText, lineLink, shorten, tableRow } from './markdown';
import { AnchorResolution, Annotation, KNOWN_TAGS } from './types';

/** One log as the report sees it: its analysis and the facts that identify the evidence. */
export interface ReportLog {
  /** Path relative to the workspace root, with `/`, as annotations name it; shown in the report. */
  path: string;
  /** Link destination relative to the report's own folder, with `/`; defaults to `path`. */
  href?: string;
  parsed: ParsedLog;
  findings: readonly Finding[];
  /** Size of the file as it is on disk (for gzip, the compressed size). */
  sizeBytes: number;
  mtimeMs: number;
  /** SHA-256 of the bytes on disk, lower-case hex (for gzip, of the compressed file). */
  sha256: string;
  compressed?: boolean;
}

/** A line the triage ranks high, offered as a start of the timeline while nothing is annotated. */
export interface SuggestedLine {
  /** Index in `ReportInput.logs`. */
  log: number;
  /** 0-based. */
  line: number;
  /** UTC ms; NaN when the line has no usable time. */
  time: number;
  title: string;
  count: number;
  reasons: readonly string[];
}

/** Everything a postmortem is built from. */
export interface ReportInput {
  title?: string;
  logs: readonly ReportLog[];
  /** With nothing annotated: the most telling lines, drafted as a suggested timeline. */
  suggested?: readonly SuggestedLine[];
  annotations: readonly Annotation[];
  /** By annotation id; annotations missing here are resolved against their log's current text. */
  resolved?: ReadonlyMap<string, AnchorResolution>;
  /** Zone for the local-time column; by default each log's own zone. */
  zone?: string;
  /** When the report was made (ISO 8601), for its header; left out when absent. */
  generatedAt?: string;
  /** How many links each rule lists among findings nobody annotated (default 3). */
  linksPerRule?: number;
}

/** An annotation placed on a line of one of the report's logs. */
export interface PlacedAnnotation {
  annotation: Annotation;
  log: ReportLog;
  /** 0-based line the anchor resolved to. */
  line: number;
  /** UTC ms of the line's entry; NaN when it has none. */
  time: number;
}

/** Annotations sorted out against the logs: placed, lost (with why), or on files not in the report. */
export interface PlacedAnnotations {
  placed: PlacedAnnotation[];
  lost: { annotation: Annotation; log: ReportLog; reason: string }[];
  elsewhere: Annotation[];
}

/** Resolves every annotation on the given logs, in one pass per log. */
export function resolveForLogs(logs: readonly ReportLog[], annotations: readonly Annotation[]): Map<string, AnchorResolution> {
  const resolved = new Map<string, AnchorResolution>();
  for (const log of logs) {
    const mine = annotations.filter((a) => a.file === log.path);
    resolveAnchors(log.parsed.text, mine.map((a) => a.anchor)).forEach((resolution, i) => resolved.set(mine[i].id, resolution));
  }
  return resolved;
}

/** Places annotations on the logs' current lines, in time order (untimed last). */
export function placeAnnotations(logs: readonly ReportLog[], annotations: readonly Annotation[], resolved?: ReadonlyMap<string, AnchorResolution>): PlacedAnnotations {
  const byPath = new Map(logs.map((log) => [log.path, log]));
  const missing = annotations.filter((a) => byPath.has(a.file) && !resolved?.has(a.id));
  const computed = missing.length > 0 ? resolveForLogs(logs, missing) : new Map<string, AnchorResolution>();
  const result: PlacedAnnotations = { placed: [], lost: [], elsewhere: [] };
  for (const annotation of annotations) {
    const log = byPath.get(annotation.file);
    if (!log) {
      result.elsewhere.push(annotation);
      continue;
    }
    const resolution = resolved?.get(annotation.id) ?? computed.get(annotation.id) ?? { lost: 'not resolved' };
    if ('lost' in resolution) {
      result.lost.push({ annotation, log, reason: resolution.lost });
    } else {
      const entry = log.parsed.entryStart[resolution.line] ?? resolution.line;
      result.placed.push({ annotation, log, line: resolution.line, time: log.parsed.times[entry] ?? NaN });
    }
  }
  const order = new Map(logs.map((log, i) => [log, i]));
  result.placed.sort((a, b) => timeOrder(a.time, b.time) || order.get(a.log)! - order.get(b.log)! || a.line - b.line);
  return result;
}

function timeOrder(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a - b;
}

/** `2010-11-08 16:49:42` (milliseconds only when there are some). */
function wallClock(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.endsWith('.000Z') ? 19 : 23)}`;
}

/** `+01:00` for 60 minutes. */
function offsetText(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The time of a line in UTC and in a zone, as report cells. */
export function timeCells(ms: number, zone: string): { utc: string; local: string } {
  if (Number.isNaN(ms)) return { utc: '—', local: '—' };
  const offset = zoneOffsetMinutes(zone, ms);
  return { utc: wallClock(ms), local: `${wallClock(ms + offset * 60_000)} ${offsetText(offset)}` };
}

/** What the entry at `line` says: `program: message`, trimmed. */
export function whatHappened(parsed: ParsedLog, line: number): { host?: string; text: string } {
  const entry = parsed.entryStart[line] ?? line;
  const record = entry >= 0 && entry < parsed.lines.length ? parsed.lines.fields(entry) : undefined;
  const raw = parsed.text.line(entry) ?? '';
  if (!record) return { text: raw.trim() };
  const slice = (span?: { start: number; end: number }): string | undefined => (span ? raw.slice(span.start, span.end) : undefined);
  const program = slice(record.program);
  const own = parsed.text.line(line) ?? '';
  // A continuation line was annotated for what it says; its entry header gives host and time.
  const message = line === entry ? (slice(record.message) ?? raw).trim() : own.trim();
  return { host: slice(record.host), text: program && line === entry ? `${program}: ${message}` : message };
}

function noteCell(note: string): string {
  return note.split(/\r\n|\r|\n/).map((part) => escapeText(part)).join('<br>');
}

function link(log: ReportLog, line: number): string {
  return lineLink(log.path, log.href ?? log.path, line + 1);
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

function taggedLines(placed: readonly PlacedAnnotation[], tag: string): string | undefined {
  const lines = placed.filter((p) => p.annotation.tags.includes(tag)).map((p) => link(p.log, p.line));
  return lines.length > 0 ? `- Lines tagged ${codeSpan(tag)}: ${lines.join(', ')}` : undefined;
}

function timelineSection(placed: readonly PlacedAnnotation[], zone: string | undefined): string[] {
  const out = ['## Timeline', ''];
  if (placed.length === 0) return [...out, '_No annotated lines yet: star or tag lines in the logs to build the timeline._', ''];
  const zones = [...new Set(placed.map((p) => zone ?? p.log.parsed.zone))];
  out.push(`Local time is ${zones.length === 1 ? `in ${codeSpan(zones[0])}` : "in each log's zone"}. Lines without a usable time come last.`, '');
  out.push(tableRow(['', 'UTC', 'Local', 'Host', 'What happened', 'Tags', 'Note', 'Line']));
  out.push(tableRow(['-', '---', '---', '---', '---', '---', '---', '---']));
  for (const p of placed) {
    const { utc, local } = timeCells(p.time, zone ?? p.log.parsed.zone);
    const what = whatHappened(p.log.parsed, p.line);
    out.push(tableRow([
      p.annotation.starred ? '★' : '',
      utc,
      local,
      codeSpan(what.host ?? '', true),
      codeSpan(shorten(what.text, 200), true),
      p.annotation.tags.map((tag) => escapeText(tag)).join(', '),
      noteCell(p.annotation.note),
      link(p.log, p.line),
    ]));
  }
  return [...out, ''];
}

/** The suggested timeline: the triage's most telling lines in time order, with why each was picked. */
function suggestedSection(logs: readonly ReportLog[], suggested: readonly SuggestedLine[], zone: string | undefined): string[] {
  const out = ['## Suggested timeline', '', '_Drafted from what is most unusual in the logs (rare, new, out of rhythm, near other logs\' findings); keep, annotate or delete each row._', ''];
  out.push(tableRow(['UTC', 'Local', 'Host', 'What happened', 'Why it stands out', 'Line']));
  out.push(tableRow(['---', '---', '---', '---', '---', '---']));
  const ordered = [...suggested].sort((a, b) => (Number.isNaN(a.time) ? Infinity : a.time) - (Number.isNaN(b.time) ? Infinity : b.time));
  for (const item of ordered) {
    const log = logs[item.log];
    if (!log) continue;
    const { utc, local } = timeCells(item.time, zone ?? log.parsed.zone);
    const what = whatHappened(log.parsed, item.line);
    out.push(tableRow([utc, local, codeSpan(what.host ?? '', true), codeSpan(shorten(what.text, 200), true), escapeText(`${item.title}${item.count > 1 ? ` (×${item.count})` : ''}: ${item.reasons.join('; ')}`), link(log, item.line)]));
  }
  return [...out, ''];
}

function findingsSection(logs: readonly ReportLog[], placed: readonly PlacedAnnotation[], linksPerRule: number): string[] {
  const annotated = new Map<ReportLog, Set<number>>();
  for (const p of placed) {
    const lines = annotated.get(p.log) ?? new Set<number>();
    lines.add(p.line);
    annotated.set(p.log, lines);
  }
  const groups = new Map<string, { finding: Finding; count: number; links: string[] }>();
  for (const log of logs) {
    const lines = annotated.get(log);
    for (const finding of log.findings) {
      const covered = finding.members ?? Array.from({ length: finding.endLine - finding.line + 1 }, (_, i) => finding.line + i);
      if (lines && covered.some((line) => lines.has(line))) continue;
      const group = groups.get(finding.ruleId) ?? { finding, count: 0, links: [] };
      group.count++;
      if (group.links.length < linksPerRule) group.links.push(link(log, finding.line));
      groups.set(finding.ruleId, group);
    }
  }
  const out = ['## Findings not annotated', ''];
  if (groups.size === 0) return [...out, '_Every finding is on an annotated line, or there are none._', ''];
  out.push('Signatures that matched on lines nobody annotated: check whether they belong in the timeline.', '');
  out.push(tableRow(['Rule', 'Severity', 'Title', 'Count', 'First lines']));
  out.push(tableRow(['---', '---', '---', '--:', '---']));
  const sorted = [...groups.entries()].sort(([idA, a], [idB, b]) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || b.count - a.count || (idA < idB ? -1 : 1));
  for (const [ruleId, group] of sorted) {
    out.push(tableRow([codeSpan(ruleId, true), group.finding.severity, escapeText(group.finding.title), String(group.count), group.links.join(', ') + (group.count > group.links.length ? ', …' : '')]));
  }
  return [...out, ''];
}

function lostSection(lost: PlacedAnnotations['lost'], elsewhere: readonly Annotation[]): string[] {
  if (lost.length === 0 && elsewhere.length === 0) return [];
  const out = ['## Annotations not placed', ''];
  if (lost.length > 0) {
    out.push('These annotations could not be found again in the current logs; they are not in the timeline.', '');
    for (const { annotation, log, reason } of lost) {
      const note = annotation.note ? ` Note: ${noteCell(annotation.note)}` : '';
      out.push(`- ${escapeText(log.path)}, was line ${annotation.anchor.line + 1}: ${codeSpan(annotation.anchor.text) || '_(empty line)_'} — ${escapeText(reason)}.${note}`);
    }
    out.push('');
  }
  if (elsewhere.length > 0) {
    const files = [...new Set(elsewhere.map((a) => a.file))];
    out.push(`${elsewhere.length} annotation${elsewhere.length === 1 ? ' is' : 's are'} on logs not in this report: ${files.map((f) => escapeText(f)).join(', ')}.`, '');
  }
  return out;
}

function evidenceSection(logs: readonly ReportLog[]): string[] {
  const out = ['## Evidence', '', 'Recompute the SHA-256 of each file to check it is the same evidence.', ''];
  out.push(tableRow(['File', 'Size (bytes)', 'Modified (UTC)', 'SHA-256']));
  out.push(tableRow(['---', '--:', '---', '---']));
  for (const log of logs) {
    const mtime = Number.isFinite(log.mtimeMs) ? `${new Date(log.mtimeMs).toISOString().slice(0, 19).replace('T', ' ')}` : '—';
    out.push(tableRow([`${escapeText(log.path)}${log.compressed ? ' (gzip)' : ''}`, String(log.sizeBytes), mtime, codeSpan(log.sha256, true)]));
  }
  out.push('');
  if (logs.some((log) => log.compressed)) out.push('For gzip files, size and hash are of the compressed file as it is on disk.', '');
  return out;
}

/**
 * Builds the postmortem in Markdown: title, summary and impact to fill in, the timeline of
 * annotated lines, findings nobody annotated, annotations that could not be placed, and the
 * evidence (size, time, SHA-256 of each log). All text from logs is escaped.
 */
export function buildReport(input: ReportInput): string {
  const { placed, lost, elsewhere } = placeAnnotations(input.logs, input.annotations, input.resolved);
  const title = input.title?.trim() || 'incident';
  const out: string[] = [`# Postmortem: ${escapeText(title)}`, ''];
  const count = input.logs.length;
  out.push(`_Built by Log Forensics from ${count} log${count === 1 ? '' : 's'}${input.generatedAt ? ` on ${/^[\d\-T:.Z]+$/.test(input.generatedAt) ? input.generatedAt : escapeText(input.generatedAt)}` : ''}. Links open the line (\`path#L123\`)._`, '');
  out.push('## Summary', '', '_To write: what happened, in two or three sentences — cause, effect, how it was detected and fixed._', '');
  const summaryTags = KNOWN_TAGS.filter((tag) => tag !== 'impact').map((tag) => taggedLines(placed, tag)).filter((line): line is string => line !== undefined);
  if (summaryTags.length > 0) out.push(...summaryTags, '');
  out.push('## Impact', '', '_To write: who or what was affected, from when to when (UTC), and how badly._', '');
  const impact = taggedLines(placed, 'impact');
  if (impact) out.push(impact, '');
  out.push(...timelineSection(placed, input.zone));
  if (placed.length === 0 && input.suggested && input.suggested.length > 0) out.push(...suggestedSection(input.logs, input.suggested, input.zone));
  out.push(...findingsSection(input.logs, placed, input.linksPerRule ?? 3));
  out.push(...lostSection(lost, elsewhere));
  out.push(...evidenceSection(input.logs));
  return out.join('\n');
}
