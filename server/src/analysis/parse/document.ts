import { LogLine, StampFormat } from './types';
import { InputProblem, MATCHED_CHARS, detectBinary, detached, splitLines } from './text';
import { CivilColumns, ColumnData, FORMAT_COUNT, FORMAT_DMESG, FORMAT_NONE, LineColumns, LineTable, civilAt, formatOfCode, uptimeAt } from './lineTable';
import { LinesInMemory, LogText } from './logText';
import { parseLogLine, readLogLine } from './line';
import { ReadingData, ReadingStats, composeExportHead, isUnreadStart } from './reading';
import { YearReference, YearSource, assignYearsSteps } from '../time/year';
import { LINES_PER_STEP, Steps, endsStep, runSteps } from '../steps';
import { civilToUtcChoices, utcFromFields } from '../time/zone';
import { formatDuration } from '../time/duration';

/** What parsing needs from outside: how to read times that do not say everything. */
export interface TimeContext {
  /** IANA zone for stamps without an offset. */
  zone: string;
  /** Where `zone` came from, for hovers ("setting", "machine zone", …). */
  zoneSource?: string;
  /** Zones for lines of particular hosts (a muxed log, a relay abroad); win over `zone`. */
  zoneByHost?: Record<string, string>;
  /**
   * How far each host's clock ran ahead of true time, in milliseconds; subtracted from that
   * host's stamps so all logs share one clock. Applies to stamps with an explicit offset too.
   */
  hostOffsetsMs?: Record<string, number>;
  /** Where the log is known to end, for yearless stamps. */
  yearReference: YearReference;
}

/** Beyond this, time going backwards within a log is reported rather than taken silently. */
const BACKWARD_TOLERANCE_MS = 60_000;
/** A journal export entry's field lines held back at most (a longer one is shown as it comes). */
const MAX_PENDING_FIELDS = 512;
/** At most this many backward jumps are listed one by one. */
const MAX_BACKWARD_REPORTS = 10;

/** A whole log, parsed: its lines, each line's instant, and the entries lines belong to. */
export interface ParsedLog {
  /** The lines as text: held in memory, or read back from disk for a large log. */
  text: LogText;
  /** The parsed lines, as columns; `lines.get(i)` gives one line's `LogLine`. */
  lines: LineTable;
  /** UTC milliseconds per line; NaN where the line has no stamp of its own or it could not be placed. */
  times: Float64Array;
  /** For each line, the line that starts its entry (itself for stamped lines). */
  entryStart: Int32Array;
  /** The format most stamped lines use; `none` when no line is stamped. */
  format: StampFormat;
  /** Set when at least one stamp had no year. */
  yearSource?: YearSource;
  zone: string;
  /** The time context the log was read with, to explain each line's instant. */
  context: TimeContext;
  /** Milliseconds between boot and the wall clock, learnt from lines carrying both; used for bare dmesg lines. */
  bootTime?: number;
  problems: InputProblem[];
}

/** The largest distance from 1970 a JavaScript date can hold, in milliseconds. */
const MAX_DATE_MS = 8.64e15;

/** Whether `ms` is an instant a date can hold (an absurd uptime can push a line beyond it). */
function isDateTime(ms: number): boolean {
  return Math.abs(ms) <= MAX_DATE_MS;
}

function dominantFormat(columns: LineColumns, count: number): StampFormat {
  const counts = new Uint32Array(FORMAT_COUNT);
  for (let i = 0; i < count; i++) counts[columns.formats[i]]++;
  let best = FORMAT_NONE;
  for (let code = 0; code < counts.length; code++) if (code !== FORMAT_NONE && counts[code] > (best === FORMAT_NONE ? 0 : counts[best])) best = code;
  return formatOfCode(best);
}

const RTC_LINE = /setting system clock to (\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d) UTC \((\d+)\)/;

/**
 * Sees every line as it is parsed, with the first line of its entry: what the signatures need,
 * so that parsing and matching are one pass over the text.
 */
export interface LineVisitor {
  visit(i: number, raw: string, line: LogLine, entryRaw: string, entryLine: LogLine): void;
}

/** What a `LogParser` read of a stretch of lines, as data that can go from one thread to another. */
export interface ParsedPart {
  columns: ColumnData;
  /** The first line of the part's last entry, so that a log can be read on after the part. */
  lastEntryRaw: string;
  rtcBootTime?: number;
  longCount: number;
  /** Within the part; -1 when it has no long line. */
  firstLong: number;
  /** How many lines had a stamp, and which lines were not understood. */
  reading: ReadingData;
}

/**
 * Parses a log a chunk of lines at a time, keeping only compact columns, so a log never has to be
 * one string and a growing log is parsed only from where it grew. `finish` places every line on
 * the timeline and may be called again after more lines are added.
 */
export class LogParser {
  readonly columns = new LineColumns();
  private entryRaw = '';
  private entryLine: LogLine | undefined;
  private rtcBootTime: number | undefined;
  private longCount = 0;
  private firstLong = -1;
  private binary: InputProblem | undefined;
  private startChecked = false;
  private readonly reading = new ReadingStats();
  private sawEntry = false;
  /** Field lines of a `journalctl -o export` entry, shown to the visitor once the entry's fields are all read. */
  private pendingFields: { i: number; raw: string; line: LogLine }[] = [];

  constructor(private readonly visitor?: LineVisitor) {}

  get length(): number {
    return this.columns.length;
  }

  /** Makes room for about `lines` lines in all: a log whose size is known grows without copies. */
  reserve(lines: number): void {
    this.columns.reserve(lines);
  }

  /** Gives back room reserved for lines that did not come. */
  trim(): void {
    this.columns.trim();
  }

  /** Looks at the first characters of the log for signs it is not text; call before the first `add`. */
  checkStart(text: string): void {
    if (this.startChecked) return;
    this.startChecked = true;
    this.binary = detectBinary(text);
  }

  /** Parses the next lines of the log (without their line ends). */
  add(lines: readonly string[]): void {
    const columns = this.columns;
    const visitor = this.visitor;
    const reading = this.reading;
    for (let k = 0; k < lines.length; k++) {
      const raw = lines[k];
      const i = columns.length;
      const line = readLogLine(raw, i);
      const kind = line.kind;
      const starts = kind === 'entry' || !this.entryLine;
      if (starts) {
        if (this.pendingFields.length > 0) this.showFields();
        this.entryRaw = raw;
        this.entryLine = line;
      }
      columns.add(line, kind === 'entry' ? i : this.entryLine!.line);
      if (kind === 'entry') {
        this.sawEntry = true;
        if (line.stamp) reading.stamped++;
      }
      if (kind !== 'blank') {
        reading.nonBlank++;
        if (kind === 'continuation' && line.format === 'none') reading.noteContinuation(i, raw, isUnreadStart(raw, !this.sawEntry));
      }
      // A bare dmesg has no wall clock, except where the kernel says it set the clock from the
      // RTC: that line ties uptime to UTC for the lines before it too.
      if (this.rtcBootTime === undefined && line.uptime !== undefined && !line.civil) this.rtcBootTime = rtcBootTime(raw, line.uptime);
      if (line.message.end - line.message.start > MATCHED_CHARS && this.longCount++ === 0) this.firstLong = i;
      if (!visitor) continue;
      // A journal export entry names its program and host on lines of their own, maybe after
      // `MESSAGE=`: its field lines are shown once the blank line closing the entry is read.
      if (!starts && this.entryLine!.format === 'journal-export') {
        if (kind !== 'blank' && this.pendingFields.length < MAX_PENDING_FIELDS) {
          this.pendingFields.push({ i, raw, line });
          continue;
        }
        this.showFields();
      }
      visitor.visit(i, raw, line, this.entryRaw, this.entryLine!);
    }
  }

  /** Shows the visitor the field lines of the journal export entry read so far, with a head made of its fields. */
  private showFields(): void {
    const pending = this.pendingFields;
    this.pendingFields = [];
    if (!this.visitor || pending.length === 0) return;
    const head = composeExportHead(pending.map((field) => field.raw), this.entryLine!);
    for (const field of pending) this.visitor.visit(field.i, field.raw, field.line, head?.raw ?? this.entryRaw, head?.line ?? this.entryLine!);
  }

  /** What was parsed, as data for another thread; this parser must not be used afterwards. */
  part(): ParsedPart {
    this.showFields();
    return { columns: this.columns.data(), lastEntryRaw: detached(this.entryRaw), rtcBootTime: this.rtcBootTime, longCount: this.longCount, firstLong: this.firstLong, reading: this.reading.data() };
  }

  /**
   * Adds the lines another parser read of the stretch of the log that follows these. The stretch
   * must start with an entry's first line, so no entry spans two parts.
   */
  append(part: ParsedPart): void {
    runSteps(this.appendSteps(part));
  }

  /** `append` in steps of lines (`Steps`). */
  *appendSteps(part: ParsedPart): Steps<void> {
    const offset = this.columns.length;
    if (part.columns.length === 0) return;
    yield* this.columns.appendSteps(part.columns);
    this.rtcBootTime ??= part.rtcBootTime;
    if (part.longCount > 0 && this.longCount === 0) this.firstLong = part.firstLong + offset;
    this.longCount += part.longCount;
    this.reading.append(part.reading, offset);
    this.sawEntry ||= part.reading.stamped > 0;
    const lastEntry = this.columns.entryStart[this.columns.length - 1];
    this.entryRaw = part.lastEntryRaw;
    this.entryLine = parseLogLine(part.lastEntryRaw, lastEntry);
  }

  /** Places the lines parsed so far on the timeline; `text` reads them back. Never throws. */
  finish(context: TimeContext, text: LogText): ParsedLog {
    return runSteps(this.finishSteps(context, text));
  }

  /** `finish` in steps of lines (`Steps`). */
  *finishSteps(context: TimeContext, text: LogText): Steps<ParsedLog> {
    this.showFields();
    const columns = this.columns;
    const count = columns.length;
    const civils = columns.civil;
    const lines = new LineTable(columns, text, count);
    const problems: InputProblem[] = this.binary ? [this.binary] : [];

    let yearless = false;
    for (let i = 0; i < count; i++) {
      if ((civils.flags[i] & 3) === 1) {
        yearless = true;
        break;
      }
    }
    const years = yearless ? yield* yearsOfYearless(civils, count, context) : new Int32Array(0);

    // Each line placed in turn, a step at a time (filling the times first would be one long step).
    const times = new Float64Array(count);
    const placer = new LinePlacer(civils, columns.uptimes, lines, years, context, problems, this.rtcBootTime);
    for (let from = 0; from < count; from += LINES_PER_STEP) {
      if (from > 0) yield;
      placer.placeInto(times, from, Math.min(count, from + LINES_PER_STEP));
    }
    const { backwards, bootTime } = placer;

    if (backwards > MAX_BACKWARD_REPORTS) {
      problems.push({ line: 0, message: `Time goes backwards at ${backwards} places in this log (the first ${MAX_BACKWARD_REPORTS} are marked).` });
    }
    if (this.longCount > 0) {
      const subject = this.longCount === 1 ? 'This line is' : `${this.longCount} lines are`;
      problems.push({ line: this.firstLong, message: `${subject} longer than ${MATCHED_CHARS} characters; signatures are looked for in the first ${MATCHED_CHARS} characters of a message only.` });
    }

    const unread = this.reading.problem();
    if (unread) problems.push(unread);

    return {
      text,
      lines,
      times,
      entryStart: columns.entryStart.subarray(0, count),
      format: dominantFormat(columns, count),
      yearSource: yearless ? context.yearReference.source : undefined,
      zone: context.zone,
      context,
      bootTime,
      problems,
    };
  }
}

/**
 * Places a log's lines on the timeline, one at a time and in order: the instant of each from its
 * wall-clock fields (its zone, a repeated daylight-saving hour read so the log stays in order, a
 * host's clock offset), or a kernel line's from its uptime and the boot time found so far; what
 * cannot be placed is noted in `problems`. Kept out of `finishSteps`' generator, whose locals V8
 * keeps as a heap number each, and written with no call returning a number (a number returned
 * or passed to a call that is not inlined is a heap number too): that was 120 bytes of garbage a
 * line, 1.2 GB for 10 M lines.
 */
class LinePlacer {
  backwards = 0;
  private latest = -Infinity;
  // The day and minute last seen: neighbouring lines share them, so the calendar check and the
  // zone's readings are made once per day and once per minute (zones change their offset only on
  // a minute boundary). Kept in fields, not an object a call returns a number from: see above.
  private dayYear = NaN;
  private dayMonth = NaN;
  private dayDay = NaN;
  /** Midnight UTC of that day, or NaN when the date does not exist (31 April). */
  private dayMs = NaN;
  private minuteZone = '';
  private minuteKey = NaN;
  /** How far behind the wall time each instant it can stand for lies in that zone and minute, earliest instant first (two in a repeated hour). */
  private minuteOffsets: number[] = [];
  private readonly byHost: Record<string, string> | undefined;
  private readonly hostOffsets: Record<string, number> | undefined;

  constructor(
    private readonly civils: CivilColumns,
    /** Kernel uptimes by line, as `LineColumns.uptimes` stores them (`uptimeAt`). */
    private readonly uptimes: Float64Array | undefined,
    private readonly lines: LineTable,
    private readonly years: Int32Array,
    private readonly context: TimeContext,
    private readonly problems: InputProblem[],
    public bootTime: number | undefined,
  ) {
    this.byHost = context.zoneByHost && Object.keys(context.zoneByHost).length > 0 ? context.zoneByHost : undefined;
    this.hostOffsets = context.hostOffsetsMs && Object.keys(context.hostOffsetsMs).length > 0 ? context.hostOffsetsMs : undefined;
  }

  /** Sets `times[from .. to)`: each line's instant in UTC milliseconds, or NaN when it has none. */
  placeInto(times: Float64Array, from: number, to: number): void {
    const { civils, lines } = this;
    // Read here rather than through `lines.uptime`, a method call returning a number: see above.
    const uptimes = this.uptimes;
    for (let i = from; i < to; i++) {
      times[i] = NaN;
      const flags = civils.flags[i];
      if (flags & 1) {
        this.placeStamped(times, i, flags);
        continue;
      }
      const uptime = uptimeAt(uptimes, i);
      if (lines.formatCode(i) === FORMAT_DMESG && !Number.isNaN(uptime) && this.bootTime !== undefined) {
        const ms = this.bootTime + uptime * 1000;
        if (isDateTime(ms)) times[i] = ms;
        else this.problems.push({ line: i, message: `The kernel uptime ${uptime} s puts this line outside any date; it is left off the timeline.` });
      }
    }
  }

  // Writes the instant rather than return it, and takes no number but small integers: a number
  // returned from, or passed to, a call that is not inlined is a heap number.
  private placeStamped(times: Float64Array, i: number, flags: number): void {
    const { civils, byHost, hostOffsets, uptimes } = this;
    const year = flags & 2 ? civils.year[i] : this.years[i];
    const month = civils.month[i];
    const day = civils.day[i];
    const host = byHost || hostOffsets ? this.lines.host(i) : undefined;
    const zone = (host !== undefined && byHost?.[host]) || this.context.zone;
    if (year !== this.dayYear || month !== this.dayMonth || day !== this.dayDay) this.newDay(year, month, day);
    const dayMs = this.dayMs;
    const wall = dayMs + civils.hour[i] * 3_600_000 + civils.minute[i] * 60_000 + civils.second[i] * 1000 + civils.millis[i];
    let ms: number;
    if (flags & 4) ms = wall - civils.offsetMinutes[i] * 60_000;
    else {
      const key = Math.floor(wall / 60_000);
      if (zone !== this.minuteZone || key !== this.minuteKey) this.newMinute(wall, key, zone, i, year);
      const behind = this.minuteOffsets;
      // In a repeated daylight-saving hour, the second pass through it is the later instant:
      // take the reading that keeps the log in order.
      const later = behind.length > 1 ? wall - behind[1] : NaN;
      ms = wall - behind[0];
      if (ms < this.latest - BACKWARD_TOLERANCE_MS && later >= this.latest - BACKWARD_TOLERANCE_MS) ms = later;
    }
    if (host !== undefined && hostOffsets?.[host]) ms -= hostOffsets[host];
    if (Number.isNaN(ms) || Number.isNaN(dayMs)) {
      this.problems.push({ line: i, message: `The date ${year}-${month}-${day} does not exist; this line is left off the timeline.` });
      return;
    }
    times[i] = ms;
    const uptime = uptimeAt(uptimes, i);
    if (!Number.isNaN(uptime) && isDateTime(ms - uptime * 1000)) this.bootTime = ms - uptime * 1000;
    if (ms < this.latest - BACKWARD_TOLERANCE_MS) {
      this.backwards++;
      if (this.backwards <= MAX_BACKWARD_REPORTS) {
        this.problems.push({ line: i, message: `Time goes back ${formatDuration(this.latest - ms)} at this line: a clock step, a daylight-saving change the zone does not explain, or logs merged out of order. The timeline orders lines by their own time.` });
      }
    }
    if (ms > this.latest) this.latest = ms;
  }

  private newDay(year: number, month: number, day: number): void {
    const ms = utcFromFields(year, month, day);
    const calendar = new Date(ms);
    const valid = !Number.isNaN(ms) && calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
    this.dayYear = year;
    this.dayMonth = month;
    this.dayDay = day;
    this.dayMs = valid ? ms : NaN;
  }

  private newMinute(wall: number, key: number, zone: string, line: number, year: number): void {
    this.minuteZone = zone;
    this.minuteKey = key;
    this.minuteOffsets = civilToUtcChoices(civilAt(this.civils, line)!, year, zone).map((instant) => wall - instant);
  }
}

/** Years for the stamps that have none, from the months and days of those stamps alone. */
function* yearsOfYearless(civils: CivilColumns, count: number, context: TimeContext): Steps<Int32Array> {
  const months = new Uint8Array(count);
  const days = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    if (endsStep(i)) yield;
    if ((civils.flags[i] & 3) === 1) {
      months[i] = civils.month[i];
      days[i] = civils.day[i];
    }
  }
  return yield* assignYearsSteps(months, days, context.yearReference);
}

/** Boot time from a kernel `rtc…: setting system clock to … UTC (epoch)` line with an uptime stamp. */
function rtcBootTime(raw: string, uptime: number): number | undefined {
  const match = RTC_LINE.exec(raw);
  if (!match) return undefined;
  const boot = Number(match[7]) * 1000 - uptime * 1000;
  return isDateTime(boot) ? boot : undefined;
}

/** Parses a whole log held in one string. Never throws; what could not be read is listed in `problems`. */
export function parseLog(content: string, context: TimeContext, visitor?: LineVisitor): ParsedLog {
  const parser = new LogParser(visitor);
  parser.checkStart(content);
  const text = splitLines(content);
  parser.add(text);
  return parser.finish(context, new LinesInMemory(text));
}
