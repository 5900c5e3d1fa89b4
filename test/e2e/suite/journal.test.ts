import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { PostmortemApi } from '../../../client/src/postmortem';
import { diagnosticOn, hoverText, waitFor } from './editor';

/** One line of `journalctl -o json`, as journald writes it (fields in its order). */
function journalLine(micros: number, priority: number, identifier: string, pid: number, message: string): string {
  return JSON.stringify({
    __CURSOR: `s=5f1c0a;i=${micros.toString(16)};b=9e8d;m=1f2e3d;t=${micros.toString(16)};x=aa11`,
    __REALTIME_TIMESTAMP: String(micros),
    __MONOTONIC_TIMESTAMP: '512345678',
    _BOOT_ID: '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b',
    PRIORITY: String(priority),
    SYSLOG_IDENTIFIER: identifier,
    _PID: String(pid),
    _HOSTNAME: 'mx1',
    MESSAGE: message,
  });
}

// A mail server's journal exported with `journalctl -o json > journal.json`: the editor must read it
// as a log (not as JSON), place its entries on the timeline and flag what the programs said was wrong.
suite('A journalctl -o json export in VS Code', () => {
  let folder: string;
  let file: string;
  let document: vscode.TextDocument;
  const warningAt = Date.UTC(2023, 10, 8, 16, 49, 43, 500);

  suiteSetup(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-journal-e2e-'));
    file = path.join(folder, 'journal.json');
    const lines = [
      journalLine(Date.UTC(2023, 10, 8, 16, 49, 42) * 1000, 6, 'postfix/qmgr', 880, '3F1A2B4C5D: removed'),
      journalLine(warningAt * 1000, 4, 'postfix/smtpd', 4102, 'warning: problem talking to server private/policy-spf: Connection timed out'),
      journalLine(Date.UTC(2023, 10, 8, 16, 49, 44) * 1000, 6, 'sshd', 4410, 'Failed password for root from 203.0.113.9 port 50122 ssh2'),
    ];
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document, { preview: false });
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(folder, { recursive: true, force: true });
  });

  test('it opens as a log, not as JSON', () => {
    assert.strictEqual(document.languageId, 'log-forensics');
  });

  test('the postfix warning it carries is flagged in postfix\'s own words, and the hover explains them', async () => {
    const diagnostic = await diagnosticOn(document, 'declared/postfix', 1);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diagnostic.message, /problem talking to server private\/policy-spf: Connection timed out/);
    const text = document.lineAt(1).text;
    const markdown = await hoverText(document, new vscode.Position(1, text.indexOf('problem talking')));
    assert.ok(markdown.includes('declared/postfix'), markdown);
    assert.ok(markdown.includes('What it means'), markdown);
    assert.ok(markdown.includes('postfix check'), markdown);
  });

  test('a failed login in it is flagged by its signature', async () => {
    const diagnostic = await diagnosticOn(document, 'sshd/failed-password', 2);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
  });

  test('the server highlights its stamp, host and program', async () => {
    const legend = await vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', document.uri);
    const tokens = await waitFor('semantic tokens of the journal export', async () => {
      const found = await vscode.commands.executeCommand<vscode.SemanticTokens | undefined>('vscode.provideDocumentSemanticTokens', document.uri);
      return found && found.data.length > 0 ? found : undefined;
    });
    // Decode the first line's tokens: [deltaLine, deltaStart, length, type, modifiers] each.
    const onFirstLine: { text: string; type: string }[] = [];
    let line = 0;
    let start = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      line += tokens.data[i];
      start = tokens.data[i] === 0 ? start + tokens.data[i + 1] : tokens.data[i + 1];
      if (line === 0) onFirstLine.push({ text: document.lineAt(0).text.slice(start, start + tokens.data[i + 2]), type: legend.tokenTypes[tokens.data[i + 3]] });
    }
    const typed = (text: string) => onFirstLine.find((token) => token.text === text)?.type;
    assert.ok(typed('1699462182000000'), `no token on the stamp; tokens: ${JSON.stringify(onFirstLine)}`);
    assert.ok(typed('mx1'), `no token on the host; tokens: ${JSON.stringify(onFirstLine)}`);
    assert.ok(typed('postfix/qmgr'), `no token on the program; tokens: ${JSON.stringify(onFirstLine)}`);
  });

  test('its findings are on the incident timeline at the instants journald recorded', async () => {
    const extension = vscode.extensions.getExtension<PostmortemApi>('log-forensics.log-forensics');
    assert.ok(extension, 'the extension is not loaded');
    const api = await extension.activate();
    const uri = document.uri.toString();
    const finding = await waitFor(
      () => `the journal's postfix warning in the timeline; findings: ${JSON.stringify(api.timeline.current.data?.findings.filter((f) => f.uri === uri))}`,
      async () => {
        await api.timeline.refresh();
        return api.timeline.current.data?.findings.find((f) => f.uri === uri && f.ruleId === 'declared/postfix');
      },
    );
    assert.strictEqual(finding.time, new Date(warningAt).toISOString());
    assert.strictEqual(finding.host, 'mx1');
    assert.strictEqual(finding.line, 1);
  });
});
