// Malformed params (what a buggy or hostile client may send) are answered with an error and the
// server keeps serving; no mocks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionRequest, ErrorCodes, HoverRequest, MarkupContent, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';
import { answer } from '../support/robustness';

const URI = 'untitled:messages';
const TEXT = 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)';

let client: TestClient;

before(async () => {
  client = await TestClient.start({ time: { zone: 'UTC', year: 2010 } });
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

test('a request missing its position is refused as invalid params naming the field, not as a failure of the server', async () => {
  const { error } = await answer(client.connection.sendRequest(HoverRequest.method, { textDocument: { uri: URI }, position: null }), 'hover');
  assert.equal(error?.code, ErrorCodes.InvalidParams);
  assert.match(error.message, /position\.line/);
});
