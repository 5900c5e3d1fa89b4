import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { DefinitionRequest, Location, ReferencesRequest } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// A message that spans a log rotation: queued just before midnight in maillog.1, delivered and
// removed in maillog. Its postfix queue id joins the two files.
const ROTATED = [
  'Nov  8 23:59:58 mx postfix/smtpd[2201]: 3F1A2B4C5D: client=mail.example.net[198.51.100.20]',
  'Nov  8 23:59:58 mx postfix/cleanup[2202]: 3F1A2B4C5D: message-id=<20101108235958.1234@example.net>',
  'Nov  8 23:59:59 mx postfix/qmgr[880]: 3F1A2B4C5D: from=<alice@example.net>, size=2048, nrcpt=1 (queue active)',
].join('\n');
const CURRENT = [
  'Nov  9 00:00:01 mx postfix/smtp[2210]: 3F1A2B4C5D: to=<bob@example.com>, relay=mx.example.com[203.0.113.5]:25, delay=3, delays=0.1/0/1/1.9, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 9E8D7C6B5A)',
  'Nov  9 00:00:01 mx postfix/qmgr[880]: 3F1A2B4C5D: removed',
  'Nov  9 00:00:02 mx postfix/smtpd[2220]: connect from unknown[192.0.2.44]',
].join('\n');
const ROTATED_URI = 'file:///incident/mx/maillog.1';
const CURRENT_URI = 'file:///incident/mx/maillog';

let client: TestClient;

before(async () => {
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  await client.open(ROTATED_URI, ROTATED);
  await client.open(CURRENT_URI, CURRENT);
});

after(async () => client.stop());

const where = (l: Location) => `${path.basename(new URL(l.uri).pathname)}:${l.range.start.line + 1}`;

test('references on a postfix queue id return its lines from both files', async () => {
  const locations = await client.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: CURRENT_URI }, position: { line: 1, character: 40 }, context: { includeDeclaration: true } });
  assert.deepEqual((locations ?? []).map(where).sort(), ['maillog.1:1', 'maillog.1:2', 'maillog.1:3', 'maillog:1', 'maillog:2']);
  const span = locations!.find((l) => where(l) === 'maillog:2')!.range;
  assert.equal(CURRENT.split('\n')[1].slice(span.start.character, span.end.character), '3F1A2B4C5D');
});

test('definition of the queue id is where the message arrived, in the rotated file', async () => {
  const definition = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: CURRENT_URI }, position: { line: 1, character: 40 } })) as Location;
  assert.equal(where(definition), 'maillog.1:1');
});
