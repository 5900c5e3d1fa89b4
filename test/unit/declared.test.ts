import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDeclaredLevel } from '../../server/src/analysis/parse/declared';
import { readLogLine } from '../../server/src/analysis/parse/line';
import { buildCatalogue } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME, analyzeText } from '../support/catalogue';

/** The level a whole line states and the text after the level word, as `level: text`, or `-`. */
function declaredOf(line: string): string {
  const parsed = readLogLine(line, 0);
  const found = readDeclaredLevel(line, parsed.message, parsed.level);
  return found ? `${found.level}: ${line.slice(found.textStart)}` : '-';
}

const CASES: readonly (readonly [line: string, expected: string])[] = [
  ['Mar  3 04:12:09 mx postfix/smtpd[1]: warning: problem talking to server private/policy', 'warning: problem talking to server private/policy'],
  ['Mar  3 04:12:09 mx postfix/smtpd[1]: 4F3A21C0042: warning: header Subject: x from y', 'warning: header Subject: x from y'],
  ['Mar  3 04:12:09 mx postfix/master[1]: fatal: bind 0.0.0.0 port 25: Address already in use', 'emergency: bind 0.0.0.0 port 25: Address already in use'],
  ['Mar  3 05:01:19 mail dovecot: imap(a@example.org)<7122><kVd8>: Error: Mailbox INBOX: read failed', 'error: Mailbox INBOX: read failed'],
  ['Mar  3 05:01:19 mail dovecot: lmtp(a@example.org, 7122)<kVd8>: Warning: quota exceeded', 'warning: quota exceeded'],
  ['Mar  3 05:01:19 mail dovecot: imap(a@example.org): Info: Logged out', 'info: Logged out'],
  ["Mar  3 06:10:44 ns1 named[977]: error (network unreachable) resolving 'x/A/IN': 2001:db8::1#53", "error: (network unreachable) resolving 'x/A/IN': 2001:db8::1#53"],
  ['Mar  3 06:10:44 ns1 named[977]: general: error: zone x/IN: not loaded', 'error: zone x/IN: not loaded'],
  ['Mar  3 07:02:34 relay sendmail[1]: t23H2XxL022917: SYSERR(root): collect: Cannot write', 'error: (root): collect: Cannot write'],
  ['Mar  3 08:15:21 imap lmtpd[3302]: DBERROR db5: PANIC: run recovery', 'error: db5: PANIC: run recovery'],
  ['Mar  3 10:02:11 host kernel: [ 8812.330145] WARNING: CPU: 2 PID: 1377 at x.c:1', 'warning: CPU: 2 PID: 1377 at x.c:1'],
  ['Mar  3 10:02:11 host kernel: [ 8812.330145] BUG: unable to handle page fault', 'emergency: unable to handle page fault'],
  ['Mar  3 11:40:05 host NetworkManager[731]: <warn>  [1677840005.1234] dhcp4 (eno1): request timed out', 'warning: [1677840005.1234] dhcp4 (eno1): request timed out'],
  ['Mar  3 11:40:05 web httpd[1]: [error] [client 192.0.2.1] File does not exist', 'error: [client 192.0.2.1] File does not exist'],
  ['Mar  3 12:00:03 host exporter[5513]: ts=2023-03-03T12:00:03Z level=error msg="scrape failed"', 'error: ts=2023-03-03T12:00:03Z level=error msg="scrape failed"'],
  ['<11>Mar  3 12:00:02 host app[5512]: payment queue unreachable', 'error: payment queue unreachable'],
  ['<14>Mar  3 12:00:02 host app[5512]: payment queue drained', 'info: payment queue drained'],
  // The frames of a kernel trace carry its priority, not a problem of their own.
  ['<4>Mar  3 12:00:02 host kernel: [  12.345678]  ? __schedule+0x2f3/0x8b0', '-'],
  ['<4>Mar  3 12:00:02 host kernel: RIP: 0010:e1000_clean_tx_irq+0x1c6/0x230 [e1000e]', '-'],
  // Words that only look like levels: a sentence, a level word deep in the text, another case.
  ['Mar  3 09:30:04 gw sshd[1]: Connection closed by 192.0.2.4 port 22: error: none [preauth]', '-'],
  ['Mar  3 09:30:04 gw app[1]: the error: count is 0', '-'],
  ['Mar  3 09:30:04 gw app[1]: ErRoR: odd casing', '-'],
  ['Mar  3 09:30:04 gw app[1]: errors: 0', '-'],
  ['Mar  3 09:30:04 gw app[1]: loglevel=error set', '-'],
  ['', '-'],
];

test('a line states its own level in the places daemons write it, and only there', () => {
  assert.deepEqual(CASES.map(([line]) => declaredOf(line)), CASES.map(([, expected]) => expected));
});

const rulesYaml = `rules:
  - id: test/specific
    title: A specific rule
    severity: information
    programs: [demo]
    match: 'disk \\S+ is slow'
    explanation: A test rule that claims one kind of line.
    samples:
      match: ['Mar  3 00:00:00 h demo[1]: warning: disk sda is slow']
  - id: test/catch-all
    title: Any other complaint
    severity: warning
    programs: [demo]
    match: 'disk'
    fallback: true
    explanation: A test rule for whatever the specific rule leaves.
    samples:
      match: ['Mar  3 00:00:00 h demo[1]: disk sdb gone']
  - id: test/declared-demo
    title: demo said so
    severity: warning
    programs: [demo]
    declared: [emergency, error, warning]
    explanation: A test rule for the level words of one program.
    samples:
      match: ['Mar  3 00:00:00 h demo[1]: error: x']
  - id: test/declared-any
    title: someone said so
    severity: error
    programs: ['*']
    declared: [emergency, error]
    explanation: A test rule for the level words of any program.
    samples:
      match: ['Mar  3 00:00:00 h other[1]: error: x']
`;

/** The `ruleId severity message` of each finding of one line, under the test rules above. */
function findingsOf(line: string): string[] {
  const catalogue = buildCatalogue([{ source: 'test.yaml', text: rulesYaml }]);
  assert.deepEqual(catalogue.problems, []);
  return analyzeLog(line, FIXED_TIME, new RuleMatcher(catalogue.rules)).findings.map((f) => `${f.ruleId} ${f.severity} ${f.message}`);
}

test('a specific rule, a fallback rule and the stated level each yield to the one before', () => {
  const table: [string, string[]][] = [
    ['Mar  3 00:00:00 h demo[1]: warning: disk sda is slow', ['test/specific information A specific rule']],
    ['Mar  3 00:00:00 h demo[1]: warning: disk sdb gone', ['test/catch-all warning Any other complaint']],
    ['Mar  3 00:00:00 h demo[1]: warning: fan 2 stopped', ['test/declared-demo warning fan 2 stopped']],
    // The demo rule caps at warning: a stated error stays a warning.
    ['Mar  3 00:00:00 h demo[1]: fatal: fan 2 stopped', ['test/declared-demo warning fan 2 stopped']],
    ['Mar  3 00:00:00 h other[1]: fatal: fan 2 stopped', ['test/declared-any error fan 2 stopped']],
    // The rule for any program does not claim warnings.
    ['Mar  3 00:00:00 h other[1]: warning: fan 2 slow', []],
    ['Mar  3 00:00:00 h demo[1]: notice: fan 2 slow', []],
    // A bare priority of warning is weak: information; an error priority is an error.
    ['<12>Mar  3 00:00:00 h other[1]: fan 2 slow', []],
    ['<12>Mar  3 00:00:00 h demo[1]: fan 2 slow', ['test/declared-demo information fan 2 slow']],
    ['<11>Mar  3 00:00:00 h other[1]: fan 2 stopped', ['test/declared-any error fan 2 stopped']],
  ];
  assert.deepEqual(table.map(([line]) => findingsOf(line)), table.map(([, expected]) => expected));
});

test('the shipped catalogue: a postfix command is not the postfix family, and a known line keeps its rule', () => {
  const table: [string, string][] = [
    ['Mar  3 04:20:01 mx1 postfix/postdrop[5120]: warning: unable to look up public/pickup: No such file or directory', 'declared/postfix-command warning'],
    ['Mar  3 04:20:01 mx1 postfix/smtpd[5120]: warning: problem talking to server private/policy: Connection timed out', 'declared/postfix warning'],
    ['Mar  3 04:20:01 mx1 backupd[5120]: error: cannot open /srv/catalog.db', 'declared/program error'],
  ];
  const got = table.map(([line]) => analyzeText(line).findings.map((f) => `${f.ruleId} ${f.severity}`).join(', '));
  assert.deepEqual(got, table.map(([, expected]) => expected));
});

test('a line that states its level and nothing else still gets a message', () => {
  const found = analyzeText('<0>1 2010-11-08T16:49:42.000Z drjmailgw app - - -').findings;
  assert.deepEqual(found.map((f) => [f.ruleId, f.severity, f.message]), [['declared/program', 'error', 'A program reported a problem in its own words']]);
});
