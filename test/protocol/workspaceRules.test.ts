import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeActionRequest, Diagnostic, HoverRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// A workspace that brings its own rule, overrides a shipped one, and marks one line as expected.
const LOG = [
  'Nov  8 16:49:40 gw kernel: bnx2: eth0 NIC Copper Link is Down',
  'Nov  8 16:49:42 gw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:50 gw custom-daemon[77]: widget jammed in slot 4',
  'Nov  8 16:49:55 gw custom-daemon[77]: widget jammed in slot 9',
].join('\n');
const RULES = `rules:
  - id: site/widget-jam
    title: A widget jammed
    severity: error
    programs: [custom-daemon]
    match: 'widget jammed in slot (?<slot>\\d+)'
    message: 'Widget jam in slot {slot}'
    explanation: Our own daemon's jam report; see the site runbook.
    samples:
      match: ['Nov  8 16:49:50 gw custom-daemon[77]: widget jammed in slot 4']
`;
const BROKEN = `rules:
  - id: site/broken
    title: Broken
    severity: sometimes
    match: '('
    explanation: This rule file has mistakes on purpose.
    samples:
      match: ['x']
`;

let folder: string;
const clients: TestClient[] = [];

function uriOf(...parts: string[]): string {
  return pathToFileURL(path.join(folder, ...parts)).href;
}

async function startIn(settings: Record<string, unknown>, trusted: boolean): Promise<TestClient> {
  const client = await TestClient.start(settings, { folders: [pathToFileURL(folder).href], initializationOptions: { trusted, clientCommands: true } });
  clients.push(client);
  return client;
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.range.start.line}:${String(d.code)}`).sort();

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-workspace-'));
  fs.mkdirSync(path.join(folder, '.log-forensics', 'rules'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'messages'), LOG);
  fs.writeFileSync(path.join(folder, '.log-forensics', 'rules', 'site.yaml'), RULES);
});

after(async () => {
  for (const client of clients) await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('a trusted workspace brings its own rules alongside the shipped ones', async () => {
  const client = await startIn({}, true);
  await client.open(uriOf('messages'), LOG);
  const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.some((x) => x.code === 'site/widget-jam'));
  assert.deepEqual(codes(diagnostics), ['0:kernel/nic-link-down', '1:kernel/irq-no-handler', '2:site/widget-jam', '3:site/widget-jam']);
  assert.equal(diagnostics.find((d) => d.range.start.line === 3)?.message, 'Widget jam in slot 9');
});

test('rules can be disabled by id from the settings', async () => {
  const client = await startIn({ rules: { disabled: ['kernel/nic-link-down', 'site/widget-jam'] } }, true);
  await client.open(uriOf('messages'), LOG);
  const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.length > 0);
  assert.deepEqual(codes(diagnostics), ['1:kernel/irq-no-handler']);
});

test('an untrusted workspace loads only the shipped rules', async () => {
  const client = await startIn({}, false);
  await client.open(uriOf('messages'), LOG);
  const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.length > 0);
  assert.deepEqual(codes(diagnostics), ['0:kernel/nic-link-down', '1:kernel/irq-no-handler']);
  await client.notify('logForensics/workspaceTrusted');
  const after = await client.diagnosticsFor(uriOf('messages'), (d) => d.some((x) => x.code === 'site/widget-jam'));
  assert.equal(after.filter((d) => d.code === 'site/widget-jam').length, 2);
});

test('a broken rule file gets its problems as diagnostics at the right lines, live as it is edited', async () => {
  const client = await startIn({}, true);
  const ruleUri = uriOf('.log-forensics', 'rules', 'draft.yaml');
  await client.open(ruleUri, BROKEN, 'yaml');
  const problems = await client.diagnosticsFor(ruleUri, (d) => d.length > 0);
  assert.deepEqual(problems.map((d) => [d.range.start.line, d.code]), [[3, 'rule-file']]);
  assert.match(problems[0].message as string, /severity: must be one of/);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: ruleUri, version: 2 },
    contentChanges: [{ text: BROKEN.replace('sometimes', 'warning') }],
  });
  const next = await client.diagnosticsFor(ruleUri, (d) => d.length > 0 && d[0].range.start.line === 4);
  assert.match(next[0].message as string, /invalid regular expression/);
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri: ruleUri, version: 3 },
    contentChanges: [{ text: BROKEN.replace('sometimes', 'warning').replace("'('", "'fixed'") }],
  });
  assert.deepEqual(await client.diagnosticsFor(ruleUri, (d) => d.length === 0), []);
});

test('a line marked as expected is not flagged, and the rest of the file still is', async () => {
  fs.writeFileSync(
    path.join(folder, '.log-forensics', 'suppressions.json'),
    JSON.stringify({ version: 1, suppressions: [{ file: 'messages', ruleId: 'site/widget-jam', text: LOG.split('\n')[2] }] }),
  );
  try {
    const client = await startIn({}, true);
    await client.open(uriOf('messages'), LOG);
    const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.some((x) => x.code === 'site/widget-jam'));
    assert.deepEqual(codes(diagnostics).filter((c) => c.includes('site/')), ['3:site/widget-jam']);
  } finally {
    fs.rmSync(path.join(folder, '.log-forensics', 'suppressions.json'));
  }
});

test('a flagged line offers quick fixes that never edit the log', async () => {
  const client = await startIn({}, true);
  await client.open(uriOf('messages'), LOG);
  const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.some((x) => x.code === 'site/widget-jam'));
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: uriOf('messages') },
    range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } },
    context: { diagnostics: diagnostics.filter((d) => d.range.start.line === 2) },
  })) as { title: string; kind?: string; edit?: unknown; command?: { command: string; arguments?: unknown[] } }[];
  const titles = actions.map((a) => a.title);
  assert.equal(titles[0], 'Show what happened around 16:49:50');
  assert.deepEqual(titles.slice(-2), ['Disable signature site/widget-jam in this workspace', 'This line is expected: hide site/widget-jam here']);
  assert.ok(actions.every((a) => a.edit === undefined));
  const open = actions.find((a) => a.title === 'Open rule definition of site/widget-jam')!.command!;
  assert.equal(open.command, 'logForensics.openRule');
  assert.deepEqual(open.arguments, [uriOf('.log-forensics', 'rules', 'site.yaml'), 1]);
});

const SIGMA = `title: Widget controller reports a jam
id: 0b6f1c2e-5a4d-4f4e-9a51-3c2d1e0f9a77
status: experimental
description: The widget controller stopped because a widget jammed.
references:
  - https://example.com/runbook/widgets
logsource:
  product: linux
detection:
  keywords:
    - 'widget jammed'
  condition: keywords
falsepositives:
  - Maintenance tests of the jam sensor
level: high
`;

test('Sigma rules from a folder named in the settings flag lines and explain them on hover', async () => {
  const sigmaFolder = path.join(folder, 'sigma');
  fs.mkdirSync(sigmaFolder, { recursive: true });
  fs.writeFileSync(path.join(sigmaFolder, 'widget_jam.yml'), SIGMA);
  try {
    const client = await startIn({ sigma: { folders: ['sigma'] }, rules: { disabled: ['site/widget-jam'] } }, true);
    await client.open(uriOf('messages'), LOG);
    const diagnostics = await client.diagnosticsFor(uriOf('messages'), (d) => d.some((x) => String(x.code).startsWith('sigma/')));
    const sigma = diagnostics.filter((d) => String(d.code).startsWith('sigma/'));
    assert.deepEqual(sigma.map((d) => [d.range.start.line, d.code, d.severity]), [
      [2, 'sigma/0b6f1c2e-5a4d-4f4e-9a51-3c2d1e0f9a77', 1],
      [3, 'sigma/0b6f1c2e-5a4d-4f4e-9a51-3c2d1e0f9a77', 1],
    ]);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf('messages') }, position: { line: 2, character: 50 } });
    const value = (hover?.contents as MarkupContent).value;
    assert.match(value, /widget controller stopped because a widget jammed/);
    assert.match(value, /Maintenance tests of the jam sensor/);
  } finally {
    fs.rmSync(sigmaFolder, { recursive: true, force: true });
  }
});
