import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FoldingRangeRequest } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// Runs of routine lines fold, so the odd line between them is what the eye lands on.
const stamp = (minute: number) => `Nov  8 ${String(10 + Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:01`;
const cron = (minute: number) => `${stamp(minute)} gw /usr/sbin/cron[${2000 + minute}]: (root) CMD (/usr/local/sbin/mqwatch)`;
const LINES = [
  ...Array.from({ length: 120 }, (_, m) => cron(m)),
  'Nov  8 12:00:30 gw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
  ...Array.from({ length: 3 }, (_, m) => cron(121 + m)),
  'Nov  8 12:05:10 gw sshd[900]: Accepted publickey for ops from 192.0.2.7 port 52200 ssh2',
  ...Array.from({ length: 60 }, (_, m) => cron(130 + m)),
];
const URI = 'untitled:routine';
let client: TestClient;

before(async () => {
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  await client.open(URI, LINES.join('\n'));
  await client.diagnosticsFor(URI, (d) => d.length > 0);
});

after(async () => client.stop());

test('runs of routine lines fold, the flagged line and short runs stay open, and the fold says what it hides', async () => {
  const ranges = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: URI } });
  assert.deepEqual(ranges?.map((r) => [r.startLine, r.endLine]), [[0, 119], [125, 184]]);
  assert.equal(ranges?.[0].collapsedText, '120 routine lines');
});

test('a log the server does not hold has no folds', async () => {
  assert.deepEqual(await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: 'untitled:unknown' } }), []);
});
