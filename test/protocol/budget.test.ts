import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingsRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// More findings than VS Code shows for one file: every kind of finding is published by its first
// line, most telling first, a summary says how many more there are, and every one can be read
// through the paged request.
const LINES = Array.from({ length: 1200 }, (_, i) => {
  const stamp = `Nov  8 ${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  return i % 4 === 0
    ? `${stamp} gw kernel: do_IRQ: 1.${i} No irq handler for vector (irq -1)`
    : `${stamp} gw kernel: e1000e: eth${i} NIC Link is Down`;
});
const URI = 'untitled:busy';
/** A day of steady brute force, and late in it the two lines that explain an outage. */
const FLOOD = [
  ...Array.from({ length: 1500 }, (_, i) => `Nov  8 ${String(Math.floor(i / 63)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:07 gw sshd[${4000 + i}]: Failed password for root from 203.0.113.${i % 200} port ${40000 + i} ssh2`),
  'Nov  8 23:59:41 gw kernel: e1000e: eth1 NIC Link is Down',
  'Nov  8 23:59:42 gw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
];
const FLOOD_URI = 'untitled:flood';
let client: TestClient;

before(async () => {
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  await client.open(URI, LINES.join('\n'));
});

after(async () => client.stop());

test('at most 1,000 diagnostics are published, errors first, with a summary of the rest', async () => {
  const diagnostics = await client.diagnosticsFor(URI, (d) => d.length > 0);
  assert.equal(diagnostics.length, 1000);
  const summary = diagnostics.find((d) => d.code === 'more-findings');
  assert.ok(summary);
  assert.match(summary.message as string, /^201 more findings are not shown as diagnostics; each of the 2 kinds is shown by its first line, the most telling first/);
  assert.equal(diagnostics.filter((d) => d.code === 'kernel/irq-no-handler').length, 300, 'every error must be among those shown');
});

test('every finding can be read page by page', async () => {
  const first = await client.connection.sendRequest(FindingsRequest, { textDocument: { uri: URI }, limit: 1000 });
  const second = await client.connection.sendRequest(FindingsRequest, { textDocument: { uri: URI }, offset: 1000, limit: 1000 });
  assert.equal(first.total, 1200);
  assert.equal(first.findings.length + second.findings.length, 1200);
  assert.deepEqual([first.findings[0].ruleId, first.findings[0].range.start.line, first.findings[0].time], ['kernel/irq-no-handler', 0, '2010-11-08T10:00:00.000Z']);
  assert.equal(second.findings[199].range.start.line, 1199);
});

test('a flood of one kind does not push the one-offs after it out of the budget', async () => {
  await client.open(FLOOD_URI, FLOOD.join('\n'));
  const diagnostics = await client.diagnosticsFor(FLOOD_URI, (d) => d.length > 0);
  assert.equal(diagnostics.length, 1000);
  const shown = new Set(diagnostics.map((d) => d.code));
  assert.ok(shown.has('kernel/irq-no-handler'), 'the do_IRQ line, the last of the file, is shown');
  assert.ok([...shown].some((code) => typeof code === 'string' && code.startsWith('kernel/') && code !== 'kernel/irq-no-handler'), `the link-down line is shown: ${[...shown].join(', ')}`);
  assert.equal(diagnostics.filter((d) => d.range.start.line >= 1500).length, 2);
});
