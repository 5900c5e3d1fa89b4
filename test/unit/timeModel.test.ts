import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLog, TimeContext } from '../../server/src/analysis/parse/document';

const base: TimeContext = { zone: 'UTC', yearReference: { year: 2010, month: 12, day: 31, source: 'setting' } };
const iso = (ms: number) => new Date(ms).toISOString();

const MUXED = [
  'Nov  8 16:49:42 drjmailgw kernel: do_IRQ',
  'Nov  8 22:50:38 relay1 sendmail[1]: timeout waiting for input from drjmailgw during client greeting',
  '2010-11-08T21:50:40+00:00 relay1 sendmail[2]: stat=Sent',
].join('\n');

test('a zone set for a host applies to that host\'s lines only', () => {
  const log = parseLog(MUXED, { ...base, zone: 'America/New_York', zoneByHost: { relay1: 'Europe/Berlin' } });
  assert.deepEqual([...log.times].map(iso), ['2010-11-08T21:49:42.000Z', '2010-11-08T21:50:38.000Z', '2010-11-08T21:50:40.000Z']);
});

test('a host clock offset is taken off that host\'s stamps, explicit offsets included', () => {
  const log = parseLog(MUXED, { ...base, zone: 'America/New_York', zoneByHost: { relay1: 'Europe/Berlin' }, hostOffsetsMs: { relay1: 3200 } });
  assert.deepEqual([...log.times].map(iso), ['2010-11-08T21:49:42.000Z', '2010-11-08T21:50:34.800Z', '2010-11-08T21:50:36.800Z']);
  assert.deepEqual(log.context.hostOffsetsMs, { relay1: 3200 });
});

test('time going back by more than a minute is reported at the line where it happens', () => {
  const log = parseLog(['Nov  8 10:00:00 h a: x', 'Nov  8 09:00:00 h a: y', 'Nov  8 09:59:30 h a: z'].join('\n'), base);
  // Line 2 is still 30 s behind the latest time seen, within tolerance: only line 1 is reported.
  const back = log.problems.filter((p) => /goes back/.test(p.message));
  assert.deepEqual(back.map((p) => p.line), [1]);
  assert.match(back[0].message, /^Time goes back 1 h 0 min at this line/);
});

test('a small step back (lines written a little out of order) is not reported', () => {
  const log = parseLog(['Nov  8 10:00:00 h a: x', 'Nov  8 09:59:30 h a: y'].join('\n'), base);
  assert.deepEqual(log.problems, []);
});

test('a stamp in the hour skipped by daylight saving is still placed', () => {
  const log = parseLog('Mar 14 02:30:00 h a: x', { ...base, zone: 'America/New_York' });
  assert.equal(iso(log.times[0]), '2010-03-14T07:30:00.000Z');
});
