import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import { diagnosticOn, incidentFolder, lineContaining, showLog, waitFor } from './editor';

// Stepping through findings goes by time across every log of the incident, not file by file.
suite('Moving between findings across logs', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('next finding after the do_IRQ line is the relay\'s greeting timeout, and back again', async () => {
    const messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    const relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    const irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ');
    const relayLine = lineContaining(relay, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
    await diagnosticOn(relay, 'sendmail/timeout-greeting', relayLine);
    const editor = await vscode.window.showTextDocument(messages, { preview: false });
    editor.selection = new vscode.Selection(irqLine, 0, irqLine, 0);
    await diagnosticOn(messages, 'kernel/irq-no-handler', irqLine);

    const next = await vscode.commands.executeCommand<{ uri: string; line: number; ruleId: string }>('logForensics.nextFinding');
    assert.deepStrictEqual([next?.uri, next?.line, next?.ruleId], [relay.uri.toString(), relayLine, 'sendmail/timeout-greeting']);
    const active = await waitFor('relay/maillog to become the active editor', () => (vscode.window.activeTextEditor?.document.uri.toString() === relay.uri.toString() ? vscode.window.activeTextEditor : undefined));
    assert.strictEqual(active.selection.active.line, relayLine);

    const back = await vscode.commands.executeCommand<{ uri: string; line: number }>('logForensics.previousFinding');
    assert.deepStrictEqual([back?.uri, back?.line], [messages.uri.toString(), irqLine]);
  });

  test('peeking around a line lists the entries of every log in that window', async () => {
    const messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    const irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ');
    const editor = await vscode.window.showTextDocument(messages, { preview: false });
    editor.selection = new vscode.Selection(irqLine, 0, irqLine, 0);
    const count = await vscode.commands.executeCommand<number>('logForensics.peekAround');
    assert.ok(count !== undefined && count >= 3, `peek listed ${count} entries`);
  });
});
