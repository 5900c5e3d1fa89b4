import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeAction, CodeActionRequest, ExecuteCommandRequest, HoverRequest } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// A plain LSP client (no initialization options, no file watching, configuration answered null)
// disables a rule for the whole workspace through the server's own command, and the server
// follows `.log-forensics/disabled-rules.json` edited by hand.
const GATEWAY = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';
const RELAY = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';
const DISABLE = 'logForensics.disableRuleInWorkspace';

let folder: string;
let client: TestClient;
const file = (...parts: string[]) => path.join(folder, ...parts);
const uri = (...parts: string[]) => pathToFileURL(file(...parts)).href;
const stateFile = () => file('.log-forensics', 'disabled-rules.json');
const lineZero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-disabled-'));
  fs.writeFileSync(file('messages'), GATEWAY);
  fs.writeFileSync(file('maillog'), RELAY);
  client = await TestClient.start({}, { folders: [pathToFileURL(folder).href], initializationOptions: undefined });
  (client as unknown as { settings: unknown }).settings = null;
  await client.open(uri('maillog'), RELAY);
  await client.open(uri('messages'), GATEWAY);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a plain client is offered "Disable signature … in this workspace" last, as a quick fix that is not preferred', async () => {
  await client.diagnosticsFor(uri('maillog'), (published) => published.some((d) => d.code === 'sendmail/timeout-greeting'));
  const actions = ((await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri('maillog') }, range: lineZero, context: { diagnostics: [] } })) ?? []) as CodeAction[];
  const last = actions[actions.length - 1];
  assert.equal(last.command?.command, DISABLE, JSON.stringify(actions.map((a) => a.title)));
  assert.match(last.title, /sendmail\/timeout-greeting/);
  assert.equal(last.kind, 'quickfix');
  assert.notEqual(last.isPreferred, true);
  assert.ok(actions.length >= 2 && actions[actions.length - 2].command?.command === 'logForensics.suppressFinding', 'after "This line is expected"');
  assert.ok(client.capabilities.executeCommandProvider?.commands.includes(DISABLE));
});

test('executing it writes disabled-rules.json, and the rule\'s findings disappear from every log of the workspace', async () => {
  const actions = ((await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: uri('maillog') }, range: lineZero, context: { diagnostics: [] } })) ?? []) as CodeAction[];
  const disable = actions.find((action) => action.command?.command === DISABLE)!;
  const result = (await client.connection.sendRequest(ExecuteCommandRequest.type, { command: DISABLE, arguments: disable.command!.arguments })) as { written: string };
  assert.equal(result.written, stateFile());
  assert.deepEqual(JSON.parse(fs.readFileSync(stateFile(), 'utf8')), { version: 1, disabled: ['sendmail/timeout-greeting'] });
  assert.deepEqual(fs.readdirSync(file('.log-forensics')), ['disabled-rules.json'], 'no temporary file left behind');
  await client.diagnosticsFor(uri('maillog'), (published) => !published.some((d) => d.code === 'sendmail/timeout-greeting'));
  const gateway = await client.diagnosticsFor(uri('messages'), (published) => published.length > 0);
  assert.ok(gateway.some((d) => d.code === 'kernel/irq-no-handler'), 'other rules stay in force');
  assert.equal(fs.readFileSync(file('maillog'), 'utf8'), RELAY, 'the log is never touched');
});

test('a disabled-rules.json broken by hand is a diagnostic on that file and a message; the server keeps serving', async () => {
  fs.writeFileSync(stateFile(), '{"version":1,"disabled":["sendmail/timeout-greeting", 42]}\n');
  const problems = await client.diagnosticsFor(pathToFileURL(stateFile()).href, (published) => published.length > 0);
  assert.match(problems[0].message as string, /"disabled" entry 2 must be a rule id/);
  await client.until(() => client.messages.some((message) => message.includes('disabled-rules.json')), 'a message naming the file');
  // What could be read still applies: the one good id stays disabled.
  const relay = await client.diagnosticsFor(uri('maillog'));
  assert.ok(!relay.some((d) => d.code === 'sendmail/timeout-greeting'));
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('messages') }, position: { line: 0, character: 40 } });
  assert.ok(hover, 'hover still answers');
});

test('not JSON at all: the problem says so, every rule is back in force, and fixing the file clears it', async () => {
  fs.writeFileSync(stateFile(), '{"version":1,"disabled":[\n');
  const state = pathToFileURL(stateFile()).href;
  const problems = await client.diagnosticsFor(state, (published) => published.some((d) => /not valid JSON/.test(d.message as string)));
  assert.equal(problems.length, 1);
  await client.diagnosticsFor(uri('maillog'), (published) => published.some((d) => d.code === 'sendmail/timeout-greeting'));
  fs.writeFileSync(stateFile(), '{"version":1,"disabled":[]}\n');
  await client.diagnosticsFor(state, (published) => published.length === 0);
});

test('the command refuses arguments it cannot use, naming them', async () => {
  await assert.rejects(client.connection.sendRequest(ExecuteCommandRequest.type, { command: DISABLE, arguments: [uri('maillog')] }), /takes the log's URI and a rule id/);
  const outside = pathToFileURL(path.join(os.tmpdir(), 'elsewhere.log')).href;
  await assert.rejects(client.connection.sendRequest(ExecuteCommandRequest.type, { command: DISABLE, arguments: [outside, 'sendmail/timeout-greeting'] }), /not a log the server has read/);
});
