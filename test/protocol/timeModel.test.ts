import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { HoverRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// Three hosts, three ways of writing time: New York wall time (a file-zone setting), Berlin wall
// time (a host-zone setting) with a clock 3 s fast, and ISO stamps with their own offset.
const FILES: Record<string, string> = {
  'gw/messages': 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n',
  'relay/maillog': 'Nov  8 22:50:41 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n',
  'dns/syslog': '2010-11-08T21:49:50.500+00:00 ns1 named[77]: client 198.51.100.25#53001: query (cache) denied\n',
};

let folder: string;
let client: TestClient;
const uri = (name: string) => pathToFileURL(path.join(folder, name)).href;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-time-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  client = await TestClient.start(
    { time: { year: 2010, zone: 'UTC', fileZones: { 'gw/*': 'America/New_York' }, hostZones: { relay1: 'Europe/Berlin' }, hostOffsets: { relay1: 3 } } },
    { folders: [pathToFileURL(folder).href] },
  );
  for (const [name, text] of Object.entries(FILES)) await client.open(uri(name), text);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('correlation puts three logs with different zones and a host offset on one clock', async () => {
  const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: uri('gw/messages') }, position: { line: 0, character: 0 }, windowSeconds: 60 });
  assert.deepEqual(result.entries.map((e) => [path.relative(folder, new URL(e.uri).pathname), e.time, e.deltaSeconds, e.localTime]), [
    ['gw/messages', '2010-11-08T21:49:42Z', 0, '2010-11-08 16:49:42 -05:00'],
    ['dns/syslog', '2010-11-08T21:49:50.500Z', 8.5, '2010-11-08 21:49:50.500 +00:00'],
    ['relay/maillog', '2010-11-08T21:50:38Z', 56, '2010-11-08 21:50:38 +00:00'],
  ]);
});

test('the hover says where each part of the time came from', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('relay/maillog') }, position: { line: 0, character: 2 } });
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /year 2010 from setting/);
  assert.match(value, /zone Europe\/Berlin from setting logForensics\.time\.hostZones for relay1/);
  assert.match(value, /\+3 s clock offset of relay1 taken off/);
  const gw = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('gw/messages') }, position: { line: 0, character: 2 } });
  // Markdown escapes are taken off to compare the text a reader sees.
  const plain = (gw?.contents as MarkupContent).value.replace(/\\(.)/g, '$1');
  assert.ok(plain.includes('zone America/New_York from setting logForensics.time.fileZones["gw/*"]'), plain.slice(0, 300));
});

test('a new host offset applies to the very next request, before any re-analysis was scheduled', async () => {
  const settings = client.settings as { time: Record<string, unknown> };
  const before = { ...settings.time };
  try {
    settings.time = { ...before, hostOffsets: { relay1: -15 } };
    await client.notify('workspace/didChangeConfiguration', { settings: {} });
    const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: uri('gw/messages') }, position: { line: 0, character: 0 }, windowSeconds: 120 });
    const relay = result.entries.find((e) => e.uri === uri('relay/maillog'));
    // 22:50:41 Berlin is 21:50:41Z; a clock 15 s slow puts the event at 21:50:56Z, 74 s after.
    assert.equal(relay?.deltaSeconds, 74);
  } finally {
    settings.time = before;
    await client.notify('workspace/didChangeConfiguration', { settings: {} });
  }
});
