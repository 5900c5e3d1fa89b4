import * as assert from 'assert';
import * as vscode from 'vscode';
import { diagnosticOn, lineContaining, samplePath, showLog } from './editor';

suite('The imapd crash in VS Code', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the imap store log is flagged as messaging/store-critical on its Store Critical line', async () => {
    const imap = (await showLog(samplePath('imapd-crash', 'northuist', 'imap'))).document;
    const line = lineContaining(imap, 'imapd[', 'Store Critical: Mailbox database error');
    const diagnostic = await diagnosticOn(imap, 'messaging/store-critical', line);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostic.source, 'log-forensics');
  });
});
