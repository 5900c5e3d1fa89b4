import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { diagnosticOn, hoverText, incidentFolder, lineContaining, showLog, waitFor } from './editor';

/**
 * Process ids of this extension's language servers (started over IPC by the client): those whose
 * client process is this extension host, so another editor on the machine is not counted.
 */
function serverPids(): number[] {
  try {
    return execFileSync('pgrep', ['-f', `${path.sep}dist${path.sep}server.js --node-ipc --clientProcessId=${process.pid}$`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

suite('When the analysis server dies', () => {
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the client starts it again and the log is analysed again', async () => {
    const messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    const irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ');
    await diagnosticOn(messages, 'kernel/irq-no-handler', irqLine);
    const before = serverPids();
    assert.strictEqual(before.length, 1, `expected one server, found ${JSON.stringify(before)}`);

    process.kill(before[0], 'SIGKILL');

    const after = await waitFor('a new server process', () => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== before[0] ? pids : undefined;
    });
    assert.notStrictEqual(after[0], before[0]);
    const markdown = await waitFor('the hover to answer again', async () => {
      const text = await hoverText(messages, new vscode.Position(irqLine, messages.lineAt(irqLine).text.indexOf('No irq')));
      return text.includes('kernel/irq-no-handler') ? text : undefined;
    });
    assert.ok(markdown.includes('What it means'));
    await diagnosticOn(messages, 'kernel/irq-no-handler', irqLine);
  });
});
