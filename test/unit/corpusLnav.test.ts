import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseLog, ParsedLog, TimeContext } from '../../server/src/analysis/parse/document';
import { formatInZone } from '../../server/src/analysis/time/zone';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

// Real syslog variants from another log viewer's test suite: a daylight-saving repeated hour, a
// new-year rollover, lines out of order, RFC 5424 stamps in several zones.
function read(name: string, context: TimeContext): ParsedLog | undefined {
  const folder = corpusFolder();
  return folder ? parseLog(fs.readFileSync(path.join(folder, 'lnav', name), 'utf8'), context) : undefined;
}

const context = (zone: string, year: number, month = 12, day = 31): TimeContext => ({ zone, yearReference: { year, month, day, source: 'setting' } });
const stamped = (log: ParsedLog) => [...log.times].filter((t) => !Number.isNaN(t));

test('the repeated hour when daylight saving ends is read in order, an hour later the second time', (t) => {
  const log = read('logfile_dst.0', context('America/Los_Angeles', 2013));
  if (!log) return t.skip(CORPUS_SKIP);
  const times = stamped(log);
  assert.equal(times.length, 10);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'times must keep file order');
  // 01:59:14 PDT is 08:59:14Z; the next line, 01:24:56, is PST: 09:24:56Z.
  assert.equal(new Date(times[4]).toISOString(), '2013-11-03T08:59:14.000Z');
  assert.equal(new Date(times[5]).toISOString(), '2013-11-03T09:24:56.000Z');
  assert.deepEqual(log.problems.filter((p) => /goes back/.test(p.message)), []);
});

test('a new-year rollover inside a file moves the later lines into the next year', (t) => {
  const log = read('logfile_rollover.1', context('UTC', 2007, 3, 1));
  if (!log) return t.skip(CORPUS_SKIP);
  const years = stamped(log).map((ms) => new Date(ms).getUTCFullYear());
  assert.deepEqual([...new Set(years)], [2006, 2007]);
  assert.equal(years[0], 2006);
  assert.equal(years[years.length - 1], 2007);
});

test('lines out of order are kept, and the jump back is reported where it happens', (t) => {
  const log = read('logfile_syslog_with_mixed_times.0', context('UTC', 2014));
  if (!log) return t.skip(CORPUS_SKIP);
  const back = log.problems.filter((p) => /Time goes back/.test(p.message));
  assert.ok(back.length >= 1, JSON.stringify(log.problems));
  assert.equal(back[0].line, 5);
  assert.match(back[0].message, /goes back 1 h 46 min/);
});

test('RFC 5424 stamps in different zones land on one clock', (t) => {
  const log = read('logfile_with_zones.0', context('Asia/Tokyo', 2022));
  if (!log) return t.skip(CORPUS_SKIP);
  const first = stamped(log).slice(0, 3).map((ms) => new Date(ms).toISOString());
  assert.deepEqual(first, ['2022-08-27T14:22:01.613Z', '2022-08-27T14:22:01.694Z', '2022-08-27T14:22:01.888Z']);
});

test('host, pid and program agree with another parser\'s reading of the same file', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const csv = fs.readFileSync(path.join(folder, 'lnav', 'expected', 'logfile_syslog.0.syslog_log.csv'), 'utf8').trim().split('\n');
  const header = csv[0].split(',');
  const rows = csv.slice(1).map((row) => row.split(','));
  const col = (name: string) => header.indexOf(name);
  const log = parseLog(fs.readFileSync(path.join(folder, 'lnav', 'logfile_syslog.0'), 'utf8'), context('UTC', 2007));
  const part = (i: number, span?: { start: number; end: number }) => (span ? log.text.line(i).slice(span.start, span.end) : '<NULL>');
  for (const row of rows) {
    const i = Number(row[col('log_line')]);
    const line = log.lines.get(i);
    assert.equal(part(i, line.host), row[col('log_hostname')], `host of line ${i}`);
    assert.equal(part(i, line.pid), row[col('log_pid')], `pid of line ${i}`);
    assert.equal(part(i, line.program), row[col('log_procname')], `program of line ${i}`);
    assert.equal(formatInZone(log.times[i], 'UTC').slice(0, 19), row[col('log_time')].slice(0, 19), `time of line ${i}`);
  }
});
