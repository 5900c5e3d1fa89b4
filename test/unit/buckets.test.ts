import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketCounts, BucketLog, MAX_BUCKETS, NO_HOST, chooseBucketMs, countBuckets } from '../../server/src/analysis/correlate/buckets';
import { analyzeText } from '../support/catalogue';

function log(file: string, lines: string[]): BucketLog {
  const { parsed, findings } = analyzeText(lines.join('\n'));
  return { file, parsed, findings };
}

const GATEWAY = log('drjmailgw/messages', [
  'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (sa1)',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  '  a continuation line is not an entry',
  'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
]);
const RELAY = log('relay/maillog', [
  'Nov  8 16:48:01 relay1 sendmail[21001]: oA8Lm1aa021001: to=<a@example.com>, stat=Sent',
  'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw. during client greeting',
]);
const STACK = log('core.pstack', ['#0  0x00007f in poll () from /lib64/libc.so.6']);

const at = (hhmmss: string): number => Date.parse(`2010-11-08T${hhmmss}Z`);

/** The non-zero slots of a group as `slot:entries/findings`, for readable expectations. */
function slots(counts: BucketCounts, by: 'byHost' | 'byFile', key: string): string[] {
  const group = counts[by].find((g) => g.key === key);
  assert.ok(group, `no group ${key} in ${counts[by].map((g) => g.key).join(', ')}`);
  return group.entries.flatMap((entries, i) => (entries + group.findings[i] > 0 ? [`${i}:${entries}/${group.findings[i]}`] : []));
}

test('automatic widths are the narrowest nice step that fits the target', () => {
  for (const [spanMs, target, expected] of [
    [60_000, 60, 1000],
    [61_000, 60, 2000],
    [10 * 3600_000, 96, 600_000],
    [0, 96, 1000],
    [30 * 86400_000, 10, 604_800_000],
  ] as const) {
    assert.equal(chooseBucketMs(spanMs, target), expected, `${spanMs} ms in ${target}`);
  }
});

test('entries and findings are counted per minute, per host and per file', () => {
  const counts = countBuckets([GATEWAY, RELAY], { bucketMs: 60_000 });
  assert.equal(counts.from, at('16:45:00'));
  assert.equal(counts.count, 6, '16:45 to 16:50 inclusive');
  assert.deepEqual(slots(counts, 'byHost', 'drjmailgw'), ['0:1/0', '4:2/2']);
  assert.deepEqual(slots(counts, 'byHost', 'relay1'), ['3:1/0', '5:1/1']);
  assert.deepEqual(slots(counts, 'byFile', 'drjmailgw/messages'), ['0:1/0', '4:2/2']);
  assert.deepEqual(slots(counts, 'byFile', 'relay/maillog'), ['3:1/0', '5:1/1']);
});

test('each group remembers its earliest entry per bucket, to reveal', () => {
  const counts = countBuckets([GATEWAY, RELAY], { bucketMs: 60_000 });
  const gateway = counts.byFile.find((g) => g.key === 'drjmailgw/messages')!;
  assert.deepEqual(gateway.first[4], { log: 0, line: 1 });
  assert.equal(gateway.first[1], null);
  const relay = counts.byHost.find((g) => g.key === 'relay1')!;
  assert.deepEqual(relay.first[5], { log: 1, line: 1 });
});

test('a time range keeps only what lies inside it, the end excluded', () => {
  const counts = countBuckets([GATEWAY, RELAY], { bucketMs: 1000, from: at('16:49:42'), to: at('16:49:45') });
  assert.equal(counts.count, 3);
  assert.deepEqual(slots(counts, 'byHost', 'drjmailgw'), ['0:1/1']);
  assert.equal(counts.byHost.some((g) => g.key === 'relay1'), false, 'a host with nothing in range is left out');
});

test('groups are listed busiest first', () => {
  const counts = countBuckets([RELAY, GATEWAY], { bucketMs: 60_000 });
  assert.deepEqual(counts.byHost.map((g) => g.key), ['drjmailgw', 'relay1']);
});

test('entries without a host are grouped under one name, untimed lines are not counted', () => {
  const counts = countBuckets([GATEWAY, STACK], { bucketMs: 60_000 });
  assert.equal(counts.byHost.some((g) => g.key === NO_HOST), false, 'the pstack frame has no time');
  assert.equal(counts.byFile.some((g) => g.key === 'core.pstack'), false);
  const bare = log('bare.log', ['2010-11-08T16:46:00Z a line without a host?']);
  const mixed = countBuckets([bare], { bucketMs: 60_000 });
  assert.ok(mixed.byHost.every((g) => g.entries.reduce((a, b) => a + b, 0) === 1));
});

test('no timed entry gives an empty answer, not an error', () => {
  const counts = countBuckets([STACK]);
  assert.equal(counts.count, 0);
  assert.ok(Number.isNaN(counts.from));
  assert.deepEqual(counts.byHost, []);
});

test('too narrow a width for the range is widened to at most MAX_BUCKETS buckets', () => {
  const counts = countBuckets([GATEWAY, RELAY], { bucketMs: 1 });
  assert.ok(counts.count <= MAX_BUCKETS, String(counts.count));
  assert.ok(counts.bucketMs > 1);
  const total = counts.byFile.reduce((sum, g) => sum + g.entries.reduce((a, b) => a + b, 0), 0);
  assert.equal(total, 5, 'every timed entry is still counted once');
});
