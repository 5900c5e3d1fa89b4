// An exception inside one request is logged and answered with an error; the server keeps serving.
// Malformed params (what a buggy or hostile client may send) make real handlers throw, no mocks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, ErrorCodes, HoverRequest, MarkupContent, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';
import { answer, withTimeout } from '../support/robustness';

const URI = 'untitled:messages';
const TEXT = 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)';

let client: TestClient;
const listeners: ((message: string) => void)[] = [];

before(async () => {
  client = await TestClient.start({ time: { zone: 'UTC', year: 2010 } });
  client.connection.onNotification('window/logMessage', (params: { message: string }) => listeners.forEach((listen) => listen(params.message)));
  await client.open(URI, TEXT);
  await client.diagnosticsFor(URI, (d) => d.length > 0);
});

after(() => client.stop());

/** Requests whose params are the wrong shape, each reaching a handler that throws on it. */
const MALFORMED: [string, () => Promise<unknown>][] = [
  ['hover with a null position', () => client.connection.sendRequest(HoverRequest.method, { textDocument: { uri: URI }, position: null })],
  ['hover without a textDocument', () => client.connection.sendRequest(HoverRequest.method, { position: { line: 0, character: 0 } })],
  ['code actions without a range', () => client.connection.sendRequest(CodeActionRequest.method, { textDocument: { uri: URI }, context: { diagnostics: [] } })],
  ['semantic tokens with params null', () => client.connection.sendRequest(SemanticTokensRequest.method, null)],
  ['correlate with a null position', () => client.connection.sendRequest(CorrelateRequest.method, { textDocument: { uri: URI }, position: null })],
  ['correlate with a string for windowSeconds', () => client.connection.sendRequest(CorrelateRequest.method, { textDocument: { uri: URI }, position: { line: 0, character: 0 }, windowSeconds: 'soon' })],
];

for (const [name, send] of MALFORMED) {
  test(`${name} is answered with an error, and the next request is served`, async () => {
    const { error } = await answer(send(), name);
    assert.ok(error, `${name} was answered without an error`);
    assert.ok(([ErrorCodes.InternalError, ErrorCodes.InvalidParams] as number[]).includes(error.code), `code ${error.code}: ${error.message}`);
    assert.doesNotMatch(error.message, /^\s+at /m, 'the error carries a stack trace');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: 0, character: 3 } });
    assert.match((hover?.contents as MarkupContent).value, /2010-11-08T16:49:42Z/);
    assert.equal(client.alive, true);
  });
}

test('an unexpected exception is logged with the request it happened in', async () => {
  const seen = new Promise<string>((resolve) => listeners.push((message) => message.includes('textDocument/hover failed') && resolve(message)));
  await answer(client.connection.sendRequest(HoverRequest.method, { textDocument: { uri: URI }, position: null }), 'hover');
  const message = await withTimeout(seen, 10_000, 'the server log');
  assert.match(message, /TypeError/);
});
