import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DefinitionRequest, Location, ReferencesRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest, CorrelateResult } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// The field case: the relay's greeting timeout came 62 s after the gateway's do_IRQ, and the
// relay wrote nothing nearer. The auth log's nearest line is hours away.
const FILES: Record<string, string> = {
  'gw/messages': [
    'Nov  8 16:45:01 drjmailgw /usr/sbin/cron[2201]: (root) CMD (/usr/lib64/sa/sa1 1 1)',
    'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
    'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
  ].join('\n'),
  'relay/maillog': [
    'Nov  8 16:40:02 relay1 sendmail[21001]: oA8Le1aa021001: to=<a@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent',
    'Nov  8 16:50:44 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting',
  ].join('\n'),
  'gw/secure': 'Nov  8 13:02:10 drjmailgw sshd[901]: Accepted publickey for admin from 198.51.100.7 port 50022 ssh2',
};

let folder: string;
let client: TestClient;
const uri = (name: string) => pathToFileURL(path.join(folder, name)).href;
const nameOf = (of: string) => path.relative(folder, new URL(of).pathname);

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-correlate-'));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(folder, name)), { recursive: true });
    fs.writeFileSync(path.join(folder, name), text);
  }
  // No correlation setting: the server's default window applies.
  client = await TestClient.start({ time: { year: 2010, zone: 'America/New_York' } });
  for (const [name, text] of Object.entries(FILES)) await client.open(uri(name), text);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

function aroundIrq(windowSeconds?: number): Promise<CorrelateResult> {
  return client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: uri('gw/messages') }, position: { line: 1, character: 0 }, ...(windowSeconds === undefined ? {} : { windowSeconds }) });
}

test('with a 60 s window the relay line 62 s later is not listed, but is the relay\'s nearest entry', async () => {
  const result = await aroundIrq(60);
  assert.deepEqual(result.entries.map((e) => [nameOf(e.uri), e.range.start.line]), [['gw/messages', 1], ['gw/messages', 2]]);
  assert.deepEqual(result.nearest.map((e) => [nameOf(e.uri), e.range.start.line, e.deltaSeconds]), [['relay/maillog', 1, 62], ['gw/secure', 0, -13652]]);
  assert.equal(result.nearest[0].time, '2010-11-08T21:50:44Z');
  assert.equal(result.nearest[0].localTime, '2010-11-08 16:50:44 -05:00');
  assert.equal(result.nearest[0].host, 'relay1');
  assert.equal(result.nearest[0].text, FILES['relay/maillog'].split('\n')[1]);
  assert.deepEqual(result.logs.map((log) => [nameOf(log.uri), log.entries, log.nearest]), [
    ['gw/messages', 2, undefined],
    ['relay/maillog', 0, 0],
    ['gw/secure', 0, 1],
  ]);
});

test('with the default window the relay line 62 s later is among the entries', async () => {
  const result = await aroundIrq();
  assert.equal(result.windowSeconds, 300);
  const relay = result.entries.find((e) => nameOf(e.uri) === 'relay/maillog');
  assert.equal(relay?.range.start.line, 1);
  assert.equal(relay?.deltaSeconds, 62);
  assert.deepEqual(result.entries.map((e) => e.deltaSeconds), [-281, 0, 3, 62], 'still in time order');
  assert.deepEqual(result.logs.map((log) => [nameOf(log.uri), log.entries]), [['gw/messages', 3], ['relay/maillog', 1], ['gw/secure', 0]]);
});

test('for any LSP client: references on a timestamp list every log\'s lines in the window, nearest first; definition goes to each other log\'s nearest line', async () => {
  const at = { textDocument: { uri: uri('gw/messages') }, position: { line: 1, character: 4 } };
  const references = (await client.connection.sendRequest(ReferencesRequest.type, { ...at, context: { includeDeclaration: true } })) as Location[];
  const named = references.map((r) => `${nameOf(r.uri)}:${r.range.start.line + 1}`);
  // ± 5 min: itself first, then 3 s, then the relay's +62 s, 4 min 41 s and 9 min 40 s away (that last is outside).
  assert.deepEqual(named, ['gw/messages:2', 'gw/messages:3', 'relay/maillog:2', 'gw/messages:1']);
  const definition = (await client.connection.sendRequest(DefinitionRequest.type, at)) as Location[];
  assert.deepEqual(definition.map((d) => `${nameOf(d.uri)}:${d.range.start.line + 1}`), ['relay/maillog:2', 'gw/secure:1']);
  // Off the stamp, the same requests are about the line's identities, as before.
  const onMessage = (await client.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: uri('gw/messages') }, position: { line: 1, character: 70 } })) as Location | Location[] | null;
  assert.ok(!(Array.isArray(onMessage) && onMessage.some((d) => nameOf(d.uri) === 'gw/secure')), JSON.stringify(onMessage));
});
