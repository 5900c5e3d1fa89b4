import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DefinitionRequest, DocumentHighlightRequest, Location, ReferencesRequest, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest, TraceMessageRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';
import { repoPath } from '../support/paths';

// The sample incident: relay1 hands messages to drjmailgw; both logs name them by msgid.
const RELAY = repoPath('samples', 'mailgw-incident', 'relay', 'maillog');
const GATEWAY = repoPath('samples', 'mailgw-incident', 'drjmailgw', 'maillog');
const relayUri = pathToFileURL(RELAY).href;
const gatewayUri = pathToFileURL(GATEWAY).href;
const relayText = fs.readFileSync(RELAY, 'utf8');
const gatewayText = fs.readFileSync(GATEWAY, 'utf8');
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((line) => line.includes(needle));
const where = (l: Location) => `${path.basename(path.dirname(new URL(l.uri).pathname))}:${l.range.start.line + 1}`;

let client: TestClient;

before(async () => {
  client = await TestClient.start({ time: { zone: 'America/New_York', year: 2010 } });
  await client.open(relayUri, relayText);
  await client.open(gatewayUri, gatewayText);
});

after(async () => client.stop());

test('references on a message id find it in both hosts\' logs', async () => {
  const line = lineOf(relayText, 'msgid=<80424B174D8B508695E58223E8743575');
  const character = relayText.split('\n')[line].indexOf('80424B17') + 3;
  const locations = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: relayUri }, position: { line, character }, context: { includeDeclaration: true } });
  assert.deepEqual((locations ?? []).map(where).sort(), [`drjmailgw:${lineOf(gatewayText, '80424B17') + 1}`, `relay:${line + 1}`]);
});

test('references on a sendmail queue id list every line of that queue id', async () => {
  const line = lineOf(relayText, 'oA8LnYiw021929: from=');
  const locations = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: relayUri }, position: { line, character: 42 }, context: { includeDeclaration: true } });
  assert.deepEqual((locations ?? []).map(where), [`relay:${line + 1}`, `relay:${line + 2}`, `relay:${line + 3}`]);
});

test('definition goes to the first appearance in time, highlights stay in the document', async () => {
  const line = lineOf(gatewayText, 'msgid=<80424B174D8B508695E58223E8743575');
  const character = gatewayText.split('\n')[line].indexOf('80424B17') + 3;
  const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: gatewayUri }, position: { line, character } })) as Location;
  assert.equal(where(definition), `relay:${lineOf(relayText, '80424B17') + 1}`);
  const highlights = await client.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: gatewayUri }, position: { line, character } });
  assert.deepEqual((highlights ?? []).map((h) => h.range.start.line), [line]);
});

test('no key under the cursor gives no references (a stamp gives the lines of its moment instead)', async () => {
  const plainWord = relayText.split('\n')[0].indexOf('size=') + 1;
  const locations = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: relayUri }, position: { line: 0, character: plainWord }, context: { includeDeclaration: true } });
  assert.equal(locations, null);
});

test('tracing a message follows it from the relay to the gateway, in time order', async () => {
  const start = lineOf(relayText, 'oA8LnSXg021927: from=');
  const trace = await client.connection.sendRequest(TraceMessageRequest, { textDocument: { uri: relayUri }, position: { line: start, character: 0 } });
  const steps = trace.items.map((item) => `${path.basename(path.dirname(new URL(item.uri).pathname))}:${item.range.start.line + 1}`);
  assert.deepEqual(steps.slice(0, 2), [`relay:${start + 1}`, `relay:${start + 2}`]);
  assert.ok(steps.includes(`drjmailgw:${lineOf(gatewayText, 'oA8LnTeY018437: from=') + 1}`), steps.join(' '));
  assert.ok(steps.includes(`drjmailgw:${lineOf(gatewayText, 'oA8LnTeY018437: to=') + 1}`), steps.join(' '));
  const times = trace.items.map((item) => item.time ?? '');
  assert.deepEqual(times, [...times].sort());
});

test('correlated entries carry the wall time of their own log', async () => {
  const line = lineOf(relayText, '16:50:38');
  const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: relayUri }, position: { line, character: 0 }, windowSeconds: 0 });
  assert.deepEqual(result.entries.map((e) => [e.time, e.localTime]), [['2010-11-08T21:50:38Z', '2010-11-08 16:50:38 -05:00']]);
});

test('a request right after opening still leaves the diagnostics published', async () => {
  const uri = 'untitled:quick';
  await client.open(uri, 'Nov  8 16:49:42 gw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)');
  await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
  const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0, 5000);
  assert.deepEqual(diagnostics.map((d) => d.code), ['kernel/irq-no-handler']);
});
