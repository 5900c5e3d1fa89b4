import { CivilTime } from '../parse/types';

/** 0001-01-01T00:00:00Z. */
const FIRST_YEAR_MS = -62_135_596_800_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * `Date.UTC` for wall-clock fields, without its quirk of reading years 0-99 as 1900-1999
 * (a stamp written `0050-01-01` means the year 50, not 1950).
 */
export function utcFromFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime();
}
const offsetCache = new Map<string, Map<number, number>>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether `zone` is an IANA time zone name this runtime knows. */
export function isKnownZone(zone: string): boolean {
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** The offset of `zone` from UTC, in minutes, at the instant `utcMs`. */
export function zoneOffsetMinutes(zone: string, utcMs: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  // Offsets change at most at whole quarter hours; caching per quarter keeps Intl off the hot path.
  // Intl writes years before 1 as era years; every zone keeps its year-1 (local mean time) offset there.
  const bucket = Math.floor(Math.max(utcMs, FIRST_YEAR_MS) / 900_000);
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const cached = cache.get(bucket);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(bucket * 900_000));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = utcFromFields(field('year'), field('month'), field('day'), field('hour'), field('minute'), field('second'));
  const offset = Math.round((asUtc - bucket * 900_000) / 60_000);
  if (cache.size > 100_000) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

/**
 * Converts wall-clock fields to a UTC instant. An explicit offset in the stamp wins; otherwise
 * the wall time is read in `zone`. In a repeated daylight-saving hour the earlier instant is taken.
 */
export function civilToUtc(civil: CivilTime, year: number, zone: string): number {
  const wall = utcFromFields(year, civil.month, civil.day, civil.hour, civil.minute, civil.second, civil.millis);
  if (civil.offsetMinutes !== undefined) return wall - civil.offsetMinutes * 60_000;
  const first = zoneOffsetMinutes(zone, wall - 12 * 3_600_000);
  const guess = wall - first * 60_000;
  const second = zoneOffsetMinutes(zone, guess);
  if (second === first) return guess;
  const other = wall - second * 60_000;
  return zoneOffsetMinutes(zone, other) === second ? Math.min(guess, other) : guess;
}

/**
 * The instants a wall time without offset can denote in `zone`: one normally, two in the hour
 * repeated when daylight saving ends (earlier first), and in the hour skipped when it starts,
 * the one read with the offset in force before the change.
 */
export function civilToUtcChoices(civil: CivilTime, year: number, zone: string): number[] {
  const wall = utcFromFields(year, civil.month, civil.day, civil.hour, civil.minute, civil.second, civil.millis);
  if (civil.offsetMinutes !== undefined) return [wall - civil.offsetMinutes * 60_000];
  const before = zoneOffsetMinutes(zone, wall - 12 * 3_600_000);
  const after = zoneOffsetMinutes(zone, wall + 12 * 3_600_000);
  const choices: number[] = [];
  for (const offset of before === after ? [before] : [before, after]) {
    const instant = wall - offset * 60_000;
    if (zoneOffsetMinutes(zone, instant) === offset && !choices.includes(instant)) choices.push(instant);
  }
  if (choices.length === 0) choices.push(wall - before * 60_000);
  return choices.sort((a, b) => a - b);
}

/** Formats `utcMs` as wall time in `zone`: `2009-11-08 16:49:42 +01:00`. */
export function formatInZone(utcMs: number, zone: string): string {
  return formatAtOffset(utcMs, zoneOffsetMinutes(zone, utcMs));
}

/** Formats `utcMs` as wall time `offset` minutes east of UTC: `2006-02-17 13:30:14 -05:00`. */
function formatAtOffset(utcMs: number, offset: number): string {
  const local = new Date(utcMs + offset * 60_000).toISOString();
  const millis = local.slice(20, 23) === '000' ? '' : local.slice(19, 23);
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${millis} ${formatOffset(offset)}`;
}

/** An offset east of UTC as `+01:00` / `-05:00`. */
export function formatOffset(offset: number): string {
  const abs = Math.abs(offset);
  return `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
