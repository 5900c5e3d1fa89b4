import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic, FoldingRangeRequest, HoverRequest, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// A log over VS Code's sync limit is read by the server from disk in chunks: the findings of its
// first lines come at once, the rest after, with progress that can be cancelled; a log that grows
// is read on from where it was. The client decides what is large; here smaller files stand in.
const FIRST = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';
const FILLER = (i: number) => `Nov  8 16:50:${String(i % 60).padStart(2, '0')} drjmailgw postfix/qmgr[4242]: 4F1A2B3C${String(i % 10)}: from=<user${i}@example.org>, size=${1000 + i}, nrcpt=1 (queue active)\n`;
const LAST = 'Nov  8 16:59:59 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';
const APPENDED = 'Nov  8 17:00:01 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down\n';

let folder: string;
let client: TestClient;

function writeLog(name: string, fillerLines: number): { uri: string; file: string } {
  const file = path.join(folder, name);
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, FIRST);
  let block = '';
  for (let i = 0; i < fillerLines; i++) {
    block += FILLER(i);
    if (block.length > 1 << 20) {
      fs.writeSync(fd, block);
      block = '';
    }
  }
  fs.writeSync(fd, block + LAST);
  fs.closeSync(fd);
  return { uri: pathToFileURL(file).href, file };
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-disk-'));
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } }, { workDoneProgress: true });
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('the findings of the first lines are published before the whole file is read, then all of them', async () => {
  const { uri } = writeLog('maillog', 60_000);
  await client.notify('logForensics/openLargeLog', { uri });
  const all = await client.diagnosticsFor(uri, (d) => codes(d).includes('sendmail/timeout-greeting'), 30_000);
  assert.deepEqual(codes(all), ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
  const history = client.history.get(uri)!;
  assert.ok(history.length >= 2, 'published early and at the end');
  assert.deepEqual(codes(history[0]), ['kernel/irq-no-handler'], 'the first publication holds the first lines only');
  const reports = client.progress.filter((p) => p.value.kind === 'report' && /MB/.test(p.value.message ?? ''));
  assert.ok(reports.length >= 2, 'progress reported while reading');
  assert.ok(client.progress.some((p) => p.value.kind === 'begin' && p.value.cancellable === true), 'the read can be cancelled');
});

test('an open document of a few MB publishes its first lines\' findings first, then all of them', async () => {
  let text = FIRST;
  for (let i = 0; i < 30_000; i++) text += FILLER(i);
  text += LAST;
  const uri = pathToFileURL(path.join(folder, 'synced.log')).href;
  await client.open(uri, text);
  const all = await client.diagnosticsFor(uri, (d) => codes(d).includes('sendmail/timeout-greeting'), 30_000);
  assert.deepEqual(codes(all), ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
  assert.deepEqual(codes(client.history.get(uri)![0]), ['kernel/irq-no-handler'], 'the first publication holds the first lines only');
});

/** The last line a semantic tokens answer colours (its data is relative: line deltas add up). */
function lastTokenLine(data: number[]): number {
  let line = 0;
  for (let i = 0; i < data.length; i += 5) line += data[i];
  return line;
}

test('a large document asked for its colours at once is answered from its first lines, others are answered meanwhile, and the client is asked again once it is read', async () => {
  const refreshing = await TestClient.start({ time: { year: 2010, zone: 'UTC' } }, { refreshSupport: true });
  try {
    const smallUri = pathToFileURL(path.join(folder, 'small.log')).href;
    await refreshing.open(smallUri, FIRST + LAST);
    await refreshing.diagnosticsFor(smallUri, (d) => codes(d).includes('sendmail/timeout-greeting'));
    let text = FIRST;
    for (let i = 0; i < 60_000; i++) text += FILLER(i);
    text += LAST;
    const uri = pathToFileURL(path.join(folder, 'colours.log')).href;
    await refreshing.open(uri, text);
    const tokens = await refreshing.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    const folds = refreshing.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } });
    const hover = await refreshing.connection.sendRequest(HoverRequest.type, { textDocument: { uri: smallUri }, position: { line: 0, character: 20 } });
    // Read at once for the first request, the whole document would have been published before any answer.
    const whenHovered = codes(refreshing.history.get(uri)?.at(-1) ?? []);
    assert.ok(hover !== null, 'the other log is answered');
    assert.ok(!whenHovered.includes('sendmail/timeout-greeting'), `answered before the document is read to its end: ${JSON.stringify(whenHovered)}`);
    const first = lastTokenLine(tokens?.data ?? []);
    assert.ok(first > 100 && first < 60_000, `tokens of the first lines only: up to line ${first}`);
    assert.ok(((await folds) ?? []).every((fold) => fold.endLine < 60_000), 'folds of the first lines only');
    await refreshing.diagnosticsFor(uri, (d) => codes(d).includes('sendmail/timeout-greeting'), 30_000);
    await refreshing.until(() => refreshing.refreshes.includes('workspace/semanticTokens/refresh') && refreshing.refreshes.includes('workspace/foldingRange/refresh'), 'asked to fetch tokens and folds again');
    const again = await refreshing.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    assert.equal(lastTokenLine(again?.data ?? []), 60_001, 'tokens down to the last line once read');
    const foldsAgain = (await refreshing.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } })) ?? [];
    assert.ok(foldsAgain.some((fold) => fold.endLine >= 60_000), `folds down to the end once read: ${JSON.stringify(foldsAgain.slice(-2))}`);
    // Settings changed: the log is worked out and published again, but the answers were whole.
    const asked = refreshing.refreshes.length;
    const published = refreshing.history.get(uri)!.length;
    refreshing.settings = { time: { year: 2010, zone: 'UTC' }, windowSeconds: 90 };
    await refreshing.notify('workspace/didChangeConfiguration', { settings: {} });
    await refreshing.until(() => refreshing.history.get(uri)!.length > published, 'the log published again');
    assert.equal(refreshing.refreshes.length, asked, 'answers from a whole reading are not asked for again');
  } finally {
    await refreshing.stop();
  }
});

test('a log that grows is read on from where it was, and its new findings join the old', async () => {
  const { uri, file } = writeLog('mail.log', 30_000);
  await client.notify('logForensics/openLargeLog', { uri });
  await client.diagnosticsFor(uri, (d) => codes(d).includes('sendmail/timeout-greeting'), 30_000);
  const linesBefore = 30_002;
  const publishedBefore = client.history.get(uri)!.length;
  const progressBefore = client.progress.length;
  fs.appendFileSync(file, APPENDED);
  await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
  const grown = await client.diagnosticsFor(uri, (d) => codes(d).includes('kernel/nic-link-down'), 30_000);
  assert.deepEqual(codes(grown), ['kernel/irq-no-handler', 'sendmail/timeout-greeting', 'kernel/nic-link-down']);
  // Read from the start, the first chunk would be published alone again; read on, it is not.
  for (const published of client.history.get(uri)!.slice(publishedBefore)) assert.ok(codes(published).includes('sendmail/timeout-greeting'), JSON.stringify(codes(published)));
  const reports = client.progress.slice(progressBefore).filter((p) => p.value.kind === 'report');
  const lines = reports.map((p) => Number(/([\d,]+) lines/.exec(p.value.message ?? '')?.[1].replace(/,/g, '')));
  assert.ok(lines.length > 0 && lines[0] === linesBefore + 1, `read on from line ${linesBefore}: ${JSON.stringify(lines)}`);
});

test('a log read for the first time is read on two threads, and the findings of every stretch are published', async () => {
  // Over 16 MiB: the main thread reads the first stretch, a worker the rest.
  const { uri } = writeLog('syslog', 200_000);
  const seen = client.progress.length;
  await client.notify('logForensics/openLargeLog', { uri });
  const all = await client.diagnosticsFor(uri, (d) => codes(d).includes('sendmail/timeout-greeting'), 60_000);
  assert.deepEqual(codes(all), ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
  const messages = client.progress.slice(seen).map((p) => p.value.message ?? '');
  if (os.availableParallelism() > 1) assert.ok(messages.some((m) => /on 2 threads/.test(m)) && messages.some((m) => /joining/.test(m)), JSON.stringify(messages.slice(0, 3)));
});

test('cancelling the progress stops the read, keeps the findings so far and says so', async () => {
  const { uri } = writeLog('messages', 400_000);
  const seen = client.progress.length;
  await client.notify('logForensics/openLargeLog', { uri });
  await client.until(() => client.progress.slice(seen).some((p) => p.value.kind === 'report'), 'progress of the read');
  const token = client.progress.slice(seen).find((p) => p.value.kind === 'report')!.token;
  await client.notify('window/workDoneProgress/cancel', { token });
  await client.until(() => client.messages.some((m) => /reading cancelled/.test(m)), 'a message that the read stopped');
  const kept = client.history.get(uri)!.at(-1)!;
  assert.deepEqual(codes(kept), ['settings', 'kernel/irq-no-handler'], 'the first lines keep their findings, the unread end has none, a note says why');
  // The note is in the publication that follows the cancel, not only in a later one.
  const lines = Number(/after ([\d,]+) lines/.exec(client.messages.find((m) => /reading cancelled/.test(m))!)![1].replace(/,/g, ''));
  assert.ok(lines > 0 && lines < 400_002, `stopped within the file: ${lines}`);
  assert.match(String(kept[0].message), new RegExp(`^Reading stopped at \\d+ MB of \\d+ MB \\(line ${lines.toLocaleString('en')}\\) when asked to`));
  await client.until(() => client.progress.some((p) => p.token === token && p.value.kind === 'end'), 'the end of the progress');
});
