import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { extractKeys, IdentityKind } from '../../server/src/analysis/identity/keys';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

/** A key as the tests write it: kind, normalised value, and the text its span covers. */
type Expected = [IdentityKind, string, string];

function keysOf(text: string): Expected[] {
  return extractKeys(text, parseLogLine(text, 0)).map((key) => [key.kind, key.value, text.slice(key.start, key.end)]);
}

/** Lines written for these tests, each with every key it must yield (and no other). */
const CASES: { name: string; line: string; keys: Expected[] }[] = [
  {
    name: 'postfix smtpd: queue id, client host and address',
    line: 'Mar  3 10:00:01 mx1 postfix/smtpd[2101]: 3F2A81C0B2D: client=mail.example.org[192.0.2.44], sasl_username=alice',
    keys: [
      ['host', 'mx1', 'mx1'],
      ['process', 'mx1/postfix/smtpd[2101]', '2101'],
      ['queue-id', '3F2A81C0B2D', '3F2A81C0B2D'],
      ['host', 'mail.example.org', 'mail.example.org'],
      ['ip', '192.0.2.44', '192.0.2.44'],
      ['user', 'alice', 'alice'],
    ],
  },
  {
    name: 'postfix cleanup: the message id loses its brackets',
    line: 'Mar  3 10:00:01 mx1 postfix/cleanup[2102]: 3F2A81C0B2D: message-id=<20240303.abc@example.org>',
    keys: [
      ['host', 'mx1', 'mx1'],
      ['process', 'mx1/postfix/cleanup[2102]', '2102'],
      ['queue-id', '3F2A81C0B2D', '3F2A81C0B2D'],
      ['message-id', '20240303.abc@example.org', '20240303.abc@example.org'],
    ],
  },
  {
    name: 'postfix smtp: the next hop names its own queue id, and to=<> is nobody',
    line: 'Mar  3 10:00:02 mx1 postfix/smtp[2104]: 3F2A81C0B2D: to=<>, relay=MX.Example.NET.[198.51.100.7]:25, delay=1, status=sent (250 2.0.0 Ok: queued as 9B1C2D3E4F)',
    keys: [
      ['host', 'mx1', 'mx1'],
      ['process', 'mx1/postfix/smtp[2104]', '2104'],
      ['queue-id', '3F2A81C0B2D', '3F2A81C0B2D'],
      ['host', 'mx.example.net', 'MX.Example.NET.'],
      ['ip', '198.51.100.7', '198.51.100.7'],
      ['queue-id', '9B1C2D3E4F', '9B1C2D3E4F'],
    ],
  },
  {
    name: 'postfix long queue ids are taken from postfix programs',
    line: 'Mar  3 10:00:03 mx1 postfix/qmgr[900]: 4Lq3Yx0Jm5z9sR: removed',
    keys: [
      ['host', 'mx1', 'mx1'],
      ['process', 'mx1/postfix/qmgr[900]', '900'],
      ['queue-id', '4Lq3Yx0Jm5z9sR', '4Lq3Yx0Jm5z9sR'],
    ],
  },
  {
    name: 'postfix NOQUEUE is no queue id, unknown[...] no host',
    line: 'Mar  3 10:00:04 mx1 postfix/smtpd[2101]: NOQUEUE: reject: RCPT from unknown[203.0.113.9]: 554 5.7.1 Relay access denied; from=<a@example.com> to=<b@example.net> proto=ESMTP helo=<x>',
    keys: [
      ['host', 'mx1', 'mx1'],
      ['process', 'mx1/postfix/smtpd[2101]', '2101'],
      ['ip', '203.0.113.9', '203.0.113.9'],
    ],
  },
  {
    name: 'sendmail from= line: queue id, message id, relay host and address',
    line: 'Nov  8 12:02:06 gw1 sendmail[12261]: oA8H26oB012261: from=<s@example.net>, size=41439, class=0, nrcpts=1, msgid=<1289.c7@webmail.example.net>, proto=ESMTP, daemon=MTA, relay=relay1.example.com [198.51.100.10]',
    keys: [
      ['host', 'gw1', 'gw1'],
      ['process', 'gw1/sendmail[12261]', '12261'],
      ['queue-id', 'oA8H26oB012261', 'oA8H26oB012261'],
      ['message-id', '1289.c7@webmail.example.net', '1289.c7@webmail.example.net'],
      ['host', 'relay1.example.com', 'relay1.example.com'],
      ['ip', '198.51.100.10', '198.51.100.10'],
    ],
  },
  {
    name: 'sendmail to= line: the next hop id in "Message accepted for delivery"',
    line: 'Nov  8 12:02:06 relay1 sendmail[19053]: oA8H25Ym019052: to=<r@example.com>, delay=00:00:01, mailer=esmtp, pri=71110, relay=gw1 [198.51.100.25], dsn=2.0.0, stat=Sent (oA8H26oB012261 Message accepted for delivery)',
    keys: [
      ['host', 'relay1', 'relay1'],
      ['process', 'relay1/sendmail[19053]', '19053'],
      ['queue-id', 'oA8H25Ym019052', 'oA8H25Ym019052'],
      ['host', 'gw1', 'gw1'],
      ['ip', '198.51.100.25', '198.51.100.25'],
      ['queue-id', 'oA8H26oB012261', 'oA8H26oB012261'],
    ],
  },
  {
    name: 'sendmail: a version number and a bare relay address',
    line: 'Nov  8 12:00:00 gw1 sendmail[4132]: starting daemon (8.14.3): SMTP+queueing@00:15:00 relay=[127.0.0.1]',
    keys: [
      ['host', 'gw1', 'gw1'],
      ['process', 'gw1/sendmail[4132]', '4132'],
      ['ip', '127.0.0.1', '127.0.0.1'],
    ],
  },
  {
    name: 'sendmail bounce: the DSN gets a queue id of its own',
    line: 'Nov  8 13:00:00 gw1 sm-mta[5000]: oA8I0ab1005000: oA8I0cd2005000: DSN: User unknown',
    keys: [
      ['host', 'gw1', 'gw1'],
      ['process', 'gw1/sm-mta[5000]', '5000'],
      ['queue-id', 'oA8I0ab1005000', 'oA8I0ab1005000'],
      ['queue-id', 'oA8I0cd2005000', 'oA8I0cd2005000'],
    ],
  },
  {
    name: 'exim main log: the id, the message id, the remote host',
    line: '2024-01-05 10:11:12 1rLq2A-000Abc-7Z <= a@example.org H=mail.example.org [192.0.2.5]:41234 P=esmtps S=1234 id=x7@example.org',
    keys: [
      ['queue-id', '1rLq2A-000Abc-7Z', '1rLq2A-000Abc-7Z'],
      ['host', 'mail.example.org', 'mail.example.org'],
      ['ip', '192.0.2.5', '192.0.2.5'],
      ['message-id', 'x7@example.org', 'x7@example.org'],
    ],
  },
  {
    name: 'exim 4.97 ids, and the next exim\'s id in its reply',
    line: '2024-01-05 10:11:13 1rLq2A-000000003Ux-1k8Y => b@example.net R=dnslookup T=remote_smtp H=mx.example.net [2001:DB8:0:0::25] C="250 OK id=1rLq2B-000000000Ab-9ZzZ"',
    keys: [
      ['queue-id', '1rLq2A-000000003Ux-1k8Y', '1rLq2A-000000003Ux-1k8Y'],
      ['host', 'mx.example.net', 'mx.example.net'],
      ['ip', '2001:db8::25', '2001:DB8:0:0::25'],
      ['queue-id', '1rLq2B-000000000Ab-9ZzZ', '1rLq2B-000000000Ab-9ZzZ'],
    ],
  },
  {
    name: 'dovecot login: user, addresses, session',
    line: 'Jun 12 19:07:29 mail dovecot[241]: imap-login: Login: user=<bob@example.com>, method=PLAIN, rip=192.0.2.241, lip=203.0.113.104, mpid=5, TLS, session=<9ZHq02g3J8S60fan>',
    keys: [
      ['host', 'mail', 'mail'],
      ['process', 'mail/dovecot[241]', '241'],
      ['user', 'bob@example.com', 'bob@example.com'],
      ['ip', '192.0.2.241', '192.0.2.241'],
      ['ip', '203.0.113.104', '203.0.113.104'],
      ['session', '9ZHq02g3J8S60fan', '9ZHq02g3J8S60fan'],
    ],
  },
  {
    name: 'dovecot passdb lookups name user, address and session',
    line: 'Jun 12 19:07:30 mail dovecot: auth-worker(304): sql(carol,192.0.2.8,<n4JLdHNVngZGpV2j>): unknown user',
    keys: [
      ['host', 'mail', 'mail'],
      ['user', 'carol', 'carol'],
      ['ip', '192.0.2.8', '192.0.2.8'],
      ['session', 'n4JLdHNVngZGpV2j', 'n4JLdHNVngZGpV2j'],
    ],
  },
  {
    name: 'sshd failed password for an invalid user, from an IPv6 address',
    line: 'Feb 25 14:34:10 bastion sshd[31603]: Failed password for invalid user admin from 2001:0db8:0000:0000:0000:0000:0000:0001 port 50273 ssh2',
    keys: [
      ['host', 'bastion', 'bastion'],
      ['process', 'bastion/sshd[31603]', '31603'],
      ['user', 'admin', 'admin'],
      ['ip', '2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001'],
    ],
  },
  {
    name: 'sshd accepted key; IPv4-mapped addresses keep their dotted tail',
    line: 'Feb 25 14:35:00 bastion sshd[31700]: Accepted publickey for deploy from ::FFFF:198.51.100.3 port 40000 ssh2',
    keys: [
      ['host', 'bastion', 'bastion'],
      ['process', 'bastion/sshd[31700]', '31700'],
      ['user', 'deploy', 'deploy'],
      ['ip', '::ffff:198.51.100.3', '::FFFF:198.51.100.3'],
    ],
  },
  {
    name: 'sshd placeholders are no user',
    line: 'Mar 29 05:59:23 bastion sshd[20878]: Failed keyboard-interactive for <invalid username> from 192.0.2.55 port 42742 ssh2',
    keys: [
      ['host', 'bastion', 'bastion'],
      ['process', 'bastion/sshd[20878]', '20878'],
      ['ip', '192.0.2.55', '192.0.2.55'],
    ],
  },
  {
    name: 'imapd login: the [x] placeholder is no address, the name after it is the user',
    line: '[17/Feb/2006:14:05:59 -0500] mailstore imapd[31550]: Account Information: login [x] uid proxyauth',
    keys: [
      ['host', 'mailstore', 'mailstore'],
      ['process', 'mailstore/imapd[31550]', '31550'],
      ['user', 'uid', 'uid'],
    ],
  },
  {
    name: 'imapd mailbox operations name the user',
    line: '[17/Feb/2006:14:05:59 -0500] mailstore imapd[31550]: Protocol Information: uid created mbox UM-Messages',
    keys: [
      ['host', 'mailstore', 'mailstore'],
      ['process', 'mailstore/imapd[31550]', '31550'],
      ['user', 'uid', 'uid'],
    ],
  },
  {
    name: 'kernel: uptime stamps, versions and irq numbers are no addresses',
    line: 'Nov  8 16:49:42 gw1 kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1) bnx2 v2.0.8.1 [10.0.0]',
    keys: [['host', 'gw1', 'gw1']],
  },
  {
    name: 'timestamps and MAC addresses are no IPv6 addresses',
    line: 'Nov  8 16:50:00 gw1 dhcpd[77]: lease [10:22:33] for [00:1a:2b:3c:4d:5e] from 300.1.2.3',
    keys: [
      ['host', 'gw1', 'gw1'],
      ['process', 'gw1/dhcpd[77]', '77'],
    ],
  },
  {
    name: 'a broken header yields no host or process',
    line: 'Jan 29 13:54:06 auth-worker(22401): Info: conn unix:auth-worker (uid=143): request',
    keys: [],
  },
];

for (const { name, line, keys } of CASES) {
  test(`keys: ${name}`, () => {
    assert.deepEqual(keysOf(line), keys);
  });
}

test('key spans are offsets into the line', () => {
  const line = 'Mar  3 10:00:01 mx1 postfix/smtpd[2101]: 3F2A81C0B2D: client=unknown[192.0.2.44]';
  const keys = extractKeys(line, parseLogLine(line, 0));
  assert.deepEqual(keys.map((k) => [k.kind, k.start, k.end]), [['host', 16, 19], ['process', 34, 38], ['queue-id', 41, 52], ['ip', 69, 79]]);
});

/** Lines of a corpus file, without fail2ban's `# failJSON` annotations. */
function corpusLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('#'));
}

test('keys over the real postfix, sendmail, exim and dovecot logs of the corpus', (t) => {
  const corpus = corpusFolder();
  if (!corpus) {
    t.skip(CORPUS_SKIP);
    return;
  }
  const counts: Record<string, Record<string, number>> = {};
  const count = (source: string, line: string) => {
    const keys = extractKeys(line, parseLogLine(line, 0));
    const tally = (counts[source] ??= { lines: 0 });
    tally.lines++;
    for (const key of keys) tally[key.kind] = (tally[key.kind] ?? 0) + 1;
    return keys;
  };

  const checked = { sendmail: 0, dovecot: 0, exim: 0, postfix: 0 };
  for (const line of corpusLines(path.join(corpus, 'fail2ban', 'postfix'))) {
    const keys = count('fail2ban/postfix', line);
    if (line.includes(': NOQUEUE: ')) assert.ok(!keys.some((k) => k.kind === 'queue-id'), `NOQUEUE line yields a queue id: ${line}`);
  }
  for (const name of ['sendmail-auth', 'sendmail-reject']) {
    for (const line of corpusLines(path.join(corpus, 'fail2ban', name))) {
      const keys = count('fail2ban/sendmail', line);
      const lead = /^\S+ +\d+ [\d:]+ \S+ \S+\[\d+\]: (\w{12,16}): /.exec(line);
      if (lead) {
        checked.sendmail++;
        assert.ok(keys.some((k) => k.kind === 'queue-id' && k.value === lead[1]), `sendmail queue id missed: ${line}`);
      }
    }
  }
  for (const line of corpusLines(path.join(corpus, 'fail2ban', 'dovecot'))) {
    const keys = count('fail2ban/dovecot', line);
    const session = /session=<([^>]+)>/.exec(line);
    if (session) {
      checked.dovecot++;
      assert.ok(keys.some((k) => k.kind === 'session' && k.value === session[1]), `session missed: ${line}`);
    }
  }
  const eximFolder = path.join(corpus, 'exim-testsuite', 'log');
  for (const file of fs.readdirSync(eximFolder)) {
    for (const line of corpusLines(path.join(eximFolder, file))) {
      const keys = count('exim-testsuite/log', line);
      const lead = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?:[+-]\d{4} )?(?:\[\d+\] )?([0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4}) /.exec(line);
      if (lead) {
        checked.exim++;
        assert.ok(keys.some((k) => k.kind === 'queue-id' && k.value === lead[1]), `exim id missed: ${line}`);
      }
    }
  }
  // postfix-grok-patterns holds message bodies only; give them a postfix header to read them as a log would.
  const header = 'Jan  1 00:00:00 mx postfix/smtpd[1]: ';
  for (const row of fs.readFileSync(path.join(corpus, 'postfix-grok-patterns', 'cases.tsv'), 'utf8').split('\n').slice(1)) {
    const [, , data, results] = row.split('\t');
    if (data === undefined) continue;
    const keys = count('postfix-grok-patterns', header + data);
    const queueId = /"postfix_queueid": "([^"]+)"/.exec(results ?? '');
    if (data.startsWith('NOQUEUE: ')) assert.ok(!keys.some((k) => k.kind === 'queue-id'), `NOQUEUE body yields a queue id: ${data}`);
    else if (queueId && data.startsWith(`${queueId[1]}: `)) {
      checked.postfix++;
      assert.ok(keys.some((k) => k.kind === 'queue-id' && k.value === queueId[1]), `postfix queue id missed: ${data}`);
    }
  }
  for (const [source, tally] of Object.entries(counts)) t.diagnostic(`${source}: ${JSON.stringify(tally)}`);
  // Each invariant above must have been exercised, or a format change would pass unnoticed.
  for (const [source, n] of Object.entries(checked)) assert.ok(n > 0, `no ${source} line was checked`);
});
