import { YearReference } from './year';
import { YearEvidence } from './yearEvidence';
import { zoneOffsetMinutes } from './zone';

/** What the year of a log's yearless stamps can be decided from. */
export interface YearChoiceInput {
  /** `logForensics.time.year`, when set. */
  setting?: number;
  /** What the log's own lines say (`yearFromEvidence`). */
  evidence?: YearEvidence;
  /** The file's modification time, or the time its gzip member recorded, in ms. */
  mtime?: { ms: number; fromGzip: boolean };
  /** The clock, in ms. */
  now: number;
  /** The zone the log is read in: a file time is turned into a date there. */
  zone: string;
}

/** The reference yearless stamps are read against, how it was reached, and what disagreed. */
export interface YearChoice {
  /** Carries `explanation` too. */
  reference: YearReference;
  /** For the hover: "2011: 3 message-ids and a sendmail queue id; the file's modification time says 2026". */
  explanation: string;
  conflicts: string[];
}

type Day = { year: number; month: number; day: number };

function localDay(ms: number, zone: string): Day {
  const date = new Date(ms + zoneOffsetMinutes(zone, ms) * 60_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The year a reference gives a last yearless stamp on `month`/`day`, as `assignYears` reads it (before any 29 February step). */
function endYear(reference: Day, month: number, day: number): number {
  const after = month > reference.month || (month === reference.month && day > reference.day + 1);
  return reference.year - (after ? 1 : 0);
}

/** "3 message-ids" out of the evidence's "2011: 3 message-ids". */
function reasonOf(evidence: YearEvidence, year: number): string {
  const prefix = `${year}: `;
  return evidence.source.startsWith(prefix) ? evidence.source.slice(prefix.length) : evidence.source;
}

/**
 * Decides the year reference of a log: the setting, else the evidence in the log's own lines,
 * else the file's modification time (or its gzip member's time), else the clock. Every source
 * that disagrees with the one taken is reported, in the explanation and as a conflict; a kernel
 * build date in the log raises a file time or clock that lies before it.
 */
export function chooseYearReference(input: YearChoiceInput): YearChoice {
  const { setting, evidence } = input;
  const stamped = evidence !== undefined && evidence.month > 0;
  const conflicts: string[] = [];
  const fileLabel = input.mtime?.fromGzip ? 'the time the gzip member recorded' : 'the file\'s modification time';
  const fileDay = input.mtime ? localDay(input.mtime.ms, input.zone) : undefined;
  const finish = (reference: Omit<YearReference, 'explanation'>, explanation: string): YearChoice => ({ reference: { ...reference, explanation }, explanation, conflicts });

  if (setting !== undefined) {
    let explanation = `${setting}: setting logForensics.time.year`;
    if (evidence?.year !== undefined && evidence.year !== setting) {
      const note = `the log's lines say ${evidence.year} (${reasonOf(evidence, evidence.year)})`;
      conflicts.push(note);
      explanation += `; ${note}`;
    }
    return finish({ year: setting, month: 12, day: 31, source: 'setting' }, explanation);
  }

  const clock = localDay(input.now, input.zone);
  // A log cannot end after today: evidence saying so misreads the log (a collage of old samples
  // whose months run back and forth reads as many new years) and is not taken.
  const future = stamped && evidence.year !== undefined && evidence.year > clock.year;
  if (stamped && evidence.year !== undefined && !future) {
    conflicts.push(...evidence.conflicts);
    let explanation = evidence.source;
    if (fileDay) {
      const fileYear = endYear(fileDay, evidence.month, evidence.day);
      if (fileYear === evidence.year) explanation += `; ${fileLabel} agrees`;
      else {
        conflicts.push(`${fileLabel} says ${fileYear}`);
        explanation += `; ${fileLabel} says ${fileYear}`;
      }
    }
    return finish({ year: evidence.year, month: evidence.month, day: evidence.day, source: 'log contents' }, explanation);
  }

  const fallback: Omit<YearReference, 'explanation'> = fileDay
    ? { ...fileDay, source: input.mtime!.fromGzip ? 'gzip member time' : 'file modification time' }
    : { ...clock, source: 'current clock' };
  const label = fileDay ? fileLabel : 'the current date';
  const year = stamped ? endYear(fallback, evidence.month, evidence.day) : fallback.year;
  if (future) conflicts.push(`the log's lines say ${evidence.year} (${reasonOf(evidence, evidence.year!)}), after the current date`);
  if (stamped) conflicts.push(...evidence.conflicts);
  const disagreement = conflicts.length > 0 ? `; ${conflicts.join('; ')}` : '';
  if (stamped && evidence.atLeast !== undefined && year < evidence.atLeast) {
    conflicts.push(`${label} says ${year}, before that`);
    return finish({ year: evidence.atLeast, month: evidence.month, day: evidence.day, source: 'log contents' }, `${evidence.source}; ${label} says ${year}, before that${disagreement}`);
  }
  const silent = stamped && evidence.votes.length === 0 ? ', nothing in the log\'s lines names a year' : '';
  return finish(fallback, `${year}: ${label}${fileDay ? '' : ' (no setting, no file time)'}${silent}${disagreement}`);
}
