import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { IdentityIndex } from '../../server/src/analysis/identity/index';
import { traceMessage } from '../../server/src/analysis/identity/trace';
import { parseLog } from '../../server/src/analysis/parse/document';
import { FIXED_TIME } from '../support/catalogue';
import { repoPath } from '../support/paths';

function indexOf(logs: Record<string, string>): IdentityIndex {
  const index = new IdentityIndex();
  for (const [id, text] of Object.entries(logs)) index.addLog(id, parseLog(text, FIXED_TIME));
  return index;
}

function sample(host: string): string {
  return fs.readFileSync(repoPath('samples', 'mailgw-incident', host, 'maillog'), 'utf8');
}

/** The number of the first line of `text` that contains `needle`. */
function lineWith(text: string, needle: string): number {
  return text.split('\n').findIndex((line) => line.includes(needle));
}

test('a sendmail message is traced from the relay into the gateway, in time order', () => {
  const relay = sample('relay');
  const gateway = sample('drjmailgw');
  const index = indexOf({ 'drjmailgw/maillog': gateway, 'relay/maillog': relay });
  const start = lineWith(relay, 'oA8H25Ym019052: from=');
  const trace = traceMessage(index, { logId: 'relay/maillog', line: start });
  assert.equal(trace.cut, undefined);
  assert.deepEqual(
    trace.items.map((item) => [item.logId, item.line, item.role, item.via?.kind]),
    [
      ['relay/maillog', start, 'received', undefined],
      ['relay/maillog', lineWith(relay, 'oA8H25Ym019052: to='), 'relayed', 'queue-id'],
      ['drjmailgw/maillog', lineWith(gateway, 'oA8H26oB012261: from='), 'received', 'message-id'],
      ['drjmailgw/maillog', lineWith(gateway, 'oA8H26oB012261: to='), 'relayed', 'queue-id'],
    ],
  );
  const times = trace.items.map((item) => item.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  assert.deepEqual(trace.keys.map((k) => k.value), ['oA8H25Ym019052', '1289235726.75499.c7cc88@webmail.example.net', 'oA8H26oB012261']);
});

test('the message id alone joins two hosts when no next-hop id was logged', () => {
  const index = indexOf({
    a: [
      'Nov  8 12:00:00 a sendmail[10]: oA8H00aa000010: from=<x@example.com>, size=10, nrcpts=1, msgid=<only-link@example.com>, relay=client.example.com [192.0.2.9]',
      'Nov  8 12:00:01 a sendmail[11]: oA8H00aa000010: to=<y@example.net>, mailer=esmtp, relay=b.example.net. [198.51.100.2], stat=Sent (Ok)',
    ].join('\n'),
    b: [
      'Nov  8 12:00:01 b sendmail[20]: oA8H01bb000020: from=<x@example.com>, size=12, nrcpts=1, msgid=<only-link@example.com>, relay=a.example.com [192.0.2.1]',
      'Nov  8 12:00:02 b sendmail[21]: oA8H01bb000020: to=<y@example.net>, mailer=local, stat=Sent',
    ].join('\n'),
  });
  const trace = traceMessage(index, { logId: 'a', line: 1 });
  assert.deepEqual(
    trace.items.map((item) => [item.logId, item.line, item.role, item.via?.kind]),
    [
      ['a', 0, 'received', 'queue-id'],
      ['a', 1, 'relayed', undefined],
      ['b', 0, 'received', 'message-id'],
      ['b', 1, 'delivered', 'queue-id'],
    ],
  );
});

const POSTFIX = [
  'Mar  3 10:00:00 mx1 postfix/smtpd[2101]: connect from mail.example.org[192.0.2.44]',
  'Mar  3 10:00:01 mx1 postfix/smtpd[2101]: 3F2A81C0B2D: client=mail.example.org[192.0.2.44]',
  'Mar  3 10:00:01 mx1 postfix/cleanup[2102]: 3F2A81C0B2D: message-id=<m1@example.org>',
  'Mar  3 10:00:01 mx1 postfix/qmgr[900]: 3F2A81C0B2D: from=<a@example.org>, size=1200, nrcpt=1 (queue active)',
  'Mar  3 10:00:01 mx1 postfix/smtpd[2101]: disconnect from mail.example.org[192.0.2.44]',
  'Mar  3 10:00:02 mx1 postfix/smtp[2104]: 3F2A81C0B2D: to=<b@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=1, status=deferred (connect timed out)',
  'Mar  3 10:05:02 mx1 postfix/smtp[2105]: 3F2A81C0B2D: to=<b@example.net>, relay=mx.example.net[198.51.100.7]:25, delay=301, status=sent (250 2.0.0 Ok: queued as 9B1C2D3E4F)',
  'Mar  3 10:05:02 mx1 postfix/qmgr[900]: 3F2A81C0B2D: removed',
  'Mar  3 11:00:00 mx1 postfix/smtpd[2200]: 3F2A81C0B2D: client=other.example.com[203.0.113.5]',
  'Mar  3 11:00:00 mx1 postfix/cleanup[2201]: 3F2A81C0B2D: message-id=<m2@example.com>',
].join('\n');
const NEXT_HOP = [
  'Mar  3 10:05:02 mx.example.net postfix/smtpd[77]: 9B1C2D3E4F: client=mx1.example.org[192.0.2.1]',
  'Mar  3 10:05:02 mx.example.net postfix/cleanup[78]: 9B1C2D3E4F: message-id=<m1@example.org>',
  'Mar  3 10:05:03 mx.example.net postfix/local[79]: 9B1C2D3E4F: to=<b@example.net>, relay=local, delay=1, status=sent (delivered to mailbox)',
  'Mar  3 10:05:03 mx.example.net postfix/qmgr[80]: 9B1C2D3E4F: removed',
].join('\n');

test('a postfix message runs smtpd → cleanup → qmgr → smtp → removed, and on into the next hop', () => {
  const index = indexOf({ mx1: POSTFIX, mx2: NEXT_HOP });
  const trace = traceMessage(index, { logId: 'mx1', line: 2 });
  assert.deepEqual(
    trace.items.map((item) => [item.logId, item.line, item.role]),
    [
      ['mx1', 1, 'received'],
      ['mx1', 2, 'queued'],
      ['mx1', 3, 'queued'],
      ['mx1', 5, 'deferred'],
      ['mx1', 6, 'relayed'],
      ['mx1', 7, 'removed'],
      ['mx2', 0, 'received'],
      ['mx2', 1, 'queued'],
      ['mx2', 2, 'delivered'],
      ['mx2', 3, 'removed'],
    ],
  );
});

test('a reused postfix queue id does not pull in the next message', () => {
  const index = indexOf({ mx1: POSTFIX });
  const trace = traceMessage(index, { logId: 'mx1', line: 9 });
  assert.deepEqual(trace.items.map((item) => item.line), [8, 9]);
});

test('a trace is cut at its bounds, saying so', () => {
  const index = indexOf({ mx1: POSTFIX, mx2: NEXT_HOP });
  const byLines = traceMessage(index, { logId: 'mx1', line: 1 }, { maxHops: 10, maxLines: 3 });
  assert.equal(byLines.items.length, 3);
  assert.equal(byLines.cut?.reason, 'lines');
  const byHops = traceMessage(index, { logId: 'mx1', line: 1 }, { maxHops: 1, maxLines: 100 });
  assert.equal(byHops.cut?.reason, 'hops');
  assert.ok(byHops.items.every((item) => item.logId === 'mx1'));
});

test('a line naming no message is a problem, not an empty success', () => {
  const index = indexOf({ mx1: POSTFIX });
  const trace = traceMessage(index, { logId: 'mx1', line: 0 });
  assert.deepEqual(trace.items, []);
  assert.match(trace.problem ?? '', /no queue id or message id/);
});

test('the index answers references, the key under the cursor and the first appearance', () => {
  const index = indexOf({ mx2: NEXT_HOP, mx1: POSTFIX });
  const key = index.keyAt('mx1', 6, POSTFIX.split('\n')[6].indexOf('9B1C2D3E4F') + 3);
  assert.deepEqual(key && [key.kind, key.value], ['queue-id', '9B1C2D3E4F']);
  assert.deepEqual(index.occurrences('queue-id', '9B1C2D3E4F').map((o) => [o.logId, o.line]), [['mx2', 0], ['mx2', 1], ['mx2', 2], ['mx2', 3], ['mx1', 6]]);
  assert.deepEqual(index.firstOccurrence('queue-id', '9B1C2D3E4F') && [index.firstOccurrence('queue-id', '9B1C2D3E4F')?.logId, index.firstOccurrence('queue-id', '9B1C2D3E4F')?.line], ['mx2', 0]);
  assert.equal(index.keyAt('mx1', 0, 0), undefined);
  index.removeLog('mx2');
  assert.deepEqual(index.occurrences('queue-id', '9B1C2D3E4F').map((o) => o.logId), ['mx1']);
  assert.equal(index.occurrences('host', 'mx.example.net').length, 2, 'the header host of mx2 is gone; mx1 names it twice');
});
