import { test } from 'node:test';
import assert from 'node:assert/strict';
import { entriesAround, IndexedLog } from '../../server/src/analysis/correlate/around';
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
