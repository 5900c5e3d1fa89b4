import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlateAround, entriesAround, IndexedLog, nearestEntry } from '../../server/src/analysis/correlate/around';
import { buildTimeIndex } from '../../server/src/analysis/correlate/timeIndex';
import { parseLog } from '../../server/src/analysis/parse/document';
import { FIXED_TIME } from '../support/catalogue';

function indexed(id: string, text: string): IndexedLog {
  const log = parseLog(text, FIXED_TIME);
  return { id, log, index: buildTimeIndex(log) };
}

const GATEWAY = indexed('gw/messages', [
  'Nov  8 16:45:01 drjmailgw cron[1]: CMD',
  'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:45 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down',
  'Nov  8 17:10:00 drjmailgw cron[2]: CMD',
].join('\n'));
const RELAY = indexed('relay/maillog', [
  'Nov  8 16:48:30 relay1 sendmail[5]: x: to=<a@example.com>, stat=Sent',
  'Nov  8 16:50:38 relay1 sendmail[6]: y: timeout waiting for input from drjmailgw during client greeting',
  '  continuation of it',
  'Nov  8 16:51:00 relay1 sendmail[7]: z: stat=Sent',
].join('\n'));

const CENTER = Date.UTC(2010, 10, 8, 16, 49, 42);

test('entries within the window come from every log, in time order, with deltas', () => {
  const { entries, truncated } = entriesAround([GATEWAY, RELAY], CENTER, 60_000);
  assert.equal(truncated, false);
  assert.deepEqual(entries.map((e) => [e.id, e.line, e.deltaMs / 1000]), [
    ['gw/messages', 1, 0],
    ['gw/messages', 2, 3],
    ['relay/maillog', 1, 56],
  ]);
  assert.equal(entries[2].endLine, 2, 'the continuation line belongs to the relay entry');
});

test('the window is inclusive at both ends', () => {
  const { entries } = entriesAround([GATEWAY, RELAY], CENTER, 56_000);
  assert.deepEqual(entries.map((e) => e.line), [1, 2, 1]);
  assert.deepEqual(entriesAround([GATEWAY, RELAY], CENTER, 55_999).entries.map((e) => e.line), [1, 2]);
});

test('a zero window lists only entries of that very instant', () => {
  assert.deepEqual(entriesAround([GATEWAY, RELAY], CENTER, 0).entries.map((e) => e.text.slice(16, 25)), ['drjmailgw']);
});

test('a cut list keeps the entries nearest the centre, still in time order', () => {
  const { entries, truncated } = entriesAround([GATEWAY, RELAY], CENTER, 3_600_000, 2);
  assert.equal(truncated, true);
  assert.deepEqual(entries.map((e) => e.deltaMs / 1000), [0, 3]);
});

test('out-of-order logs are indexed in time order', () => {
  const log = indexed('x', ['Nov  8 16:50:00 h a: later', 'Nov  8 16:49:00 h a: earlier'].join('\n'));
  assert.deepEqual([...log.index.lines], [1, 0]);
});

// The field case: the relay's greeting timeout came 62 s after the gateway's do_IRQ.
const LATE_RELAY = indexed('late/maillog', [
  'Nov  8 16:40:00 relay1 sendmail[4]: w: stat=Sent',
  'Nov  8 16:50:44 relay1 sendmail[6]: y: timeout waiting for input from drjmailgw during client greeting',
].join('\n'));
const UNSTAMPED = indexed('notes.txt', 'no stamp here\nnor here');

test('a log with nothing in the window still gives its nearest entry, with its delta', () => {
  const result = correlateAround([GATEWAY, LATE_RELAY], { center: CENTER, windowMs: 60_000, origin: 'gw/messages' });
  assert.deepEqual(result.entries.map((e) => e.id), ['gw/messages', 'gw/messages']);
  assert.deepEqual(result.nearest.map((e) => [e.id, e.line, e.deltaMs / 1000]), [['late/maillog', 1, 62]]);
  assert.deepEqual(result.logs, [
    { id: 'gw/messages', entries: 2 },
    { id: 'late/maillog', entries: 0, nearest: 0 },
  ]);
});

test('a window of five minutes takes in the relay line 62 s after', () => {
  const result = correlateAround([GATEWAY, LATE_RELAY], { center: CENTER, windowMs: 300_000, origin: 'gw/messages' });
  assert.deepEqual(result.entries.map((e) => [e.id, e.line]), [['gw/messages', 0], ['gw/messages', 1], ['gw/messages', 2], ['late/maillog', 1]]);
  assert.deepEqual(result.logs.map((log) => [log.id, log.entries]), [['gw/messages', 3], ['late/maillog', 1]]);
});

test('the logs come in order of their nearest entry after the one asked from, and logs without times are left out', () => {
  const result = correlateAround([LATE_RELAY, UNSTAMPED, RELAY, GATEWAY], { center: CENTER, windowMs: 0, origin: 'gw/messages' });
  assert.deepEqual(result.logs.map((log) => log.id), ['gw/messages', 'relay/maillog', 'late/maillog']);
  assert.deepEqual(result.nearest.map((e) => e.deltaMs / 1000), [56, 62]);
  assert.deepEqual(result.logs.map((log) => log.nearest), [undefined, 0, 1]);
});

test('the nearest entry is the nearer side of the centre, the earlier of two as near, the first of one instant', () => {
  const log = indexed('x', ['Nov  8 16:49:32 h a: ten before', 'Nov  8 16:49:32 h a: also ten before', 'Nov  8 16:49:52 h a: ten after', 'Nov  8 16:49:53 h a: eleven after'].join('\n'));
  assert.equal(nearestEntry(log, CENTER)?.line, 0);
  assert.equal(nearestEntry(log, CENTER + 1_000)?.line, 2);
  assert.equal(nearestEntry(log, CENTER - 3_600_000)?.line, 0, 'before the first entry');
  assert.equal(nearestEntry(log, CENTER + 3_600_000)?.line, 3, 'after the last entry');
  assert.equal(nearestEntry(UNSTAMPED, CENTER), undefined);
});

test('the log asked from gives no nearest entry of its own and comes first even when another has an entry as near', () => {
  const twin = indexed('b/twin', 'Nov  8 16:49:42 other kernel: same instant');
  const result = correlateAround([twin, GATEWAY], { center: CENTER, windowMs: 0, origin: 'gw/messages' });
  assert.deepEqual(result.logs, [{ id: 'gw/messages', entries: 1 }, { id: 'b/twin', entries: 1, nearest: 0 }]);
  assert.deepEqual(result.nearest.map((e) => e.id), ['b/twin']);
});

test('a cut list counts per log only the entries it kept', () => {
  const result = correlateAround([GATEWAY, RELAY], { center: CENTER, windowMs: 3_600_000, origin: 'gw/messages', limit: 2 });
  assert.equal(result.truncated, true);
  assert.deepEqual(result.logs.map((log) => [log.id, log.entries]), [['gw/messages', 2], ['relay/maillog', 0]]);
  assert.equal(result.nearest[0].deltaMs / 1000, 56);
});

/** The time index as its definition reads: stamped entry lines, by time, ties in file order. */
function naiveTimeIndex(text: string): { lines: number[]; times: number[] } {
  const log = parseLog(text, FIXED_TIME);
  const lines = [...log.times.keys()].filter((i) => log.entryStart[i] === i && !Number.isNaN(log.times[i]));
  lines.sort((a, b) => log.times[a] - log.times[b] || a - b);
  return { lines, times: lines.map((i) => log.times[i]) };
}

test('the time index orders stamped entries by time, and shares the times of a log whose every line is an entry in order', () => {
  const inOrder = ['Nov  8 16:45:01 gw cron[1]: a', 'Nov  8 16:45:02 gw cron[1]: b', 'Nov  8 16:45:02 gw cron[1]: c'].join('\n');
  const shuffled = ['Nov  8 16:45:03 gw cron[1]: a', 'Nov  8 16:45:01 gw cron[1]: b', 'Nov  8 16:45:03 gw cron[1]: c', 'Nov  8 16:45:02 gw cron[1]: d'].join('\n');
  const withContinuation = ['Nov  8 16:45:01 gw app[1]: a', '  at frame', 'no stamp here', 'Nov  8 16:45:00 gw app[1]: b'].join('\n');
  for (const text of [inOrder, shuffled, withContinuation]) {
    const log = parseLog(text, FIXED_TIME);
    const index = buildTimeIndex(log);
    assert.deepEqual({ lines: [...index.lines], times: [...index.times] }, naiveTimeIndex(text), text);
  }
  const log = parseLog(inOrder, FIXED_TIME);
  assert.equal(buildTimeIndex(log).times.buffer, log.times.buffer, 'no copy of the times of an in-order log');
  const other = parseLog(shuffled, FIXED_TIME);
  assert.notEqual(buildTimeIndex(other).times.buffer, other.times.buffer, 'a log out of order has its own ordered copy');
});
