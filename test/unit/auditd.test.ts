import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readAuditFields, decodeAuditHex } from '../../server/src/analysis/parse/auditFields';
import { loadSigmaFile } from '../../server/src/analysis/rules/sigma/loader';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME } from '../support/catalogue';

/** Hex as auditd writes an untrusted string that holds blanks or NULs. */
function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex').toUpperCase();
}

/** An auditd Sigma rule with the given detection. */
function auditdRule(detection: string): string {
  return `title: Auditd test rule
id: 0e5c3a1b-0000-4000-8000-0000000000ad
logsource:
  product: linux
  service: auditd
detection:
${detection}
level: high
`;
}

/** The lines (1-based) the rule flags in the log. */
function flagged(rule: string, lines: string[]): number[] {
  const loaded = loadSigmaFile({ source: 'rule.yml', text: rule });
  assert.deepEqual(loaded.problems, []);
  const result = analyzeLog(lines.join('\n'), FIXED_TIME, new RuleMatcher(loaded.rules));
  return result.findings.map((finding) => finding.line + 1);
}

const SYSCALL_CAT = 'type=SYSCALL msg=audit(1731084582.101:700): arch=c000003e syscall=59 success=yes exit=0 a0=55e90ab097c0 a1=3 items=2 ppid=10 pid=11 uid=0 euid=0 comm="cat" exe="/usr/bin/cat" key="exec"';
const EXECVE_CAT = `type=EXECVE msg=audit(1731084582.101:700): argc=2 a0="cat" a1=${hex('/etc/shadow copy')}`;
const PROCTITLE_CAT = `type=PROCTITLE msg=audit(1731084582.101:700): proctitle=${hex('cat\u0000/etc/shadow copy')}`;

test('an audit record reads as its fields: quoted, bare, hex-encoded and the user message inside msg=', () => {
  const execve = readAuditFields(EXECVE_CAT)!;
  assert.equal(execve.type, 'EXECVE');
  assert.equal(execve.event, '1731084582.101:700');
  assert.equal(execve.fields.get('a0'), 'cat');
  assert.equal(execve.fields.get('a1'), '/etc/shadow copy');
  assert.equal(readAuditFields(PROCTITLE_CAT)!.fields.get('proctitle'), 'cat /etc/shadow copy');
  // SYSCALL's a0…a3 are the call's arguments in hex numbers, not encoded text.
  const syscall = readAuditFields(SYSCALL_CAT)!;
  assert.equal(syscall.fields.get('a0'), '55e90ab097c0');
  assert.equal(syscall.fields.get('a1'), '3');
  assert.equal(syscall.fields.get('exe'), '/usr/bin/cat');
  const user = readAuditFields(`node=web1 type=USER_CMD msg=audit(1731084590.002:701): pid=20 uid=0 auid=1000 msg='cwd="/root" cmd=${hex('rm -rf /tmp/x')} exe="/usr/bin/sudo" terminal=pts/0 res=success'\u001dUID="root" AUID="alice"`)!;
  assert.equal(user.node, 'web1');
  assert.equal(user.fields.get('cmd'), 'rm -rf /tmp/x');
  assert.equal(user.fields.get('exe'), '/usr/bin/sudo');
  assert.equal(user.fields.get('res'), 'success');
  assert.equal(user.fields.get('AUID'), 'alice');
  assert.equal(user.fields.get('auid'), '1000');
  assert.equal(readAuditFields('type=SYSCALL arch=c000003e'), undefined);
  assert.equal(readAuditFields('Failed password for root'), undefined);
});

test('hex that is not UTF-8 decodes byte by byte', () => {
  assert.equal(decodeAuditHex('2F746D70FF'), '/tmp\u00ff');
});

test('the kernel form names its record type by number', () => {
  const record = readAuditFields('audit: type=1309 audit(1731084582.101:700): argc=1 a0="id"')!;
  assert.equal(record.type, 'EXECVE');
  assert.equal(record.fields.get('a0'), 'id');
});

test('an EXECVE rule matches the decoded arguments', () => {
  const rule = auditdRule(`  selection:
    type: EXECVE
    a0: cat
    a1|startswith: /etc/shadow
  condition: selection`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT, EXECVE_CAT, PROCTITLE_CAT]), [2]);
  assert.deepEqual(flagged(rule, [EXECVE_CAT.replace('a0="cat"', 'a0="less"')]), []);
});

test('the selections of one condition may hold in different records of the same event, never across events', () => {
  const rule = auditdRule(`  syscall:
    type: SYSCALL
    exe|endswith: /cat
  args:
    type: EXECVE
    a1|contains: shadow
  condition: syscall and args`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT, EXECVE_CAT, PROCTITLE_CAT]), [2]);
  // The same EXECVE record with another serial belongs to another event.
  assert.deepEqual(flagged(rule, [SYSCALL_CAT, EXECVE_CAT.replace(':700)', ':701)')]), []);
  // Every field of one selection must hold in one record: exe and a1 are never in the same one.
  const oneRecord = auditdRule(`  selection:
    exe|endswith: /cat
    a1|contains: shadow
  condition: selection`);
  assert.deepEqual(flagged(oneRecord, [SYSCALL_CAT, EXECVE_CAT]), []);
});

test('one event gives one finding per rule, however many of its records match', () => {
  const rule = auditdRule(`  selection:
    type:
      - EXECVE
      - PROCTITLE
  condition: selection`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT, EXECVE_CAT, PROCTITLE_CAT]), [2]);
});

test('SYSCALL is the call name: the enriched field, or the number read for the architecture', () => {
  const rule = auditdRule(`  selection:
    type: SYSCALL
    SYSCALL: execve
  condition: selection`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT]), [1]);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT.replace('syscall=59', 'syscall=2')]), []);
  assert.deepEqual(flagged(rule, [`${SYSCALL_CAT.replace('syscall=59', 'syscall=2')}\u001dARCH=x86_64 SYSCALL=execve`]), [1]);
  // An aarch64 execve has another number.
  assert.deepEqual(flagged(rule, [SYSCALL_CAT.replace('arch=c000003e syscall=59', 'arch=c00000b7 syscall=221')]), [1]);
});

test('records relayed through syslog (audispd, audisp-syslog, the kernel) join and match the same way', () => {
  const rule = auditdRule(`  syscall:
    type: SYSCALL
    comm: cat
  args:
    type: EXECVE
    a1|contains: shadow
  condition: syscall and args`);
  const lines = [
    `Nov  8 16:49:42 gw audispd: node=gw ${SYSCALL_CAT}`,
    `Nov  8 16:49:42 gw audispd: node=gw ${EXECVE_CAT}`,
  ];
  assert.deepEqual(flagged(rule, lines), [2]);
  assert.deepEqual(flagged(rule, [`Nov  8 16:49:42 gw audisp-syslog: ${SYSCALL_CAT}`, `Nov  8 16:49:42 gw audisp-syslog: ${EXECVE_CAT}`]), [2]);
  // Two nodes may use the same serial: their records are different events.
  assert.deepEqual(flagged(rule, [lines[0], lines[1].replace('node=gw', 'node=db')]), []);
  const kernel = [
    'Nov  8 16:49:42 gw kernel: audit: type=1300 audit(1731084582.101:700): arch=c000003e syscall=59 success=yes comm="cat" exe="/usr/bin/cat"',
    `Nov  8 16:49:42 gw kernel: audit: type=1309 audit(1731084582.101:700): argc=2 a0="cat" a1=${hex('/etc/shadow copy')}`,
  ];
  assert.deepEqual(flagged(rule, kernel), [2]);
});

test('auditd keywords search the event, and run on audit records only', () => {
  const rule = auditdRule(`  selection:
    type: EXECVE
  keywords:
    - 'exe="/usr/bin/cat"'
  condition: selection and keywords`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT, EXECVE_CAT]), [2]);
  const bare = auditdRule(`  keywords:
    - shadow
  condition: keywords`);
  assert.deepEqual(flagged(bare, ['Nov  8 16:49:42 gw sshd[1]: shadow file read', EXECVE_CAT]), [2]);
});

test('not, null and exists work per record', () => {
  const rule = auditdRule(`  selection:
    type: SYSCALL
    exe|startswith: /usr/bin/
  filter:
    key: exec
  condition: selection and not filter`);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT]), []);
  assert.deepEqual(flagged(rule, [SYSCALL_CAT.replace('key="exec"', 'key=(null)')]), [1]);
  const missing = auditdRule(`  selection:
    type: SYSCALL
    tty: null
  condition: selection`);
  assert.deepEqual(flagged(missing, [SYSCALL_CAT]), [1]);
  assert.deepEqual(flagged(missing, [`${SYSCALL_CAT} tty=pts0`]), []);
});
