import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { pathToFileURL } from 'url';
import { DidChangeWatchedFilesNotification, FileChangeType } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

// Only the gateway's messages is open; the relay's rotated, compressed maillog, an upstream
// relay's log named by no convention and a growing dns log are on disk. Correlation must still see them, without anything written to disk.
const GATEWAY = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';
const RELAY = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';
const UPSTREAM = 'Nov  8 16:50:01 relay2 sendmail[4410]: oA8Lo1aa004410: to=<ops@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent\n';
const DNS = 'Nov  8 16:49:10 ns1 named[77]: client 198.51.100.25#53001: query (cache) denied\n';

let folder: string;
let client: TestClient;
const file = (...parts: string[]) => path.join(folder, ...parts);

function listing(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out[path.relative(folder, full)] = `${fs.statSync(full).size}:${fs.statSync(full).mtimeMs}`;
    }
  };
  walk(folder);
  return out;
}

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-index-'));
  fs.mkdirSync(file('gw'));
  fs.mkdirSync(file('relay'));
  fs.mkdirSync(file('dns'));
  fs.writeFileSync(file('gw', 'messages'), GATEWAY);
  const packed = zlib.gzipSync(RELAY);
  packed.writeUInt32LE(Date.UTC(2010, 10, 9) / 1000, 4);
  fs.writeFileSync(file('relay', 'maillog.1.gz'), packed);
  fs.writeFileSync(file('dns', 'syslog'), DNS);
  // Prose that mentions a time is not a log; a log named by no convention is one, by its lines.
  fs.writeFileSync(file('notes.txt'), 'Postmortem notes\nThe gateway stopped answering at about 16:49 on Nov 8.\nAsk the relay team for their maillog.\n');
  fs.mkdirSync(file('upstream'));
  fs.writeFileSync(file('upstream', 'relay-maillog'), UPSTREAM);
  const mtime = new Date(Date.UTC(2010, 10, 9));
  for (const name of [['gw', 'messages'], ['dns', 'syslog']]) fs.utimesSync(file(...name), mtime, mtime);
  client = await TestClient.start({ time: { zone: 'UTC' } }, { folders: [pathToFileURL(folder).href] });
  await client.open(pathToFileURL(file('gw', 'messages')).href, GATEWAY);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

async function around(): Promise<string[]> {
  const result = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: pathToFileURL(file('gw', 'messages')).href }, position: { line: 0, character: 0 }, windowSeconds: 120 });
  return result.entries.map((e) => `${e.uri.startsWith('log-forensics-gz:') ? 'gz:' : ''}${path.relative(folder, new URL(e.uri.replace(/^log-forensics-gz:/, 'file://')).pathname)}:${e.range.start.line + 1}:${e.deltaSeconds}`);
}

test('logs on disk that are not open take part in correlation, compressed ones included', async () => {
  const before = listing();
  const deadline = Date.now() + 10_000;
  let entries = await around();
  while (entries.length < 4 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    entries = await around();
  }
  assert.deepEqual(entries, ['dns/syslog:1:-32', 'gw/messages:1:0', 'upstream/relay-maillog:1:19', 'gz:relay/maillog.1.gz:1:56']);
  assert.deepEqual(listing(), before, 'nothing may be written next to the logs');
});

test('findings in unopened logs are published too', async () => {
  const uri = `log-forensics-gz:${pathToFileURL(file('relay', 'maillog.1.gz')).pathname}`;
  const diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
  assert.deepEqual(diagnostics.map((d) => d.code), ['sendmail/timeout-greeting']);
});

test('a log that grows on disk is read again when the file watcher reports it', async () => {
  fs.appendFileSync(file('dns', 'syslog'), 'Nov  8 16:50:00 ns1 named[77]: client 198.51.100.25#53002: query (cache) denied\n');
  // Pulled again with its times kept (cp -p): the year still comes from 2010.
  const mtime = new Date(Date.UTC(2010, 10, 9));
  fs.utimesSync(file('dns', 'syslog'), mtime, mtime);
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file('dns', 'syslog')).href, type: FileChangeType.Changed }] });
  const deadline = Date.now() + 10_000;
  let entries = await around();
  while (!entries.includes('dns/syslog:2:18') && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    entries = await around();
  }
  assert.ok(entries.includes('dns/syslog:2:18'), entries.join(' '));
});

test('a log rewritten on disk is read again from its start, and a deleted one leaves the incident', async () => {
  const report = (name: string) => client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file('dns', name)).href, type: FileChangeType.Changed }] });
  // Same size and end, another first line: not an append.
  fs.writeFileSync(file('dns', 'syslog'), DNS.replace('16:49:10', '16:49:20') + 'Nov  8 16:50:00 ns1 named[77]: client 198.51.100.25#53002: query (cache) denied\n');
  const mtime = new Date(Date.UTC(2010, 10, 9));
  fs.utimesSync(file('dns', 'syslog'), mtime, mtime);
  await report('syslog');
  const until = async (accept: (entries: string[]) => boolean) => {
    const deadline = Date.now() + 10_000;
    let entries = await around();
    while (!accept(entries) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      entries = await around();
    }
    return entries;
  };
  const rewritten = await until((entries) => entries.includes('dns/syslog:1:-22'));
  assert.ok(rewritten.includes('dns/syslog:1:-22') && !rewritten.includes('dns/syslog:1:-32'), rewritten.join(' '));
  fs.rmSync(file('dns', 'syslog'));
  await client.connection.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: pathToFileURL(file('dns', 'syslog')).href, type: FileChangeType.Deleted }] });
  const gone = await until((entries) => !entries.some((e) => e.startsWith('dns/')));
  assert.ok(!gone.some((e) => e.startsWith('dns/')), gone.join(' '));
  assert.ok(gone.includes('gw/messages:1:0'));
});
