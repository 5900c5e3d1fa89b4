import { TimeIndex, lowerBound, upperBound } from '../correlate/timeIndex';
import { LineRun } from '../templates/routine';
import { ViewKind, ViewSpec } from './spec';

/** A view holds at most this many lines, its last saying so when cut: a view is for reading, and VS Code syncs it whole. */
export const MAX_VIEW_LINES = 100_000;

/** Marks a view row that is no line of the log: a gap marker or the line saying the view was cut. */
export const MARKER_ROW = -1;

/** What a view reads of a log's analysis: its line table's columns and what was found in it. */
export interface ViewSource {
  lines: { readonly length: number; host(line: number): string | undefined; program(line: number): string | undefined };
  entryStart: ArrayLike<number>;
  index: TimeIndex;
  findings: readonly { line: number; endLine: number; members?: readonly number[] }[];
  /** The runs of routine lines, asked only by the view that hides them. */
  routineRuns(): readonly LineRun[];
}

/** A stretch of consecutive log lines shown from view row `row` on. */
export interface ViewSegment {
  row: number;
  line: number;
  count: number;
}

/** Which log line each row of a view shows, and the text of its marker rows. */
export interface LineMap {
  /** Per view row: the 0-based log line shown, or `MARKER_ROW`. */
  rows: Int32Array;
  /** The text of each marker row, by row. */
  markers: Map<number, string>;
  /** The log lines shown, in runs, in row order (and so in line order). */
  segments: ViewSegment[];
  /** Log lines the view would show but left out when it was cut at `MAX_VIEW_LINES`; 0 when whole. */
  cutLines: number;
}

/** What narrows each kind of view when it is too large to show whole. */
const NARROWING: Record<ViewKind, string> = {
  time: 'open a shorter window of time',
  findings: 'open fewer lines of context, or one program or one host',
  program: 'open a window of time, or one host',
  host: 'open a window of time, or one program',
  routineHidden: 'open a window of time, one program or one host',
};

function lines(count: number): string {
  return `${count.toLocaleString('en')} ${count === 1 ? 'line' : 'lines'}`;
}

/** The runs of lines whose entry satisfies `keep`, a continuation line going with its entry. */
function entriesWhere(source: ViewSource, keep: (entry: number) => boolean): LineRun[] {
  const runs: LineRun[] = [];
  for (let line = 0; line < source.lines.length; line++) {
    const entry = source.entryStart[line];
    if (!keep(entry >= 0 ? entry : line)) continue;
    const last = runs[runs.length - 1];
    if (last && last.end === line - 1) last.end = line;
    else runs.push({ start: line, end: line });
  }
  return runs;
}

/** Sorted, overlapping or touching runs joined. */
function merged(runs: LineRun[]): LineRun[] {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  const out: LineRun[] = [];
  for (const run of sorted) {
    const last = out[out.length - 1];
    if (last && run.start <= last.end + 1) last.end = Math.max(last.end, run.end);
    else out.push({ ...run });
  }
  return out;
}

/** Each finding's lines (a burst's every member) with `context` lines either side. */
function findingRuns(source: ViewSource, context: number): LineRun[] {
  const last = source.lines.length - 1;
  const around = (start: number, end: number): LineRun => ({ start: Math.max(0, start - context), end: Math.min(last, end + context) });
  const runs: LineRun[] = [];
  for (const finding of source.findings) {
    runs.push(around(finding.line, finding.endLine));
    for (const member of finding.members ?? []) if (member !== finding.line) runs.push(around(member, member));
  }
  return merged(runs.filter((run) => run.start <= run.end));
}

/** The stretch from the first entry at or after `from` to the last at or before `to`, with its continuation lines; lines in between stay in file order. */
function timeRun(source: ViewSource, fromMs: number, toMs: number): LineRun[] {
  if (Number.isNaN(fromMs) || Number.isNaN(toMs)) return [];
  const { lines, times } = source.index;
  const a = lowerBound(times, fromMs);
  const b = upperBound(times, toMs);
  if (a >= b) return [];
  let first = Infinity;
  let last = -1;
  for (let k = a; k < b; k++) {
    if (lines[k] < first) first = lines[k];
    if (lines[k] > last) last = lines[k];
  }
  let end = last;
  while (end + 1 < source.lines.length && source.entryStart[end + 1] === last) end++;
  return [{ start: first, end }];
}

/** The runs of log lines a view shows, in order, none touching another. */
export function shownRuns(source: ViewSource, spec: ViewSpec): LineRun[] {
  switch (spec.kind) {
    case 'time':
      return timeRun(source, Date.parse(spec.from), Date.parse(spec.to));
    case 'findings':
      return findingRuns(source, spec.context);
    case 'program':
      return entriesWhere(source, (entry) => source.lines.program(entry) === spec.program);
    case 'host':
      return entriesWhere(source, (entry) => source.lines.host(entry) === spec.host);
    case 'routineHidden': {
      const shown: LineRun[] = [];
      let next = 0;
      for (const run of source.routineRuns()) {
        if (run.start > next) shown.push({ start: next, end: run.start - 1 });
        next = run.end + 1;
      }
      if (next < source.lines.length) shown.push({ start: next, end: source.lines.length - 1 });
      return shown;
    }
  }
}

/**
 * The rows of a view of `runs`: their lines, a marker "⋯ N lines not shown" between two runs that
 * do not touch, and, past `maxRows`, a last row saying the view was cut and how to narrow it.
 */
export function lineMapOf(runs: readonly LineRun[], kind: ViewKind, maxRows = MAX_VIEW_LINES): LineMap {
  let needed = 0;
  for (let i = 0; i < runs.length; i++) needed += runs[i].end - runs[i].start + 1 + (i > 0 && runs[i].start > runs[i - 1].end + 1 ? 1 : 0);
  const cut = needed > maxRows;
  const room = cut ? maxRows - 1 : needed;
  const rows = new Int32Array(cut ? maxRows : needed);
  const markers = new Map<number, string>();
  const segments: ViewSegment[] = [];
  let row = 0;
  let shown = 0;
  let total = 0;
  let full = false;
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i];
    total += run.end - run.start + 1;
    const gap = i > 0 && run.start > runs[i - 1].end + 1;
    // A marker is only worth its row with at least one line after it.
    if (full || row + (gap ? 1 : 0) >= room) {
      full = true;
      continue;
    }
    if (gap) {
      markers.set(row, `⋯ ${lines(run.start - runs[i - 1].end - 1)} not shown`);
      rows[row++] = MARKER_ROW;
    }
    const count = Math.min(run.end - run.start + 1, room - row);
    segments.push({ row, line: run.start, count });
    for (let k = 0; k < count; k++) rows[row++] = run.start + k;
    shown += count;
  }
  const cutLines = total - shown;
  if (cut) {
    markers.set(row, `⋯ view cut at ${lines(maxRows)}: ${lines(cutLines)} more not shown; to read them, ${NARROWING[kind]}`);
    rows[row++] = MARKER_ROW;
  }
  return { rows: row === rows.length ? rows : rows.slice(0, row), markers, segments, cutLines };
}

/** The view of a log that `spec` describes. */
export function buildLineMap(source: ViewSource, spec: ViewSpec, maxRows = MAX_VIEW_LINES): LineMap {
  return lineMapOf(shownRuns(source, spec), spec.kind, maxRows);
}

/** The log line a view row shows; undefined for a marker row or a row past the view's end. */
export function logLineOf(map: LineMap, row: number): number | undefined {
  const line = Number.isInteger(row) && row >= 0 && row < map.rows.length ? map.rows[row] : MARKER_ROW;
  return line === MARKER_ROW ? undefined : line;
}

/** The view row showing a log line; undefined when the view leaves it out. */
export function rowOf(map: LineMap, line: number): number | undefined {
  let lo = 0;
  let hi = map.segments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map.segments[mid].line + map.segments[mid].count <= line) lo = mid + 1;
    else hi = mid;
  }
  const segment = map.segments[lo];
  return segment && line >= segment.line ? segment.row + (line - segment.line) : undefined;
}

/** A view's text: each row's log line (read through `lineText`) or marker, joined by `\n`. */
export function viewText(map: LineMap, lineText: (line: number) => string): string {
  const out: string[] = new Array(map.rows.length);
  for (let row = 0; row < map.rows.length; row++) out[row] = map.rows[row] === MARKER_ROW ? map.markers.get(row)! : lineText(map.rows[row]);
  return out.join('\n');
}
