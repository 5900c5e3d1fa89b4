import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeAction, CodeActionKind, CodeActionRequest, DiagnosticSeverity, HoverRequest, MarkupContent, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest, CorrelateResult } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

const GATEWAY_TEXT = [
  'Nov  8 16:45:01 drjmailgw /usr/sbin/cron[2201]: (root) CMD (/usr/lib64/sa/sa1 1 1)',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
  'no stamp on this line at all',
].join('\n');
const RELAY_TEXT = [
  'Nov  8 16:48:01 relay1 sendmail[21001]: oA8Lm1aa021001: to=<a@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent',
  'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw. during client greeting',
].join('\n');
const IMAP_TEXT = [
  '[17/Feb/2006:13:30:14 -0500] northuist imapd[31550]: Account Information: login [198.51.100.77] cfh97 proxyauth',
  '[17/Feb/2006:13:30:18 -0500] northuist imapd[31550]: Store Critical: Mailbox database error',
].join('\n');

let client: TestClient;
let folder: string;
let gatewayUri: string;
let relayUri: string;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-protocol-'));
  const gateway = path.join(folder, 'messages');
  const relay = path.join(folder, 'maillog');
  fs.writeFileSync(gateway, GATEWAY_TEXT);
  fs.writeFileSync(relay, RELAY_TEXT);
  // Pulled logs keep their mtime: the year of yearless stamps comes from it.
  const mtime = new Date(Date.UTC(2010, 10, 9, 3, 0, 0));
  fs.utimesSync(gateway, mtime, mtime);
  fs.utimesSync(relay, mtime, mtime);
  gatewayUri = pathToFileURL(gateway).href;
  relayUri = pathToFileURL(relay).href;
  client = await TestClient.start({ time: { zone: 'America/New_York' }, correlation: { windowSeconds: 60 } });
  await client.open(gatewayUri, GATEWAY_TEXT);
  await client.open(relayUri, RELAY_TEXT);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('opening a log publishes its findings as diagnostics with the rule id as code', async () => {
  const diagnostics = await client.diagnosticsFor(gatewayUri, (d) => d.length > 0);
  const irq = diagnostics.find((d) => d.code === 'kernel/irq-no-handler');
  assert.ok(irq, JSON.stringify(diagnostics));
  assert.equal(irq.severity, DiagnosticSeverity.Error);
  assert.equal(irq.source, 'log-forensics');
  const irqLine = GATEWAY_TEXT.split('\n')[1];
  assert.deepEqual(irq.range, { start: { line: 1, character: irqLine.indexOf('do_IRQ') }, end: { line: 1, character: irqLine.length } });
  const link = diagnostics.find((d) => d.code === 'kernel/nic-link-down');
  assert.equal(link?.severity, DiagnosticSeverity.Warning);
  const relay = await client.diagnosticsFor(relayUri, (d) => d.length > 0);
  assert.deepEqual(relay.map((d) => d.code), ['sendmail/timeout-greeting']);
});

test('hover on a flagged line leads with what happened and what to check first, then explains the signature', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: gatewayUri }, position: { line: 1, character: 70 } });
  const value = (hover?.contents as MarkupContent).value;
  const [happened, check] = value.split('\n');
  assert.match(happened, /^\*\*Interrupt on CPU\\\.vector 1\\\.221 had no handler/);
  assert.match(check, /^\*\*Check first:\*\* Look for the same second in the other logs/);
  assert.match(value, /Interrupt arrived on a vector with no handler/);
  assert.match(value, /disable_msi=1/);
  assert.match(value, /kernel\/irq-no-handler/);
  // The explanation speaks of this line's vector, not of a stand-in.
  assert.match(value, /interrupt on vector ` 1\.221 `/);
  assert.ok(value.indexOf('**What it means.**') > value.indexOf(check));
});

test('hover on a timestamp gives the instant in UTC and the file zone, and where the year came from', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: gatewayUri }, position: { line: 1, character: 3 } });
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /As written: ` Nov {2}8 16:49:42 `/);
  assert.match(value, /2010-11-08T21:49:42Z/);
  assert.match(value, /2010-11-08 16:49:42 -05:00/);
  // The gateway's lines name no year; the relay's queue ids do, and the incident is read in one year.
  assert.match(value, /year 2010\\?: as .*maillog's lines say \\\(2 sendmail queue ids\\\); here the file's modification time/);
  assert.match(value, /zone America\/New\\_York from setting logForensics\\\.time\\\.zone/);
  assert.match(value, /\+281 s after the previous entry \(line 1\)/);
  // The time story only: the finding is named, and explained where the message is hovered.
  assert.match(value, /1 finding on this line: Interrupt arrived on a vector with no handler/);
  assert.doesNotMatch(value, /What it means|Check first|disable_msi/);
});

test('hover on an unflagged, unstamped spot says nothing', async () => {
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: gatewayUri }, position: { line: 0, character: 60 } });
  assert.equal(hover, null);
});

test('a flagged line offers looking into it first, as the preferred quick fix, and hiding it last', async () => {
  const diagnostics = (await client.diagnosticsFor(gatewayUri, (d) => d.length > 0)).filter((d) => d.range.start.line === 1);
  const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: gatewayUri },
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
    context: { diagnostics },
  })) as CodeAction[];
  assert.deepEqual(actions.map((a) => a.title), [
    'Show what happened around 16:49:42',
    `Go to 16:49:42 in ${path.basename(folder)}/maillog`,
    'Open rule definition of kernel/irq-no-handler',
    'Align this line with a line of another log…',
    'Set this file\'s time zone…',
    'Set the clock offset of host drjmailgw…',
    'Disable signature kernel/irq-no-handler in this workspace',
    'This line is expected: hide kernel/irq-no-handler here',
  ]);
  assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), ['Show what happened around 16:49:42']);
  assert.ok(actions.every((a) => a.kind === CodeActionKind.QuickFix), JSON.stringify(actions.map((a) => a.kind)));
  assert.deepEqual(actions[0].command?.arguments, [gatewayUri, 1]);
  const quiet = (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: gatewayUri },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    context: { diagnostics: [] },
  })) as CodeAction[];
  const quietTitles = quiet.map((a) => a.title);
  assert.equal(quietTitles[0], 'Show what happened around 16:45:01');
  assert.match(quietTitles[1], /^Go to 16:45:01 in lf-protocol-\w+\/maillog$/);
  assert.deepEqual(quietTitles.slice(2), ['Align this line with a line of another log…', 'Set this file\'s time zone…', 'Set the clock offset of host drjmailgw…']);
  // No relay entry is at or before 16:45:01, so the first one after it is the target.
  assert.deepEqual(quiet[1].command?.arguments, [relayUri, 0]);
});

test('a request for quick fixes only, or for another kind, gets only actions of that kind', async () => {
  const ask = async (only: string[]) => (await client.connection.sendRequest(CodeActionRequest.type, {
    textDocument: { uri: gatewayUri },
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } },
    context: { diagnostics: [], only },
  })) as CodeAction[];
  const quickFixes = await ask([CodeActionKind.QuickFix]);
  assert.equal(quickFixes.length, 8);
  assert.deepEqual(await ask([CodeActionKind.Refactor]), []);
  assert.deepEqual(await ask([CodeActionKind.SourceFixAll]), []);
});

test('correlate lists the entries of every open log within the window, in time order', async () => {
  const result: CorrelateResult = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: gatewayUri }, position: { line: 1, character: 0 } });
  assert.equal(result.center, '2010-11-08T21:49:42Z');
  assert.deepEqual(result.entries.map((e) => [path.basename(new URL(e.uri).pathname), e.range.start.line, e.time, e.deltaSeconds]), [
    ['messages', 1, '2010-11-08T21:49:42Z', 0],
    ['messages', 2, '2010-11-08T21:49:45Z', 3],
    ['maillog', 1, '2010-11-08T21:50:38Z', 56],
  ]);
  assert.equal(result.entries[2].text, RELAY_TEXT.split('\n')[1]);
});

test('correlate honours an explicit window', async () => {
  const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: relayUri }, position: { line: 1, character: 0 }, windowSeconds: 120 });
  assert.deepEqual(result.entries.map((e) => e.deltaSeconds), [-56, -53, 0]);
  const wider = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: relayUri }, position: { line: 1, character: 0 }, windowSeconds: 160 });
  assert.deepEqual(wider.entries.map((e) => e.deltaSeconds), [-157, -56, -53, 0]);
});

test('an unstamped line belongs to the entry above and correlates from its time', async () => {
  const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: gatewayUri }, position: { line: 3, character: 0 } });
  assert.equal(result.center, '2010-11-08T21:49:45Z');
});

test('correlate on a line without a time is refused with a clear error, and the server keeps serving', async () => {
  const notesUri = 'untitled:notes';
  await client.open(notesUri, 'just some notes\nwith no stamps');
  await assert.rejects(
    client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: notesUri }, position: { line: 1, character: 0 } }),
    /no timestamp/,
  );
  await assert.rejects(client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: 'file:///not/open' }, position: { line: 0, character: 0 } }), /not a log the server has read/);
  await assert.rejects(client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: gatewayUri }, position: { line: 99, character: 0 } }), /outside the log/);
  const again = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: gatewayUri }, position: { line: 1, character: 0 } });
  assert.equal(again.entries.length, 3);
  assert.equal(client.alive, true);
});

test('semantic tokens mark the timestamp, host, program and pid the server parsed', async () => {
  const tokens = await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: gatewayUri } });
  // Line 0: stamp (0,15), host (16,9), program (26,14), pid (41,4); relative encoding per LSP.
  assert.deepEqual(Array.from(tokens!.data.slice(0, 20)), [0, 0, 15, 0, 0, 0, 16, 9, 1, 0, 0, 10, 14, 2, 0, 0, 15, 4, 3, 0]);
});

test('the stamp of an imapd line written with -0500 shows that offset, the instant once in UTC, and no explanation', async () => {
  fs.writeFileSync(path.join(folder, 'imap'), IMAP_TEXT);
  const imapUri = pathToFileURL(path.join(folder, 'imap')).href;
  await client.open(imapUri, IMAP_TEXT);
  await client.diagnosticsFor(imapUri, (d) => d.some((x) => x.code === 'messaging/store-critical'));
  const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: imapUri }, position: { line: 1, character: 3 } });
  const value = (hover?.contents as MarkupContent).value;
  assert.match(value, /As written: ` \[17\/Feb\/2006:13:30:18 -0500\] `, with its own offset -05:00/);
  assert.match(value, /\*\*2006-02-17T18:30:18Z\*\* \(UTC\)/);
  // New York is also at -05:00 that day: the file's zone would repeat the time as written.
  assert.equal(value.split('13:30:18').length - 1, 1, value);
  assert.equal(value.split('18:30:18').length - 1, 1, value);
  assert.match(value, /offset written in the stamp \(this file's zone America\/New\\_York from .* does not apply to it\)/);
  assert.match(value, /1 finding on this line: /);
  assert.doesNotMatch(value, /What it means|Check first/);
});
