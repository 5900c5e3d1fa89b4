import { CivilTime, LineKind, LineLevel, LogLine, Span, StampFormat } from './types';
import { parseLogLine } from './line';

const KINDS: readonly LineKind[] = ['entry', 'continuation', 'frame', 'thread-header', 'blank'];
const FORMATS: readonly StampFormat[] = ['none', 'rfc3164', 'iso8601', 'rfc5424', 'bracketed', 'exim', 'dmesg'];
const LEVELS: readonly (LineLevel | undefined)[] = [undefined, 'emergency', 'error', 'warning', 'notice', 'info', 'debug'];
const KIND_CODE = new Map(KINDS.map((kind, code) => [kind, code]));
const FORMAT_CODE = new Map(FORMATS.map((format, code) => [format, code]));
const LEVEL_CODE = new Map(LEVELS.map((level, code) => [level, code]));

/** Code of the `blank` kind in `kindCode(i)`. */
export const KIND_BLANK = KIND_CODE.get('blank')!;
/** Code of the `entry` kind in `kindCode(i)`. */
export const KIND_ENTRY = KIND_CODE.get('entry')!;
/** Code of the `continuation` kind in `kindCode(i)`. */
export const KIND_CONTINUATION = KIND_CODE.get('continuation')!;

/** The fields of a line without its civil time: what callers that scan every line read. */
export type LineFieldsView = Omit<LogLine, 'civil'>;

/** How many rebuilt lines `get` keeps (hover and semantic tokens ask for the same few lines). */
const CACHE_SIZE = 8;

/**
 * The civil times of a log's stamped lines as columns, for `parseLog` to place each line on the
 * timeline; dropped once it has. `flags`: 1 a civil time, 2 with a year, 4 with an offset.
 */
export interface CivilColumns {
  flags: Uint8Array;
  year: Int32Array;
  month: Int32Array;
  day: Int32Array;
  hour: Int32Array;
  minute: Int32Array;
  second: Int32Array;
  millis: Int32Array;
  offsetMinutes: Int32Array;
}

/** The civil time of line `i`, as `parseLogLine` read it, or undefined. */
export function civilAt(columns: CivilColumns, i: number): CivilTime | undefined {
  const flags = columns.flags[i];
  if ((flags & 1) === 0) return undefined;
  const civil: CivilTime = {
    month: columns.month[i],
    day: columns.day[i],
    hour: columns.hour[i],
    minute: columns.minute[i],
    second: columns.second[i],
    millis: columns.millis[i],
  };
  if (flags & 2) civil.year = columns.year[i];
  if (flags & 4) civil.offsetMinutes = columns.offsetMinutes[i];
  return civil;
}

/**
 * A log's parsed lines, held as columns of typed arrays (about 60 bytes a line) rather than one
 * `LogLine` object per line. Spans are character offsets within the line; a start of -1 means
 * the line has no such field. `get(i)` rebuilds the full `LogLine` of one line.
 */
export class LineTable {
  readonly length: number;
  private readonly text: readonly string[];
  private readonly kinds: Uint8Array;
  private readonly formats: Uint8Array;
  private readonly levels: Uint8Array;
  /** start, end pairs: stamp, host, program, pid, message, uptime span. */
  private readonly spans: Int32Array;
  private readonly uptimes: Float64Array;
  private readonly cache = new Map<number, LogLine>();

  private constructor(text: readonly string[]) {
    const count = text.length;
    this.length = count;
    this.text = text;
    this.kinds = new Uint8Array(count);
    this.formats = new Uint8Array(count);
    this.levels = new Uint8Array(count);
    this.spans = new Int32Array(count * 12).fill(-1);
    this.uptimes = new Float64Array(count).fill(NaN);
  }

  /** Parses every line of `text`; returns the table and the lines' civil times as columns. */
  static parse(text: readonly string[]): { table: LineTable; civil: CivilColumns } {
    const table = new LineTable(text);
    const count = text.length;
    const civil: CivilColumns = {
      flags: new Uint8Array(count),
      year: new Int32Array(count),
      month: new Int32Array(count),
      day: new Int32Array(count),
      hour: new Int32Array(count),
      minute: new Int32Array(count),
      second: new Int32Array(count),
      millis: new Int32Array(count),
      offsetMinutes: new Int32Array(count),
    };
    for (let i = 0; i < count; i++) {
      const line = parseLogLine(text[i], i);
      table.store(i, line);
      const c = line.civil;
      if (c) {
        civil.flags[i] = 1 | (c.year !== undefined ? 2 : 0) | (c.offsetMinutes !== undefined ? 4 : 0);
        if (c.year !== undefined) civil.year[i] = c.year;
        civil.month[i] = c.month;
        civil.day[i] = c.day;
        civil.hour[i] = c.hour;
        civil.minute[i] = c.minute;
        civil.second[i] = c.second;
        civil.millis[i] = c.millis;
        if (c.offsetMinutes !== undefined) civil.offsetMinutes[i] = c.offsetMinutes;
      }
    }
    return { table, civil };
  }

  private store(i: number, line: LogLine): void {
    this.kinds[i] = KIND_CODE.get(line.kind)!;
    this.formats[i] = FORMAT_CODE.get(line.format)!;
    this.levels[i] = LEVEL_CODE.get(line.level)!;
    const spans = this.spans;
    const at = i * 12;
    const put = (slot: number, span: Span | undefined): void => {
      if (!span) return;
      spans[at + slot] = span.start;
      spans[at + slot + 1] = span.end;
    };
    put(0, line.stamp);
    put(2, line.host);
    put(4, line.program);
    put(6, line.pid);
    put(8, line.message);
    put(10, line.uptimeSpan);
    if (line.uptime !== undefined) this.uptimes[i] = line.uptime;
  }

  /** The full parsed line `i`, as `parseLogLine` gives it (rebuilt; the last few are cached). */
  get(i: number): LogLine {
    const cached = this.cache.get(i);
    if (cached) return cached;
    const line = parseLogLine(this.text[i], i);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(i, line);
    return line;
  }

  /** Line `i` without its civil time, built from the columns (no re-parse). */
  fields(i: number): LineFieldsView {
    const line: LineFieldsView = { line: i, kind: this.kind(i), format: this.format(i), message: { start: this.messageStart(i), end: this.messageEnd(i) } };
    const stamp = this.span(i, 0);
    if (stamp) line.stamp = stamp;
    const uptime = this.uptimes[i];
    if (!Number.isNaN(uptime)) line.uptime = uptime;
    const uptimeSpan = this.span(i, 10);
    if (uptimeSpan) line.uptimeSpan = uptimeSpan;
    const host = this.span(i, 2);
    if (host) line.host = host;
    const program = this.span(i, 4);
    if (program) line.program = program;
    const pid = this.span(i, 6);
    if (pid) line.pid = pid;
    const level = this.level(i);
    if (level) line.level = level;
    return line;
  }

  private span(i: number, slot: number): Span | undefined {
    const start = this.spans[i * 12 + slot];
    return start < 0 ? undefined : { start, end: this.spans[i * 12 + slot + 1] };
  }

  kind(i: number): LineKind {
    return KINDS[this.kinds[i]];
  }
  /** The kind as a small number: compare with `KIND_ENTRY`, `KIND_BLANK`, `KIND_CONTINUATION`. */
  kindCode(i: number): number {
    return this.kinds[i];
  }
  format(i: number): StampFormat {
    return FORMATS[this.formats[i]];
  }
  level(i: number): LineLevel | undefined {
    return LEVELS[this.levels[i]];
  }
  /** Kernel uptime in seconds, or NaN when the line has none. */
  uptime(i: number): number {
    return this.uptimes[i];
  }

  stampStart(i: number): number {
    return this.spans[i * 12];
  }
  stampEnd(i: number): number {
    return this.spans[i * 12 + 1];
  }
  hostStart(i: number): number {
    return this.spans[i * 12 + 2];
  }
  hostEnd(i: number): number {
    return this.spans[i * 12 + 3];
  }
  programStart(i: number): number {
    return this.spans[i * 12 + 4];
  }
  programEnd(i: number): number {
    return this.spans[i * 12 + 5];
  }
  pidStart(i: number): number {
    return this.spans[i * 12 + 6];
  }
  pidEnd(i: number): number {
    return this.spans[i * 12 + 7];
  }
  messageStart(i: number): number {
    return this.spans[i * 12 + 8];
  }
  messageEnd(i: number): number {
    return this.spans[i * 12 + 9];
  }

  /** Line `i`'s host as written, or undefined when it has none. */
  host(i: number): string | undefined {
    const start = this.spans[i * 12 + 2];
    return start < 0 ? undefined : this.text[i].slice(start, this.spans[i * 12 + 3]);
  }
  /** Line `i`'s program as written, or undefined when it has none. */
  program(i: number): string | undefined {
    const start = this.spans[i * 12 + 4];
    return start < 0 ? undefined : this.text[i].slice(start, this.spans[i * 12 + 5]);
  }
  /** Line `i`'s pid as written, or undefined when it has none. */
  pid(i: number): string | undefined {
    const start = this.spans[i * 12 + 6];
    return start < 0 ? undefined : this.text[i].slice(start, this.spans[i * 12 + 7]);
  }
}
