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
  return `${new Date(ms).toISOString().slice(0, -1)}+00:00`;
}

/** An entry's findings and annotations, by the line that starts it. */
interface EntryMarks {
  findings: Map<number, Finding[]>;
  notes: Map<number, Annotation[]>;
}

function pushTo<T>(map: Map<number, T[]>, key: number, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function marksOf(log: TimesketchLog, annotations: readonly Annotation[], resolved?: ReadonlyMap<string, AnchorResolution>): EntryMarks {
  const { parsed } = log;
  const findings = new Map<number, Finding[]>();
  for (const finding of log.findings) pushTo(findings, parsed.entryStart[finding.line] ?? finding.line, finding);
  const notes = new Map<number, Annotation[]>();
  const mine = annotations.filter((a) => a.file === log.path);
  const unresolved = mine.filter((a) => !resolved?.has(a.id));
  const fresh = unresolved.length > 0 ? resolveAnchors(parsed.text, unresolved.map((a) => a.anchor)) : [];
  let k = 0;
  for (const annotation of mine) {
    const resolution = resolved?.get(annotation.id) ?? fresh[k++];
    if ('lost' in resolution) continue;
    pushTo(notes, parsed.entryStart[resolution.line] ?? resolution.line, annotation);
  }
  return { findings, notes };
}

function rowOf(log: TimesketchLog, marks: EntryMarks, line: number): TimesketchRow {
  const { parsed } = log;
  const record = parsed.lines.fields(line);
  const ms = parsed.times[line];
  const text = parsed.text.line(line);
  const slice = (span?: { start: number; end: number }): string => (span ? text.slice(span.start, span.end) : '');
  const onLine = marks.findings.get(line) ?? [];
  const annotated = marks.notes.get(line) ?? [];
  const worst = onLine.reduce<Severity | undefined>((w, f) => (w === undefined || SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w), undefined);
  const pid = slice(record.pid);
  const starred = annotated.some((a) => a.starred);
  return {
    message: text,
    datetime: timesketchDatetime(ms),
    timestamp: ms * 1000,
    timestamp_desc: 'Log entry time',
    file: log.path,
    line: line + 1,
    host: slice(record.host),
    program: slice(record.program),
    pid: /^\d{1,15}$/.test(pid) ? Number(pid) : pid,
    rule_id: [...new Set(onLine.map((f) => f.ruleId))].join(','),
    severity: worst ?? '',
    starred,
    tag: [...new Set([...annotated.flatMap((a) => a.tags), ...(starred ? ['starred'] : [])])],
    note: annotated.map((a) => a.note).filter((n) => n.length > 0).join('\n'),
  };
}

/** The events of an export: how many, how many could not be placed, and the rows one at a time. */
export interface TimesketchTimeline {
  count: number;
  /** Entries without a usable time: Timesketch cannot place them, so they are not exported. */
  untimed: number;
  rows(): Iterable<TimesketchRow>;
}

/**
 * The events of the logs as Timesketch rows, in time order (ties: the logs' order, then line): one
 * row per entry with a usable time, with the findings and annotations on that entry. Annotations
 * are placed by resolving their anchors unless `resolved` (by annotation id) says where they are;
 * lost anchors are left out. Only the order is held (three numbers an entry); each row is built
 * when it is read, so a log of millions of lines never exists as millions of objects.
 */
export function timesketchTimeline(logs: readonly TimesketchLog[], annotations: readonly Annotation[], resolved?: ReadonlyMap<string, AnchorResolution>): TimesketchTimeline {
  const total = logs.reduce((sum, log) => sum + log.parsed.lines.length, 0);
  const logOf = new Uint32Array(total);
  const lineOf = new Int32Array(total);
  const msOf = new Float64Array(total);
  let count = 0;
  let untimed = 0;
  let sorted = true;
  logs.forEach((log, order) => {
    const { parsed } = log;
    for (let line = 0; line < parsed.lines.length; line++) {
      if (parsed.lines.kind(line) !== 'entry') continue;
      const ms = parsed.times[line];
      if (Number.isNaN(ms)) {
        untimed++;
        continue;
      }
      if (count > 0 && ms < msOf[count - 1]) sorted = false;
      logOf[count] = order;
      lineOf[count] = line;
      msOf[count++] = ms;
    }
  });
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  // Entries are gathered log by log, line by line, so the index already breaks ties as wanted.
  if (!sorted) order.sort((a, b) => msOf[a] - msOf[b] || a - b);
  let marks: EntryMarks[] | undefined;
  return {
    count,
    untimed,
    *rows() {
      marks ??= logs.map((log) => marksOf(log, annotations, resolved));
      for (let k = 0; k < count; k++) {
        const entry = order[k];
        yield rowOf(logs[logOf[entry]], marks[logOf[entry]], lineOf[entry]);
      }
    },
  };
}

/** All rows at once, for small exports and tests. */
export function timesketchRows(logs: readonly TimesketchLog[], annotations: readonly Annotation[], resolved?: ReadonlyMap<string, AnchorResolution>): { rows: TimesketchRow[]; untimed: number } {
  const timeline = timesketchTimeline(logs, annotations, resolved);
  return { rows: [...timeline.rows()], untimed: timeline.untimed };
}

/** Characters of text gathered before a piece of an export is handed to the writer. */
const PIECE_CHARS = 1 << 20;

/** Joins lines into pieces of about a mebibyte, so a writer makes few calls and holds little. */
function* inPieces(lines: Iterable<string>): Iterable<string> {
  let pending: string[] = [];
  let size = 0;
  for (const line of lines) {
    pending.push(line);
    size += line.length;
    if (size >= PIECE_CHARS) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

/** Rows as JSON Lines, one object per line, each ending in a newline, in pieces. */
export function timesketchJsonl(rows: Iterable<TimesketchRow>): Iterable<string> {
  return inPieces(
    (function* () {
      for (const row of rows) yield `${JSON.stringify(row)}\n`;
    })(),
  );
}

/** Quotes a CSV field when it holds a comma, a quote, a line break or edge white space (RFC 4180). */
export function csvField(value: string | number | boolean | readonly string[]): string {
  const text = Array.isArray(value) ? value.join(',') : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows as CSV with a header line, CRLF line ends (RFC 4180), in pieces. */
export function timesketchCsv(rows: Iterable<TimesketchRow>): Iterable<string> {
  return inPieces(
    (function* () {
      yield `${TIMESKETCH_COLUMNS.join(',')}\r\n`;
      for (const row of rows) yield `${TIMESKETCH_COLUMNS.map((column) => csvField(row[column])).join(',')}\r\n`;
    })(),
  );
}
