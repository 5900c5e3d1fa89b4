import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue } from '../../server/src/analysis/rules/catalogue';
import { loadSigmaFile } from '../../server/src/analysis/rules/sigma/loader';
import { parseCondition } from '../../server/src/analysis/rules/sigma/condition';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME } from '../support/catalogue';

/** A Sigma rule for linux syslog with the given detection (indented by the caller as YAML under `detection:`). */
function sigma(detection: string, extra = ''): string {
  return `title: Test rule
id: 0e5c3a1b-0000-4000-8000-000000000001
status: test
description: A rule written for this test.
logsource:
  product: linux${extra}
detection:
${detection}
level: high
`;
}

const SSHD = 'Nov  8 16:49:42 gw sshd[2201]: Failed password for root from 192.0.2.7 port 4242 ssh2';
const SUDO = 'Nov  8 16:49:43 gw sudo[77]:   alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/sh';
const CRON = 'Nov  8 16:49:44 db CRON[9]: (root) CMD (/usr/local/bin/backup.sh)';
const KERNEL = 'Nov  8 16:49:45 gw kernel: segfault at 0 ip 00007f error 4 in libc.so.6';

/** Loads one Sigma file, insisting it loads cleanly, and tells which lines its rule flags. */
function check(name: string, text: string, match: string[], noMatch: string[]): void {
  test(name, () => {
    const loaded = loadSigmaFile({ source: 'rule.yml', text });
    assert.deepEqual(loaded.problems, []);
    assert.equal(loaded.rules.length, 1);
    const matcher = new RuleMatcher(loaded.rules);
    for (const line of match) assert.equal(analyzeLog(line, FIXED_TIME, matcher).findings.length, 1, `should match: ${line}`);
    for (const line of noMatch) assert.deepEqual(analyzeLog(line, FIXED_TIME, matcher).findings, [], `should not match: ${line}`);
  });
}

check('keywords match case-insensitively anywhere in the whole line, header included', sigma(`  keywords:
    - 'FAILED PASSWORD'
    - 'gw sudo'
  condition: keywords`), [SSHD, SUDO], [CRON, KERNEL]);

check('a keyword may be a single string', sigma(`  keywords: segfault
  condition: keywords`), [KERNEL], [SSHD]);

check('wildcards * and ? work in keywords, and \\* is a literal star', sigma(`  keywords:
    - 'failed * for r??t'
    - 'literal \\* star'
  condition: keywords`), [SSHD, 'Nov  8 16:49:42 gw app: a literal * star'], ['Nov  8 16:49:42 gw app: a literal x star', 'Nov  8 16:49:42 gw sshd[1]: Failed password for rot']);

check('a plain field value must equal the whole field', sigma(`  selection:
    message: 'session opened for user root'
  condition: selection`), ['Nov  8 16:49:42 gw su[1]: Session opened for user ROOT'], ['Nov  8 16:49:42 gw su[1]: session opened for user root by alice']);

check('contains, startswith and endswith compare part of the field', sigma(`  start:
    msg|startswith: 'failed'
  middle:
    Message|contains: 'for root'
  end:
    message|endswith: 'ssh2'
  condition: start and middle and end`), [SSHD], ['Nov  8 16:49:42 gw sshd[1]: Failed password for alice from 192.0.2.7 port 1 ssh2', 'Nov  8 16:49:42 gw sshd[1]: password Failed for root ssh2']);

check('the values of a field are alternatives, unless |all asks for every one', sigma(`  any:
    message|contains:
      - 'invalid user'
      - 'failed password'
  every:
    message|contains|all:
      - 'from 192.0.2.'
      - 'port'
  condition: any and every`), [SSHD, 'Nov  8 16:49:42 gw sshd[1]: Invalid user bob from 192.0.2.9 port 22'], ['Nov  8 16:49:42 gw sshd[1]: Invalid user bob from 192.0.2.9', KERNEL]);

check('|re runs a regular expression, case-sensitive unless |i is added', sigma(`  exact:
    message|re: 'from 192\\.0\\.2\\.\\d+ port'
  folded:
    message|re|i: '^failed PASSWORD'
  condition: exact and folded`), [SSHD], ['Nov  8 16:49:42 gw sshd[1]: Failed password for root FROM 192.0.2.7 port 4 ssh2']);

check('|cased makes a comparison case-sensitive', sigma(`  selection:
    message|contains|cased: 'Failed password'
  condition: selection`), [SSHD], ['Nov  8 16:49:42 gw sshd[1]: failed password for root']);

check('a list of maps is a list of alternatives', sigma(`  selection:
    - program: sshd
      message|contains: 'failed password'
    - program: sudo
      message|contains: 'COMMAND=/bin/sh'
  condition: selection`), [SSHD, SUDO], ['Nov  8 16:49:42 gw sudo[1]: Failed password for root', CRON]);

check('host, program and pid are fields; numbers compare as text', sigma(`  selection:
    hostname: GW
    ProcessName|startswith: ssh
    pid: 2201
  condition: selection`), [SSHD], ['Nov  8 16:49:42 db sshd[2201]: x', 'Nov  8 16:49:42 gw sshd[2202]: x']);

check('a null value matches a line without that field', sigma(`  selection:
    pid: null
    message|contains: segfault
  condition: selection`), [KERNEL], ['Nov  8 16:49:45 gw app[1]: segfault']);

check('|exists tests whether the line has the field', sigma(`  selection:
    pid|exists: false
  condition: selection`), [KERNEL], [SSHD]);

check('not, or and parentheses combine searches', sigma(`  password:
    - 'failed password'
  invalid:
    - 'invalid user'
  internal:
    - 'from 10.'
  condition: (password or invalid) and not internal`), [SSHD, 'Nov  8 16:49:42 gw sshd[1]: Invalid user x from 192.0.2.1'], ['Nov  8 16:49:42 gw sshd[1]: Failed password for root from 10.0.0.1', KERNEL]);

check('1 of and all of take identifier patterns', sigma(`  selection_password:
    - 'failed password'
  selection_root:
    - 'for root'
  filter_lab:
    - 'from 198.51.100.'
  condition: all of selection_* and not 1 of filter*`), [SSHD], ['Nov  8 16:49:42 gw sshd[1]: Failed password for alice from 192.0.2.1', 'Nov  8 16:49:42 gw sshd[1]: Failed password for root from 198.51.100.1']);

check('them covers every search except those starting with an underscore', sigma(`  first:
    - 'failed'
  second:
    - 'root'
  _helper:
    - 'never present anywhere'
  condition: all of them`), [SSHD], [KERNEL]);

check('1 of them needs any one search', sigma(`  first:
    - 'segfault'
  second:
    - 'failed password'
  condition: 1 of them`), [SSHD, KERNEL], [CRON]);

check('an sshd service scopes the rule to sshd lines', sigma(`  keywords:
    - 'root'
  condition: keywords`, '\n  service: sshd'), [SSHD], [SUDO, CRON]);

check('a cron service covers cron, crond and CRON', sigma(`  keywords:
    - 'CMD ('
  condition: keywords`, '\n  service: cron'), [CRON, 'Nov  8 16:49:44 db crond[9]: (root) CMD (true)'], ['Nov  8 16:49:44 db sshd[9]: (root) CMD (true)']);

check('an action: global document merges into the rules after it', `action: global
title: Global part
logsource:
  product: linux
  service: sudo
level: low
---
id: 0e5c3a1b-0000-4000-8000-000000000002
detection:
  keywords:
    - 'COMMAND=/bin/sh'
  condition: keywords
`, [SUDO], [SSHD]);

test('the finding spans the first matched value in the message, or the whole message', () => {
  const text = sigma(`  selection:
    message|contains: 'from'
    host: gw
  condition: selection`);
  const matcher = new RuleMatcher(loadSigmaFile({ source: 'r.yml', text }).rules);
  const [finding] = analyzeLog(SSHD, FIXED_TIME, matcher).findings;
  assert.equal(SSHD.slice(finding.start, finding.end), 'from');
  const hostOnly = new RuleMatcher(loadSigmaFile({ source: 'r.yml', text: sigma(`  selection:\n    host: gw\n  condition: selection`) }).rules);
  const [whole] = analyzeLog(SSHD, FIXED_TIME, hostOnly).findings;
  assert.equal(SSHD.slice(whole.start, whole.end), 'Failed password for root from 192.0.2.7 port 4242 ssh2');
});

test('levels map to severities', () => {
  const expected = { critical: 'error', high: 'error', medium: 'warning', low: 'information', informational: 'hint' };
  for (const [level, severity] of Object.entries(expected)) {
    const text = sigma("  keywords: ['x']\n  condition: keywords").replace('level: high', `level: ${level}`);
    assert.equal(loadSigmaFile({ source: 'r.yml', text }).rules[0].definition.severity, severity, level);
  }
});

test('the rule id comes from the Sigma id, or from the title when the id is unusable', () => {
  const byId = loadSigmaFile({ source: 'r.yml', text: sigma("  keywords: ['x']\n  condition: keywords") }).rules[0];
  assert.equal(byId.definition.id, 'sigma/0e5c3a1b-0000-4000-8000-000000000001');
  const byTitle = loadSigmaFile({ source: 'r.yml', text: sigma("  keywords: ['x']\n  condition: keywords").replace(/^id: .*$/m, 'id: Not_An_ID!').replace('Test rule', "'Suspicious SSH: Root Login (v2)'") }).rules[0];
  assert.equal(byTitle.definition.id, 'sigma/suspicious-ssh-root-login-v2');
});

test('the explanation shows description, false positives, references and author, escaped', () => {
  const text = `title: Explained
id: 0e5c3a1b-0000-4000-8000-000000000003
status: experimental
description: Matches <b>bold</b> [links](command:evil) and *stars*.
references:
  - https://example.org/advisory
author: Someone <someone@example.org>
date: 2024-05-01
falsepositives:
  - Administrators testing [their] own logins
tags:
  - attack.credential-access
logsource:
  product: linux
detection:
  keywords: ['x']
  condition: keywords
level: medium
`;
  const [rule] = loadSigmaFile({ source: 'explained.yml', text }).rules;
  const explanation = rule.definition.explanation;
  assert.match(explanation, /Matches &lt;b&gt;bold&lt;\/b&gt; \\\[links\\\]\\\(command\\:evil\\\) and \\\*stars\\\*\\\./);
  assert.match(explanation, /\*\*False positives:\*\*\n- Administrators testing \\\[their\\\] own logins/);
  assert.match(explanation, /\*\*References:\*\*\n- https\\:\/\/example\\\.org\/advisory/);
  assert.match(explanation, /\*\*Author:\*\* Someone &lt;someone@example\\\.org&gt;/);
  assert.match(explanation, /\*\*Status:\*\* experimental/);
  assert.match(explanation, /\*\*Date:\*\* 2024\\-05\\-01/);
  assert.deepEqual(rule.definition.tags, ['attack.credential-access']);
  assert.deepEqual(rule.definition.samples, { match: [] });
});

/** Loads a Sigma file and returns its problems as `line:column severity message` (1-based). */
function problems(text: string): string[] {
  return loadSigmaFile({ source: 'rule.yml', text }).problems.map((p) => `${p.line + 1}:${p.column + 1} ${p.severity ?? 'error'} ${p.message}`);
}

/** Each unsupported construct: its detection, and the problem (position and text) it must produce. */
const REFUSED: [string, string, RegExp][] = [
  ['an aggregation', "  selection: ['failed']\n  condition: selection | count() > 5", /^9:24 warning "Test rule": aggregations such as `\| count\(\) > 5` are not supported: they count over several lines/],
  ['near', "  a: ['x']\n  b: ['y']\n  condition: a | near b", /^10:16 warning "Test rule": `near` \(temporal proximity\) is not supported/],
  ['a timeframe', "  selection: ['x']\n  timeframe: 5m\n  condition: selection", /^9:3 warning "Test rule": `timeframe` is not supported/],
  ['any of', "  sel: ['x']\n  condition: any of sel*", /^9:14 warning "Test rule": `any of` is not Sigma: write `1 of`$/],
  ['2 of', "  sel: ['x']\n  condition: 2 of sel*", /^9:14 warning .*"2 of" is not supported/],
  ['an undefined search', "  sel: ['x']\n  condition: sel and other", /^9:22 warning .*the condition names "other", which the detection does not define$/],
  ['an unclosed parenthesis', "  sel: ['x']\n  condition: (sel", /^9:18 warning .*missing "\)"/],
  ['a quoted condition (columns count past the quote)', "  sel: ['x']\n  condition: 'sel or nothing'", /^9:22 warning .*"nothing"/],
  ['base64offset', "  selection:\n    message|base64offset|contains: 'x'\n  condition: selection", /^9:5 warning .*modifier `base64offset` is not supported: it encodes values for Windows event data$/],
  ['cidr', "  selection:\n    message|cidr: '10.0.0.0/8'\n  condition: selection", /^9:5 warning .*modifier `cidr` is not supported/],
  ['an unknown modifier', "  selection:\n    message|sounds_like: 'x'\n  condition: selection", /^9:5 warning .*unknown modifier `sounds_like`$/],
  ['two comparison modifiers', "  selection:\n    message|contains|endswith: 'x'\n  condition: selection", /^9:5 warning .*`contains` and `endswith` cannot be combined/],
  ['an auditd field in a rule that is not for auditd', "  selection:\n    type: EXECVE\n    a0: nc\n  condition: selection", /^9:5 warning "Test rule": field "type" is not in a syslog line .*the rule is not loaded$/],
  ['a process creation field', "  selection:\n    CommandLine|contains: 'wget'\n  condition: selection", /^9:5 warning .*field "CommandLine"/],
  ['look-behind in |re', "  selection:\n    message|re: '(?<=user )root'\n  condition: selection", /^9:17 warning .*invalid regular expression.*look-around and back-references are not available/],
  ['a nested map value', "  selection:\n    message:\n      deeper: x\n  condition: selection", /^10:7 warning .*nested lists and maps are not Sigma/],
  ['a keyword list mixed with maps', "  selection:\n    - 'x'\n    - message: y\n  condition: selection", /^10:7 warning .*mixes keywords and field maps/],
  ['a missing condition', "  selection: ['x']", /^7:1 warning .*has no `condition`/],
];

for (const [name, detection, expected] of REFUSED) {
  test(`${name} is refused with a position, and the rule is not loaded`, () => {
    const text = sigma(detection);
    const loaded = loadSigmaFile({ source: 'rule.yml', text });
    assert.deepEqual(loaded.rules, []);
    const found = problems(text);
    assert.ok(found.some((p) => expected.test(p)), found.join('\n'));
  });
}

test('a rule for another product is skipped, saying so as information', () => {
  const text = sigma("  keywords: ['x']\n  condition: keywords").replace('product: linux', 'product: windows');
  assert.deepEqual(problems(text), ['6:12 information "Test rule": skipped: logsource product windows is not linux']);
  assert.deepEqual(problems(text.replace(/logsource:\n {2}product: windows\n/, 'logsource:\n  category: webserver\n')), ['6:3 information "Test rule": skipped: logsource product (none) is not linux']);
});

test('a linux process_creation rule is skipped: syslog lines are not process events', () => {
  const text = sigma("  selection:\n    Image|endswith: '/nc'\n  condition: selection", '\n  category: process_creation');
  assert.deepEqual(problems(text), ['7:13 information "Test rule": skipped: logsource category process_creation describes process, file or network events (auditd, Sysmon for Linux), not syslog lines']);
});

test('an unknown service is loaded unscoped, saying so', () => {
  const text = sigma("  keywords: ['x']\n  condition: keywords", '\n  service: guacamole');
  const loaded = loadSigmaFile({ source: 'rule.yml', text });
  assert.equal(loaded.rules.length, 1);
  assert.equal(loaded.rules[0].programs, undefined);
  assert.deepEqual(problems(text), ['7:12 information "Test rule": logsource service guacamole names no program we know; the rule runs on every line']);
});

test('correlation rules, unknown actions and YAML errors are reported', () => {
  assert.match(problems('title: Many failures\ncorrelation:\n  type: event_count\n')[0], /^2:1 warning "Many failures": not loaded: `rules` must list the ids or names of the rules to correlate$/);
  assert.match(problems(`action: repeat\n${sigma("  keywords: ['x']\n  condition: keywords")}`)[0], /^1:9 warning action "repeat" is not supported/);
  const broken = problems('title: [unclosed\nlogsource:\n');
  assert.ok(broken.length > 0 && broken.every((p) => /^[12]:\d+ error /.test(p)), broken.join('\n'));
});

test('a catastrophic |re finishes on a hostile 4,000-character line', () => {
  const loaded = loadSigmaFile({ source: 'rule.yml', text: sigma("  selection:\n    message|re: '^(a+)+$'\n  condition: selection") });
  assert.deepEqual(loaded.problems, []);
  const matcher = new RuleMatcher(loaded.rules);
  assert.deepEqual(analyzeLog(`Nov  8 16:49:42 gw prog: ${'a'.repeat(4000)}!`, FIXED_TIME, matcher).findings, []);
  assert.equal(analyzeLog('Nov  8 16:49:42 gw prog: aaaa', FIXED_TIME, matcher).findings.length, 1);
  const wild = new RuleMatcher(loadSigmaFile({ source: 'rule.yml', text: sigma("  keywords: ['*a*a*a*a*a*a*a*a*a*b']\n  condition: keywords") }).rules);
  assert.deepEqual(analyzeLog(`Nov  8 16:49:42 gw prog: ${'a'.repeat(4000)}`, FIXED_TIME, wild).findings, []);
});

test('a folder of Sigma files loads the good rules and reports the bad ones', () => {
  const good = (n: number) => sigma(`  keywords: ['failed password']\n  condition: keywords`).replace('000000000001', `00000000010${n}`);
  const catalogue = buildCatalogue([
    { source: 'a.yml', text: good(1), format: 'sigma' },
    { source: 'b.yml', text: good(2).replace('product: linux', 'product: windows'), format: 'sigma' },
    { source: 'c.yml', text: sigma("  selection:\n    exe: /bin/nc\n  condition: selection"), format: 'sigma' },
    { source: 'd.yml', text: good(3), format: 'sigma' },
  ]);
  assert.deepEqual(catalogue.rules.map((r) => r.definition.id), ['sigma/0e5c3a1b-0000-4000-8000-000000000101', 'sigma/0e5c3a1b-0000-4000-8000-000000000103']);
  assert.deepEqual(catalogue.problems.map((p) => `${p.source} ${p.severity}`), ['b.yml information', 'c.yml warning']);
  assert.equal(analyzeLog(SSHD, FIXED_TIME, new RuleMatcher(catalogue.rules)).findings.length, 2);
});

test('conditions parse into the expected tree', () => {
  assert.deepEqual(parseCondition('a and not (b or 1 of c*)'), {
    node: { kind: 'and', items: [{ kind: 'search', name: 'a', offset: 0 }, { kind: 'not', item: { kind: 'or', items: [{ kind: 'search', name: 'b', offset: 11 }, { kind: 'of', quantifier: 'one', pattern: 'c*', offset: 21 }] } }] },
  });
  assert.deepEqual(parseCondition('all of them'), { node: { kind: 'of', quantifier: 'all', pattern: 'them', offset: 7 } });
  assert.deepEqual(parseCondition(''), { problem: { offset: 0, message: 'the condition is empty' } });
  assert.deepEqual(parseCondition('a or'), { problem: { offset: 4, message: 'the condition ends where a search identifier was expected' } });
  assert.match((parseCondition('sel*') as { problem: { message: string } }).problem.message, /wildcards are only allowed after `1 of` or `all of`/);
});
