import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { READ_FROM_DISK_BYTES } from '../../../client/src/diskBackedLogs';
import { diagnosticCode, hoverText, showLog, waitFor } from './editor';

const FIRST_BAD = 'Nov  8 00:00:00 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)';
const LAST_BAD = 'Nov  8 23:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting';
const two = (n: number) => String(n).padStart(2, '0');
/** Routine line `i`, two a second from midnight on: in time order. */
const GROWN_BAD = 'Nov  8 23:59:01 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down';
const ROUTINE = (i: number) => `Nov  8 ${two(Math.floor(i / 7200))}:${two(Math.floor(i / 120) % 60)}:${two(Math.floor(i / 2) % 60)} mx postfix/qmgr[880]: 4F1A2B3C${i % 10}: from=<user${i % 503}@example.org>, size=${1000 + (i % 9000)}, nrcpt=1 (queue active)`;

const codesOn = (uri: vscode.Uri, line: number) => vscode.languages.getDiagnostics(uri).filter((d) => d.range.start.line === line).map(diagnosticCode);

// A log of some megabytes open in an editor is read by the server from its file, as one over the
// sync limit is, not sent whole through the protocol: what it flags is what is on disk, so an
// unsaved edit changes nothing and saving it does.
suite('A large log file open in an editor', () => {
  let folder: string;
  let file: string;
  let lastLine: number;

  suiteSetup(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-disk-backed-e2e-'));
    file = path.join(folder, 'maillog');
    const lines: string[] = [];
    // Over the size read from disk, under the 10 MB from which a remote window asks before showing a file.
    for (let i = 0, bytes = 0; bytes < READ_FROM_DISK_BYTES + 512 * 1024; i += 1) {
      lines.push(ROUTINE(i));
      bytes += lines[i].length + 1;
    }
    lines.push(LAST_BAD);
    lastLine = lines.length - 1;
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    assert.ok(fs.statSync(file).size > READ_FROM_DISK_BYTES && fs.statSync(file).size < 10 * 1024 * 1024);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The file stays, in the system's temporary folder: VS Code keeps the closed document for
    // minutes, and a document whose file is gone is synced whole to a restarted server (the
    // recovery test restarts it), which would count its lines in later tests' rankings.
  });

  test('is read from its file: flagged to its last line, hovers answer, only a saved edit counts, growth on disk is read, and it goes with its tab', async function () {
    this.timeout(120_000);
    const editor = await showLog(file);
    const uri = editor.document.uri;
    await waitFor('the last line to be flagged', () => codesOn(uri, lastLine).includes('sendmail/timeout-greeting') || undefined, 60_000);
    assert.match(await hoverText(editor.document, new vscode.Position(lastLine, 60)), /greeting/i);
    const tokens = await vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', uri);
    let tokenLine = 0;
    for (let i = 0; i < tokens.data.length; i += 5) tokenLine += tokens.data[i];
    assert.strictEqual(tokenLine, lastLine, 'semantic tokens down to the last line');

    // An edit not saved: the findings stay those of the file.
    const files = vscode.workspace.getConfiguration('files');
    const autoSave = files.inspect('autoSave')?.globalValue;
    await files.update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    try {
      assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), `${FIRST_BAD}\n`)));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      assert.ok(editor.document.isDirty, 'the edit is not saved yet');
      assert.deepStrictEqual(codesOn(uri, 0), [], 'the unsaved line is not flagged');
      assert.ok(codesOn(uri, lastLine).includes('sendmail/timeout-greeting'), 'the findings are still those of the file');
      // Saved: the file is read again, and the lines moved down by one.
      assert.ok(await editor.document.save(), 'saved');
    } finally {
      await files.update('autoSave', autoSave, vscode.ConfigurationTarget.Global);
    }
    await waitFor('the saved line to be flagged', () => codesOn(uri, 0).includes('kernel/irq-no-handler') || undefined, 60_000);
    await waitFor('the last finding to move down a line', () => codesOn(uri, lastLine + 1).includes('sendmail/timeout-greeting') || undefined, 60_000);

    // Grown on disk by someone else (a log being written), outside any workspace folder: the
    // editor reloads it, and the server reads the new line.
    fs.appendFileSync(file, `${GROWN_BAD}\n`);
    await waitFor('the line appended on disk to be flagged', () => codesOn(uri, lastLine + 2).includes('kernel/nic-link-down') || undefined, 60_000);

    // Its tab closed, the server lets it go (VS Code keeps the document for minutes more).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('its findings to go with its tab', () => (vscode.languages.getDiagnostics(uri).length === 0 ? true : undefined));
  });
});
