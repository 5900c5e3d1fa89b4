import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repeatCount } from '../../server/src/analysis/parse/line';
import { LineVisitor, parseLog } from '../../server/src/analysis/parse/document';
import { assignYears } from '../../server/src/analysis/time/year';
import { FIXED_TIME } from '../support/catalogue';
import { Expected, checkLine } from '../support/lineCheck';

function table(name: string, cases: [string, string, Expected][]): void {
  for (const [what, text, expected] of cases) test(`${name}: ${what}`, () => checkLine(text, expected));
}

table('journalctl text', [
  ['short-full, with a zone abbreviation', 'Tue 2020-08-04 13:55:27 CEST web1.example.com sshd[4711]: Accepted publickey for alice from 192.0.2.7 port 50122 ssh2', {
    format: 'journal-full', stamp: 'Tue 2020-08-04 13:55:27 CEST', host: 'web1.example.com', program: 'sshd', pid: '4711', message: 'Accepted publickey for alice from 192.0.2.7 port 50122 ssh2', utc: '2020-08-04T11:55:27.000Z',
  }],
  ['short-full in UTC', 'Wed 2021-01-13 08:00:01 UTC mx.example.org postfix/qmgr[880]: 4F2A31C02E: removed', { format: 'journal-full', stamp: 'Wed 2021-01-13 08:00:01 UTC', program: 'postfix/qmgr', utc: '2021-01-13T08:00:01.000Z' }],
  ['short-full with an ambiguous abbreviation keeps the file zone', 'Thu 2020-08-06 09:00:00 IST db.example.net cron[77]: x', { format: 'journal-full', stamp: 'Thu 2020-08-06 09:00:00 IST', civil: { offsetMinutes: undefined }, host: 'db.example.net' }],
  ['short-iso with a zone without colon', '2020-08-04T13:55:27+0200 web1 sshd[4711]: Connection closed by 203.0.113.9 port 4022 [preauth]', {
    format: 'iso8601', stamp: '2020-08-04T13:55:27+0200', host: 'web1', program: 'sshd', pid: '4711', utc: '2020-08-04T11:55:27.000Z',
  }],
  ['short-iso-precise', '2020-08-04T13:55:27.123456+02:00 web1 systemd[1]: Started Session 12 of user alice.', { format: 'iso8601', program: 'systemd', pid: '1', utc: '2020-08-04T11:55:27.123Z' }],
  ['short-precise', 'Aug 04 13:55:27.123456 web1 kernel: e1000e: eth0 NIC Link is Down', { format: 'rfc3164', stamp: 'Aug 04 13:55:27.123456', program: 'kernel', civil: { millis: 123, day: 4 } }],
  ['short-unix', '1596542127.123456 web1 sshd[4711]: Invalid user admin from 198.51.100.23 port 50022', {
    format: 'epoch', stamp: '1596542127.123456', host: 'web1', program: 'sshd', pid: '4711', message: 'Invalid user admin from 198.51.100.23 port 50022', utc: '2020-08-04T11:55:27.123Z',
  }],
  ['short-monotonic', '[    3.251234] web1 systemd[1]: Started Journal Service.', { format: 'dmesg', uptime: 3.251234, host: 'web1', program: 'systemd', pid: '1', message: 'Started Journal Service.' }],
  ['the kernel naming a process is no header', '[    7.485149] init[1]: segfault at ffffffffff600400 ip ffffffffff600400 sp 00007fffc5ff7228 error 15', { format: 'dmesg', host: null, program: null }],
  ['kernel text after an uptime is no header', '[    3.251234] usb 1-1: new high-speed USB device number 2 using ehci-pci', { format: 'dmesg', host: null, program: null, message: 'usb 1-1: new high-speed USB device number 2 using ehci-pci' }],
  ['a number that is no epoch stays text', '12345.678 bytes copied', { format: 'none', kind: 'continuation' }],
  ['the header of a journal', '-- Logs begin at Tue 2020-08-04 13:55:27 CEST, end at Wed 2020-08-05 09:01:02 CEST. --', { format: 'none', kind: 'marker' }],
  ['a newer header', '-- Journal begins at Mon 2021-03-01 10:00:00 UTC, ends at Mon 2021-03-08 10:00:00 UTC. --', { format: 'none', kind: 'marker' }],
  ['a boot marker', '-- Boot 5c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6 --', { format: 'none', kind: 'marker' }],
  ['an older reboot marker', '-- Reboot --', { format: 'none', kind: 'marker' }],
  ['no entries', '-- No entries --', { format: 'none', kind: 'marker' }],
]);

table('journalctl -o json', [
  ['an entry with every field', '{"__CURSOR":"s=1;i=2","__REALTIME_TIMESTAMP":"1596542127123456","PRIORITY":"3","_HOSTNAME":"web1.example.com","SYSLOG_IDENTIFIER":"sshd","_PID":"4711","_COMM":"sshd","MESSAGE":"error: kex_exchange_identification: Connection closed by remote host"}', {
    format: 'journal', stamp: '1596542127123456', host: 'web1.example.com', program: 'sshd', pid: '4711', level: 'error', message: 'error: kex_exchange_identification: Connection closed by remote host', utc: '2020-08-04T11:55:27.123Z',
  }],
  ['spaced as journalctl writes it, with _COMM for the program and SYSLOG_PID', '{ "__REALTIME_TIMESTAMP" : "1596542127000001", "_COMM" : "cron", "SYSLOG_PID" : "91", "MESSAGE" : "(root) CMD (run-parts /etc/cron.hourly)" }', {
    format: 'journal', program: 'cron', pid: '91', host: null, message: '(root) CMD (run-parts /etc/cron.hourly)',
  }],
  ['a message with escapes keeps them in its span', '{"__REALTIME_TIMESTAMP":"1596542127000000","SYSLOG_IDENTIFIER":"app","MESSAGE":"said \\"no\\" to {x}, twice\\n"}', { format: 'journal', message: 'said \\"no\\" to {x}, twice\\n' }],
  ['a binary message, an array of bytes', '{"__REALTIME_TIMESTAMP":"1596542127000000","SYSLOG_IDENTIFIER":"app","MESSAGE":[104,105,0,33],"PRIORITY":"6"}', { format: 'journal', message: '[104,105,0,33]', level: 'info' }],
  ['nested values before the message are skipped', '{"X":{"a":["}",1]},"__REALTIME_TIMESTAMP":"1596542127000000","MESSAGE":"ok"}', { format: 'journal', message: 'ok' }],
  ['JSON that is not a journal entry stays text', '{"level":"error","msg":"boom"}', { format: 'none', kind: 'continuation' }],
]);

table('journalctl -o export', [
  ['the time field starts the entry', '__REALTIME_TIMESTAMP=1596542127123456', { format: 'journal-export', stamp: '1596542127123456', utc: '2020-08-04T11:55:27.123Z' }],
  ['the message field is a continuation whose message follows the =', 'MESSAGE=Failed password for root from 203.0.113.5 port 4242 ssh2', { format: 'none', kind: 'continuation', message: 'Failed password for root from 203.0.113.5 port 4242 ssh2' }],
  ['other fields are continuations', '_SYSTEMD_UNIT=ssh.service', { format: 'none', kind: 'continuation', message: '_SYSTEMD_UNIT=ssh.service' }],
]);

table('dmesg -T and -x', [
  ['a dmesg -T line', '[Sun Nov  8 16:49:44 2026] e1000e 0000:00:19.0 eth0: NIC Link is Down', {
    format: 'ctime', stamp: '[Sun Nov  8 16:49:44 2026]', programName: 'kernel', message: 'e1000e 0000:00:19.0 eth0: NIC Link is Down', civil: { year: 2026, month: 11, day: 8, hour: 16, offsetMinutes: undefined },
  }],
  ['dmesg -T -x: the level comes from the prefix', 'kern  :err   : [Mon Mar  2 10:11:12 2026] EXT4-fs error (device sda1): ext4_find_entry:1455: comm ls: reading directory lblock 0', {
    format: 'ctime', programName: 'kernel', level: 'error', message: 'EXT4-fs error (device sda1): ext4_find_entry:1455: comm ls: reading directory lblock 0', civil: { year: 2026, day: 2 },
  }],
  ['dmesg -x with uptimes', 'kern  :warn  : [  455.643231] CPU: 3 PID: 8129 Comm: swapon Not tainted', { format: 'dmesg', programName: 'kernel', level: 'warning', uptime: 455.643231, message: 'CPU: 3 PID: 8129 Comm: swapon Not tainted' }],
  ['a padded notice level', 'kern  :notice: [   44.129098] random: crng init done', { format: 'dmesg', level: 'notice' }],
  ['a user-space facility is not the kernel', 'user  :info  : [Mon Mar  2 10:11:12 2026] logger: hello', { format: 'ctime', programName: null, level: 'info' }],
  ['Apache 2.2 error log has the same stamp but is not the kernel', '[Sun Nov 08 16:49:44 2026] [error] [client 192.0.2.44] File does not exist: /var/www/favicon.ico', { format: 'ctime', programName: null }],
]);

table('syslog variants', [
  ['a leading year', '2015 Nov 13 13:40:01 gw.example.com CRON[2231]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)', {
    format: 'rfc3164', stamp: '2015 Nov 13 13:40:01', host: 'gw.example.com', program: 'CRON', pid: '2231', civil: { year: 2015, month: 11, day: 13 },
  }],
  ['a year after the day', 'Nov 13 2015 13:40:01 gw.example.com sshd[9]: x', { format: 'rfc3164', civil: { year: 2015 }, program: 'sshd' }],
  ['a relay forwarding a line with its header takes the origin\'s host and program', 'Nov  8 16:49:42 relay.example.net Nov  8 16:49:40 origin.example.org named[812]: client 192.0.2.9#53: query (cache) denied', {
    format: 'rfc3164', stamp: 'Nov  8 16:49:42', host: 'origin.example.org', program: 'named', pid: '812', message: 'client 192.0.2.9#53: query (cache) denied', civil: { second: 42 },
  }],
  ['last message repeated belongs to the entry above', 'Nov  8 16:49:43 gw.example.com last message repeated 12 times', { format: 'rfc3164', kind: 'continuation', host: 'gw.example.com', program: null, message: 'last message repeated 12 times' }],
  ['the FreeBSD form', 'Nov  8 16:49:43 gw.example.com --- last message repeated 3 times ---', { format: 'rfc3164', kind: 'continuation', program: null }],
  ['the bare form', '--- last message repeated 3 times ---', { format: 'none', kind: 'continuation' }],
  ['a numeric facility and priority before the host', 'Apr  2 17:51:32 <4.6> bastion sshd[55628]: Invalid user r00t from 192.0.2.100', { format: 'rfc3164', host: 'bastion', program: 'sshd', pid: '55628' }],
  ['a facility.level word after the host', 'Jan  1 00:01:47 router.example.net daemon.warn chronyd[583]: System clock wrong by 3.5 seconds', { format: 'rfc3164', host: 'router.example.net', program: 'chronyd', pid: '583', message: 'System clock wrong by 3.5 seconds' }],
  ['lower-case words before a tag are not one program name', 'Apr  2 17:51:32 gw.example.com relay sshd[1]: x', { format: 'rfc3164', host: 'gw.example.com', program: null }],
  ['a comma before the fraction', '2020-08-04 13:55:27,123 web1 app[7]: ready', { format: 'exim', stamp: '2020-08-04 13:55:27,123', program: 'app', civil: { millis: 123 } }],
  ['exim with its pid', '2020-08-04 13:55:27 [2211] 1kX2aB-0000Zq-7C <= bounce@example.com H=mail.example.net [198.51.100.4] P=esmtps S=2201', { format: 'exim', pid: '2211', program: null, message: '1kX2aB-0000Zq-7C <= bounce@example.com H=mail.example.net [198.51.100.4] P=esmtps S=2201' }],
]);

table('daemons\' own stamps', [
  ['vsftpd', 'Fri Jan 19 12:20:33 2007 [pid 27202] [anonymous] FAIL LOGIN: Client "192.0.2.61"', {
    format: 'ctime', stamp: 'Fri Jan 19 12:20:33 2007', pid: '27202', programName: 'vsftpd', message: '[anonymous] FAIL LOGIN: Client "192.0.2.61"', civil: { year: 2007, month: 1, day: 19 },
  }],
  ['a ctime stamp with a facility and a tag', 'Tue May  9 08:04:56 2017 daemon.info named[1397]: automatic empty zone: 10.IN-ADDR.ARPA', { format: 'ctime', host: null, program: 'named', pid: '1397', message: 'automatic empty zone: 10.IN-ADDR.ARPA' }],
  ['BIND\'s log file', '25-Jan-2013 13:09:08.048 xfer-in: error: transfer of \'example.com/IN\' from 192.0.2.53#53: failed while receiving responses: REFUSED', {
    format: 'day-month-year', stamp: '25-Jan-2013 13:09:08.048', message: 'xfer-in: error: transfer of \'example.com/IN\' from 192.0.2.53#53: failed while receiving responses: REFUSED', civil: { year: 2013, millis: 48 },
  }],
  ['Nagios', '[1620246538] SERVICE ALERT: web1.example.com;HTTP;CRITICAL;HARD;3;Connection refused', { format: 'epoch', stamp: '[1620246538]', program: null, message: 'SERVICE ALERT: web1.example.com;HTTP;CRITICAL;HARD;3;Connection refused', utc: '2021-05-05T20:28:58.000Z' }],
  ['unbound', '[1631314649] unbound[3551:0] notice: Start of unbound 1.9.0.', { format: 'epoch', program: 'unbound', pid: '3551', message: 'notice: Start of unbound 1.9.0.' }],
  ['a bracketed ISO stamp', '[2021-03-16 04:01:49] SERVICE ALERT: backup.example.com;Disk;CRITICAL;HARD;3;full', { format: 'iso8601', stamp: '[2021-03-16 04:01:49]', message: 'SERVICE ALERT: backup.example.com;Disk;CRITICAL;HARD;3;full' }],
]);

table('rsyncd', [
  ['a connection', '2011/02/22 21:53:38 [9219] rsync on backup/ from client.example.com (192.0.2.31)', {
    format: 'slashed', stamp: '2011/02/22 21:53:38', pid: '9219', programName: 'rsyncd', host: null, message: 'rsync on backup/ from client.example.com (192.0.2.31)', civil: { year: 2011, month: 2, day: 22 },
  }],
  ['an authentication failure', '2011/02/22 21:53:40 [9220] auth failed on module backup from client.example.com (192.0.2.31): password mismatch', { format: 'slashed', programName: 'rsyncd', pid: '9220' }],
  ['the same stamp without a pid names no program', '2011/02/22 21:53:38 [error] 31#0: *1 open() failed', { format: 'slashed', programName: null, pid: null, message: '[error] 31#0: *1 open() failed' }],
]);

table('auditd', [
  ['a record', 'type=USER_AUTH msg=audit(1364481363.243:24287): pid=2873 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.4 terminal=ssh res=failed\'', {
    format: 'audit', stamp: '1364481363.243', program: 'audit', host: null, utc: '2013-03-28T14:36:03.243Z',
    message: 'type=USER_AUTH msg=audit(1364481363.243:24287): pid=2873 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication acct="root" exe="/usr/sbin/sshd" hostname=? addr=203.0.113.4 terminal=ssh res=failed\'',
  }],
  ['a record with its node', 'node=web1.example.com type=AVC msg=audit(1364481363.250:24288): avc:  denied  { read } for  pid=812 comm="httpd" name="index.html"', {
    format: 'audit', host: 'web1.example.com', program: 'audit', message: 'type=AVC msg=audit(1364481363.250:24288): avc:  denied  { read } for  pid=812 comm="httpd" name="index.html"',
  }],
  ['the enriched form keeps its separated fields', 'type=USER_LOGIN msg=audit(1364481364.001:24290): pid=9 uid=0 res=failed\u001dUID="root" AUID="unset"', { format: 'audit', program: 'audit' }],
  ['a record without milliseconds is not read', 'type=X msg=audit(1364481363): broken', { format: 'none', kind: 'continuation' }],
]);

table('roundcube and PHP', [
  ['roundcube with an offset', '[12-Mar-2013 11:21:46 +0100]: IMAP Error: Login failed for alice@example.com from 198.51.100.2. AUTHENTICATE PLAIN: Authentication failed.', {
    format: 'day-month-year', stamp: '[12-Mar-2013 11:21:46 +0100]', programName: 'roundcube', message: 'IMAP Error: Login failed for alice@example.com from 198.51.100.2. AUTHENTICATE PLAIN: Authentication failed.', utc: '2013-03-12T10:21:46.000Z',
  }],
  ['roundcube with a zone name', '[12-Mar-2013 11:21:46 America/New_York]: FAILED login for bob from 203.0.113.77', { format: 'day-month-year', programName: 'roundcube', utc: '2013-03-12T15:21:46.000Z' }],
  ['roundcube in UTC', '[01-Jul-2020 00:00:01 UTC]: <4f2a9c1b> Successful login for carol (ID: 4) from 192.0.2.5', { format: 'day-month-year', programName: 'roundcube', utc: '2020-07-01T00:00:01.000Z' }],
  ['PHP\'s error log has no program', '[12-Mar-2013 11:21:46 Europe/Paris] PHP Fatal error:  Allowed memory size exhausted in /var/www/index.php on line 9', { format: 'day-month-year', programName: null, message: 'PHP Fatal error:  Allowed memory size exhausted in /var/www/index.php on line 9', utc: '2013-03-12T10:21:46.000Z' }],
]);

table('macOS', [
  ['log show', '2020-06-10 11:42:07.123456+0200 0x1f4      Default     0x0                  123    0    sshd: (libpam.2.dylib) in openpam_dispatch(): pam_sm_authenticate: authentication error', {
    format: 'apple', stamp: '2020-06-10 11:42:07.123456+0200', program: 'sshd', pid: '123', host: null, message: '(libpam.2.dylib) in openpam_dispatch(): pam_sm_authenticate: authentication error', utc: '2020-06-10T09:42:07.123Z',
  }],
  ['log show before the TTL column, with an error type', '2017-04-29 21:30:02.362540-0400 0x4f27     Error       0x0                  616    softwareupdated: [com.example.su] download failed', { format: 'apple', program: 'softwareupdated', pid: '616', level: 'error', message: '[com.example.su] download failed' }],
  ['a process name with blanks', '2020-06-10 11:42:07.000001+0200 0x2a       Fault       0x0                  321    0    Google Chrome Helper: crashed', { format: 'apple', program: 'Google Chrome Helper', level: 'error' }],
  ['the column heading', 'Timestamp                       Thread     Type        Activity             PID    TTL', { format: 'none', kind: 'marker' }],
  ['a launchd job after the pid stays in the message', 'Oct 11 22:14:15 MacBook-Pro com.apple.xpc.launchd[1] (com.example.agent[4242]): Service exited with abnormal code: 1', {
    format: 'rfc3164', host: 'MacBook-Pro', program: 'com.apple.xpc.launchd', pid: '1', message: '(com.example.agent[4242]): Service exited with abnormal code: 1',
  }],
  ['a program with blanks', 'Oct 11 22:14:16 MacBook-Pro Google Chrome Helper[812]: Unable to obtain a task name port right', { format: 'rfc3164', program: 'Google Chrome Helper', pid: '812', message: 'Unable to obtain a task name port right' }],
  ['an ASL level after the pid', 'Oct 11 22:14:17 MacBook-Pro socketfilterfw[1985] <Info>: Deny nc data in from 192.0.2.8:5353', { format: 'rfc3164', program: 'socketfilterfw', pid: '1985', message: 'Deny nc data in from 192.0.2.8:5353' }],
  ['a plain program', 'Oct 11 22:14:18 MacBook-Pro loginwindow[1]: USER_PROCESS: 88 console', { format: 'rfc3164', program: 'loginwindow', pid: '1' }],
]);

test('a repeat count is read from the message', () => {
  assert.equal(repeatCount('last message repeated 12 times'), 12);
  assert.equal(repeatCount('--- last message repeated 1 time ---'), 1);
  assert.equal(repeatCount('Nov  8 16:49:43 gw last message repeated 3 times', 19), 3);
  assert.equal(repeatCount('the last message repeated itself'), 0);
});

/** Records what the visitor is shown: each line's program as matching sees it. */
function programsSeen(text: string): (string | undefined)[] {
  const seen: (string | undefined)[] = [];
  const visitor: LineVisitor = {
    visit(i, raw, line, entryRaw, entryLine) {
      const own = line.program ? raw.slice(line.program.start, line.program.end) : undefined;
      seen[i] = own ?? (line.kind === 'continuation' && entryLine.program ? entryRaw.slice(entryLine.program.start, entryLine.program.end) : undefined);
    },
  };
  parseLog(text, FIXED_TIME, visitor);
  return seen;
}

test('a journal export entry is one entry timed by its realtime field, and its message is matched with its program', () => {
  const text = [
    '__CURSOR=s=1;i=1',
    '__REALTIME_TIMESTAMP=1596542127123456',
    'PRIORITY=6',
    'MESSAGE=Failed password for root from 203.0.113.5 port 4242 ssh2',
    '_HOSTNAME=web1.example.com',
    'SYSLOG_IDENTIFIER=sshd',
    '_PID=4711',
    '',
    '__CURSOR=s=1;i=2',
    '__REALTIME_TIMESTAMP=1596542128000000',
    '_COMM=cron',
    'MESSAGE=(root) CMD (true)',
    '',
  ].join('\n');
  const log = parseLog(text, FIXED_TIME);
  assert.deepEqual([...log.entryStart], [0, 1, 1, 1, 1, 1, 1, 1, 1, 9, 9, 9]);
  assert.equal(new Date(log.times[1]).toISOString(), '2020-08-04T11:55:27.123Z');
  assert.equal(log.format, 'journal-export');
  const seen = programsSeen(text);
  assert.equal(seen[3], 'sshd');
  assert.equal(seen[11], 'cron');
  assert.deepEqual(log.problems, []);
});

test('lines that look like entries the parser cannot read are reported once, with the first three', () => {
  const text = [
    'Nov  8 16:49:42 gw.example.com sshd[1]: Accepted publickey for alice',
    '12/11/2026 16:49:43 something in another format',
    '  an indented continuation',
    'java.lang.IllegalStateException: wrapped message text',
    '12/11/2026 16:49:44 again',
    '16:49:45 a time without a date',
    '12/11/2026 16:49:46 a fourth',
    'Nov  8 16:49:47 gw.example.com sshd[1]: Connection closed',
  ].join('\n');
  const log = parseLog(text, FIXED_TIME);
  const unread = log.problems.filter((p) => /no timestamp this parser reads/.test(p.message));
  assert.equal(unread.length, 1);
  assert.equal(unread[0].line, 1);
  assert.match(unread[0].message, /^4 lines look like the start of an entry/);
  assert.match(unread[0].message, /2: `12\/11\/2026 16:49:43 something in another format`; 5: `12\/11\/2026 16:49:44 again`; 6: `16:49:45/);
});

test('a stack trace and wrapped lines are continuations, not lines the parser failed to read', () => {
  const text = [
    '2026-03-01T10:00:00Z app1 java[12]: request failed',
    'java.lang.NullPointerException: name',
    '\tat com.example.Handler.run(Handler.java:42)',
    'Caused by: java.io.IOException: closed',
    '\t... 3 more',
    '2026-03-01T10:00:01Z app1 java[12]: recovered',
  ].join('\n');
  assert.deepEqual(parseLog(text, FIXED_TIME).problems, []);
});

test('a file of text without timestamps says once that it is probably not a log', () => {
  const text = ['Dear admin,', 'the backup did not run last night.', 'Regards,', 'ops', 'PS: see the attached file'].join('\n');
  const problems = parseLog(text, FIXED_TIME).problems;
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /^No line of this file carries a timestamp this parser reads: it is probably not a log/);
});

test('journal markers and the macOS heading are neither entries nor unread lines', () => {
  const text = ['-- Logs begin at Tue 2020-08-04 13:55:27 CEST, end at Tue 2020-08-04 14:00:00 CEST. --', 'Aug 04 13:55:27 web1 sshd[1]: x', '-- Boot 5c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6 --', 'Aug 04 13:58:00 web1 kernel: y'].join('\n');
  const log = parseLog(text, FIXED_TIME);
  assert.deepEqual([0, 1, 2, 3].map((i) => log.lines.kind(i)), ['marker', 'entry', 'marker', 'entry']);
  assert.deepEqual(log.problems, []);
});

test('an implied program is kept in the columns and read back', () => {
  const log = parseLog(['2011/02/22 21:53:38 [9219] rsync on backup/ from client.example.com (192.0.2.31)', '[12-Mar-2013 11:21:46 +0100]: IMAP Error: x'].join('\n'), FIXED_TIME);
  assert.equal(log.lines.program(0), 'rsyncd');
  assert.equal(log.lines.program(1), 'roundcube');
  assert.equal(log.lines.fields(0).programName, 'rsyncd');
  assert.equal(log.lines.programStart(0), -1);
});

test('a yearless 29 February takes the leap year the inference would otherwise miss', () => {
  const reference = { year: 2026, month: 3, day: 10, source: 'setting' as const };
  // Read against 2026, this log would lie in 2026, which has no 29 February: 2024 is the year.
  assert.deepEqual([...assignYears([2, 2, 3], [28, 29, 1], reference)], [2024, 2024, 2024]);
  // A rollover before it keeps its distance: December 2023, then February 2024.
  assert.deepEqual([...assignYears([12, 2, 3], [31, 29, 1], reference)], [2023, 2024, 2024]);
  // In a leap year nothing moves.
  assert.deepEqual([...assignYears([2, 3], [29, 1], { ...reference, year: 2024 })], [2024, 2024]);
  const log = parseLog('Feb 29 10:00:00 gw.example.com cron[1]: x', { zone: 'UTC', yearReference: { ...reference, month: 3, day: 1 } });
  assert.equal(new Date(log.times[0]).toISOString(), '2024-02-29T10:00:00.000Z');
  assert.deepEqual(log.problems, []);
});
