import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLog } from '../../server/src/analysis/parse/document';
import { splitLines } from '../../server/src/analysis/parse/text';
import { FIXED_TIME } from '../support/catalogue';
import { linesOf } from '../../server/src/analysis/parse/logText';

const iso = (ms: number): string | null => (Number.isNaN(ms) ? null : new Date(ms).toISOString());

test('lines split at LF, CRLF and lone CR, without an extra line for the final newline', () => {
  assert.deepEqual(splitLines('a\nb\r\nc\rd\n'), ['a', 'b', 'c', 'd']);
  assert.deepEqual(splitLines(''), []);
  assert.deepEqual(splitLines('\n\n'), ['', '']);
  assert.deepEqual(splitLines('truncated last line'), ['truncated last line']);
});

test('stack frames and free text belong to the entry above', () => {
  const log = parseLog(['Feb 17 16:08:16 northuist imapd[1]: crash', 'ff129394 txn_abort (0, f30a14d8) + 4', 'free text', 'Feb 17 16:08:17 northuist imapd[2]: up'].join('\n'), FIXED_TIME);
  assert.deepEqual([...log.entryStart], [0, 0, 0, 3]);
  assert.deepEqual([...log.times].map(iso), ['2010-02-17T16:08:16.000Z', null, null, '2010-02-17T16:08:17.000Z']);
});

test('bare dmesg lines are placed on the clock once a syslog line ties uptime to wall time', () => {
  const log = parseLog(['Nov  8 16:49:42 gw kernel: [1000.000000] booted long ago', '[ 1003.500000] eth0: link down'].join('\n'), FIXED_TIME);
  assert.equal(iso(log.times[1]), '2010-11-08T16:49:45.500Z');
  assert.equal(log.bootTime, Date.UTC(2010, 10, 8, 16, 49, 42) - 1_000_000);
});

test('a bare dmesg with nothing to tie it to stays off the timeline', () => {
  const log = parseLog('[    1.234567] ACPI: Core revision', FIXED_TIME);
  assert.equal(log.format, 'dmesg');
  assert.ok(Number.isNaN(log.times[0]));
});

test('an impossible date is reported and left off the timeline', () => {
  const log = parseLog('Feb 30 10:00:00 gw prog: x', FIXED_TIME);
  assert.ok(Number.isNaN(log.times[0]));
  assert.match(log.problems[0].message, /does not exist/);
  assert.equal(log.problems[0].line, 0);
});

test('the dominant stamp format and the year source are reported', () => {
  const log = parseLog(['Nov  8 16:49:42 gw a: x', 'Nov  8 16:49:43 gw a: y', '2010-11-08T16:49:44Z gw a: z'].join('\n'), FIXED_TIME);
  assert.equal(log.format, 'rfc3164');
  assert.equal(log.yearSource, 'setting');
  assert.equal(parseLog('2010-11-08T16:49:44Z gw a: z', FIXED_TIME).yearSource, undefined);
});

test('binary content is reported as such but still parsed without throwing', () => {
  const binary = String.fromCharCode(...Array.from({ length: 400 }, (_, i) => (i * 37) % 32));
  const log = parseLog(binary, FIXED_TIME);
  assert.match(log.problems[0].message, /looks binary/);
  assert.equal(linesOf(log.text).join('').length > 0, true);
  assert.equal(linesOf(log.text).join(''), binary.replace(/\r\n?|\n/g, ''), 'every character but line ends is kept');
  assert.equal(log.times.length, log.text.length);
});

test('NUL bytes inside an otherwise textual log are reported', () => {
  const log = parseLog('Nov  8 16:49:42 gw a: x\u0000y\nNov  8 16:49:43 gw a: ok', FIXED_TIME);
  assert.match(log.problems[0].message, /NUL/);
  assert.equal(iso(log.times[1]), '2010-11-08T16:49:43.000Z');
});

test('an empty file parses to nothing, with no problems', () => {
  const log = parseLog('', FIXED_TIME);
  assert.equal(log.lines.length, 0);
  assert.deepEqual(log.problems, []);
  assert.equal(log.format, 'none');
});

test('a bare dmesg joins the clock through the kernel\'s RTC line, earlier lines included', () => {
  const log = parseLog(['[    0.000000] Linux version 2.6.32', '[    1.500000] rtc_cmos 00:01: setting system clock to 2010-11-08 06:12:03 UTC (1289196723)', '[ 5000.250000] bnx2: eth0 NIC Copper Link is Down'].join('\n'), FIXED_TIME);
  assert.deepEqual([...log.times].map(iso), ['2010-11-08T06:12:01.500Z', '2010-11-08T06:12:03.000Z', '2010-11-08T07:35:21.750Z']);
});
