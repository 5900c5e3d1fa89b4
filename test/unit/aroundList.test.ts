import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aroundList, aroundTitle, formatDistance, formatWindow, nextSteps } from '../../client/src/aroundList';
import type { CorrelatedEntryDto, CorrelateResult } from '../../server/src/protocol';

function entry(uri: string, line: number, deltaSeconds: number): CorrelatedEntryDto {
  const range = { start: { line, character: 0 }, end: { line, character: 10 } };
  return { uri, range, time: '', localTime: '', deltaSeconds, text: `${uri}:${line}` };
}

// Asked from the gateway's messages; the relay has entries in the window, the auth log only a
// nearest entry 62 s away, in the server's order of logs.
const RESULT: CorrelateResult = {
  center: '2010-11-08T21:49:42Z',
  windowSeconds: 60,
  truncated: false,
  entries: [entry('gw', 0, -50), entry('relay', 4, -13), entry('gw', 1, 0), entry('gw', 2, 3), entry('relay', 5, 13), entry('relay', 6, 40)],
  nearest: [entry('relay', 4, -13), entry('auth', 9, 62)],
  logs: [
    { uri: 'gw', entries: 3 },
    { uri: 'relay', entries: 3, nearest: 0 },
    { uri: 'auth', entries: 0, nearest: 1 },
  ],
};

test('the list groups entries by log in the server\'s order, nearest first within a log, the earlier of two as near', () => {
  const { groups } = aroundList(RESULT);
  assert.deepEqual(groups.map((group) => [group.uri, group.entries.map((e) => e.deltaSeconds)]), [
    ['gw', [0, 3, -50]],
    ['relay', [-13, 13, 40]],
  ]);
});

test('a log with nothing in the window is listed by its nearest entry', () => {
  assert.deepEqual(aroundList(RESULT).outside.map((e) => [e.uri, e.range.start.line, e.deltaSeconds]), [['auth', 9, 62]]);
});

test('the title says the window and how many entries of how many logs it holds', () => {
  assert.equal(aroundTitle(RESULT), 'Around 2010-11-08T21:49:42Z (± 1 min): 6 entries from 2 logs');
  assert.equal(aroundTitle({ ...RESULT, windowSeconds: 90, truncated: true }), 'Around 2010-11-08T21:49:42Z (± 90 s): 6 entries from 2 logs, nearest shown');
});

test('distances read in the largest unit that fits, with the next one', () => {
  assert.deepEqual([62, -99, 437, -3600, 3661, 13_652, 86_400 * 3 + 3600 * 4 + 59].map(formatDistance), ['+62 s', '−99 s', '+7 min 17 s', '−1 h', '+1 h 1 min', '+3 h 47 min', '+3 d 4 h']);
});

test('windows are named in whole hours, minutes or seconds', () => {
  assert.deepEqual([60, 300, 3600, 7200, 90, 0].map(formatWindow), ['1 min', '5 min', '1 h', '2 h', '90 s', '0 s']);
});

test('widening and narrowing step to the offered windows, from any window', () => {
  assert.deepEqual(nextSteps(60), { wider: 300 });
  assert.deepEqual(nextSteps(300), { wider: 900, narrower: 60 });
  assert.deepEqual(nextSteps(120), { wider: 300, narrower: 60 });
  assert.deepEqual(nextSteps(3600), { narrower: 900 });
  assert.deepEqual(nextSteps(86_400), { narrower: 3600 });
});
