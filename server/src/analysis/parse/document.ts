import { StampFormat } from './types';
import { InputProblem, MATCHED_CHARS, detectBinary, splitLines } from './text';
import { LineTable, civilAt } from './lineTable';
import { YearReference, YearSource, assignYears } from '../time/year';
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
/** At most this many backward jumps are listed one by one. */
const MAX_BACKWARD_REPORTS = 10;

/** A whole log, parsed: its lines, each line's instant, and the entries lines belong to. */
export interface ParsedLog {
  text: string[];
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

function dominantFormat(lines: LineTable): StampFormat {
  const counts = new Map<StampFormat, number>();
  for (let i = 0; i < lines.length; i++) {
    const format = lines.format(i);
    if (format !== 'none') counts.set(format, (counts.get(format) ?? 0) + 1);
  }
  let best: StampFormat = 'none';
  let bestCount = 0;
  for (const [format, count] of counts) {
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return best;
}

const RTC_LINE = /setting system clock to (\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d) UTC \((\d+)\)/;

/** Boot time from a kernel `rtc…: setting system clock to … UTC (epoch)` line with an uptime stamp. */
function findRtcBootTime(lines: LineTable, civilFlags: Uint8Array, text: string[]): number | undefined {
  for (let i = 0; i < lines.length; i++) {
    const uptime = lines.uptime(i);
    if (Number.isNaN(uptime) || civilFlags[i] !== 0) continue;
    const match = RTC_LINE.exec(text[i]);
    if (match) {
      const boot = Number(match[7]) * 1000 - uptime * 1000;
      if (isDateTime(boot)) return boot;
    }
  }
  return undefined;
}

/** Parses a whole log. Never throws; what could not be read is listed in `problems`. */
export function parseLog(content: string, context: TimeContext): ParsedLog {
  const problems: InputProblem[] = [];
  const binary = detectBinary(content);
  if (binary) problems.push(binary);
  const text = splitLines(content);
  const { table: lines, civil: civils } = LineTable.parse(text);
  const count = lines.length;

  let yearless = false;
  for (let i = 0; i < count; i++) {
    if ((civils.flags[i] & 3) === 1) {
      yearless = true;
      break;
    }
  }
  let years: Int32Array = new Int32Array(0);
  if (yearless) {
    const months = new Int32Array(count);
    const days = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      if ((civils.flags[i] & 3) === 1) {
        months[i] = civils.month[i];
        days[i] = civils.day[i];
      }
    }
    years = assignYears(months, days, context.yearReference);
  }

  const times = new Float64Array(count).fill(NaN);
  const entryStart = new Int32Array(count);
  // A bare dmesg has no wall clock, except where the kernel says it set the clock from the RTC:
  // that line ties uptime to UTC for the lines before it too.
  let bootTime: number | undefined = findRtcBootTime(lines, civils.flags, text);
  let currentEntry = 0;
  let latest = -Infinity;
  let backwards = 0;
  const byHost = context.zoneByHost && Object.keys(context.zoneByHost).length > 0 ? context.zoneByHost : undefined;
  const offsets = context.hostOffsetsMs && Object.keys(context.hostOffsetsMs).length > 0 ? context.hostOffsetsMs : undefined;
  for (let i = 0; i < count; i++) {
    const civil = civilAt(civils, i);
    const uptime = lines.uptime(i);
    const kind = lines.kind(i);
    if (civil) {
      const year = civil.year ?? years[i];
      const host = byHost || offsets ? lines.host(i) : undefined;
      const zone = (host !== undefined && byHost?.[host]) || context.zone;
      const choices = civilToUtcChoices(civil, year, zone);
      // In a repeated daylight-saving hour, the second pass through it is the later instant:
      // take the reading that keeps the log in order.
      let ms = choices.length > 1 && choices[0] < latest - BACKWARD_TOLERANCE_MS && choices[1] >= latest - BACKWARD_TOLERANCE_MS ? choices[1] : choices[0];
      if (host !== undefined && offsets?.[host]) ms -= offsets[host];
      const calendar = new Date(utcFromFields(year, civil.month, civil.day));
      if (Number.isNaN(ms) || calendar.getUTCMonth() !== civil.month - 1 || calendar.getUTCDate() !== civil.day) {
        problems.push({ line: i, message: `The date ${year}-${civil.month}-${civil.day} does not exist; this line is left off the timeline.` });
      } else {
        times[i] = ms;
        if (!Number.isNaN(uptime) && isDateTime(ms - uptime * 1000)) bootTime = ms - uptime * 1000;
        if (ms < latest - BACKWARD_TOLERANCE_MS) {
          backwards++;
          if (backwards <= MAX_BACKWARD_REPORTS) {
            problems.push({ line: i, message: `Time goes back ${formatDuration(latest - ms)} at this line: a clock step, a daylight-saving change the zone does not explain, or logs merged out of order. The timeline orders lines by their own time.` });
          }
        }
        if (ms > latest) latest = ms;
      }
    } else if (lines.format(i) === 'dmesg' && !Number.isNaN(uptime) && bootTime !== undefined) {
      const ms = bootTime + uptime * 1000;
      if (isDateTime(ms)) times[i] = ms;
      else problems.push({ line: i, message: `The kernel uptime ${uptime} s puts this line outside any date; it is left off the timeline.` });
    }
    if (kind === 'entry') currentEntry = i;
    entryStart[i] = kind === 'entry' ? i : currentEntry;
  }

  if (backwards > MAX_BACKWARD_REPORTS) {
    problems.push({ line: 0, message: `Time goes backwards at ${backwards} places in this log (the first ${MAX_BACKWARD_REPORTS} are marked).` });
  }

  let longCount = 0;
  let firstLong = -1;
  for (let i = 0; i < count; i++) {
    if (lines.messageEnd(i) - lines.messageStart(i) > MATCHED_CHARS) {
      if (longCount === 0) firstLong = i;
      longCount++;
    }
  }
  if (longCount > 0) {
    const subject = longCount === 1 ? 'This line is' : `${longCount} lines are`;
    problems.push({ line: firstLong, message: `${subject} longer than ${MATCHED_CHARS} characters; signatures are looked for in the first ${MATCHED_CHARS} characters of a message only.` });
  }

  return {
    text,
    lines,
    times,
    entryStart,
    format: dominantFormat(lines),
    yearSource: yearless ? context.yearReference.source : undefined,
    zone: context.zone,
    context,
    bootTime,
    problems,
  };
}
