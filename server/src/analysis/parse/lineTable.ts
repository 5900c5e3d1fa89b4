import { CivilTime, IMPLIED_PROGRAMS, ImpliedProgram, LineKind, LineLevel, LogLine, Span, StampFormat } from './types';
import { parseLogLine } from './line';
import { levelFromWords } from './level';
import { LinesInMemory, LogText } from './logText';
import { LINES_PER_STEP, Steps, runSteps } from '../steps';

const KINDS: readonly LineKind[] = ['entry', 'continuation', 'frame', 'thread-header', 'blank', 'marker'];
const FORMATS: readonly StampFormat[] = [
  'none', 'rfc3164', 'iso8601', 'rfc5424', 'bracketed', 'exim', 'dmesg',
  'journal', 'journal-export', 'journal-full', 'epoch', 'audit', 'ctime', 'day-month-year', 'slashed', 'apple',
];
/** How many format codes there are (`formatCode(i)` is below this). */
export const FORMAT_COUNT = FORMATS.length;
const IMPLIED_CODE = new Map<ImpliedProgram, number>(IMPLIED_PROGRAMS.map((name, code) => [name, code + 1]));
const LEVELS: readonly (LineLevel | undefined)[] = [undefined, 'emergency', 'error', 'warning', 'notice', 'info', 'debug'];
const KIND_CODE = new Map(KINDS.map((kind, code) => [kind, code]));
const FORMAT_CODE = new Map(FORMATS.map((format, code) => [format, code]));
const LEVEL_CODE = new Map(LEVELS.map((level, code) => [level, code]));
// The same codes as plain objects: looked up once per line, where a constant object is faster than a map.
const KIND_INDEX = Object.fromEntries(KIND_CODE) as Record<LineKind, number>;
const FORMAT_INDEX = Object.fromEntries(FORMAT_CODE) as Record<StampFormat, number>;
const LEVEL_INDEX = Object.fromEntries([...LEVEL_CODE].filter(([level]) => level !== undefined)) as Record<LineLevel, number>;
/** A line whose level, if any, is to be guessed from its words when asked (see `readLogLine`). */
const LEVEL_FROM_WORDS = 255;
/** Lines copied between two yields of `appendSteps`: plain copies, about 40 bytes a line. */
const APPEND_STEP_LINES = 4 * LINES_PER_STEP;

/** Code of the `marker` kind in `kindCode(i)`. */
export const KIND_MARKER = KIND_CODE.get('marker')!;
/** Code of the `blank` kind in `kindCode(i)`. */
export const KIND_BLANK = KIND_CODE.get('blank')!;
/** Code of the `entry` kind in `kindCode(i)`. */
export const KIND_ENTRY = KIND_CODE.get('entry')!;
/** Code of the `continuation` kind in `kindCode(i)`. */
export const KIND_CONTINUATION = KIND_CODE.get('continuation')!;
/** Code of the `dmesg` format in `formatCode(i)`. */
export const FORMAT_DMESG = FORMAT_CODE.get('dmesg')!;
/** Code of the `none` format in `formatCode(i)`. */
export const FORMAT_NONE = FORMAT_CODE.get('none')!;

/** The format a `formatCode` stands for. */
export function formatOfCode(code: number): StampFormat {
  return FORMATS[code];
}

/** The fields of a line without its civil time: what callers that scan every line read. */
export type LineFieldsView = Omit<LogLine, 'civil'>;

/** How many rebuilt lines `get` keeps (hover and semantic tokens ask for the same few lines). */
const CACHE_SIZE = 8;
/** Span slots per line: start and end of stamp, host, program, pid, message, uptime. */
const SLOTS = 12;
/** Spans are stored plus one (0: no such field), in 16 bits until a line needs more. */
const NARROW_LIMIT = 0xffff;

/**
 * The civil times of a log's stamped lines as columns, for `LogParser` to place each line on the
 * timeline. `flags`: 1 a civil time, 2 with a year, 4 with an offset. About 12 bytes a line.
 */
export interface CivilColumns {
  flags: Uint8Array;
  year: Int16Array;
  month: Uint8Array;
  day: Uint8Array;
  hour: Uint8Array;
  minute: Uint8Array;
  second: Uint8Array;
  millis: Uint16Array;
  offsetMinutes: Int16Array;
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

/** `array` copied into a new one of `size` elements (longer, or shorter as far as it is used). */
function grown<T extends Uint8Array | Uint16Array | Int16Array | Int32Array | Float64Array>(array: T, size: number): T {
  const next = new (array.constructor as new (size: number) => T)(size);
  next.set(array.length > size ? array.subarray(0, size) : array);
  return next;
}

/**
 * Kernel uptimes are stored negated, an uptime of 0 as −0, so that room never written (zeros)
 * means "no uptime": the column is made once with room for every line and needs no fill, and
 * its pages stay untouched where no line has one.
 */
function storedUptime(seconds: number): number {
  return -seconds;
}

/** The uptime of line `i` in seconds, or NaN when it has none (`LineColumns.uptimes`). */
export function uptimeAt(uptimes: Float64Array | undefined, i: number): number {
  if (uptimes === undefined || i >= uptimes.length) return NaN;
  const stored = uptimes[i];
  return stored !== 0 || Object.is(stored, -0) ? -stored : NaN;
}

/** A `LineColumns`' arrays and length, as plain data another thread can send (the buffers move, not copied). */
export interface ColumnData {
  length: number;
  kinds: Uint8Array;
  formats: Uint8Array;
  levels: Uint8Array;
  /** The program a format implies, as 1 + its index in `IMPLIED_PROGRAMS` (0: none). */
  implied: Uint8Array;
  spans: Uint16Array | Int32Array;
  uptimes?: Float64Array;
  entryStart: Int32Array;
  civil: CivilColumns;
}

/**
 * What parsing keeps of each line, as growable columns of typed arrays (about 40 bytes a line
 * with the civil times): filled one line at a time, so a log can be parsed in chunks and grow.
 */
export class LineColumns {
  length = 0;
  kinds = new Uint8Array(0);
  formats = new Uint8Array(0);
  levels = new Uint8Array(0);
  /** The program a format implies (`ColumnData.implied`). */
  implied = new Uint8Array(0);
  /** `SLOTS` per line, each offset plus one; 0 when the line has no such field. */
  spans: Uint16Array | Int32Array = new Uint16Array(0);
  /** Kernel uptimes, stored negated (read them with `uptimeAt`); made when the first one is seen, with room for every line. */
  uptimes: Float64Array | undefined;
  /** One past the last line with an uptime: what a copy of the column must carry. */
  private uptimesEnd = 0;
  /** For each line, the line that starts its entry (itself for stamped lines). */
  entryStart = new Int32Array(0);
  readonly civil: CivilColumns = {
    flags: new Uint8Array(0),
    year: new Int16Array(0),
    month: new Uint8Array(0),
    day: new Uint8Array(0),
    hour: new Uint8Array(0),
    minute: new Uint8Array(0),
    second: new Uint8Array(0),
    millis: new Uint16Array(0),
    offsetMinutes: new Int16Array(0),
  };
  private capacity = 0;

  /** Stores line `line.line`, which must be the next one; `entry` is the line its entry starts at. */
  add(line: LogLine, entry: number): void {
    const i = this.length;
    if (i === this.capacity) this.grow(Math.max(1024, this.capacity * 2));
    this.kinds[i] = KIND_INDEX[line.kind];
    this.formats[i] = FORMAT_INDEX[line.format];
    this.levels[i] = line.level !== undefined ? LEVEL_INDEX[line.level] : 'level' in line ? LEVEL_FROM_WORDS : 0;
    this.entryStart[i] = entry;
    this.implied[i] = line.programName !== undefined ? IMPLIED_CODE.get(line.programName)! : 0;
    const at = i * SLOTS;
    this.put(at, line.stamp);
    this.put(at + 2, line.host);
    this.put(at + 4, line.program);
    this.put(at + 6, line.pid);
    this.put(at + 8, line.message);
    this.put(at + 10, line.uptimeSpan);
    if (line.uptime !== undefined) {
      this.uptimes ??= new Float64Array(this.capacity);
      this.uptimes[i] = storedUptime(line.uptime);
      this.uptimesEnd = i + 1;
    }
    const c = line.civil;
    if (c) {
      const civil = this.civil;
      // A year or offset outside 16 bits is no real stamp; it is kept as "no year" / "no offset".
      const hasYear = c.year !== undefined && c.year >= -32768 && c.year <= 32767;
      const hasOffset = c.offsetMinutes !== undefined && Math.abs(c.offsetMinutes) <= 32767;
      civil.flags[i] = 1 | (hasYear ? 2 : 0) | (hasOffset ? 4 : 0);
      if (hasYear) civil.year[i] = c.year!;
      civil.month[i] = c.month;
      civil.day[i] = c.day;
      civil.hour[i] = c.hour;
      civil.minute[i] = c.minute;
      civil.second[i] = c.second;
      civil.millis[i] = c.millis;
      if (hasOffset) civil.offsetMinutes[i] = c.offsetMinutes!;
    }
    this.length = i + 1;
  }

  /** Makes room for `lines` lines in all (a log whose size is known), so that it is not grown by copies. */
  reserve(lines: number): void {
    if (lines > this.capacity) this.grow(lines);
  }

  /** Gives back the room reserved beyond the lines held when it is more than a quarter of them. */
  trim(): void {
    if (this.capacity > Math.max(1024, this.length * 1.25)) this.grow(Math.max(1024, this.length));
  }

  /** The columns as data; this object must not be used afterwards when the data is sent away. */
  data(): ColumnData {
    return { length: this.length, kinds: this.kinds, formats: this.formats, levels: this.levels, implied: this.implied, spans: this.spans, uptimes: this.uptimes, entryStart: this.entryStart, civil: this.civil };
  }

  /** Every buffer behind the columns, for sending them to another thread without a copy. */
  static buffers(data: ColumnData): ArrayBuffer[] {
    const arrays = [data.kinds, data.formats, data.levels, data.implied, data.spans, data.entryStart, ...Object.values(data.civil)];
    if (data.uptimes) arrays.push(data.uptimes);
    return arrays.map((array) => array.buffer as ArrayBuffer);
  }

  /** Adds the lines of `other`, parsed elsewhere as the lines that follow these (its entries start within it). */
  append(other: ColumnData): void {
    runSteps(this.appendSteps(other));
  }

  /** `append` in steps of lines (`Steps`): the lines count once all are copied. */
  *appendSteps(other: ColumnData): Steps<void> {
    const offset = this.length;
    const count = other.length;
    const size = offset + count;
    if (size > this.capacity) this.grow(Math.max(1024, size, this.capacity * 2));
    if (other.spans instanceof Int32Array && this.spans instanceof Uint16Array) this.spans = Int32Array.from(this.spans);
    if (other.uptimes) this.uptimes ??= new Float64Array(this.capacity);
    const civil = this.civil;
    const from = other.civil;
    for (let start = 0; start < count; start += APPEND_STEP_LINES) {
      if (start > 0) yield;
      const end = Math.min(count, start + APPEND_STEP_LINES);
      const to = offset + start;
      this.kinds.set(other.kinds.subarray(start, end), to);
      this.formats.set(other.formats.subarray(start, end), to);
      this.levels.set(other.levels.subarray(start, end), to);
      this.implied.set(other.implied.subarray(start, end), to);
      for (let k = start; k < end; k++) this.entryStart[offset + k] = other.entryStart[k] + offset;
      this.spans.set(other.spans.subarray(start * SLOTS, end * SLOTS), to * SLOTS);
      if (other.uptimes && start < other.uptimes.length) this.uptimes!.set(other.uptimes.subarray(start, Math.min(end, other.uptimes.length)), to);
      civil.flags.set(from.flags.subarray(start, end), to);
      civil.year.set(from.year.subarray(start, end), to);
      civil.month.set(from.month.subarray(start, end), to);
      civil.day.set(from.day.subarray(start, end), to);
      civil.hour.set(from.hour.subarray(start, end), to);
      civil.minute.set(from.minute.subarray(start, end), to);
      civil.second.set(from.second.subarray(start, end), to);
      civil.millis.set(from.millis.subarray(start, end), to);
      civil.offsetMinutes.set(from.offsetMinutes.subarray(start, end), to);
    }
    if (other.uptimes) this.uptimesEnd = size;
    this.length = size;
  }

  private put(at: number, span: Span | undefined): void {
    if (!span) return;
    if (span.end >= NARROW_LIMIT && this.spans instanceof Uint16Array) this.spans = Int32Array.from(this.spans);
    this.spans[at] = span.start + 1;
    this.spans[at + 1] = span.end + 1;
  }

  private grow(size: number): void {
    this.capacity = size;
    this.kinds = grown(this.kinds, size);
    this.formats = grown(this.formats, size);
    this.levels = grown(this.levels, size);
    this.implied = grown(this.implied, size);
    this.entryStart = grown(this.entryStart, size);
    this.spans = grown(this.spans, size * SLOTS);
    // Only the lines up to the last uptime are copied: the room after it is zeros ("none") already.
    if (this.uptimes) {
      const uptimes = new Float64Array(size);
      uptimes.set(this.uptimes.subarray(0, Math.min(this.uptimesEnd, size)));
      this.uptimes = uptimes;
    }
    const civil = this.civil;
    civil.flags = grown(civil.flags, size);
    civil.year = grown(civil.year, size);
    civil.month = grown(civil.month, size);
    civil.day = grown(civil.day, size);
    civil.hour = grown(civil.hour, size);
    civil.minute = grown(civil.minute, size);
    civil.second = grown(civil.second, size);
    civil.millis = grown(civil.millis, size);
    civil.offsetMinutes = grown(civil.offsetMinutes, size);
  }
}

/**
 * A log's parsed lines: the columns `LogParser` filled, read through accessors, and the log's
 * text for the fields that are strings. Spans are character offsets within the line; a start of
 * -1 means the line has no such field. `get(i)` rebuilds the full `LogLine` of one line.
 */
export class LineTable {
  private readonly cache = new Map<number, LogLine>();

  /** `length` fixes what this table shows: the columns may grow later (a log being appended to). */
  constructor(
    private readonly columns: LineColumns,
    private readonly text: LogText,
    readonly length: number = columns.length,
  ) {}

  /** Parses every line of `text`; returns the table and the lines' civil times as columns. */
  static parse(text: readonly string[]): { table: LineTable; civil: CivilColumns } {
    const columns = new LineColumns();
    let entry = 0;
    for (let i = 0; i < text.length; i++) {
      const line = parseLogLine(text[i], i);
      if (line.kind === 'entry') entry = i;
      columns.add(line, entry);
    }
    return { table: new LineTable(columns, new LinesInMemory(text)), civil: columns.civil };
  }

  /** The full parsed line `i`, as `parseLogLine` gives it (rebuilt; the last few are cached). */
  get(i: number): LogLine {
    const cached = this.cache.get(i);
    if (cached) return cached;
    const line = parseLogLine(this.text.line(i), i);
    if (this.cache.size >= CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(i, line);
    return line;
  }

  /** Line `i` without its civil time, built from the columns (no re-parse). */
  fields(i: number): LineFieldsView {
    const line: LineFieldsView = { line: i, kind: this.kind(i), format: this.format(i), message: { start: this.messageStart(i), end: this.messageEnd(i) } };
    const stamp = this.span(i, 0);
    if (stamp) line.stamp = stamp;
    const uptime = this.uptime(i);
    if (!Number.isNaN(uptime)) line.uptime = uptime;
    const uptimeSpan = this.span(i, 10);
    if (uptimeSpan) line.uptimeSpan = uptimeSpan;
    const host = this.span(i, 2);
    if (host) line.host = host;
    const program = this.span(i, 4);
    if (program) line.program = program;
    const implied = this.columns.implied[i];
    if (implied) line.programName = IMPLIED_PROGRAMS[implied - 1];
    const pid = this.span(i, 6);
    if (pid) line.pid = pid;
    const level = this.level(i);
    if (level) line.level = level;
    return line;
  }

  private span(i: number, slot: number): Span | undefined {
    const start = this.at(i, slot);
    return start < 0 ? undefined : { start, end: this.at(i, slot + 1) };
  }

  /** Offset `slot` of line `i`, or -1 when the line has no such field. */
  private at(i: number, slot: number): number {
    return this.columns.spans[i * SLOTS + slot] - 1;
  }

  kind(i: number): LineKind {
    return KINDS[this.columns.kinds[i]];
  }
  /** The kind as a small number: compare with `KIND_ENTRY`, `KIND_BLANK`, `KIND_CONTINUATION`. */
  kindCode(i: number): number {
    return this.columns.kinds[i];
  }
  format(i: number): StampFormat {
    return FORMATS[this.columns.formats[i]];
  }
  /** The format as a small number: compare with `FORMAT_DMESG`. */
  formatCode(i: number): number {
    return this.columns.formats[i];
  }
  level(i: number): LineLevel | undefined {
    const code = this.columns.levels[i];
    if (code !== LEVEL_FROM_WORDS) return LEVELS[code];
    return levelFromWords(this.text.line(i).slice(this.messageStart(i), this.messageEnd(i)));
  }
  /** Kernel uptime in seconds, or NaN when the line has none. */
  uptime(i: number): number {
    return uptimeAt(this.columns.uptimes, i);
  }

  stampStart(i: number): number {
    return this.at(i, 0);
  }
  stampEnd(i: number): number {
    return this.at(i, 1);
  }
  hostStart(i: number): number {
    return this.at(i, 2);
  }
  hostEnd(i: number): number {
    return this.at(i, 3);
  }
  programStart(i: number): number {
    return this.at(i, 4);
  }
  programEnd(i: number): number {
    return this.at(i, 5);
  }
  pidStart(i: number): number {
    return this.at(i, 6);
  }
  pidEnd(i: number): number {
    return this.at(i, 7);
  }
  messageStart(i: number): number {
    return this.at(i, 8);
  }
  messageEnd(i: number): number {
    return this.at(i, 9);
  }

  /** Line `i`'s host as written, or undefined when it has none. */
  host(i: number): string | undefined {
    return this.field(i, 2);
  }
  /** Line `i`'s program as written, or the one its format implies (`rsyncd`), or undefined when it has none. */
  program(i: number): string | undefined {
    return this.field(i, 4) ?? this.impliedProgram(i);
  }
  /** The program line `i`'s format implies where the line names none (`LogLine.programName`). */
  impliedProgram(i: number): ImpliedProgram | undefined {
    const code = this.columns.implied[i];
    return code ? IMPLIED_PROGRAMS[code - 1] : undefined;
  }
  /** Line `i`'s pid as written, or undefined when it has none. */
  pid(i: number): string | undefined {
    return this.field(i, 6);
  }

  private field(i: number, slot: number): string | undefined {
    const start = this.at(i, slot);
    return start < 0 ? undefined : this.text.line(i).slice(start, this.at(i, slot + 1));
  }
}
