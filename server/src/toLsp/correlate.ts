import { CorrelationResult } from '../analysis/correlate/around';
import { CorrelateResult } from '../protocol';
import { isoUtc } from './time';
import { formatInZone } from '../analysis/time/zone';

/** Converts a correlation to the `logForensics/correlate` response. */
export function correlateResponse(result: CorrelationResult, center: number, windowSeconds: number, zoneOf: (id: string) => string): CorrelateResult {
  return {
    center: isoUtc(center),
    windowSeconds,
    truncated: result.truncated,
    entries: result.entries.map((entry) => ({
      uri: entry.id,
      range: { start: { line: entry.line, character: 0 }, end: { line: entry.endLine, character: entry.text.length } },
      time: isoUtc(entry.time),
      localTime: formatInZone(entry.time, zoneOf(entry.id)),
      deltaSeconds: Math.round(entry.deltaMs) / 1000,
      ...(entry.host ? { host: entry.host } : {}),
      text: entry.text.length > 500 ? `${entry.text.slice(0, 500)}…` : entry.text,
    })),
  };
}
