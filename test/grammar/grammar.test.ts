import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as vsctm from 'vscode-textmate';
import { GRAMMAR_FILE, LANGUAGE_CONFIGURATION_FILE, LINE_TIME_LIMIT_MS, loadGrammar, scopesAt } from './engine';

/*
 * The TextMate grammar, run by the engine VS Code uses. Each row is [line, fragment, scope]: every
 * token under the first occurrence of the fragment in the line must carry a scope containing the
 * given text. A fragment may mark its target inside context with guillemets (`') + «4»'`). Scope
 * names are written without their `.log-forensics` suffix, which every scope carries.
 */

type Case = readonly [line: string, fragment: string, scope: string];

/** The log lines quoted in the two incident write-ups the extension was built from. */
const SEED_LINES = {
  irq: 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  linkDown: 'kernel: [6003089.071200] bnx2: eth0 NIC Copper Link is Down',
  greeting: 'Timeout waiting for input from drjmailgw during client greeting',
  lwp: '----------------- lwp# 12 / thread# 16 --------------------',
  login: '[17/Feb/2006:16:08:16 -0500] northuist imapd[33856]: Account Information: login [x] uid proxyauth',
  storeCritical: '[17/Feb/2006:16:08:16 -0500] northuist imapd[33856]: Store Critical: Mailbox database error: missing or empty key value specified',
  truncatedLogin: '17/Feb/2006:14:05:59 -0500] northuist imapd[31550]: Account Information: login [x] uid proxyauth',
  created: '[17/Feb/2006:14:05:59 -0500] northuist imapd[31550]: Protocol Information: uid created mbox UM-Messages',
  storeCritical2: '[17/Feb/2006:14:05:59 -0500] northuist imapd[31550]: Store Critical: Mailbox database error: missing or empty key value specified',
  listing: '-rw------- 1 mailsrv nobody 7856 Feb 17 16:41 store.idx',
} as const;

/** The pstack of the crashed IMAP server: [frame line, address, function, offset]. */
const PSTACK_FRAMES: readonly (readonly [line: string, address: string, fn: string, offset: string])[] = [
  ['ff129394 txn_abort (0, f30a14d8, f30a14c0, ff12e164, 0, 0) + 4', 'ff129394', 'txn_abort', '4'],
  ['00085fbc mboxlist_trans_finish (0, 16, f30a14d8, f30a14c0, 0, d) + 24', '00085fbc', 'mboxlist_trans_finish', '24'],
  ['00091f94 mboxlist_maybeRecoverSubsFromFile (1e25994, 2f, 0, 0, 0, 2f) + 68c', '00091f94', 'mboxlist_maybeRecoverSubsFromFile', '68c'],
  ['0008ebdc mboxlist_findsub (1799550, 1, 0, 1e25994, 1c7b538, 625b0) + 6c', '0008ebdc', 'mboxlist_findsub', '6c'],
  ['00053bb0 cmd_list (1e25920, 1e2f0b8, 1, 11995d8, 1799550, 0) + 288', '00053bb0', 'cmd_list', '288'],
  ['00047d90 cmdloop (1e25920, 708, 2000, 2710, 0, 0) + 3058', '00047d90', 'cmdloop', '3058'],
  ['000434d8 sock_readable (1e25920, 0, 7c2b48, 0, 0, 0) + 580', '000434d8', 'sock_readable', '580'],
  ['ff1860bc GDispCx_Dispatch (221204, faa47c, 7bed4c, fffffff8, 0, 6d47c1) + ec', 'ff1860bc', 'GDispCx_Dispatch', 'ec'],
  ['ff1864b8 GDispCx_InternalWork (7bed4c, ff186188, fee6c000, c, 7c2b48, 0) + 330', 'ff1864b8', 'GDispCx_InternalWork', '330'],
  ['ff0b2ad0 _pt_root (7c2b48, ff0cc24c, 0, fee78d04, 0, 2) + a4', 'ff0b2ad0', '_pt_root', 'a4'],
  ['fee5b03c _thread_start (7c2b48, 0, 0, 0, 0, 0) + 40', 'fee5b03c', '_thread_start', '40'],
];

const SEED_CASES: readonly Case[] = [
  [SEED_LINES.irq, 'Nov  8 16:49:42', 'constant.numeric.date.rfc3164'],
  [SEED_LINES.irq, 'drjmailgw', 'entity.name.namespace.host'],
  [SEED_LINES.irq, 'kernel', 'entity.name.function.program'],
  [SEED_LINES.irq, '3018172.820223', 'constant.numeric.uptime'],
  [SEED_LINES.linkDown, 'kernel', 'entity.name.function.program'],
  [SEED_LINES.linkDown, '6003089.071200', 'constant.numeric.uptime'],
  [SEED_LINES.linkDown, 'Link is Down', 'severity.warning'],
  [SEED_LINES.greeting, 'Timeout', 'severity.warning'],
  [SEED_LINES.lwp, 'lwp#', 'keyword.other.thread'],
  [SEED_LINES.lwp, '12', 'constant.numeric.thread-id'],
  [SEED_LINES.lwp, 'thread#', 'keyword.other.thread'],
  [SEED_LINES.lwp, '16', 'constant.numeric.thread-id'],
  [SEED_LINES.lwp, '-----------------', 'comment'],
  ...PSTACK_FRAMES.flatMap(([line, address, fn, offset]): Case[] => [
    [line, address, 'constant.numeric.address.frame'],
    [line, fn, 'entity.name.function.frame'],
    [line, `) + «${offset}»`, 'constant.numeric.offset.frame'],
  ]),
  [PSTACK_FRAMES[0][0], '0, f30a14d8, f30a14c0, ff12e164, 0, 0', 'variable.parameter.arguments'],
  [SEED_LINES.login, '17/Feb/2006:16:08:16 -0500', 'constant.numeric.date.clf'],
  [SEED_LINES.login, 'northuist', 'entity.name.namespace.host'],
  [SEED_LINES.login, 'imapd', 'entity.name.function.program'],
  [SEED_LINES.login, '33856', 'constant.numeric.pid'],
  [SEED_LINES.login, 'Account Information', 'severity.info'],
  [SEED_LINES.storeCritical, 'Store Critical', 'invalid.illegal.severity.critical'],
  [SEED_LINES.storeCritical, 'error', 'markup.deleted.severity.error'],
  [SEED_LINES.truncatedLogin, '17/Feb/2006:14:05:59 -0500', 'constant.numeric.date.clf'],
  [SEED_LINES.truncatedLogin, 'imapd', 'entity.name.function.program'],
  [SEED_LINES.truncatedLogin, '31550', 'constant.numeric.pid'],
  [SEED_LINES.created, '17/Feb/2006:14:05:59 -0500', 'constant.numeric.date.clf'],
  [SEED_LINES.created, 'Protocol Information', 'severity.info'],
  [SEED_LINES.storeCritical2, '31550', 'constant.numeric.pid'],
  [SEED_LINES.storeCritical2, 'Store Critical', 'severity.critical'],
];

const TIMESTAMP_CASES: readonly Case[] = [
  ['Jan 4 21:51:05 hostname cyrus/imap[5355]: badlogin: localhost', 'Jan 4 21:51:05', 'constant.numeric.date.rfc3164'],
  ['Nov  8 16:49:42.123 host app: started', 'Nov  8 16:49:42.123', 'constant.numeric.date.rfc3164'],
  ['2026-03-01T16:49:42.123456+01:00 mx postfix/smtpd[4242]: connect from unknown[192.0.2.1]', '2026-03-01T16:49:42.123456+01:00', 'constant.numeric.date.iso8601'],
  ['2026-03-01T15:49:42Z mx sshd[7]: Accepted publickey for root', '2026-03-01T15:49:42Z', 'constant.numeric.date.iso8601'],
  ['<34>1 2026-03-01T16:49:42.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed', '2026-03-01T16:49:42.003Z', 'constant.numeric.date.rfc5424'],
  ['<34>1 2026-03-01T16:49:42.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed', '34', 'constant.numeric.priority'],
  ['<34>1 2026-03-01T16:49:42.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed', 'mymachine.example.com', 'entity.name.namespace.host'],
  ['<34>1 2026-03-01T16:49:42.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed', ' «su» -', 'entity.name.function.program'],
  ['2026-03-01 16:49:42 1cNc9F-0000zy-9N <= alice@example.org H=mx.example.org [192.0.2.7] P=esmtp S=1234', '2026-03-01 16:49:42', 'constant.numeric.date.iso8601'],
  ['2026-03-01 16:49:42 +0100 1cNc9F-0000zy-9N Completed', '2026-03-01 16:49:42 +0100', 'constant.numeric.date.iso8601'],
  ['2026-03-01 16:49:42 [4321] 1cNc9F-0000zy-9N Completed', '4321', 'constant.numeric.pid'],
  ['[17/Feb/2006:16:08:16 -0500] northuist popd[1]: General Error: out of memory', '17/Feb/2006:16:08:16 -0500', 'constant.numeric.date.clf'],
  ['[    1.234567] Linux version 6.1.0', '    1.234567', 'constant.numeric.uptime'],
  ['Mar  1 16:49:42 host kernel: [    1.234567] ACPI: Core revision', '    1.234567', 'constant.numeric.uptime'],
  ['Jul 10 23:53:52 fail2ban-test dropbear[825]: [825] Jul 10 23:53:52 Bad password attempt', ' [825] «Jul 10 23:53:52»', 'constant.numeric.date.rfc3164'],
  ['@40000000433225833b6e1a8c tcpserver: status: 5/30', '40000000433225833b6e1a8c', 'constant.numeric.date.tai64n'],
];

const HEADER_CASES: readonly Case[] = [
  ['Mar  1 16:49:42 mx postfix/smtpd[4242]: connect from unknown[192.0.2.1]', 'mx', 'entity.name.namespace.host'],
  ['Mar  1 16:49:42 mx postfix/smtpd[4242]: connect from unknown[192.0.2.1]', 'postfix/smtpd', 'entity.name.function.program'],
  ['Mar  1 16:49:42 mx postfix/smtpd[4242]: connect from unknown[192.0.2.1]', '4242', 'constant.numeric.pid'],
  ['Mar  1 16:49:42 mail sm-mta[1234]: oA8GngTk021234: from=<a@example.org>', 'sm-mta', 'entity.name.function.program'],
  ['Mar  1 16:49:01 host /usr/sbin/cron[999]: (root) CMD (run-parts /etc/cron.hourly)', '/usr/sbin/cron', 'entity.name.function.program'],
  ['Mar  1 16:49:01 host /usr/sbin/cron[999]: (root) CMD (run-parts /etc/cron.hourly)', '999', 'constant.numeric.pid'],
  ['Feb 11 15:23:17 dropbear[1252]: login attempt for nonexistent user', 'dropbear', 'entity.name.function.program'],
  ['Apr 23 21:59:01 dns2 imapd: LOGIN FAILED, user=sales@example.com', 'imapd', 'entity.name.function.program'],
  ['Apr  2 17:51:27 <4.3> pancake sshd[55624]: error: PAM: authentication error', '4.3', 'constant.numeric.priority'],
  ['Apr  2 17:51:27 <4.3> pancake sshd[55624]: error: PAM: authentication error', 'pancake', 'entity.name.namespace.host'],
  ['<13>Mar  1 16:49:42 host app[1]: hello', '13', 'constant.numeric.priority'],
  ['<13>Mar  1 16:49:42 host app[1]: hello', 'Mar  1 16:49:42', 'constant.numeric.date.rfc3164'],
  ['2026-03-01T16:49:42+01:00 mx postfix/qmgr[77]: 00ADB3C0899: removed', 'postfix/qmgr', 'entity.name.function.program'],
  ['Jan 29 13:54:06 auth-worker(22401): Info: sql(admin@example.de,192.0.2.5): unknown user', '22401', 'constant.numeric.pid'],
  ['Mar 24 08:58:32 sogod [26818]: SOGoRootPage Login from \'192.0.2.31\'', 'sogod', 'entity.name.function.program'],
  ['Jan 10 00:00:00 myhost proftpd[12345] myhost.domain.com (192.0.2.3[192.0.2.3]): USER u (Login failed)', 'proftpd', 'entity.name.function.program'],
];

const SEVERITY_CASES: readonly Case[] = [
  ['Mar  1 16:49:42 h app[1]: error: disk full', 'error', 'markup.deleted.severity.error'],
  ['Mar  1 16:49:42 h sshd[1]: Failed password for root from 192.0.2.9 port 22 ssh2', 'Failed', 'severity.error'],
  ['Mar  1 16:49:42 h app[1]: CRITICAL: raid degraded', 'CRITICAL', 'invalid.illegal.severity.critical'],
  ['Mar  1 16:49:42 h kernel: Kernel panic - not syncing: Fatal exception', 'panic', 'severity.critical'],
  ['Mar  1 16:49:42 h postfix/smtpd[1]: warning: hostname x does not resolve', 'warning', 'markup.changed.severity.warning'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: connect to mx[192.0.2.1]:25: Connection timed out', 'timed out', 'severity.warning'],
  ['Mar  1 16:49:42 h app[1]: timeout after DATA', 'timeout', 'severity.warning'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: message deferred', 'deferred', 'severity.warning'],
  ['Mar  1 16:49:42 h app[1]: <info> started', 'info', 'keyword.other.severity.info'],
  ['Mar  1 16:49:42 h app[1]: notice: reload', 'notice', 'severity.info'],
  ['Mar  1 16:49:42 h app[1]: debug: x=1', 'debug', 'comment.line.severity.debug'],
  ['Mar  1 16:49:42 h sendmail[1]: SYSERR(root): collect: I/O error on connection', 'SYSERR', 'invalid.illegal.severity.critical'],
  ['[17/Feb/2006:16:08:16 -0500] northuist imapd[1]: General Error: cannot open store', 'General Error', 'markup.deleted.severity.error'],
];

const ADDRESS_CASES: readonly Case[] = [
  ['Mar  1 16:49:42 mx postfix/smtpd[1]: connect from unknown[192.0.2.1]', '192.0.2.1', 'constant.numeric.ip.v4'],
  ['Mar  1 16:49:42 h sendmail[1]: oA8GngTk021234: [192.0.2.1]: possible SMTP attack', '192.0.2.1', 'constant.numeric.ip.v4'],
  ['Mar 24 15:25:51 b dropbear[4092]: bad password attempt for \'root\' from 198.51.100.87:5543', '198.51.100.87', 'constant.numeric.ip.v4'],
  ['Mar 24 15:25:51 b dropbear[4092]: bad password attempt for \'root\' from 198.51.100.87:5543', '5543', 'constant.numeric.port'],
  ['Apr 23 21:59:01 dns2 imapd: LOGIN FAILED, user=sales@example.com, ip=[::ffff:192.0.2.1]', '::ffff:192.0.2.1', 'constant.numeric.ip.v6'],
  ['Apr 29 23:02:45 h avahi-daemon[2467]: Invalid response packet from host fe80::22c9:d0ff:fe15:1b7c', 'fe80::22c9:d0ff:fe15:1b7c', 'constant.numeric.ip.v6'],
  ['Mar  1 16:49:42 h sshd[1]: Accepted password for root from 2001:db8::1 port 22', '2001:db8::1', 'constant.numeric.ip.v6'],
  ['Mar  1 16:49:42 h sshd[1]: Connection from ::1 port 22', '::1', 'constant.numeric.ip.v6'],
  ['Apr 23 21:59:01 dns2 imapd: LOGIN FAILED, user=sales@example.com, ip=[::ffff:192.0.2.1]', 'sales@example.com', 'string.unquoted.email'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<bob@example.com>, delay=00:00:01, stat=Sent', 'bob@example.com', 'string.unquoted.email'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<bob@example.com>, delay=00:00:01, stat=Sent', 'to', 'entity.other.attribute-name.key'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<bob@example.com>, delay=00:00:01, stat=Sent', '<', 'punctuation.definition.address.begin'],
  ['Mar  1 16:49:42 h postfix/qmgr[1]: 00ADB3C0899: from=<>, size=1234, nrcpt=1 (queue active)', 'from', 'entity.other.attribute-name.key'],
  ['Mar  1 16:49:42 h postfix/qmgr[1]: 00ADB3C0899: from=<>, size=1234, nrcpt=1 (queue active)', '<>', 'punctuation.definition.address'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=root, ctladdr=<root> (0/0), stat=Sent', '«root»>', 'string.unquoted.address'],
  ['Mar  1 16:49:42 h postfix/cleanup[1]: 00ADB3C0899: message-id=<20260301.abc@example.org>', '20260301.abc@example.org', 'string.unquoted.message-id'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: from=<a@example.org>, size=1, msgid=<x.y@example.org>, relay=h [192.0.2.1]', 'x.y@example.org', 'string.unquoted.message-id'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: from=<a@example.org>, size=1, msgid=<x.y@example.org>, relay=h [192.0.2.1]', 'msgid', 'entity.other.attribute-name.key'],
  ['2026-03-01 16:49:42 1cNc9F-0000zy-9N => userx <page+ux@test.ex> R=localuser T=local_delivery', 'page+ux@test.ex', 'string.unquoted.email'],
];

const QUEUE_ID_CASES: readonly Case[] = [
  ['Nov  8 16:49:42 mail sm-mta[21234]: oA8GngTk021234: from=<a@example.org>, size=1', 'oA8GngTk021234', 'queue-id.sendmail'],
  ['Feb 24 14:00:01 server sendmail[3529566]: xA32R2PQ3529566: [192.0.2.2]: possible SMTP attack', 'xA32R2PQ3529566', 'queue-id.sendmail'],
  ['Mar  1 16:49:42 h postfix/qmgr[1]: 00ADB3C0899: removed', '00ADB3C0899', 'queue-id.postfix'],
  ['Mar  1 16:49:42 h postfix/qmgr[1]: 4Lq3Yx0Jm5z9sR: from=<a@example.org>, size=1', '4Lq3Yx0Jm5z9sR', 'queue-id.postfix'],
  ['2026-03-01 16:49:42 1cNc9F-0000zy-9N Completed', '1cNc9F-0000zy-9N', 'queue-id.exim'],
  ['1999-03-02 09:44:33 10HmaX-000000005vi-0000 <= CALLER@test.ex U=CALLER P=local S=sss', '10HmaX-000000005vi-0000', 'queue-id.exim'],
];

const SMTP_CASES: readonly Case[] = [
  ['Feb 25 03:01:10 k sm-mta[1]: s1P819mk027713: ruleset=check_rcpt, reject=550 5.7.1 <a@example.ru>... Relaying denied', '550', 'constant.numeric.smtp-reply.permanent'],
  ['Feb 25 03:01:10 k sm-mta[1]: s1P819mk027713: ruleset=check_rcpt, reject=550 5.7.1 <a@example.ru>... Relaying denied', '5.7.1', 'constant.numeric.smtp-enhanced.permanent'],
  ['Feb 21 09:21:54 x postfix/smtpd[1]: NOQUEUE: reject: RCPT from e.com[192.0.43.10]: 450 4.7.1 : Helo command rejected', '450', 'smtp-reply.transient'],
  ['Feb 21 09:21:54 x postfix/smtpd[1]: NOQUEUE: reject: RCPT from e.com[192.0.43.10]: 450 4.7.1 : Helo command rejected', '4.7.1', 'smtp-enhanced.transient'],
  ['2026-03-01 16:49:42 1cNc9F-0000zy-9N => x@test.ex R=r T=t H=127.0.0.1 [127.0.0.1] C="250 OK id=1cNc9G-0000zz-AB"', '250', 'smtp-reply.success'],
  ['2013-01-04 17:03:46 login authenticator failed for h ([192.168.2.33]) [24.106.174.74]: 535 Incorrect authentication data', '535', 'smtp-reply.permanent'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, dsn=4.4.1, status=deferred (connect timed out)', '4.4.1', 'constant.numeric.smtp-enhanced.transient'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 1)', '2.0.0', 'smtp-enhanced.success'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 1)', '250', 'smtp-reply.success'],
];

const STATUS_CASES: readonly Case[] = [
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<b@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent (ok)', 'Sent', 'markup.inserted.status.success'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<b@example.com>, stat=Deferred: 450 4.7.1 try later', 'Deferred', 'markup.changed.status.deferred'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<b@example.com>, stat=Deferred: 450 4.7.1 try later', '450', 'smtp-reply.transient'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<b@example.com>, stat=User unknown', 'User unknown', 'markup.deleted.status.failure'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, status=sent (250 OK)', 'sent', 'markup.inserted.status.success'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, status=deferred (timeout)', 'deferred', 'markup.changed.status.deferred'],
  ['Mar  1 16:49:42 h postfix/smtp[1]: 00ADB3C0899: to=<a@b.example>, status=bounced (unknown user)', 'bounced', 'markup.deleted.status.failure'],
  ['Mar  1 16:49:42 h postfix/qmgr[1]: 00ADB3C0899: from=<a@b.example>, status=expired, returned to sender', 'expired', 'markup.deleted.status.failure'],
];

const FRAME_CASES: readonly Case[] = [
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', '3', 'constant.numeric.frame-number'],
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', '0x00007f90879e4c0f', 'constant.numeric.address.frame'],
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', 'main', 'entity.name.function.frame'],
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', 'argc', 'variable.parameter'],
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', 'x.c', 'string.unquoted.path.source'],
  ['#3  0x00007f90879e4c0f in main (argc=1, argv=0x7ffd1234) at x.c:12', ':«12»', 'constant.numeric.line'],
  ['#0  raise (sig=6) at ../sysdeps/unix/sysv/linux/raise.c:50', 'raise', 'entity.name.function.frame'],
  ['[<c0597910>] (dump_stack) from [<c05946f4>] (panic+0x98/0x218)', 'panic', 'entity.name.function.frame'],
  ['Thread 11 (Thread 0x7f1 (LWP 19965)):', '11', 'constant.numeric.thread-id'],
  ['ff21f4e8 _pollsys (ffbff6e0, 2, ffbff660, 0)', '_pollsys', 'entity.name.function.frame'],
  ["core 'core.33856' of 33856:\t/opt/SUNWmsgsr/lib/imapd", 'of «33856»', 'constant.numeric.pid'],
  ["core 'core.33856' of 33856:\t/opt/SUNWmsgsr/lib/imapd", '/opt/SUNWmsgsr/lib/imapd', 'entity.name.function.program'],
];

/** Where nothing must be claimed: [line, fragment, scope that must be absent]. */
const NOT_CASES: readonly Case[] = [
  ['Mar  1 16:49:42 mx postfix/smtpd[4242]: connect from unknown[192.0.2.1]', '4242', 'date'],
  ['Feb 11 15:23:17 dropbear[1252]: login attempt for nonexistent user', 'dropbear', 'namespace.host'],
  [SEED_LINES.listing, 'Feb 17 16:41', 'date'],
  [SEED_LINES.irq, '1.221', 'ip.v4'],
  [SEED_LINES.irq, '1.221', 'uptime'],
  [SEED_LINES.login, 'Information', 'severity.error'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<postmaster@192.0.2.1>, stat=Sent', '192.0.2.1', 'ip.v4'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<postmaster@[192.0.2.1]>, stat=Sent', '192.0.2.1', 'ip.v4'],
  ['Mar  1 16:49:42 h app[1]: informational failover of the terrorist errand debugger', 'informational', 'severity'],
  ['Mar  1 16:49:42 h app[1]: informational failover of the terrorist errand debugger', 'failover', 'severity'],
  ['Mar  1 16:49:42 h app[1]: informational failover of the terrorist errand debugger', 'terrorist', 'severity'],
  ['Mar  1 16:49:42 h app[1]: informational failover of the terrorist errand debugger', 'debugger', 'severity'],
  ['Mar  1 16:49:42 h app[1]: writing /var/log/error.log', 'error', 'severity'],
  ['Mar  1 16:49:42 h app[1]: retry err=5 warn=3', 'err', 'severity'],
  ['Mar  1 16:49:42 h app[1]: authentication: ok', 'authentication', 'queue-id'],
  ['Mar  1 16:49:42 h app[1]: size: 450 bytes', '450', 'smtp-reply'],
  ['Mar  1 16:49:42 h app[1]: running kernel 5.10.0 on host', '5.10.0', 'smtp-enhanced'],
  ['Mar  1 16:49:42 h app[1]: job started at 16:49:42 today', '16:49:42', 'ip.v6'],
  ['Jul 14 14:31:06 h kernel: [UFW BLOCK] IN=eth0 MAC=40:40:2e:9a:ad:92:c4:71:fe:f1:b9:7f:08:00 SRC=192.0.2.1', '40:40:2e:9a:ad:92:c4:71', 'ip.v6'],
  ['Mar  1 16:49:42 h app[1]: value [1.234567] measured', '1.234567', 'uptime'],
  ['Mar  1 16:49:42 h app[1]: saved to user/sdh7/Sent', 'Sent', 'status'],
  ['2022-08-27T14:22:01.613Z h NSX 3106 - [abc@6876 comp="abc-edge"] keep-alive', 'abc@6876', 'email'],
  ['Mar  1 16:49:42 h app[1]: std::string and Foo::bar are not addresses', 'std::string', 'ip.v6'],
  ['Mar  1 16:49:42 h app[1]: loaded tests/kerneloopses/arm-hung-task-oops and non-fatal.conf', 'oops', 'severity'],
  ['Mar  1 16:49:42 h app[1]: loaded tests/kerneloopses/arm-hung-task-oops and non-fatal.conf', 'fatal', 'severity'],
  ['1999-03-02 09:44:33 1cNc9F-0000zy-9N DKIM: d=test.ex s=ses a=rsa-sha1 b=512 [verification succeeded]', '512', 'smtp-reply'],
  ['Mar 24 08:58:32 sogod [26818]: SOGoRootPage Login', 'sogod', 'namespace.host'],
];

const GROUPS: readonly (readonly [name: string, cases: readonly Case[]])[] = [
  ['seed incident lines', SEED_CASES],
  ['timestamps', TIMESTAMP_CASES],
  ['syslog headers', HEADER_CASES],
  ['severities', SEVERITY_CASES],
  ['addresses', ADDRESS_CASES],
  ['queue ids', QUEUE_ID_CASES],
  ['SMTP codes', SMTP_CASES],
  ['delivery status', STATUS_CASES],
  ['stack frames', FRAME_CASES],
];

for (const [group, cases] of GROUPS) {
  for (const [line, fragment, scope] of cases) {
    test(`${group}: "${fragment}" is ${scope} in: ${line}`, async () => {
      const tokens = await scopesAt(line, fragment);
      for (const scopes of tokens) {
        assert.ok(scopes.some((name) => name.includes(scope)), `a token under "${fragment}" has only [${scopes.join(', ')}]`);
      }
    });
  }
}

for (const [line, fragment, scope] of NOT_CASES) {
  test(`"${fragment}" is not ${scope} in: ${line}`, async () => {
    for (const scopes of await scopesAt(line, fragment)) {
      assert.ok(!scopes.some((name) => name.includes(scope)), `"${fragment}" got [${scopes.join(', ')}]`);
    }
  });
}

test('an address inside an email is scoped once, as the email, not also as an IP', async () => {
  const tokens = await scopesAt('Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<postmaster@[192.0.2.1]>, stat=Sent', 'postmaster@[192.0.2.1]');
  assert.ok(tokens.every((scopes) => scopes.some((name) => name.includes('email'))));
});

/** Every `name`/`contentName` in a grammar object, walked recursively. */
function scopeNames(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(scopeNames);
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) =>
    (key === 'name' || key === 'contentName') && typeof value === 'string' ? [value] : scopeNames(value),
  );
}

test('every scope the grammar assigns ends in .log-forensics', () => {
  const grammar: unknown = JSON.parse(fs.readFileSync(GRAMMAR_FILE, 'utf8'));
  const names = scopeNames(grammar).filter((name) => name !== 'Log (forensics)');
  assert.ok(names.length > 50);
  assert.deepEqual(names.filter((name) => !name.endsWith('.log-forensics')), []);
});

/** Lines built to make a backtracking regex blow up; each must tokenize well inside the limit. */
const ADVERSARIAL_LINES: readonly (readonly [what: string, line: string])[] = [
  ['a long run of local-part characters with no @', 'Mar  1 16:49:42 h app[1]: ' + 'a.b+c-d%'.repeat(4000)],
  ['many dotted numbers', 'Mar  1 16:49:42 h app[1]: ' + '1.2.3.4.5.6.7.8.9.'.repeat(2000)],
  ['a wall of colons and hex', 'Mar  1 16:49:42 h app[1]: ' + 'ab:cd::ef:'.repeat(3000)],
  ['quotes that never close', 'Mar  1 16:49:42 h app[1]: ' + 'x="'.repeat(5000)],
  ['brackets and key=value noise', '[' + 'k=<v ['.repeat(5000)],
  ['a header prefix repeated', 'Mar  1 16:49:42 '.repeat(2000)],
];

for (const [what, line] of ADVERSARIAL_LINES) {
  test(`a ${line.length}-character line of ${what} tokenizes within the time limit`, async () => {
    const grammar = await loadGrammar();
    const started = process.hrtime.bigint();
    const result = grammar.tokenizeLine(line, vsctm.INITIAL, LINE_TIME_LIMIT_MS);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    assert.equal(result.stoppedEarly, false, `stopped early after ${elapsedMs.toFixed(0)} ms`);
  });
}

/** Double-click selection: [line, offset inside the word, the word the editor should select]. */
const WORD_CASES: readonly (readonly [line: string, inside: string, word: string])[] = [
  ['relay=mx.example.org [192.0.2.1], reject=550', '0.2', '192.0.2.1'],
  ['Mar  1 16:49:42 h sm-mta[1]: oA8GngTk021234: to=<b@example.com>', 'GngT', 'oA8GngTk021234'],
  ['2026-03-01 16:49:42 1cNc9F-0000zy-9N Completed', '0000', '1cNc9F-0000zy-9N'],
  ['to=<bob.smith@mail.example.com>, stat=Sent', 'smith', 'bob.smith@mail.example.com'],
  ['Mar  1 16:49:42 mx postfix/smtpd[4242]: connect', 'smtpd', 'smtpd'],
];

for (const [line, inside, word] of WORD_CASES) {
  test(`the word pattern selects "${word}" as one word`, () => {
    const config = JSON.parse(fs.readFileSync(LANGUAGE_CONFIGURATION_FILE, 'utf8')) as { wordPattern: string };
    const offset = line.indexOf(inside);
    const words = [...line.matchAll(new RegExp(config.wordPattern, 'g'))];
    const hit = words.find((match) => match.index <= offset && offset < match.index + match[0].length);
    assert.equal(hit?.[0], word);
  });
}
