import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME } from '../support/catalogue';

const RULES = `
rules:
  - id: test/sasl-failure
    title: SASL authentication failed
    severity: warning
    programs: [postfix]
    match: 'warning: [^\\[]+\\[(?<ip>[0-9.]+)\\]: SASL \\w+ authentication failed'
    message: 'SASL failure from {ip}'
    key: [ip]
    burst: { count: 5, withinSeconds: 60 }
    explanation: A client failed SMTP authentication; many in a row are a password-guessing run.
    samples:
      match: ['Nov  8 10:00:00 mx postfix/smtpd[1]: warning: unknown[198.51.100.7]: SASL LOGIN authentication failed: x']
  - id: test/silence
    title: A busy log fell silent
    severity: warning
    silence: { minutes: 30, busyEntries: 10 }
    explanation: The log was busy, then wrote nothing for a long time.
    samples:
      match: ['x']
`;

const catalogue = buildCatalogue([{ source: 'test.yaml', text: RULES }]);
const matcher = new RuleMatcher(catalogue.rules);
const analyze = (lines: string[]) => analyzeLog(lines.join('\n'), FIXED_TIME, matcher).findings;
const sasl = (second: number, ip: string) => `Nov  8 10:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(second % 60).padStart(2, '0')} mx postfix/smtpd[1]: warning: unknown[${ip}]: SASL LOGIN authentication failed: authentication failure`;

test('the test catalogue loads', () => assert.deepEqual(catalogue.problems, []));

test('a run of failures from one address becomes one finding that counts them', () => {
  const lines = Array.from({ length: 31 }, (_, i) => sasl(i * 2, '198.51.100.7'));
  const findings = analyze(lines);
  assert.equal(findings.length, 1);
  assert.match(findings[0].message, /^31 × SASL authentication failed \[198\.51\.100\.7\] in 1 min 0 s \(lines 1–31\)$/);
  assert.deepEqual(findings[0].members, Array.from({ length: 31 }, (_, i) => i));
});

test('failures from different addresses are counted apart, and short runs stay single', () => {
  const lines = [...Array.from({ length: 6 }, (_, i) => sasl(i, '198.51.100.7')), sasl(10, '203.0.113.9'), sasl(11, '203.0.113.9')];
  const findings = analyze(lines);
  assert.deepEqual(findings.map((f) => [f.line, f.members?.length ?? 1]), [[0, 6], [6, 1], [7, 1]]);
});

test('a pause longer than the window splits a run', () => {
  const lines = [...Array.from({ length: 5 }, (_, i) => sasl(i, '198.51.100.7')), ...Array.from({ length: 5 }, (_, i) => sasl(300 + i, '198.51.100.7'))];
  assert.deepEqual(analyze(lines).map((f) => [f.line, f.members?.length]), [[0, 5], [5, 5]]);
});

const entry = (minute: number) => `Nov  8 ${String(10 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00 drjmailgw cron[1]: tick`;

test('a gap after a busy hour is reported on the first line after it, naming the host', () => {
  const lines = [...Array.from({ length: 12 }, (_, i) => entry(i * 4)), entry(44 + 252)];
  const findings = analyze(lines).filter((f) => f.ruleId === 'test/silence');
  assert.equal(findings.length, 1);
  assert.equal(findings[0].line, 12);
  assert.match(findings[0].message, /^No lines from drjmailgw for 4 h 12 min \(after 12 entries in the hour before; last at line 12\)$/);
});

test('a gap in a log that was quiet anyway is not reported', () => {
  const lines = [...Array.from({ length: 5 }, (_, i) => entry(i * 10)), entry(300)];
  assert.deepEqual(analyze(lines).filter((f) => f.ruleId === 'test/silence'), []);
});

test('a short pause in a busy log is not reported', () => {
  const lines = Array.from({ length: 30 }, (_, i) => entry(i * 4 + (i === 20 ? 20 : 0)));
  assert.deepEqual(analyze(lines).filter((f) => f.ruleId === 'test/silence'), []);
});

/** A line at `minutes` after Nov 8 00:00 (the day rolls on), with the given text. */
const at = (minutes: number, text = 'tick') => {
  const day = 8 + Math.floor(minutes / 1440);
  const m = minutes % 1440;
  return `Nov ${String(day).padStart(2, ' ')} ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:00 drjmailgw cron[1]: ${text}`;
};
const busyHour = (from: number) => Array.from({ length: 20 }, (_, i) => at(from + i * 3));

test('pauses that are the log\'s own rhythm, a machine asleep or a seam between files are not silences', () => {
  const cases: [name: string, lines: string[], silences: number][] = [
    ['a busy hour, then four hours of nothing', [...busyHour(600), at(900)], 1],
    ['the same, but the last line before says the machine suspends', [...busyHour(600), at(658, 'PM: suspend entry (deep)'), at(900)], 0],
    ['the same, but the first line after says the clock moved', [...busyHour(600), at(900, 'Time has been changed'), at(901)], 0],
    // Three nights, each quiet from 01:00 to 05:00: quiet nights are this log's rhythm.
    ['quiet nights', [0, 1, 2].flatMap((d) => [...busyHour(d * 1440), at(d * 1440 + 300), ...busyHour(d * 1440 + 300)]), 0],
    // A queue run every 40 minutes with nothing in between, many times over.
    ['a cycle', Array.from({ length: 8 }, (_, r) => Array.from({ length: 21 }, (_, i) => at(r * 100 + i))).flat(), 0],
    ['a gap of more than a day', [...busyHour(600), at(600 + 1440 + 120)], 0],
    // The file holds the later dump first: in time order the gap joins two pieces of the file.
    ['two dumps concatenated out of order', [...busyHour(900), ...busyHour(600)], 0],
    ['a journal file boundary', [...busyHour(600), '-- Logs begin at Mon 2010-11-08 15:00:00 UTC, end at Mon 2010-11-08 18:00:00 UTC. --', at(900)], 0],
  ];
  const got = cases.map(([name, lines]) => `${name}: ${analyze(lines).filter((f) => f.ruleId === 'test/silence').length}`);
  assert.deepEqual(got, cases.map(([name, , silences]) => `${name}: ${silences}`));
});
