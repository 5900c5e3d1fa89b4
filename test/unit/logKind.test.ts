import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { SNIFF_BYTES, isLogFileName, sniffLog } from '../../server/src/analysis/parse/logKind';
import { parseLog } from '../../server/src/analysis/parse/document';
import { isPlainText, tooFewStamped } from '../../server/src/analysis/parse/reading';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

/** Repeats each line pattern, numbering `#` in it, so every sample has a few distinct entries. */
function lines(count: number, ...patterns: string[]): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) for (const pattern of patterns) out.push(pattern.replace(/#/g, String(10 + i)));
  return `${out.join('\n')}\n`;
}

/** A journal export entry: many field lines, one of them stamped. */
function exportEntry(i: number): string {
  return [
    `__CURSOR=s=0123456789abcdef;i=${i}`,
    `__REALTIME_TIMESTAMP=15965421271234${10 + i}`,
    '__MONOTONIC_TIMESTAMP=123456789',
    '_BOOT_ID=0123456789abcdef0123456789abcdef',
    'PRIORITY=6',
    '_UID=0',
    '_GID=0',
    '_MACHINE_ID=fedcba9876543210fedcba9876543210',
    '_HOSTNAME=web1',
    'SYSLOG_FACILITY=4',
    'SYSLOG_IDENTIFIER=sshd',
    '_TRANSPORT=syslog',
    `_PID=47${i}`,
    '_COMM=sshd',
    '_EXE=/usr/sbin/sshd',
    '_CMDLINE=sshd: alice [priv]',
    '_SYSTEMD_UNIT=ssh.service',
    `MESSAGE=Accepted publickey for alice from 192.0.2.${i} port 50122 ssh2`,
    '',
  ].join('\n');
}

/** Own-written samples of every format the parser reads: each must be sniffed a log. */
const LOGS: Record<string, string> = {
  'classic syslog': lines(5, 'Nov  8 16:49:# gw postfix/smtpd[1#]: connect from unknown[192.0.2.#]', 'Nov  8 16:49:# gw kernel: [3018172.8202#] eth0: link down'),
  'classic syslog with the year first': lines(4, '2026 Nov  8 16:49:# gw sshd[1#]: Failed password for root'),
  'classic syslog relayed with two headers': lines(4, 'Nov  8 16:49:# relay Nov  8 16:49:# origin postfix/smtp[9#]: status=sent'),
  'syslog with repeats and a busybox facility': lines(3, 'May  9 08:04:# router daemon.info named[1397]: query refused', 'May  9 08:04:# router last message repeated 3 times'),
  'macOS syslog': lines(4, 'Mar 22 13:41:# MacBook-Pro com.apple.xpc.launchd[1] (com.apple.foo[1#]): Service exited with abnormal code: 1'),
  'ISO 8601 (rsyslog, short-iso)': lines(4, '2026-03-01T16:49:#.123456+01:00 gw kernel: eth0 NIC Link is Down', '2020-08-04T13:55:#+0200 web1 sshd[4711]: Connection closed'),
  'RFC 5424': lines(4, '<34>1 2003-10-11T22:14:#.003Z mymachine.example.com su 77 ID47 [exampleSDID@32473 iut="3"] su failed', '<165>1 2003-08-24T05:14:#.000003-07:00 192.0.2.1 myproc 8710 - - restarted'),
  'journalctl short-full': lines(4, 'Tue 2020-08-04 13:55:# CEST web1.example.com sshd[4711]: Accepted publickey for alice'),
  'journalctl short-unix and short-monotonic': lines(3, '1596542127.1234# web1 sshd[4711]: Invalid user admin', '[    3.2512#] web1 systemd[1]: Started Journal Service.'),
  'journalctl json': lines(4, '{"__REALTIME_TIMESTAMP" : "15965421271234#", "_HOSTNAME" : "web1", "SYSLOG_IDENTIFIER" : "sshd", "_PID" : "4711", "MESSAGE" : "Accepted publickey for alice"}'),
  'journalctl export': Array.from({ length: 8 }, (_, i) => exportEntry(i)).join('\n'),
  'journalctl with boot markers': `-- Logs begin at Mon 2020-08-03 10:00:00 CEST, end at Tue 2020-08-04 14:00:00 CEST. --\n${lines(3, '2020-08-04T13:55:#+0200 web1 kernel: Linux version 6.1.0')}-- Boot 0123456789abcdef0123456789abcdef --\n`,
  'audit log': lines(4, 'type=USER_LOGIN msg=audit(1364481363.2#:242#): pid=2 uid=0 res=failed', 'node=web1 type=SYSCALL msg=audit(1364481363.2#:242#): arch=c000003e syscall=59'),
  'bare dmesg': lines(4, '[    1.2345#] ACPI: Core revision 20200925', '[    2.0000#] usb 1-1: new high-speed USB device'),
  'dmesg -T': lines(4, '[Sun Nov  8 16:49:# 2026] usb 1-1: new high-speed USB device number 2 using ehci-pci'),
  'dmesg -x': lines(4, 'kern  :err   : [   12.3456#] EXT4-fs error (device sda1): bad block', 'kern  :info  : [   13.0000#] eth0: link up'),
  'exim main log': lines(4, '2017-01-03 12:00:# 1cNc9F-0000zy-9N <= a@example.com H=mx [192.0.2.1] P=esmtp S=1234', '2017-01-03 12:00:# +0100 [4242] 1cNc9F-0000zy-9N Completed'),
  'exim reject log, with the rejected headers under each entry': lines(
    4,
    '2017-01-03 12:00:# 1cNc9F-0000zy-9N H=(mx) [192.0.2.1] F=<a@example.com> rejected after DATA: spam',
    'Envelope-from: <a@example.com>',
    'Envelope-to: <b@example.org>',
    'P Received: from [192.0.2.1] (helo=mx)',
    '\tby mail.example.org with esmtp (Exim 4.96)',
    'I Message-Id: <#@example.com>',
    'F From: a@example.com',
    'T To: b@example.org',
    '  Subject: offer',
  ),
  'bracketed common-log stamp (messaging server)': lines(4, '[17/Feb/2006:16:08:# -0500] northuist imapd[33856]: Store Critical: Mailbox database error'),
  'apache error log': lines(4, '[Wed Oct 11 14:32:# 2000] [error] [client 127.0.0.1] client denied by server configuration: /srv/www/x'),
  'rsyncd log': lines(4, '2011/02/22 21:53:# [5313] connect from host (192.0.2.1)'),
  'roundcube log': lines(4, '[12-Mar-2013 11:21:# +0100]: <abc> IMAP Error: Login failed for alice'),
  'vsftpd log': lines(4, 'Fri Jan 19 12:20:# 2007 [pid 27202] CONNECT: Client "192.0.2.3"'),
  'BIND log': lines(4, '25-Jan-2013 13:09:#.048 client 192.0.2.9#5353: query (cache) denied'),
  'nagios log': lines(4, '[16313146#] SERVICE ALERT: web;HTTP;CRITICAL;HARD;3;timeout'),
  'log show (macOS unified log)': `Timestamp                       Thread     Type        Activity             PID    TTL  \n${lines(4, '2020-08-04 13:55:#.123456+0200 0x1a2b     Default     0x0                  123    0    kernel: (AppleACPI) sleep')}`,
  'a Java service log with indented stack traces': lines(
    3,
    '2026-03-01 16:49:# ERROR [main] com.example.App - request failed',
    'java.lang.IllegalStateException: closed',
    '\tat com.example.Pool.take(Pool.java:42)',
    '\tat com.example.App.handle(App.java:17)',
    '\tat java.base/java.lang.Thread.run(Thread.java:833)',
  ),
};

/** Files that are not logs, each as a project or an admin would have them. */
const NOT_LOGS: Record<string, string> = {
  'TypeScript source': "import * as fs from 'fs';\n\n/** Reads a file. */\nexport function read(file: string): string {\n  return fs.readFileSync(file, 'utf8');\n}\n\nexport const LIMIT = 10;\n",
  'JSON configuration': '{\n  "compilerOptions": {\n    "target": "ES2022",\n    "strict": true\n  },\n  "include": ["src"]\n}\n',
  'package-lock.json': `{\n  "name": "x",\n  "lockfileVersion": 3,\n  "packages": {\n${'    "node_modules/a": {\n      "version": "1.0.0",\n      "integrity": "sha512-abc"\n    },\n'.repeat(20)}  }\n}\n`,
  'CSV without stamps': lines(20, 'host#,192.0.2.#,up,0.#'),
  'markdown README': '# Incident notes\n\nThe relay stopped accepting mail at about 16:49.\n\n- check the queue\n- check the disk\n\nSee `maillog` for details. The gateway restarted twice.\nNothing else was changed.\n',
  'markdown quoting two log lines': `# What we saw\n\n${'The gateway refused mail for a while; the admin restarted it and looked at the queue.\n'.repeat(8)}\n\`\`\`\nNov  8 16:49:42 gw postfix/smtpd[1]: reject: RCPT\nNov  8 16:49:43 gw postfix/smtpd[1]: reject: RCPT\n\`\`\`\n${'Then the queue drained and nothing else happened that night.\n'.repeat(8)}`,
  'YAML rule file': 'rules:\n  - id: mail/relay-refused\n    pattern: "relay access denied"\n    severity: warning\n    explanation: >\n      The relay refused a recipient.\n',
  'a pstack file (a log by name only: its frames carry no stamp)': '----------------- lwp# 12 / thread# 16 --------------------\n ff129394 txn_abort (0, f30a14d8, f30a14c0, ff12e164, 0, 0) + 4\n ff12a0b0 txn_commit (f30a14c0, 0, 0, 0, 0, 0) + 40\n',
  'shell script': '#!/bin/sh\n# Pulls the logs.\nset -e\nfor host in gw relay; do\n  scp "$host:/var/log/maillog" "logs/$host/"\ndone\necho done\n',
};

for (const [what, sample] of Object.entries(LOGS)) {
  test(`${what}: sniffed a log`, () => {
    const sniff = sniffLog(sample);
    assert.equal(sniff.log, true, sniff.reason);
    assert.match(sniff.reason, /^\d+ of \d+ lines stamped$/);
  });
}

for (const [what, sample] of Object.entries(NOT_LOGS)) {
  test(`${what}: not sniffed a log`, () => {
    const sniff = sniffLog(sample);
    assert.equal(sniff.log, false, sniff.reason);
  });
}

test('reasons say what was counted, in words for the user', () => {
  assert.deepEqual(sniffLog('# notes\nline one\n  indented\nNov  8 16:49:42 gw sshd[1]: a\nNov  8 16:49:43 gw sshd[1]: b\nNov  8 16:49:44 gw sshd[1]: c\n'), { log: true, reason: '3 of 4 lines stamped' });
  assert.deepEqual(sniffLog(lines(60, 'text line #'), false), { log: false, reason: 'no timestamped lines in its first 50' });
  assert.deepEqual(sniffLog('one\ntwo\n'), { log: false, reason: 'no timestamped lines in its 2 lines' });
  assert.deepEqual(sniffLog(''), { log: false, reason: 'empty' });
  assert.deepEqual(sniffLog('\n\n  \n'), { log: false, reason: 'only blank lines' });
  assert.deepEqual(sniffLog(`Nov  8 16:49:42 gw sshd[1]: a\n${'\0'.repeat(200)}`), { log: false, reason: 'binary (NUL bytes)' });
  assert.deepEqual(sniffLog('\x01\x02\x03\x04 core \x05\x06\x07\x08'), { log: false, reason: 'binary (control characters)' });
});

test('a few NUL bytes in a log (a crash while it was written) do not make it binary', () => {
  const sample = `${lines(10, 'Nov  8 16:49:# gw kernel: eth0: link down')}\0\0\0\0${lines(10, 'Nov  8 16:52:# gw kernel: Linux version 6.1.0')}`;
  assert.equal(sniffLog(sample).log, true);
});

test('stamped lines must be at least one in five of the lines of text', () => {
  const entry = 'Nov  8 16:49:42 gw sshd[1]: Accepted publickey for alice';
  const withText = (text: number) => `${lines(3, entry)}${lines(text, 'some words of a note #')}`;
  assert.equal(sniffLog(withText(12)).log, true, sniffLog(withText(12)).reason);
  assert.deepEqual(sniffLog(withText(13)), { log: false, reason: 'only 3 of 16 lines stamped' });
});

test('a whole file of one or two entries is a log when most of its lines are stamped; a start with so few is not', () => {
  const tiny = '******** SERVER ********\n1999-03-02 09:44:33 exim x.yz daemon started\n1999-03-02 09:44:34 10HmaX-000000005vi-0000 <= a@example.com\n';
  assert.deepEqual(sniffLog(tiny, true), { log: true, reason: '2 of 3 lines stamped' });
  assert.deepEqual(sniffLog(`${tiny}more to come`, false), { log: false, reason: 'only 2 timestamped lines in its first 3' });
  assert.equal(sniffLog('heading\nmore text\n2024-01-02 10:00:00 one stamped line\n').log, false);
});

test('the last line of a sample that is not the whole file may be cut, and is not looked at', () => {
  const sample = `${lines(3, 'Nov  8 16:49:# gw sshd[1]: Accepted publickey')}Nov  8 1`;
  assert.deepEqual(sniffLog(sample, false), { log: true, reason: '3 of 3 lines stamped' });
  assert.deepEqual(sniffLog(sample, true), { log: true, reason: '3 of 4 lines stamped' });
});

test('the sniffer looks at no more than the start it is told of', () => {
  const late = `${lines(1500, 'plain words #')}${lines(50, 'Nov  8 16:49:# gw sshd[1]: late entry')}`;
  assert.ok(late.length > SNIFF_BYTES);
  assert.equal(sniffLog(late.slice(0, SNIFF_BYTES), false).log, false);
});

const LANGUAGE_NAMES = (() => {
  const manifest = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { contributes: { languages: { id: string; filenames?: string[]; filenamePatterns?: string[]; extensions?: string[] }[] } };
  const language = manifest.contributes.languages.find((item) => item.id === 'log-forensics')!;
  // A name each pattern admits: a leading `*` a stem, `[0-9]` a digit, other `*` more digits.
  const fromPattern = (pattern: string) => pattern.replace(/^\*/, 'app').replace(/\[0-9\]/g, '1').replace(/\*/g, '2');
  return [...(language.filenames ?? []), ...(language.filenamePatterns ?? []).map(fromPattern), ...(language.extensions ?? []).map((ext) => `app${ext}`)];
})();

test('every file name the editor opens as a log is a log name to the workspace index', () => {
  assert.ok(LANGUAGE_NAMES.length > 30);
  assert.deepEqual(LANGUAGE_NAMES.filter((name) => !isLogFileName(name)), []);
  assert.deepEqual(LANGUAGE_NAMES.map((name) => `${name}.gz`).filter((name) => !isLogFileName(name)), []);
});

/** Corpus folders and files that hold rules, schemas, annotations and licences, not logs. */
const NOT_LOG_KINDS = /^(?:rules|schema|sigma|config)\b/;

/** Each corpus file's kind, from `MANIFEST.tsv` (rows name a file, or a folder and its file count). */
function corpusKinds(folder: string): (file: string) => string | undefined {
  const rows = fs.readFileSync(path.join(folder, 'MANIFEST.tsv'), 'utf8').split('\n').slice(1).filter((row) => row !== '').map((row) => row.split('\t'));
  const exact = new Map<string, string>();
  const folders: [string, string][] = [];
  for (const [local, , , , , , kind] of rows) {
    const grouped = /^(\S+\/) \(/.exec(local);
    if (grouped) folders.push([grouped[1], kind]);
    else exact.set(local, kind);
  }
  return (file) => exact.get(file) ?? folders.find(([prefix]) => file.startsWith(prefix))?.[1];
}

function filesUnder(folder: string): string[] {
  const out: string[] = [];
  const visit = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.isFile()) out.push(full);
    }
  };
  visit(folder);
  return out.sort();
}

function sampleOf(file: string): { text: string; complete: boolean } {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const read = fs.readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return { text: buffer.subarray(0, read).toString('utf8'), complete: read >= fs.fstatSync(fd).size };
  } finally {
    fs.closeSync(fd);
  }
}

const context = { zone: 'UTC', yearReference: { year: 2026, month: 12, day: 31, source: 'setting' as const } };

/**
 * Whether the product, reading the whole file, takes it for a log: no "probably not a log"
 * problem, at least three stamped entries, and by the reader's own measure over all its lines
 * (stamped lines at least one in five of the lines of text).
 */
function readAsLog(text: string): boolean {
  const log = parseLog(text, context);
  if (log.problems.some((problem) => problem.message.includes('probably not a log'))) return false;
  let stamped = 0;
  let plain = 0;
  for (let i = 0; i < log.lines.length; i++) {
    const kind = log.lines.kind(i);
    if (kind === 'entry' && log.lines.format(i) !== 'none') stamped++;
    else if (kind === 'continuation' && log.lines.format(i) === 'none' && isPlainText(log.text.line(i))) plain++;
  }
  return stamped >= 3 && !tooFewStamped(stamped, plain);
}

test('real logs of the corpus that the product reads, and that no name rule finds, are sniffed logs from their first 16 KB; its rules and schemas are not', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const kindOf = corpusKinds(folder);
  const missed: string[] = [];
  const wrongly: string[] = [];
  let read = 0;
  let logKinds = 0;
  let sniffedOfKinds = 0;
  let notLogs = 0;
  for (const file of filesUnder(folder)) {
    const relative = path.relative(folder, file).split(path.sep).join('/');
    const kind = kindOf(relative);
    const sample = sampleOf(file);
    const sniff = sniffLog(sample.text, sample.complete);
    if (kind === undefined || NOT_LOG_KINDS.test(kind)) {
      notLogs++;
      if (sniff.log) wrongly.push(`${relative} (${kind ?? 'licence or index'}): ${sniff.reason}`);
      continue;
    }
    if (kind.startsWith('annotation')) continue;
    logKinds++;
    if (sniff.log) sniffedOfKinds++;
    if (isLogFileName(path.basename(file)) || !readAsLog(fs.readFileSync(file, 'utf8'))) continue;
    read++;
    if (!sniff.log) missed.push(`${relative}: ${sniff.reason}`);
  }
  t.diagnostic(`${read} corpus logs the product reads and no name finds: ${read - missed.length} sniffed logs`);
  t.diagnostic(`${sniffedOfKinds} of ${logKinds} files of log kinds (tiny, unstamped and unread ones included) sniffed logs`);
  t.diagnostic(`${notLogs} rule, schema, licence and index files: ${wrongly.length} sniffed logs`);
  assert.ok(read > 1000, `only ${read} corpus logs read`);
  assert.deepEqual(missed, []);
  assert.deepEqual(wrongly, []);
});
