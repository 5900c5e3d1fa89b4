import { ParsedLog } from '../parse/document';
import { Finding, Severity } from '../rules/types';
import { AnchorResolution, Annotation } from './types';
import { resolveAnchors } from './anchor';

/** One log for the Timesketch export. */
export interface TimesketchLog {
  /** Path as annotations name it (workspace-relative, `/`); written in the `file` column. */
  path: string;
  parsed: ParsedLog;
  findings: readonly Finding[];
}

/**
 * One event in the shape Timesketch imports: the mandatory `message`, `datetime` (ISO 8601) and
 * `timestamp_desc`, `timestamp` in microseconds, and the fields of this tool.
 */
export interface TimesketchRow {
  message: string;
  datetime: string;
  timestamp: number;
  timestamp_desc: string;
  file: string;
  /** 1-based. */
  line: number;
  host: string;
  program: string;
  /** A number where the log wrote one (`4711`); as written otherwise (`3551:0`); '' without one. */
  pid: number | string;
  /** Rule ids of the findings on this entry, comma-separated. */
  rule_id: string;
  /** The most serious finding's severity; empty without findings. */
  severity: string;
  starred: boolean;
  /**
   * Timesketch's own `tag` list: the annotations' tags on this entry, and `starred` for a starred
   * one, so they show as tags in the sketch (JSON Lines: a list; CSV: comma-separated).
   */
  tag: string[];
  note: string;
}

/** The columns, in the order the CSV writes them. */
export const TIMESKETCH_COLUMNS: readonly (keyof TimesketchRow)[] = ['message', 'datetime', 'timestamp', 'timestamp_desc', 'file', 'line', 'host', 'program', 'pid', 'rule_id', 'severity', 'starred', 'tag', 'note'];

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

/** `2015-07-24T19:01:01.000+00:00`, the form Timesketch's documentation shows. */
function timesketchDatetime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+00:00');
}

/**
 * The events of the logs as Timesketch rows, in time order: one row per entry with a usable time
 * (entries without one cannot be placed and are counted in `untimed`), with the findings and
 * annotations on that entry. Annotations are placed by resolving their anchors unless `resolved`
 * (by annotation id) says where they are; lost anchors are left out.
 */
export function timesketchRows(logs: readonly TimesketchLog[], annotations: readonly Annotation[], resolved?: ReadonlyMap<string, AnchorResolution>): { rows: TimesketchRow[]; untimed: number } {
  const rows: (TimesketchRow & { ms: number; order: number })[] = [];
  let untimed = 0;
  logs.forEach((log, order) => {
    const { parsed } = log;
    const findings = new Map<number, Finding[]>();
    for (const finding of log.findings) {
      const entry = parsed.entryStart[finding.line] ?? finding.line;
      findings.set(entry, [...(findings.get(entry) ?? []), finding]);
    }
    const mine = annotations.filter((a) => a.file === log.path);
    const fresh = resolveAnchors(parsed.text, mine.filter((a) => !resolved?.has(a.id)).map((a) => a.anchor));
    const notes = new Map<number, Annotation[]>();
    let k = 0;
    for (const annotation of mine) {
      const resolution = resolved?.get(annotation.id) ?? fresh[k++];
      if ('lost' in resolution) continue;
      const entry = parsed.entryStart[resolution.line] ?? resolution.line;
      notes.set(entry, [...(notes.get(entry) ?? []), annotation]);
    }
    for (let line = 0; line < parsed.lines.length; line++) {
      if (parsed.lines.kind(line) !== 'entry') continue;
      const record = parsed.lines.fields(line);
      const ms = parsed.times[line];
      if (Number.isNaN(ms)) {
        untimed++;
        continue;
      }
      const text = parsed.text.line(line);
      const slice = (span?: { start: number; end: number }): string => (span ? text.slice(span.start, span.end) : '');
      const onLine = findings.get(line) ?? [];
      const annotated = notes.get(line) ?? [];
      const worst = onLine.reduce<Severity | undefined>((w, f) => (w === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w), undefined);
      rows.push({
        message: text,
        datetime: timesketchDatetime(ms),
        timestamp: ms * 1000,
        timestamp_desc: 'Log entry time',
        file: log.path,
        line: line + 1,
        host: slice(record.host),
        program: slice(record.program),
        pid: /^\d{1,15}$/.test(slice(record.pid)) ? Number(slice(record.pid)) : slice(record.pid),
        rule_id: [...new Set(onLine.map((f) => f.ruleId))].join(','),
        severity: worst ?? '',
        starred: annotated.some((a) => a.starred),
        tag: [...new Set([...annotated.flatMap((a) => a.tags), ...(annotated.some((a) => a.starred) ? ['starred'] : [])])],
        note: annotated.map((a) => a.note).filter((n) => n.length > 0).join('\n'),
        ms,
        order,
      });
    }
  });
  rows.sort((a, b) => a.ms - b.ms || a.order - b.order || a.line - b.line);
  return { rows: rows.map(({ ms: _ms, order: _order, ...row }) => row), untimed };
}

/** Rows as JSON Lines, one object per line, each ending in a newline. */
export function toTimesketchJsonl(rows: readonly TimesketchRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

/** Quotes a CSV field when it holds a comma, a quote, a line break or edge white space (RFC 4180). */
export function csvField(value: string | number | boolean | readonly string[]): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with a header line, CRLF line ends (RFC 4180). */
export function toTimesketchCsv(rows: readonly TimesketchRow[]): string {
  const lines = [TIMESKETCH_COLUMNS.join(',')];
  for (const row of rows) lines.push(TIMESKETCH_COLUMNS.map((column) => csvField(row[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
