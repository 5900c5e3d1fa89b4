import { DocumentHighlight, DocumentHighlightKind, Location } from 'vscode-languageserver';
import { IdentityIndex, Occurrence } from '../analysis/identity/index';
import { MessageTrace } from '../analysis/identity/trace';
import { TraceMessageResult } from '../protocol';
import { isoUtc } from './time';

/** At most this many locations answer one references request; a busy IP can be on every line. */
export const MAX_REFERENCES = 5000;

function location(occurrence: Occurrence): Location {
  return Location.create(occurrence.logId, { start: { line: occurrence.line, character: occurrence.start }, end: { line: occurrence.line, character: occurrence.end } });
}

/** Every line of every open log carrying the key under the cursor. */
export function referencesAt(index: IdentityIndex, uri: string, line: number, character: number): Location[] | null {
  const key = index.keyAt(uri, line, character);
  return key ? index.occurrences(key.kind, key.value, MAX_REFERENCES).map(location) : null;
}

/** The key's occurrences in the same document, for highlighting. */
export function highlightsAt(index: IdentityIndex, uri: string, line: number, character: number): DocumentHighlight[] | null {
  const key = index.keyAt(uri, line, character);
  if (!key) return null;
  return index
    .occurrences(key.kind, key.value, MAX_REFERENCES)
    .filter((occurrence) => occurrence.logId === uri)
    .map((occurrence) => DocumentHighlight.create(location(occurrence).range, DocumentHighlightKind.Text));
}

/** The key's first appearance in time across the open logs. */
export function definitionAt(index: IdentityIndex, uri: string, line: number, character: number): Location | null {
  const key = index.keyAt(uri, line, character);
  const first = key ? index.firstOccurrence(key.kind, key.value) : undefined;
  return first ? location(first) : null;
}

/** Converts a trace to the `logForensics/traceMessage` response. */
export function traceResponse(index: IdentityIndex, trace: MessageTrace): TraceMessageResult {
  return {
    items: trace.items.map((item) => {
      const text = index.log(item.logId)?.text.line(item.line) ?? '';
      return {
        uri: item.logId,
        range: { start: { line: item.line, character: 0 }, end: { line: item.line, character: text.length } },
        time: Number.isNaN(item.time) ? null : isoUtc(item.time),
        role: item.role,
        ...(item.via ? { via: `${item.via.kind} ${item.via.value}` } : {}),
        text: text.length > 500 ? `${text.slice(0, 500)}…` : text,
      };
    }),
    ...(trace.problem ? { note: trace.problem } : trace.cut ? { note: trace.cut.message } : {}),
  };
}
