import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assignYears, YearReference } from '../../server/src/analysis/time/year';
import { civilToUtc, formatInZone, isKnownZone } from '../../server/src/analysis/time/zone';

const REF = (year: number, month: number, day: number): YearReference => ({ year, month, day, source: 'file modification time' });

test('a yearless log ending before its mtime takes the mtime year', () => {
  assert.deepEqual([...assignYears([11, 11], [8, 9], REF(2010, 11, 20))], [2010, 2010]);
});

test('a last line after the mtime date belongs to the year before', () => {
  // Dec lines in a file last modified in January were written the previous December.
  assert.deepEqual([...assignYears([12], [30], REF(2011, 1, 2))], [2010]);
});

test('a new-year rollover inside the file steps the earlier lines back a year', () => {
  assert.deepEqual([...assignYears([12, 12, 1, 1], [30, 31, 1, 2], REF(2011, 1, 5))], [2010, 2010, 2011, 2011]);
});

test('lines without stamps get no year and do not break the rollover count', () => {
  assert.deepEqual([...assignYears([12, 0, 1], [31, 0, 1], REF(2011, 3, 1))], [2010, 0, 2011]);
});

test('a one-month step back is out-of-order lines, not a new year', () => {
  assert.deepEqual([...assignYears([8, 7, 8], [1, 31, 1], REF(2005, 8, 14))], [2005, 2005, 2005]);
});

test('wall time in a zone converts to UTC across daylight saving', () => {
  const civil = (month: number, day: number, hour: number) => ({ month, day, hour, minute: 0, second: 0, millis: 0 });
  assert.equal(new Date(civilToUtc(civil(11, 8, 16), 2010, 'America/New_York')).toISOString(), '2010-11-08T21:00:00.000Z');
  assert.equal(new Date(civilToUtc(civil(7, 8, 16), 2010, 'America/New_York')).toISOString(), '2010-07-08T20:00:00.000Z');
  assert.equal(new Date(civilToUtc(civil(7, 18, 23), 2005, 'Europe/Zurich')).toISOString(), '2005-07-18T21:00:00.000Z');
});

test('an explicit offset wins over the zone', () => {
  const civil = { month: 2, day: 17, hour: 16, minute: 8, second: 16, millis: 0, offsetMinutes: -300 };
  assert.equal(new Date(civilToUtc(civil, 2006, 'Asia/Tokyo')).toISOString(), '2006-02-17T21:08:16.000Z');
});

test('the repeated hour at the end of daylight saving takes its first occurrence', () => {
  const civil = { month: 11, day: 7, hour: 1, minute: 30, second: 0, millis: 0 };
  assert.equal(new Date(civilToUtc(civil, 2010, 'America/New_York')).toISOString(), '2010-11-07T05:30:00.000Z');
});

test('formatInZone shows wall time with its offset', () => {
  assert.equal(formatInZone(Date.UTC(2010, 10, 8, 21, 49, 42), 'America/New_York'), '2010-11-08 16:49:42 -05:00');
  assert.equal(formatInZone(Date.UTC(2010, 10, 8, 21, 49, 42, 250), 'UTC'), '2010-11-08 21:49:42.250 +00:00');
});

test('unknown zones are recognised as such', () => {
  assert.equal(isKnownZone('Europe/Berlin'), true);
  assert.equal(isKnownZone('Mars/Olympus_Mons'), false);
});
