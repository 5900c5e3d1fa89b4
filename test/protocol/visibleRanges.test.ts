import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';

// An editor that jumps far into a log still being read sees the findings of the lines it shows
// at once: the client says which lines it shows, the server analyses them ahead of the read and
// publishes their findings as provisional; the read's own result then replaces them.
const MIDDLE = 'Nov  8 12:00:00 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)';
const NEAR_END = 'Nov  8 23:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting';
/** Routine lines no rule flags, about 100 bytes each. */
const ROUTINE = (i: number) => `Nov  8 ${String(Math.floor(i / 20_000) % 24).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')} mx postfix/qmgr[880]: 4F1A2B3C${i % 10}: from=<user${i % 503}@example.org>, size=${1000 + (i % 9000)}, nrcpt=1 (queue active)`;
/** Large enough that reading it takes seconds on two threads, while the window takes milliseconds. */
const LINES = 480_000;
/** The bad line's distance from the end: past what a first screen or the read's start could show. */
const FROM_END = 40;

let folder: string;

/** Writes the log; returns its URI and the 0-based lines of the two bad ones. */
function writeLog(name: string): { uri: string; file: string; middle: number; nearEnd: number } {
  const file = path.join(folder, name);
  const fd = fs.openSync(file, 'w');
  const middle = LINES >> 1;
  const nearEnd = LINES - FROM_END;
  let block: string[] = [];
  for (let i = 0; i < LINES; i++) {
    block.push(i === middle ? MIDDLE : i === nearEnd ? NEAR_END : ROUTINE(i));
    if (block.length === 10_000) {
      fs.writeSync(fd, `${block.join('\n')}\n`);
      block = [];
    }
  }
  fs.writeSync(fd, block.length > 0 ? `${block.join('\n')}\n` : '');
  fs.closeSync(fd);
  return { uri: pathToFileURL(file).href, file, middle, nearEnd };
}

const on = (line: number, code: string) => (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.range.start.line === line && d.code === code);
const provisional = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => /provisional/.test(d.source ?? ''));
/** What a diagnostic shows, for comparing two reads. */
const shown = (diagnostics: Diagnostic[]) => diagnostics.map((d) => JSON.stringify([d.range, d.code, d.severity, d.source, d.message])).sort();

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-visible-'));
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

/** Opens `log` in a new server as the client does for a file over the sync limit; returns its final diagnostics. */
async function readWithout(log: { uri: string; middle: number; nearEnd: number }): Promise<Diagnostic[]> {
  const client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  try {
    await client.notify('logForensics/openLargeLog', { uri: log.uri });
    return await client.diagnosticsFor(log.uri, (d) => on(log.middle, 'kernel/irq-no-handler')(d) && on(log.nearEnd, 'sendmail/timeout-greeting')(d), 120_000);
  } finally {
    await client.stop();
  }
}

test('lines shown near the end of a large log still being read get their findings before the read ends, and the read ends as without them', async () => {
  const log = writeLog('maillog');
  const client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  let final: Diagnostic[];
  try {
    await client.notify('logForensics/openLargeLog', { uri: log.uri });
    // The first lines' findings: the read has begun.
    await client.diagnosticsFor(log.uri, () => true, 60_000);
    await client.notify('logForensics/visibleRanges', { uri: log.uri, ranges: [{ start: log.nearEnd - 20, end: log.nearEnd + 20 }] });
    const early = await client.diagnosticsFor(log.uri, on(log.nearEnd, 'sendmail/timeout-greeting'), 60_000);
    assert.ok(!on(log.middle, 'kernel/irq-no-handler')(early), 'the read had not reached the middle of the file');
    assert.deepEqual(provisional(early).map((d) => [d.range.start.line, d.code]), [[log.nearEnd, 'sendmail/timeout-greeting']]);
    final = await client.diagnosticsFor(log.uri, on(log.middle, 'kernel/irq-no-handler'), 120_000);
    const history = client.history.get(log.uri)!;
    const firstShown = history.findIndex(on(log.nearEnd, 'sendmail/timeout-greeting'));
    const readEnded = history.findIndex(on(log.middle, 'kernel/irq-no-handler'));
    assert.ok(firstShown >= 0 && firstShown < readEnded, `the window's finding came in publication ${firstShown}, the read's end in ${readEnded}`);
    assert.deepEqual(provisional(final), [], 'the read replaced the provisional findings');
    assert.ok(on(log.nearEnd, 'sendmail/timeout-greeting')(final));
  } finally {
    await client.stop();
  }
  assert.deepEqual(shown(final), shown(await readWithout(log)));
});

test('lines shown before the log is held are remembered, and lines the read has passed ask for no window', async () => {
  const log = writeLog('maillog.1');
  const client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  try {
    // As after a reveal whose tab change reaches the server second.
    await client.notify('logForensics/visibleRanges', { uri: log.uri, ranges: [{ start: log.nearEnd - 5, end: log.nearEnd + 5 }, { start: 0, end: 30 }] });
    await client.notify('logForensics/openLargeLog', { uri: log.uri });
    const early = await client.diagnosticsFor(log.uri, on(log.nearEnd, 'sendmail/timeout-greeting'), 60_000);
    assert.ok(!on(log.middle, 'kernel/irq-no-handler')(early), 'the read had not reached the middle of the file');
    const final = await client.diagnosticsFor(log.uri, on(log.middle, 'kernel/irq-no-handler'), 120_000);
    assert.deepEqual(provisional(final), []);
    const published = client.history.get(log.uri)!.length;
    // The read is over: shown lines change nothing.
    await client.notify('logForensics/visibleRanges', { uri: log.uri, ranges: [{ start: log.nearEnd - 300, end: log.nearEnd }] });
    await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: log.uri }, position: { line: 0, character: 0 } });
    assert.equal(client.history.get(log.uri)!.length, published);
  } finally {
    await client.stop();
  }
});

test('a synced document still being read gets the findings of the lines shown near its end first', async () => {
  const log = writeLog('messages');
  const text = fs.readFileSync(log.file, 'utf8');
  const client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  try {
    await client.open(log.uri, text);
    await client.diagnosticsFor(log.uri, () => true, 60_000);
    await client.notify('logForensics/visibleRanges', { uri: log.uri, ranges: [{ start: log.nearEnd - 20, end: log.nearEnd + 20 }] });
    const early = await client.diagnosticsFor(log.uri, on(log.nearEnd, 'sendmail/timeout-greeting'), 60_000);
    assert.ok(!on(log.middle, 'kernel/irq-no-handler')(early), 'the read had not reached the middle of the document');
    const final = await client.diagnosticsFor(log.uri, on(log.middle, 'kernel/irq-no-handler'), 120_000);
    assert.deepEqual(provisional(final), []);
  } finally {
    await client.stop();
  }
});

test('ranges a client got wrong are left out, and the server keeps serving', async () => {
  const client = await TestClient.start({ time: { year: 2010, zone: 'UTC' } });
  try {
    const uri = pathToFileURL(path.join(folder, 'small')).href;
    await client.open(uri, `${NEAR_END}\n`);
    for (const params of [null, {}, { uri, ranges: 'all' }, { uri, ranges: [{ start: -4, end: 2 }, { start: 3, end: 1 }, null, { start: 0.5, end: 9 }] }]) {
      await client.notify('logForensics/visibleRanges', params);
    }
    assert.deepEqual((await client.diagnosticsFor(uri, (d) => d.length > 0)).map((d) => d.code), ['sendmail/timeout-greeting']);
    assert.equal(client.alive, true);
  } finally {
    await client.stop();
  }
});
