import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { diagnosticCode, waitFor } from './editor';

const MIDDLE = 'Nov  8 12:00:00 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)';
const NEAR_END = 'Nov  8 23:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting';
const ROUTINE = (i: number) => `Nov  8 ${String(Math.floor(i / 40_000) % 24).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')} mx postfix/qmgr[880]: 4F1A2B3C${i % 10}: from=<user${i % 503}@example.org>, size=${1000 + (i % 9000)}, nrcpt=1 (queue active)`;
/** The bad line's distance from the end: past what the read's first lines or a first screen show. */
const FROM_END = 40;

/** A log of about `megabytes` MB with one bad line in its middle and one near its end; their 0-based lines. */
function writeLog(file: string, megabytes: number): { middle: number; nearEnd: number } {
  const lines = Math.round((megabytes * 1_000_000) / 100);
  const middle = lines >> 1;
  const nearEnd = lines - FROM_END;
  const fd = fs.openSync(file, 'w');
  try {
    for (let from = 0; from < lines; from += 10_000) {
      const block: string[] = [];
      for (let i = from; i < Math.min(lines, from + 10_000); i++) block.push(i === middle ? MIDDLE : i === nearEnd ? NEAR_END : ROUTINE(i));
      fs.writeSync(fd, `${block.join('\n')}\n`);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { middle, nearEnd };
}

const on = (uri: vscode.Uri, line: number, code: string) => vscode.languages.getDiagnostics(uri).find((d) => d.range.start.line === line && diagnosticCode(d) === code);
const provisional = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri).filter((d) => /provisional/.test(d.source ?? ''));

// A user who jumps to the end of a large log still being read sees the squiggles there at once:
// the client tells the server which lines it shows, the server analyses them ahead of the read.
suite('The region shown of a log still being read', () => {
  let folder: string;

  suiteSetup(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-visible-e2e-'));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('revealing a line near the end of a log over the sync limit shows its finding while the read is under way', async function () {
    this.timeout(240_000);
    const file = path.join(folder, 'maillog');
    const log = writeLog(file, 120);
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('logForensics.revealLine', uri.toString(), log.nearEnd);
    const early = await waitFor('the greeting timeout near the end to be flagged', () => on(uri, log.nearEnd, 'sendmail/timeout-greeting'), 60_000);
    assert.ok(!on(uri, log.middle, 'kernel/irq-no-handler'), 'the read had already reached the middle of the file: the test proves nothing');
    assert.match(early.source ?? '', /provisional/);
    await waitFor('the read to reach the middle of the file', () => on(uri, log.middle, 'kernel/irq-no-handler'), 200_000);
    assert.deepStrictEqual(provisional(uri), [], 'the read replaced the provisional finding');
    assert.ok(on(uri, log.nearEnd, 'sendmail/timeout-greeting'), 'the read flags the line too');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'VS Code synced the document after all; the test proves nothing');
  });
});
