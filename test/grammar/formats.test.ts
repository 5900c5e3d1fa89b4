import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopesAt } from './engine';

/*
 * The grammar on the journal, audit, dmesg -T, roundcube, rsyncd and macOS formats the parser
 * reads: [line, fragment, scope] as in grammar.test.ts (a fragment may mark its target with
 * guillemets; scope names without their `.log-forensics` suffix).
 */

type Case = readonly [line: string, fragment: string, scope: string];

const FULL = 'Tue 2020-08-04 13:55:27 CEST web1.example.com sshd[4711]: Accepted publickey for alice from 192.0.2.7 port 50122 ssh2';
const UNIX = '1596542127.123456 web1.example.com sshd[4711]: Invalid user admin from 198.51.100.23 port 50022';
const YEAR = '2015 Nov 13 13:40:01 gw.example.com CRON[2231]: (root) CMD (true)';
const JSON_LINE = '{ "__REALTIME_TIMESTAMP" : "1596542127123456", "_HOSTNAME" : "web1.example.com", "SYSLOG_IDENTIFIER" : "sshd", "_PID" : "4711", "MESSAGE" : "Failed password for root from 203.0.113.5 port 4242 ssh2" }';
const CTIME = '[Sun Nov  8 16:49:44 2026] e1000e 0000:00:19.0 eth0: NIC Link is Down';
const LEVELLED = 'kern  :err   : [Mon Mar  2 10:11:12 2026] EXT4-fs error (device sda1): ext4_find_entry:1455';
const LEVELLED_UPTIME = 'kern  :warn  : [  455.643231] CPU: 3 PID: 8129 Comm: swapon Not tainted';
const AUDIT = 'node=web1.example.com type=USER_AUTH msg=audit(1364481363.243:24287): pid=2873 uid=0 msg=\'op=PAM:authentication acct="root" addr=203.0.113.4 res=failed\'';
const ROUNDCUBE = '[12-Mar-2013 11:21:46 +0100]: IMAP Error: Login failed for alice@example.com from 198.51.100.2';
const ROUNDCUBE_ZONE = '[12-Mar-2013 11:21:46 America/New_York]: FAILED login for bob from 203.0.113.77';
const RSYNC = '2011/02/22 21:53:38 [9219] rsync on backup/ from client.example.com (192.0.2.31)';
const APPLE = '2020-06-10 11:42:07.123456+0200 0x1f4      Default     0x0                  123    0    sshd: (libpam.2.dylib) authentication error';
const APPLE_OLD = '2017-04-29 21:30:02.362540-0400 0x4f27     Error       0x0                  616    softwareupdated: download failed';
const LAUNCHD = 'Oct 11 22:14:15 MacBook-Pro com.apple.xpc.launchd[1] (com.example.agent[4242]): Service exited with abnormal code: 1';
const CHROME = 'Oct 11 22:14:16 MacBook-Pro Google Chrome Helper[812]: Unable to obtain a task name port right';

const VSFTPD = 'Fri Jan 19 12:20:33 2007 [pid 27202] [anonymous] FAIL LOGIN: Client "192.0.2.61"';
const CTIME_TAG = 'Tue May  9 08:04:56 2017 daemon.info named[1397]: automatic empty zone: 10.IN-ADDR.ARPA';
const BIND = '25-Jan-2013 13:09:08.048 xfer-in: error: transfer of \'example.com/IN\' from 192.0.2.53#53: failed';
const UNBOUND = '[1631314649] unbound[3551:0] notice: Start of unbound 1.9.0.';

const CASES: readonly Case[] = [
  [VSFTPD, 'Fri Jan 19 12:20:33 2007', 'constant.numeric.date.ctime'],
  [VSFTPD, '27202', 'constant.numeric.pid'],
  [CTIME_TAG, 'daemon.info', 'entity.name.tag.facility'],
  [CTIME_TAG, 'named', 'entity.name.function.program'],
  [CTIME_TAG, '1397', 'constant.numeric.pid'],
  [BIND, '25-Jan-2013 13:09:08.048', 'constant.numeric.date.dmy'],
  [UNBOUND, '1631314649', 'constant.numeric.date.epoch'],
  [UNBOUND, 'unbound', 'entity.name.function.program'],
  [UNBOUND, '3551', 'constant.numeric.pid'],
  [FULL, 'Tue 2020-08-04 13:55:27 CEST', 'constant.numeric.date.journal'],
  [FULL, 'web1.example.com', 'entity.name.namespace.host'],
  [FULL, 'sshd', 'entity.name.function.program'],
  [FULL, '4711', 'constant.numeric.pid'],
  [UNIX, '1596542127.123456', 'constant.numeric.date.epoch'],
  [UNIX, 'web1.example.com', 'entity.name.namespace.host'],
  [UNIX, 'sshd', 'entity.name.function.program'],
  [YEAR, '2015 Nov 13 13:40:01', 'constant.numeric.date.rfc3164'],
  [YEAR, 'gw.example.com', 'entity.name.namespace.host'],
  [YEAR, 'CRON', 'entity.name.function.program'],
  ['-- Boot 5c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6 --', 'Boot', 'keyword.other.marker'],
  ['-- Logs begin at Tue 2020-08-04 13:55:27 CEST, end at Wed 2020-08-05 09:01:02 CEST. --', 'Logs begin at', 'keyword.other.marker'],
  [JSON_LINE, '1596542127123456', 'constant.numeric.date.epoch'],
  [JSON_LINE, ': "«web1.example.com»"', 'entity.name.namespace.host'],
  [JSON_LINE, ': "«sshd»"', 'entity.name.function.program'],
  [JSON_LINE, '4711', 'constant.numeric.pid'],
  [JSON_LINE, '203.0.113.5', 'constant.numeric.ip'],
  ['__REALTIME_TIMESTAMP=1596542127123456', '1596542127123456', 'constant.numeric.date.epoch'],
  ['_HOSTNAME=web1.example.com', 'web1.example.com', 'entity.name.namespace.host'],
  ['SYSLOG_IDENTIFIER=sshd', 'sshd', 'entity.name.function.program'],
  ['_PID=4711', '4711', 'constant.numeric.pid'],
  ['MESSAGE=Failed password for root from 203.0.113.5 port 4242 ssh2', 'MESSAGE', 'variable.other.field'],
  ['MESSAGE=Failed password for root from 203.0.113.5 port 4242 ssh2', '203.0.113.5', 'constant.numeric.ip'],
  [CTIME, 'Sun Nov  8 16:49:44 2026', 'constant.numeric.date.ctime'],
  [LEVELLED, 'kern', 'entity.name.tag.facility'],
  [LEVELLED, 'err', 'keyword.other.level'],
  [LEVELLED, 'Mon Mar  2 10:11:12 2026', 'constant.numeric.date.ctime'],
  [LEVELLED_UPTIME, '455.643231', 'constant.numeric.uptime'],
  [AUDIT, 'web1.example.com', 'entity.name.namespace.host'],
  [AUDIT, 'USER_AUTH', 'entity.name.type.record'],
  [AUDIT, 'audit', 'entity.name.function.program'],
  [AUDIT, '1364481363.243', 'constant.numeric.date.epoch'],
  [AUDIT, '203.0.113.4', 'constant.numeric.ip'],
  [ROUNDCUBE, '12-Mar-2013 11:21:46 +0100', 'constant.numeric.date.dmy'],
  [ROUNDCUBE_ZONE, '12-Mar-2013 11:21:46 America/New_York', 'constant.numeric.date.dmy'],
  [RSYNC, '2011/02/22 21:53:38', 'constant.numeric.date.slashed'],
  [RSYNC, '9219', 'constant.numeric.pid'],
  [APPLE, '2020-06-10 11:42:07.123456+0200', 'constant.numeric.date.iso8601'],
  [APPLE, ' «123» ', 'constant.numeric.pid'],
  [APPLE, 'sshd', 'entity.name.function.program'],
  [APPLE_OLD, '616', 'constant.numeric.pid'],
  [APPLE_OLD, 'softwareupdated', 'entity.name.function.program'],
  [LAUNCHD, 'MacBook-Pro', 'entity.name.namespace.host'],
  [LAUNCHD, 'com.apple.xpc.launchd', 'entity.name.function.program'],
  [LAUNCHD, '[«1»]', 'constant.numeric.pid'],
  [CHROME, 'Google Chrome Helper', 'entity.name.function.program'],
  [CHROME, '812', 'constant.numeric.pid'],
];

for (const [line, fragment, scope] of CASES) {
  test(`"${fragment}" is ${scope} in: ${line}`, async () => {
    const tokens = await scopesAt(line, fragment);
    assert.ok(tokens.length > 0, `no token under "${fragment}"`);
    for (const scopes of tokens) assert.ok(scopes.some((name) => name.includes(scope)), `a token under "${fragment}" has only [${scopes.join(', ')}]`);
  });
}

/** The classic header keeps its own rule: a `program[pid]:` without blanks is not the macOS variant. */
test('a plain syslog tag still gets its separator scope', async () => {
  for (const scopes of await scopesAt('Mar  1 16:49:42 mx sshd[4242]: Accepted publickey for alice', 'sshd[4242]«:»')) {
    assert.ok(scopes.some((name) => name.includes('punctuation.separator.tag')), scopes.join(', '));
  }
});
