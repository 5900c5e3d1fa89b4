import { TimeContext } from '../analysis/parse/document';
import { firstGlobMatch } from '../analysis/time/glob';
import { YearReference } from '../analysis/time/year';
import { chooseYearReference } from '../analysis/time/yearChoice';
import { YearEvidence } from '../analysis/time/yearEvidence';
import { isKnownZone } from '../analysis/time/zone';
import { LogForensicsSettings } from '../settings';

/**
 * How every reader of a log (editor, CLI, report, export) turns settings into the time context a
 * log is read with: one module, so a line is placed at the same instant wherever it is shown.
 */

/** The machine's own zone, used when no setting names one. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function dateParts(ms: number, zone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: field('year'), month: field('month'), day: field('day') };
}

/** When the log's source was last written, as far as it tells: a file's mtime, a gzip member's time. */
export interface SourceTime {
  ms: number;
  fromGzip: boolean;
}

/**
 * The year reference of a log: a setting, else the time its source was last written (file mtime,
 * or the mtime a gzip member recorded), else the clock (`now`: an unsaved buffer).
 */
export function yearReferenceFor(settings: LogForensicsSettings, zone: string, written: SourceTime | undefined, now: number): YearReference {
  if (settings.year !== undefined) return { year: settings.year, month: 12, day: 31, source: 'setting' };
  if (written) return { ...dateParts(written.ms, zone), source: written.fromGzip ? 'gzip member time' : 'file modification time' };
  return { ...dateParts(now, zone), source: 'current clock' };
}

/**
 * Decides how a log's times are read, from the settings: the zone (a file glob, else the
 * workspace zone, else the machine's), zones per host and host clock offsets. Unknown zones are
 * dropped with a note for the user.
 */
export function timeContextFor(settings: LogForensicsSettings, relativePath: string, notes: string[]): Omit<TimeContext, 'yearReference'> {
  const known = (zone: string, where: string): boolean => {
    if (isKnownZone(zone)) return true;
    notes.push(`The time zone "${zone}" in ${where} is unknown; it is ignored.`);
    return false;
  };
  let zone = machineZone();
  let zoneSource = 'the machine\'s zone (no setting names one)';
  if (settings.zone && known(settings.zone, 'logForensics.time.zone')) {
    zone = settings.zone;
    zoneSource = 'setting logForensics.time.zone';
  }
  const byFile = firstGlobMatch(settings.fileZones, relativePath);
  if (byFile && known(byFile[1], `logForensics.time.fileZones["${byFile[0]}"]`)) {
    zone = byFile[1];
    zoneSource = `setting logForensics.time.fileZones["${byFile[0]}"]`;
  }
  const zoneByHost: Record<string, string> = {};
  for (const [host, hostZone] of Object.entries(settings.hostZones)) if (known(hostZone, `logForensics.time.hostZones["${host}"]`)) zoneByHost[host] = hostZone;
  const hostOffsetsMs: Record<string, number> = {};
  for (const [host, seconds] of Object.entries(settings.hostOffsets)) hostOffsetsMs[host] = Math.round(seconds * 1000);
  return { zone, zoneSource, zoneByHost, hostOffsetsMs };
}

/** Whether `logTimeContext` asks for the lines' year evidence: when no setting names the year. */
export function needsYearEvidence(settings: LogForensicsSettings): boolean {
  return settings.year === undefined;
}

/**
 * The whole time context of a log: zones and offsets from the settings; the year from a setting,
 * else what the log's own lines say (`evidence`: queue ids, message-ids, dates in messages), else
 * the time its source was written, else the clock. Disagreeing evidence is told in `notes`.
 */
export function logTimeContext(settings: LogForensicsSettings, relativePath: string, written: SourceTime | undefined, now: number, notes: string[], evidence?: () => YearEvidence, borrowed?: IncidentYear): TimeContext {
  const zoned = timeContextFor(settings, relativePath, notes);
  if (!needsYearEvidence(settings) || !evidence) return { ...zoned, yearReference: yearReferenceFor(settings, zoned.zone, written, now) };
  const own = evidence();
  const choice = chooseYearReference({ evidence: own, mtime: written, now, zone: zoned.zone });
  if (choice.reference.source !== 'log contents' && borrowed) {
    // Nothing in this log names its year, another log of the incident does: the logs of one
    // incident are read in the same year, not one by its lines and the next by its file's mtime.
    // The reference is a month past the other log's end, so lines written a little after it stay in its year.
    const after = new Date(Date.UTC(borrowed.year, borrowed.month - 1, borrowed.day + 30));
    const here = choice.explanation.replace(/^\d{4}: /, '');
    return { ...zoned, yearReference: { year: after.getUTCFullYear(), month: after.getUTCMonth() + 1, day: after.getUTCDate(), source: 'log contents', explanation: `${borrowed.year}: ${borrowed.explanation}; here ${here}` } };
  }
  // A file time that disagrees is in the hover; lines that disagree with each other are worth a note.
  for (const conflict of own.conflicts) notes.push(`Year of yearless stamps: ${conflict}`);
  return { ...zoned, yearReference: choice.reference };
}

/** The year another log of the incident read from its own lines, for logs whose lines name none. */
export interface IncidentYear {
  year: number;
  month: number;
  day: number;
  /** "as relay/maillog's lines say (2 sendmail queue ids)". */
  explanation: string;
}

/** The year a log's own lines gave it, to lend to the incident's other logs; undefined when they gave none. */
export function ownYearOf(context: TimeContext, name: string): IncidentYear | undefined {
  const reference = context.yearReference;
  if (reference.source !== 'log contents' || !reference.explanation || /^\d{4}: as /.test(reference.explanation)) return undefined;
  const reason = reference.explanation.replace(/^\d{4}: /, '').split(';')[0];
  return { year: reference.year, month: reference.month, day: reference.day, explanation: `as ${name}'s lines say (${reason})` };
}

/** The year most of the incident's logs read from their lines (the first such log on a tie). */
export function incidentYear(years: readonly (IncidentYear | undefined)[]): IncidentYear | undefined {
  const known = years.filter((year): year is IncidentYear => year !== undefined);
  const count = (year: number) => known.filter((other) => other.year === year).length;
  return known.reduce<IncidentYear | undefined>((best, year) => (!best || count(year.year) > count(best.year) ? year : best), undefined);
}
