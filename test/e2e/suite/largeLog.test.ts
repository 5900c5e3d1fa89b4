import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { diagnosticCode, waitFor } from './editor';

// VS Code gives extensions no document for a file over 50 MB. Opened in an editor, such a log
// must still get its findings: the client names it and the server reads it from disk.
suite('A log over VS Code\'s sync limit', () => {
  let folder: string;
  let file: string;

  suiteSetup(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-large-e2e-'));
    file = path.join(folder, 'maillog');
    const filler = 'Nov  8 16:00:00 mx postfix/qmgr[880]: 3F1A2B4C5D: removed\n';
    const chunk = filler.repeat(Math.ceil((1024 * 1024) / filler.length));
    const out = fs.openSync(file, 'w');
    for (let i = 0; i < 56; i++) fs.writeSync(out, chunk);
    fs.writeSync(out, 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n');
    fs.closeSync(out);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('opening it in an editor still flags its lines', async () => {
    const uri = vscode.Uri.file(file);
    assert.ok(fs.statSync(file).size > 50 * 1024 * 1024);
    await vscode.commands.executeCommand('vscode.open', uri);
    const flagged = await waitFor(
      'the greeting timeout at the end of the large log to be flagged',
      () => vscode.languages.getDiagnostics(uri).find((d) => diagnosticCode(d) === 'sendmail/timeout-greeting'),
      60_000,
    );
    assert.strictEqual(flagged.range.start.line, fs.readFileSync(file, 'utf8').split('\n').length - 2);
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()), 'VS Code synced the document after all; the test proves nothing');
  });
});
