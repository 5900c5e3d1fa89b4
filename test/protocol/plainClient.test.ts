import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeAction, CodeActionRequest, ExecuteCommandRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// A plain LSP client: it answers `workspace/configuration` with null and sends no
// initialization options. The workspace must still be indexed, and its rule files, which only a
// client that vouches for the workspace may run, must not load.
const GATEWAY = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';
const RELAY = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';
const WORKSPACE_RULE = `rules:
  - id: local/greeting
    title: A local rule for the greeting timeout
    severity: error
    match: 'timeout waiting for input'
    explanation: A rule the workspace brings, which an untrusted workspace must not run.
    samples:
      match: ['Nov  8 16:50:38 relay1 sendmail[21930]: x: timeout waiting for input from y during client greeting']
`;

/** Polls `probe` until it gives a value, failing after 10 s with what was awaited. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let folder: string;
let client: TestClient;
const file = (...parts: string[]) => path.join(folder, ...parts);

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-plain-'));
  fs.mkdirSync(file('gw'));
  fs.mkdirSync(file('relay'));
  fs.mkdirSync(file('.log-forensics', 'rules'), { recursive: true });
  fs.writeFileSync(file('gw', 'messages'), GATEWAY);
  fs.writeFileSync(file('relay', 'maillog'), RELAY);
  fs.writeFileSync(file('.log-forensics', 'rules', 'local.yaml'), WORKSPACE_RULE);
  client = await TestClient.start({}, { folders: [pathToFileURL(folder).href], initializationOptions: undefined });
  (client as unknown as { settings: unknown }).settings = null;
  await client.open(pathToFileURL(file('gw', 'messages')).href, GATEWAY);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('with configuration answered null, the workspace logs are still read and correlated', async () => {
  const relay = pathToFileURL(file('relay', 'maillog')).href;
  const entries = await waitFor('the relay log in the correlation of the gateway line', async () => {
    const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: pathToFileURL(file('gw', 'messages')).href }, position: { line: 0, character: 0 }, windowSeconds: 120 });
    const found = result.entries.filter((entry) => entry.uri === relay);
    return found.length > 0 ? found : undefined;
  });
  assert.deepEqual(entries.map((entry) => [entry.range.start.line, entry.deltaSeconds]), [[0, 56]]);
});

test('without initialization options the workspace is untrusted: its rule files do not run', async () => {
  const relay = pathToFileURL(file('relay', 'maillog')).href;
  const diagnostics = await client.diagnosticsFor(relay, (published) => published.length > 0);
  assert.deepEqual(diagnostics.map((d) => d.code).sort(), ['sendmail/timeout-greeting']);
});

test('a client that runs none of the product\'s commands gets only actions the server runs, and "This line is expected" writes the suppression itself', async () => {
  const relay = pathToFileURL(file('relay', 'maillog')).href;
  await client.open(relay, RELAY);
  await client.diagnosticsFor(relay, (published) => published.length > 0);
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: relay }, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } })) ?? [];
  const commands = actions.map((action) => (action as CodeAction).command?.command);
  assert.deepEqual([...new Set(commands)], ['logForensics.suppressFinding', 'logForensics.disableRuleInWorkspace'], JSON.stringify(actions.map((a) => a.title)));
  assert.deepEqual(client.capabilities?.executeCommandProvider?.commands, ['logForensics.suppressFinding', 'logForensics.disableRuleInWorkspace', 'logForensics.server.annotateLine']);
  const expected = actions[0] as CodeAction;
  const result = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: expected.command!.command, arguments: expected.command!.arguments });
  assert.equal((result as { written: string }).written, file('.log-forensics', 'suppressions.json'));
  const written = JSON.parse(fs.readFileSync(file('.log-forensics', 'suppressions.json'), 'utf8'));
  assert.deepEqual(written.suppressions, [{ file: 'relay/maillog', ruleId: 'sendmail/timeout-greeting', text: RELAY.trimEnd() }]);
  assert.equal(fs.readFileSync(file('relay', 'maillog'), 'utf8'), RELAY, 'the log is never touched');
  await client.diagnosticsFor(relay, (published) => !published.some((d) => d.code === 'sendmail/timeout-greeting'));
  await assert.rejects(client.connection.sendRequest(ExecuteCommandRequest.type, { command: 'logForensics.showAround', arguments: [] }), /not a command this server runs/);
});
