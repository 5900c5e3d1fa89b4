import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CorrelateResult } from '../../../server/src/protocol';
import { incidentFolder, lineContaining, runAndPick, showLog, waitFor, within } from './editor';

/** The commands behind code actions, whichever shape the provider returned them in. */
function actionsOf(found: (vscode.CodeAction | vscode.Command)[] | undefined): vscode.Command[] {
  return (found ?? []).map((action) => ('command' in action && typeof action.command === 'object' ? action.command : (action as vscode.Command)));
}

// The relay's greeting timeout (16:50:38 by its clock) and the gateway's end of that same
// connection (16:50:56 by its clock) record one event. Aligning them stores the relay's clock
// offset in the workspace settings; afterwards the gateway's line correlates to the relay's
// line at the same instant.
suite('Aligning two hosts\' clocks in VS Code', () => {
  const settingsFile = path.join(incidentFolder(), '.vscode', 'settings.json');
  let savedSettings: string;

  suiteSetup(() => {
    savedSettings = fs.readFileSync(settingsFile, 'utf8');
  });

  suiteTeardown(async () => {
    fs.writeFileSync(settingsFile, savedSettings);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('"Align this line with…" stores the offset and correlation then lands on the relay\'s line', async () => {
    const gateway = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'maillog'))).document;
    const relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    const gatewayLine = lineContaining(gateway, 'Nov  8 16:50:56', 'did not issue MAIL');
    const relayLine = lineContaining(relay, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
    await vscode.window.showTextDocument(gateway, { preview: false });

    const actions = await waitFor('the align action on the gateway line', async () => {
      const found = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', gateway.uri, new vscode.Range(gatewayLine, 0, gatewayLine, 0));
      return found?.find((action) => action.title === 'Align this line with a line of another log…');
    });
    const [command] = actionsOf([actions]);
    assert.strictEqual(command.command, 'logForensics.alignLine');
    const offset = await within('the alignment', vscode.commands.executeCommand<number>(command.command, ...(command.arguments ?? []), relay.uri.toString(), relayLine));
    assert.strictEqual(offset, -18);
    const stored = vscode.workspace.getConfiguration('logForensics').get<Record<string, number>>('time.hostOffsets');
    assert.deepStrictEqual(stored, { relay1: -18 });

    // Now "Show what happened around" on the gateway's line lists the relay's line at ±0 s; pick it.
    const around = actionsOf(await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', gateway.uri, new vscode.Range(gatewayLine, 0, gatewayLine, 0)));
    const show = around.find((c) => c.command === 'logForensics.showAround');
    assert.ok(show, 'no "Show what happened around" action');
    const wanted = new RegExp(`^16:50:56  ±0 s  relay/maillog:${relayLine + 1}$`);
    const result = await runAndPick<CorrelateResult>(show, wanted, 'the "Show what happened around" list to open');
    const landed = result?.entries.find((entry) => entry.uri === relay.uri.toString() && entry.range.start.line === relayLine);
    assert.strictEqual(landed?.deltaSeconds, 0);
    assert.strictEqual(landed?.time, '2010-11-08T21:50:56Z');
    const editor = await waitFor('relay/maillog to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === relay.uri.toString() ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, relayLine);
  });
});
