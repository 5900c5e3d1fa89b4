import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../support/catalogue';

const GATEWAY = [
  'Nov  8 16:49:40 drjmailgw kernel: [3018170.100000] bnx2: eth0 NIC Copper Link is Down',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:43 drjmailgw kernel: [3018173.000000] bnx2: eth0 NIC Copper Link is Up, 1000 Mbps full duplex',
  'Nov  8 17:00:00 drjmailgw kernel: [3018830.000000] bnx2: eth1 NIC Copper Link is Down',
].join('\n');

test('the seed failures are flagged with their rule id, severity and the matched span', () => {
  const { findings } = analyzeText(GATEWAY);
  const irq = findings.find((f) => f.ruleId === 'kernel/irq-no-handler');
  assert.ok(irq, 'no do_IRQ finding');
  assert.equal(irq.line, 1);
  assert.equal(irq.severity, 'error');
  assert.equal(GATEWAY.split('\n')[1].slice(irq.start, irq.end), 'do_IRQ: 1.221 No irq handler for vector (irq -1)');
  assert.equal(new Date(irq.time).toISOString(), '2010-11-08T16:49:42.000Z');
});

test('a link-down pairs with the next link-up of the same interface and reports the outage', () => {
  const downs = analyzeText(GATEWAY).findings.filter((f) => f.ruleId === 'kernel/nic-link-down');
  assert.equal(downs.length, 2);
  assert.deepEqual(downs[0].endedAt, { line: 2, durationMs: 3000 });
  assert.match(downs[0].message, /eth0.*lasted 3 s/);
  assert.equal(downs[1].endedAt, undefined);
  assert.match(downs[1].message, /eth1.*no end follows/);
});

test('a link-up of another interface does not close the pair', () => {
  const text = ['Nov  8 16:49:40 gw kernel: e1000e: eth0 NIC Link is Down', 'Nov  8 16:49:41 gw kernel: e1000e: eth1 NIC Link is Up 1000 Mbps Full Duplex'].join('\n');
  const [down] = analyzeText(text).findings;
  assert.equal(down.endedAt, undefined);
});

test('continuation lines are matched as part of the entry above and keep its time', () => {
  const text = ['[17/Feb/2006:16:08:16 -0500] northuist imapd[33856]: Account Information: login [x] uid proxyauth', '----------------- lwp# 12 / thread# 16 --------------------'].join('\n');
  const log = analyzeText(text);
  const stack = log.findings.find((f) => f.ruleId === 'process/stack-dump');
  assert.ok(stack);
  assert.equal(log.parsed.entryStart[1], 0);
  assert.equal(new Date(stack.time).toISOString(), '2006-02-17T21:08:16.000Z');
});

test('a rule scoped to a program does not fire on other programs', () => {
  const text = 'Nov  8 16:49:42 gw cron[1]: (root) CMD (echo do_IRQ: 1.221 No irq handler for vector)';
  assert.deepEqual(analyzeText(text).findings.map((f) => f.ruleId), []);
});

test('quiet routine lines give no findings', () => {
  const text = [
    'Nov  8 16:45:01 drjmailgw /usr/sbin/cron[2201]: (root) CMD (/usr/lib64/sa/sa1 1 1)',
    'Nov  8 16:45:02 drjmailgw sendmail[3001]: oA8Lj2aB003001: from=<a@example.com>, size=1234, class=0, nrcpts=1, msgid=<1@example.com>, proto=ESMTP, daemon=MTA, relay=relay1 [192.0.2.10]',
    'Nov  8 16:45:03 drjmailgw sendmail[3002]: oA8Lj2aB003001: to=<b@example.org>, delay=00:00:01, xdelay=00:00:01, mailer=esmtp, pri=120000, relay=mx.example.org. [198.51.100.7], dsn=2.0.0, stat=Sent (ok)',
  ].join('\n');
  assert.deepEqual(analyzeText(text).findings.map((f) => f.ruleId), []);
});
