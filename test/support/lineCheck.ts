import assert from 'node:assert/strict';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { parseLog } from '../../server/src/analysis/parse/document';
import { LogLine } from '../../server/src/analysis/parse/types';
import { FIXED_TIME } from './catalogue';

/** What a line should parse to: the text of each part, or null where the part must be absent. */
export interface Expected {
  format: LogLine['format'];
  kind?: LogLine['kind'];
  stamp?: string | null;
  host?: string | null;
  program?: string | null;
  /** The program the format implies where the line names none. */
  programName?: string | null;
  pid?: string | null;
  message?: string;
  level?: LogLine['level'] | null;
  /** The instant, for stamps that say their zone (or are in UTC). */
  utc?: string;
  civil?: Partial<NonNullable<LogLine['civil']>>;
  uptime?: number;
}

/** Parses one line and checks each part `expected` names; `kind` is `entry` unless it says otherwise. */
export function checkLine(text: string, expected: Expected): void {
  const line = parseLogLine(text, 0);
  const part = (span?: { start: number; end: number }): string | null => (span ? text.slice(span.start, span.end) : null);
  assert.equal(line.format, expected.format, `format of: ${text}`);
  assert.equal(line.kind, expected.kind ?? 'entry', `kind of: ${text}`);
  for (const key of ['stamp', 'host', 'program', 'pid'] as const) {
    if (expected[key] !== undefined) assert.equal(part(line[key]), expected[key], `${key} of: ${text}`);
  }
  if (expected.programName !== undefined) assert.equal(line.programName ?? null, expected.programName, `implied program of: ${text}`);
  if (expected.message !== undefined) assert.equal(part(line.message), expected.message, `message of: ${text}`);
  if (expected.level !== undefined) assert.equal(line.level ?? null, expected.level, `level of: ${text}`);
  for (const [key, value] of Object.entries(expected.civil ?? {})) {
    assert.equal(line.civil?.[key as keyof NonNullable<LogLine['civil']>], value, `civil.${key} of: ${text}`);
  }
  if (expected.uptime !== undefined) assert.equal(line.uptime, expected.uptime, `uptime of: ${text}`);
  if (expected.utc !== undefined) {
    const log = parseLog(text, FIXED_TIME);
    assert.equal(Number.isNaN(log.times[0]) ? null : new Date(log.times[0]).toISOString(), expected.utc, `instant of: ${text}`);
  }
}
