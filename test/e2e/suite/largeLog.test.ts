import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PostmortemApi } from '../../../client/src/postmortem';
import type { ExportResult } from '../../../client/src/exportReport';
import { diagnosticCode, incidentFolder, showLog, waitFor } from './editor';

/** Fails naming the step when it takes longer than `ms`. */
function within<T>(what: string, promise: Thenable<T>, ms: number): Promise<T> {
  return Promise.race([Promise.resolve(promise), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms))]);
}

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

  test('revealing its last line brings its tab to the front, and says so where VS Code holds the file back', async () => {
    const uri = vscode.Uri.file(file);
    const lastLine = fs.readFileSync(file, 'utf8').split('\n').length - 2;
    // Another log in front; the large log's tab stays open (closed, it would be let go and read again).
    await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'));
    const activeTab = (): string | undefined => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputText ? input.uri.toString() : undefined;
    };
    assert.notStrictEqual(activeTab(), uri.toString());
    const warnings: string[] = [];
    const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
    const original = window.showWarningMessage;
    window.showWarningMessage = function (this: unknown, ...args: unknown[]) {
      warnings.push(String(args[0]));
      return original.apply(this, args);
    };
    try {
      await vscode.commands.executeCommand('logForensics.revealLine', uri.toString(), lastLine);
      assert.strictEqual(activeTab(), uri.toString());
    } finally {
      window.showWarningMessage = original;
    }
    // Where the cursor lands is seen in the status bar only (run.ts checks it through the UI).
    // code-server, as any remote window, shows files over 10 MB only after "Open Anyway".
    const limitMiB = vscode.workspace.getConfiguration('workbench', uri).get<number>('editorLargeFileConfirmation');
    assert.strictEqual(typeof limitMiB, 'number');
    const said = warnings.filter((warning) => /not shown at line/.test(warning));
    if (limitMiB! * 1024 * 1024 < fs.statSync(file).size) {
      assert.strictEqual(said.length, 1, JSON.stringify(warnings));
      assert.match(said[0], new RegExp(`over ${limitMiB} MB only after "Open Anyway", so .*maillog \\(\\d+ MB\\) is not shown at line ${(lastLine + 1).toLocaleString('en')}\\.`));
    } else {
      assert.deepStrictEqual(said, [], 'the editor shows the file, yet the line is said not to be shown');
    }
  });

  test('its findings are in the incident timeline and its lines in the Timesketch export', async function () {
    // A million entries go out to Timesketch, one row each: tens of seconds, not a hang.
    this.timeout(150_000);
    const api = await within('activating the extension', vscode.extensions.getExtension<PostmortemApi>('log-forensics.log-forensics')!.activate(), 5_000);
    const uri = vscode.Uri.file(file).toString();
    const described = () => `the large log in the timeline; it holds ${JSON.stringify(api.timeline.current.data?.logs)}, findings of ${JSON.stringify([...new Set((api.timeline.current.data?.findings ?? []).map((f) => f.uri))])}`;
    await waitFor(described, async () => {
      await within('a timeline refresh', api.timeline.refresh(), 8_000);
      return (api.timeline.current.data?.findings ?? []).some((f) => f.uri === uri && f.ruleId === 'sendmail/timeout-greeting') ? true : undefined;
    }, 15_000);
    const target = path.join(folder, 'timeline.jsonl');
    const result = await within('the Timesketch export', vscode.commands.executeCommand<ExportResult>('logForensics.exportTimesketch', target, 'jsonl', { open: false }), 120_000);
    assert.ok(result, 'the export returned nothing');
    // The large log's last line, as the export writes it (a million filler rows come before it).
    const text = fs.readFileSync(target, 'utf8');
    const row = text.split('\n').find((line) => line.includes('timeout waiting for input from drjmailgw'));
    assert.ok(row, `${text.length} characters, no row from the large log`);
    // 2010, as the log's own queue id says, in whatever zone the workspace reads it.
    assert.match((JSON.parse(row) as { datetime: string }).datetime, /^2010-11-08T\d\d:50:38\.000\+00:00$/);
  });

  test('a time window of it opens as a small read-only document in which hovers and code actions answer', async function () {
    this.timeout(60_000);
    const uri = vscode.Uri.file(file).toString();
    const editor = await within('opening the window', vscode.commands.executeCommand<vscode.TextEditor>('logForensics.openTimeWindow', uri, '2010-11-08T21:50:00Z', '2010-11-08T21:51:00Z'), 30_000);
    assert.ok(editor, 'no editor for the view');
    const view = editor.document;
    assert.strictEqual(view.uri.scheme, 'log-forensics-view');
    assert.strictEqual(view.lineCount, 1);
    assert.match(view.lineAt(0).text, /timeout waiting for input from drjmailgw/);
    const hovers = await waitFor('a hover on the view', async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', view.uri, new vscode.Position(0, 60));
      return found.length > 0 ? found : undefined;
    });
    const text = hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : (part as vscode.MarkdownString).value))).join('\n');
    assert.match(text, /timeout-greeting/);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', view.uri, new vscode.Range(0, 0, 0, 0));
    const back = actions.find((action) => action.title === 'Open at this line in the full log') as vscode.CodeAction | undefined;
    assert.ok(back, JSON.stringify(actions.map((action) => action.title)));
    assert.deepStrictEqual(back.command?.arguments, [uri, fs.readFileSync(file, 'utf8').split('\n').length - 2]);
  });
});
