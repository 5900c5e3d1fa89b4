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
