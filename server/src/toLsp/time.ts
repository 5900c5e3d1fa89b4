import { CivilTime } from '../analysis/parse/types';

/** `HH:MM:SS` of a stamp as it was written, for titles such as "Show what happened around 16:49:42". */
export function wallClock(civil: CivilTime): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(civil.hour)}:${two(civil.minute)}:${two(civil.second)}`;
}

/** ISO 8601 UTC with milliseconds only when they are not zero. */
export function isoUtc(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}
