import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { Finding } from '../../server/src/analysis/rules/types';
import { FIXED_TIME } from '../support/catalogue';

const BASES = `title: Failed password
id: 6f7c0a10-0000-4000-8000-000000000001
name: failed_password
logsource:
  product: linux
  service: sshd
detection:
  keywords:
    - 'Failed password'
  condition: keywords
level: low
---
title: Accepted login
id: 6f7c0a10-0000-4000-8000-000000000002
name: accepted_login
logsource:
  product: linux
  service: sshd
detection:
  keywords:
    - 'Accepted password'
  condition: keywords
level: low
`;

/** A correlation document (YAML under `correlation:`) after the two base rules. */
function withCorrelation(correlation: string, extra = ''): string {
  return `${BASES}---
title: Correlated
id: 6f7c0a10-0000-4000-8000-0000000000c0
correlation:
${correlation}
level: high
${extra}`;
}

function line(time: string, host: string, text: string): string {
  return `Nov  8 ${time} ${host} sshd[2201]: ${text}`;
}

const FAIL = 'Failed password for root from 192.0.2.7 port 4242 ssh2';
const OK = 'Accepted password for root from 192.0.2.7 port 4242 ssh2';

function run(rules: string, lines: string[]): Finding[] {
  const catalogue = buildCatalogue([{ source: 'rules.yml', text: rules, format: 'sigma' }]);
  assert.deepEqual(catalogue.problems, []);
  return analyzeLog(lines.join('\n'), FIXED_TIME, new RuleMatcher(catalogue.rules)).findings;
}

const correlated = (findings: Finding[]) => findings.filter((finding) => finding.title === 'Correlated');

const BRUTE = withCorrelation(`  type: event_count
  rules:
    - failed_password
  group-by:
    - host
  timespan: 5m
  condition:
    gte: 3`);

test('event_count: three failures on one host within five minutes, grouped by host', () => {
  const lines = [
    line('16:40:00', 'gw', FAIL),
    line('16:41:00', 'db', FAIL),
    line('16:41:30', 'gw', FAIL),
    line('16:42:00', 'db', FAIL),
    line('16:43:59', 'gw', FAIL),
  ];
  const findings = run(BRUTE, lines);
  const found = correlated(findings);
  assert.equal(found.length, 1);
  assert.deepEqual(found[0].members, [0, 2, 4]);
  assert.equal(found[0].line, 0);
  assert.equal(found[0].severity, 'error');
  assert.match(found[0].message, /3 matches within 5 min.*host=gw/);
  // generate is false by default: the base rule's own findings are not shown.
  assert.deepEqual(findings.filter((finding) => finding.title === 'Failed password'), []);
  assert.equal(run(BRUTE.replace('level: high', 'generate: true\nlevel: high'), lines).filter((finding) => finding.title === 'Failed password').length, 5);
});

test('event_count: failures further apart than the timespan do not count together', () => {
  const lines = [line('16:40:00', 'gw', FAIL), line('16:44:00', 'gw', FAIL), line('16:49:00', 'gw', FAIL), line('16:53:00', 'gw', FAIL)];
  assert.deepEqual(correlated(run(BRUTE, lines)), []);
  // Two runs of three, each within five minutes, are two findings.
  const twice = [...lines.slice(0, 1), line('16:40:10', 'gw', FAIL), line('16:40:20', 'gw', FAIL), line('17:00:00', 'gw', FAIL), line('17:00:10', 'gw', FAIL), line('17:00:20', 'gw', FAIL)];
  assert.deepEqual(correlated(run(BRUTE, twice)).map((finding) => finding.members), [[0, 1, 2], [3, 4, 5]]);
});

test('the condition compares with gt, lt, lte and eq too; several comparisons make a range', () => {
  const lines = [line('16:40:00', 'gw', FAIL), line('16:40:10', 'gw', FAIL), line('16:41:00', 'db', FAIL)];
  const countWith = (condition: string) => correlated(run(BRUTE.replace('    gte: 3', condition), lines)).map((finding) => finding.groups?.['sigma:host']);
  assert.deepEqual(countWith('    gt: 1'), ['gw']);
  assert.deepEqual(countWith('    eq: 2'), ['gw']);
  assert.deepEqual(countWith('    lt: 2'), ['db']);
  assert.deepEqual(countWith('    lte: 2').sort(), ['db', 'gw']);
  assert.deepEqual(countWith('    gte: 2\n    lt: 3'), ['gw']);
  assert.deepEqual(countWith('    gt: 2'), []);
});

test('value_count: the same failure on two hosts within the timespan', () => {
  const rules = withCorrelation(`  type: value_count
  rules:
    - failed_password
  timespan: 10m
  condition:
    field: host
    gte: 2`);
  assert.equal(correlated(run(rules, [line('16:40:00', 'gw', FAIL), line('16:41:00', 'gw', FAIL), line('16:42:00', 'db', FAIL)])).length, 1);
  assert.equal(correlated(run(rules, [line('16:40:00', 'gw', FAIL), line('16:41:00', 'gw', FAIL), line('16:42:00', 'gw', FAIL)])).length, 0);
});

test('temporal needs every rule within the timespan, in any order; temporal_ordered in the given order', () => {
  const temporal = withCorrelation(`  type: temporal
  rules:
    - failed_password
    - accepted_login
  group-by:
    - host
  timespan: 2m`);
  const ordered = temporal.replace('type: temporal', 'type: temporal_ordered');
  const failThenOk = [line('16:40:00', 'gw', FAIL), line('16:41:00', 'gw', OK)];
  const okThenFail = [line('16:40:00', 'gw', OK), line('16:41:00', 'gw', FAIL)];
  assert.deepEqual(correlated(run(temporal, failThenOk)).map((finding) => finding.members), [[0, 1]]);
  assert.deepEqual(correlated(run(temporal, okThenFail)).map((finding) => finding.members), [[0, 1]]);
  assert.deepEqual(correlated(run(ordered, failThenOk)).map((finding) => finding.members), [[0, 1]]);
  assert.deepEqual(correlated(run(ordered, okThenFail)), []);
  // On different hosts, or too far apart, they do not correlate.
  assert.deepEqual(correlated(run(temporal, [line('16:40:00', 'gw', FAIL), line('16:41:00', 'db', OK)])), []);
  assert.deepEqual(correlated(run(temporal, [line('16:40:00', 'gw', FAIL), line('16:45:00', 'gw', OK)])), []);
  // A rule can be named by its Sigma id as well as its name.
  const byId = temporal.replace('    - accepted_login', '    - 6f7c0a10-0000-4000-8000-000000000002');
  assert.equal(correlated(run(byId, failThenOk)).length, 1);
});

test('an auditd rule correlates by an audit field', () => {
  const rules = `title: Discovery command
id: 6f7c0a10-0000-4000-8000-0000000000a1
name: discovery
logsource:
  product: linux
  service: auditd
detection:
  selection:
    type: EXECVE
    a0:
      - id
      - whoami
      - uname
  condition: selection
---
title: Correlated
id: 6f7c0a10-0000-4000-8000-0000000000c1
correlation:
  type: event_count
  rules:
    - discovery
  group-by:
    - auid
  timespan: 1m
  condition:
    gte: 3
level: high
`;
  const record = (serial: number, auid: number, command: string) => [
    `type=SYSCALL msg=audit(1731084582.${serial}:${serial}): arch=c000003e syscall=59 success=yes auid=${auid} uid=0 comm="${command}" exe="/usr/bin/${command}"`,
    `type=EXECVE msg=audit(1731084582.${serial}:${serial}): argc=1 a0="${command}"`,
  ];
  const lines = [...record(101, 1000, 'id'), ...record(102, 1001, 'id'), ...record(103, 1000, 'whoami'), ...record(104, 1000, 'uname')];
  const found = correlated(run(rules, lines));
  assert.deepEqual(found.map((finding) => [finding.members, finding.groups?.['sigma:auid']]), [[[1, 5, 7], '1000']]);
});

test('correlations that cannot run are refused, and a name no rule has is reported', () => {
  const problems = (text: string) => buildCatalogue([{ source: 'rules.yml', text, format: 'sigma' }]).problems.map((problem) => problem.message);
  assert.match(problems(withCorrelation('  type: value_sum\n  rules: [failed_password]\n  timespan: 5m\n  condition: {field: pid, gt: 3}')).join('\n'), /value_sum is not supported/);
  assert.match(problems(withCorrelation('  type: event_count\n  rules: [failed_password]\n  timespan: soon\n  condition: {gte: 3}')).join('\n'), /`timespan` must be/);
  assert.match(problems(withCorrelation('  type: event_count\n  rules: [failed_password]\n  timespan: 5m')).join('\n'), /needs a condition/);
  assert.match(problems(withCorrelation('  type: event_count\n  rules: [nowhere]\n  timespan: 5m\n  condition: {gte: 3}')).join('\n'), /names "nowhere", which no loaded Sigma rule has/);
});
