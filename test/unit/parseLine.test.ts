import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { Expected, checkLine } from '../support/lineCheck';

const CASES: [string, string, Expected][] = [
  ['classic syslog with padded day and kernel uptime', 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)', {
    format: 'rfc3164', stamp: 'Nov  8 16:49:42', host: 'drjmailgw', program: 'kernel', pid: null,
    message: '[3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)', civil: { month: 11, day: 8, hour: 16, minute: 49, second: 42, year: undefined }, uptime: 3018172.820223,
  }],
  ['classic syslog with unpadded day', 'Jan 4 21:51:05 host sshd[123]: Accepted publickey for root', { format: 'rfc3164', stamp: 'Jan 4 21:51:05', host: 'host', program: 'sshd', pid: '123', civil: { month: 1, day: 4 } }],
  ['program with a slash and a pid', 'Feb 21 09:21:54 xxx postfix/smtpd[14398]: NOQUEUE: reject: RCPT', { format: 'rfc3164', host: 'xxx', program: 'postfix/smtpd', pid: '14398', message: 'NOQUEUE: reject: RCPT' }],
  ['program given as a path', 'Nov  8 16:45:01 drjmailgw /usr/sbin/cron[2201]: (root) CMD (true)', { format: 'rfc3164', program: '/usr/sbin/cron', pid: '2201' }],
  ['host but no program', 'Nov  8 16:45:01 drjmailgw last message repeated 3 times', { format: 'rfc3164', kind: 'continuation', host: 'drjmailgw', program: null, message: 'last message repeated 3 times' }],
  ['program but no host', 'Nov  8 16:45:01 sendmail[42]: started', { format: 'rfc3164', host: null, program: 'sendmail', pid: '42', message: 'started' }],
  ['rsyslog ISO 8601 with fraction and offset', '2026-03-01T16:49:42.123456+01:00 gw kernel: eth0 NIC Link is Down', {
    format: 'iso8601', stamp: '2026-03-01T16:49:42.123456+01:00', host: 'gw', program: 'kernel', civil: { year: 2026, month: 3, day: 1, millis: 123, offsetMinutes: 60 },
  }],
  ['ISO 8601 in UTC', '2026-03-01T16:49:42Z gw sshd[9]: x', { format: 'iso8601', civil: { offsetMinutes: 0 }, pid: '9' }],
  ['RFC 5424 with structured data', '<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su 77 ID47 [exampleSDID@32473 iut="3"] BOM\'su root\' failed', {
    format: 'rfc5424', host: 'mymachine.example.com', program: 'su', pid: '77', message: "BOM'su root' failed", civil: { year: 2003, millis: 3, offsetMinutes: 0 },
  }],
  ['RFC 5424 with nil fields', '<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc - - - %% It\'s time', { format: 'rfc5424', host: '192.0.2.1', program: 'myproc', pid: null, message: "%% It's time", civil: { offsetMinutes: -420 } }],
  ['bracketed messaging-server stamp', '[17/Feb/2006:16:08:16 -0500] northuist imapd[33856]: Store Critical: Mailbox database error: missing or empty key value specified', {
    format: 'bracketed', stamp: '[17/Feb/2006:16:08:16 -0500]', host: 'northuist', program: 'imapd', pid: '33856', message: 'Store Critical: Mailbox database error: missing or empty key value specified',
    civil: { year: 2006, month: 2, day: 17, hour: 16, offsetMinutes: -300 },
  }],
  ['bracketed stamp that lost its opening bracket', '17/Feb/2006:14:05:59 -0500] northuist imapd[31550]: Account Information: login [x] uid proxyauth', {
    format: 'bracketed', host: 'northuist', program: 'imapd', pid: '31550', civil: { year: 2006, hour: 14, minute: 5, second: 59 },
  }],
  ['exim main log', '2017-01-03 12:00:01 1cNc9F-0000zy-9N <= a@example.com H=mx [192.0.2.1] P=esmtp S=1234', { format: 'exim', host: null, program: null, message: '1cNc9F-0000zy-9N <= a@example.com H=mx [192.0.2.1] P=esmtp S=1234', civil: { year: 2017 } }],
  ['an exim line whose message id is followed by a word and a colon', '2013-12-30 00:24:50 1VxPit-000MMd-U4 SA: Action: flagged as Spam', { format: 'exim', host: null, program: null, message: '1VxPit-000MMd-U4 SA: Action: flagged as Spam' }],
  ['an exim 4.97 line with a long message id', '2024-01-02 10:00:00 1rKX4c-00000000Fz3-2pVN SA: Action: scanned', { format: 'exim', host: null, program: null }],
  ['a dash at the very end is no zone offset', '2024-03-01 10:00:00 -', { format: 'exim', stamp: '2024-03-01 10:00:00', message: '-', civil: { offsetMinutes: undefined } }],
  ['exim main log with pid and offset', '2017-01-03 12:00:01 +0100 [4242] 1cNc9F-0000zy-9N Completed', { format: 'exim', pid: '4242', message: '1cNc9F-0000zy-9N Completed', civil: { offsetMinutes: 60 } }],
  ['a spaced ISO stamp followed by UTC', '2005-06-21 14:55:10 UTC machine demo[13709]: error', { format: 'exim', stamp: '2005-06-21 14:55:10 UTC', civil: { offsetMinutes: 0 }, host: 'machine', program: 'demo' }],
  ['bare dmesg', '[    1.234567] ACPI: Core revision 20200925', { format: 'dmesg', uptime: 1.234567, message: 'ACPI: Core revision 20200925' }],
  ['a kernel line quoted without its syslog prefix', 'kernel: [6003089.071200] bnx2: eth0 NIC Copper Link is Down', { format: 'none', kind: 'entry', program: 'kernel', uptime: 6003089.0712 }],
  ['a pstack frame', 'ff129394 txn_abort (0, f30a14d8, f30a14c0, ff12e164, 0, 0) + 4', { format: 'none', kind: 'frame' }],
  ['a pstack thread header', '----------------- lwp# 12 / thread# 16 --------------------', { format: 'none', kind: 'thread-header' }],
  ['a gdb frame', '#1  0x00007f3a1c2b3d4e in mboxlist_findsub (name=0x0) at mboxlist.c:1234', { format: 'none', kind: 'frame' }],
  ['free text is a continuation', 'Timeout waiting for input from drjmailgw during client greeting', { format: 'none', kind: 'continuation', program: null }],
  ['an impossible clock is not a stamp', 'Nov  8 25:49:42 host prog: x', { format: 'none', kind: 'continuation' }],
  ['a month-like word is not a stamp', 'Mayday 8 16:49:42 host prog: x', { format: 'none', kind: 'continuation' }],
  ['a CR left at the end of the line stays in the message', 'Nov  8 16:49:42 h p: x\r', { format: 'rfc3164', message: 'x\r' }],
  ['blank line', '   ', { format: 'none', kind: 'blank' }],
];

for (const [name, text, expected] of CASES) {
  test(`parses ${name}`, () => checkLine(text, expected));
}

test('parsing the same line twice gives the same record', () => {
  for (const [, text] of CASES) assert.deepEqual(parseLogLine(text, 3), parseLogLine(text, 3));
});
