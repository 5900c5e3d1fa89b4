import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseLog } from '../../server/src/analysis/parse/document';
import { formatInZone } from '../../server/src/analysis/time/zone';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

// The fail2ban samples state, for annotated lines, the local time (Europe/Zurich) their stamp
// denotes, with yearless stamps read on 2005-08-14 (see the corpus's ANNOTATION_FORMAT.md).
const ZONE = 'Europe/Zurich';
const REFERENCE = { year: 2005, month: 8, day: 14, source: 'setting' as const };

// Formats the product claims to read, recognised here independently of the product's parser.
const CLAIMED: [string, RegExp][] = [
  ['rfc3164', /^(?:<\d{1,3}>)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} (?:\d{4} )?\d\d:\d\d:\d\d/],
  ['iso8601', /^(?:<\d{1,3}>1? ?)?\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/],
  ['bracketed', /^\[?\d\d\/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\/\d{4}:\d\d:\d\d:\d\d/],
];

interface Pair {
  file: string;
  time: string;
  line: string;
}

function readPairs(folder: string): Pair[] {
  const tsv = fs.readFileSync(path.join(folder, 'fail2ban', 'failjson_pairs.tsv'), 'utf8').split('\n');
  const header = tsv[0].split('\t');
  const col = (name: string): number => header.indexOf(name);
  return tsv
    .slice(1)
    .map((row) => row.split('\t'))
    .filter((cells) => cells.length >= header.length && cells[col('time')] !== '')
    .map((cells) => ({ file: cells[col('file')], time: cells[col('time')], line: cells[col('log_line')] }));
}

/** The local time the product gives a line, as `YYYY-MM-DDTHH:MM:SS`, or why it has none. */
function productTime(line: string): string {
  const parsed = parseLog(line, { zone: ZONE, yearReference: REFERENCE });
  const ms = parsed.times[0];
  if (Number.isNaN(ms)) return 'no time';
  const [date, clock] = formatInZone(ms, ZONE).split(' '); // "2005-07-18 23:12:56[.123] +02:00"
  return `${date}T${clock.slice(0, 8)}`;
}

/** An annotation's time to the second, zero-padded (a few annotations write `2005-03-7`). */
function annotatedTime(time: string): string | undefined {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d\d):(\d\d)/.exec(time);
  if (!match) return undefined;
  const two = (text: string): string => text.padStart(2, '0');
  return `${match[1]}-${two(match[2])}-${two(match[3])}T${two(match[4])}:${match[5]}:${match[6]}`;
}

test('normalised times of annotated real log lines match their annotations (>= 99 %)', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const pairs = readPairs(folder);
  // Annotations without a real date (`None`) state that no time may be read; they are not counted.
  const claimed = pairs.filter((pair) => annotatedTime(pair.time) && CLAIMED.some(([, pattern]) => pattern.test(pair.line)));
  const wrong: string[] = [];
  for (const pair of claimed) {
    const expected = annotatedTime(pair.time);
    const got = productTime(pair.line);
    if (got !== expected) wrong.push(`${pair.file}: expected ${expected}, got ${got}: ${pair.line.slice(0, 100)}`);
  }
  const share = (claimed.length - wrong.length) / claimed.length;
  t.diagnostic(`annotated lines with a time: ${pairs.length}; in claimed formats: ${claimed.length}; exact: ${claimed.length - wrong.length} (${(share * 100).toFixed(2)} %)`);
  for (const line of wrong.slice(0, 20)) t.diagnostic(`mismatch: ${line}`);
  assert.ok(claimed.length >= 500, `only ${claimed.length} annotated lines in claimed formats`);
  assert.ok(share >= 0.99, `${(share * 100).toFixed(2)} % exact; first mismatches:\n${wrong.slice(0, 10).join('\n')}`);
});
