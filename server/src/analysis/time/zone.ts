import { CivilTime } from '../parse/types';

const formatters = new Map<string, Intl.DateTimeFormat>();
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
  const bucket = Math.floor(utcMs / 900_000);
  let cache = offsetCache.get(zone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(zone, cache);
  }
  const cached = cache.get(bucket);
  if (cached !== undefined) return cached;
  const parts = formatterFor(zone).formatToParts(new Date(bucket * 900_000));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
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
  const wall = Date.UTC(year, civil.month - 1, civil.day, civil.hour, civil.minute, civil.second, civil.millis);
  if (civil.offsetMinutes !== undefined) return wall - civil.offsetMinutes * 60_000;
  const first = zoneOffsetMinutes(zone, wall - 12 * 3_600_000);
  const guess = wall - first * 60_000;
  const second = zoneOffsetMinutes(zone, guess);
  if (second === first) return guess;
  const other = wall - second * 60_000;
  return zoneOffsetMinutes(zone, other) === second ? Math.min(guess, other) : guess;
}

/** Formats `utcMs` as wall time in `zone`: `2009-11-08 16:49:42 +01:00`. */
export function formatInZone(utcMs: number, zone: string): string {
  const offset = zoneOffsetMinutes(zone, utcMs);
  const local = new Date(utcMs + offset * 60_000).toISOString();
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  const millis = local.slice(20, 23) === '000' ? '' : local.slice(19, 23);
  return `${local.slice(0, 10)} ${local.slice(11, 19)}${millis} ${sign}${hh}:${mm}`;
}
