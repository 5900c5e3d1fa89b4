import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeActionRequest, HoverRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { CorrelateRequest, TimelineRequest, ViewRequest } from '../../server/src/protocol';
import { viewUriOf } from '../../server/src/logs/logUris';
import { TestClient } from '../support/lspClient';

// A log the editor cannot sync is read from disk; a focused view holds a window of it as a small
// document in which hovers, code actions and correlation work, and which leads back to the log.
const minute = (m: number) => `Nov  8 ${String(16 + Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}:05`;
const LINES = [
  ...Array.from({ length: 50 }, (_, m) => `${minute(m)} relay1 sendmail[${21000 + m}]: oA8L${String(m).padStart(2, '0')}aa0210${m}: to=<a@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent`),
  'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting',
  ...Array.from({ length: 20 }, (_, m) => `${minute(51 + m)} relay1 sendmail[${22000 + m}]: oA8M${String(m).padStart(2, '0')}bb0220${m}: to=<b@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent`),
];
const GREETING = 50;
let folder: string;
let client: TestClient;
let logUri: string;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-view-'));
  fs.writeFileSync(path.join(folder, 'maillog'), `${LINES.join('\n')}\n`);
  logUri = pathToFileURL(path.join(folder, 'maillog')).href;
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  await client.notify('logForensics/openLargeLog', { uri: logUri });
  await client.diagnosticsFor(logUri, (d) => d.length > 0);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a time window of a log read from disk is its lines in that window, with where they start', async () => {
  const view = await client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, from: '2010-11-08T16:45:00Z', to: '2010-11-08T16:55:00Z' });
  assert.equal(view.startLine, 45);
  assert.equal(view.text, LINES.slice(45, 55).join('\n'));
  assert.equal(view.title, 'maillog 16:45–16:55');
  await assert.rejects(client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, from: '2010-11-09T00:00:00Z', to: '2010-11-09T01:00:00Z' }), /no entry between/);
  await assert.rejects(client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, from: 'soon', to: 'later' }), /ISO 8601/);
});

test('in the view, hovers, code actions and correlation answer, and an action leads back to the line in the full log', async () => {
  const window = { uri: logUri, from: '2010-11-08T16:45:00Z', to: '2010-11-08T16:55:00Z' };
  const view = await client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, from: window.from, to: window.to });
  const viewUri = view.uri;
  assert.equal(viewUri, viewUriOf({ uri: logUri, view: { kind: 'time', from: window.from, to: window.to } }, view.title));
  await client.open(viewUri, view.text);
  const line = GREETING - view.startLine;
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: viewUri }, position: { line, character: 60 } });
  assert.match((hover?.contents as MarkupContent).value, /sendmail\/timeout-greeting/);
  const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: viewUri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [] } });
  const back = (actions ?? []).find((action) => action.title === 'Open at this line in the full log');
  assert.deepEqual((back as { command?: { arguments?: unknown[] } })?.command?.arguments, [logUri, GREETING]);
  const around = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: viewUri }, position: { line, character: 0 }, windowSeconds: 30 });
  assert.ok(around.entries.some((entry) => entry.uri === logUri && entry.range.start.line === GREETING), JSON.stringify(around.entries));
  assert.ok(!around.entries.some((entry) => entry.uri === viewUri), 'the view is not another log of the incident');
  const timeline = await client.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual([...new Set(timeline.findings.map((f) => f.uri))], [logUri]);
});
