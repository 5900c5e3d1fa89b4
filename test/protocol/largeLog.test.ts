import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CorrelateRequest, ReportRequest, TimelineRequest, TriageRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// VS Code hands logs over 50 MB to no extension; the client names them instead and the server
// reads them from disk. The client decides what is large; here a small file stands in for one.
const BIG = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';
const OPEN = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';

let folder: string;
let client: TestClient;
let bigUri: string;
let openUri: string;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-large-'));
  fs.writeFileSync(path.join(folder, 'maillog'), BIG);
  bigUri = pathToFileURL(path.join(folder, 'maillog')).href;
  openUri = pathToFileURL(path.join(folder, 'messages')).href;
  // No workspace folder: only what is opened or named counts.
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  await client.open(openUri, OPEN);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a log named by the client is read from disk: its findings are published and its entries correlate', async () => {
  await client.notify('logForensics/openLargeLog', { uri: bigUri });
  const diagnostics = await client.diagnosticsFor(bigUri, (d) => d.length > 0);
  assert.deepEqual(diagnostics.map((d) => d.code), ['sendmail/timeout-greeting']);
  const around = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: openUri }, position: { line: 0, character: 0 } });
  assert.deepEqual(around.entries.map((e) => [path.basename(new URL(e.uri).pathname), e.deltaSeconds]), [['messages', 0], ['maillog', 56]]);
});

test('a log read from disk answers as an open one does: timeline, triage, hover, export', async () => {
  const timeline = await client.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual(timeline.findings.map((f) => [path.basename(new URL(f.uri).pathname), f.ruleId]).sort(), [['maillog', 'sendmail/timeout-greeting'], ['messages', 'kernel/irq-no-handler']]);
  assert.equal(timeline.logs?.held, 2);
  const triage = await client.connection.sendRequest(TriageRequest, {});
  assert.deepEqual(triage.groups.map((g) => [g.ruleId, g.rhythm]).sort(), [['kernel/irq-no-handler', 'once'], ['sendmail/timeout-greeting', 'once']]);
  assert.equal(triage.groups.find((g) => g.ruleId === 'sendmail/timeout-greeting')?.uri, bigUri);
  const hover = await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: bigUri }, position: { line: 0, character: 60 } });
  assert.match(JSON.stringify(hover), /sendmail\/timeout-greeting/);
  const report = await client.connection.sendRequest(ReportRequest, { format: 'timesketch-jsonl', reportFolder: folder });
  assert.ok(report.text.includes('timeout waiting for input from drjmailgw'), report.text);
  assert.ok(report.logs.includes(path.join(folder, 'maillog')), JSON.stringify(report.logs));
});

test('when its editor closes, its findings go', async () => {
  await client.notify('logForensics/closeLargeLog', { uri: bigUri });
  assert.deepEqual(await client.diagnosticsFor(bigUri, (d) => d.length === 0), []);
  const around = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: openUri }, position: { line: 0, character: 0 } });
  assert.equal(around.entries.length, 1);
});

test('a file that cannot be read is refused with a message, and the server keeps serving', async () => {
  await client.notify('logForensics/openLargeLog', { uri: pathToFileURL(path.join(folder, 'missing')).href });
  const around = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: openUri }, position: { line: 0, character: 0 } });
  assert.equal(around.entries.length, 1);
  assert.equal(client.alive, true);
});
