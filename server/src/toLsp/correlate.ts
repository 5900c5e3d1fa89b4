import { CorrelatedEntry, CorrelationResult } from '../analysis/correlate/around';
import { CorrelatedEntryDto, CorrelateResult } from '../protocol';
import { isoUtc } from './time';
import { formatInZone } from '../analysis/time/zone';

/** Longest entry text sent; a list shows the start of a line, and the editor the rest. */
const MAX_TEXT = 500;

function entryDto(entry: CorrelatedEntry, zoneOf: (id: string) => string): CorrelatedEntryDto {
  return {
    uri: entry.id,
    range: { start: { line: entry.line, character: 0 }, end: { line: entry.endLine, character: entry.text.length } },
    time: isoUtc(entry.time),
    localTime: formatInZone(entry.time, zoneOf(entry.id)),
    deltaSeconds: Math.round(entry.deltaMs) / 1000,
    ...(entry.host ? { host: entry.host } : {}),
    text: entry.text.length > MAX_TEXT ? `${entry.text.slice(0, MAX_TEXT)}…` : entry.text,
  };
}

/** Converts a correlation to the `logForensics/correlate` response. */
export function correlateResponse(result: CorrelationResult, center: number, windowSeconds: number, zoneOf: (id: string) => string): CorrelateResult {
  return {
    center: isoUtc(center),
    windowSeconds,
    truncated: result.truncated,
    entries: result.entries.map((entry) => entryDto(entry, zoneOf)),
    nearest: result.nearest.map((entry) => entryDto(entry, zoneOf)),
    logs: result.logs.map(({ id, entries, nearest }) => ({ uri: id, entries, ...(nearest !== undefined ? { nearest } : {}) })),
  };
}
