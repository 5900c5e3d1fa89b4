import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CorrelateResult } from '../../../server/src/protocol';
import { diagnosticCode, diagnosticOn, hoverText, incidentFolder, lineContaining, runAndDrive, showLog, waitFor } from './editor';

suite('The mail gateway incident in VS Code', () => {
  let messages: vscode.TextDocument;
  let irqLine: number;

  suiteSetup(async () => {
    messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ: 1.221 No irq handler for vector');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('with only messages open, the relay log of the same folder is read and its findings are in Problems', async () => {
    const relay = vscode.Uri.file(path.join(incidentFolder(), 'relay', 'maillog'));
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === relay.toString()), 'the relay log is open; the test proves nothing');
    const flagged = await waitFor('the relay\'s greeting timeout in Problems', () => vscode.languages.getDiagnostics(relay).find((d) => diagnosticCode(d) === 'sendmail/timeout-greeting'), 30_000);
    assert.strictEqual(flagged.severity, vscode.DiagnosticSeverity.Error);
  });

  test('the gateway messages file opens in the Log Forensics language', () => {
    assert.strictEqual(messages.languageId, 'log-forensics');
  });

  test('the do_IRQ line is flagged as a kernel/irq-no-handler error', async () => {
    const diagnostic = await diagnosticOn(messages, 'kernel/irq-no-handler', irqLine);
    assert.strictEqual(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(diagnostic.source, 'log-forensics');
    assert.strictEqual(diagnostic.range.start.character, messages.lineAt(irqLine).text.indexOf('do_IRQ'));
  });

  test('hovering the do_IRQ line explains what the signature means', async () => {
    const at = new vscode.Position(irqLine, messages.lineAt(irqLine).text.indexOf('No irq handler'));
    const markdown = await hoverText(messages, at);
    assert.ok(markdown.includes('kernel/irq-no-handler'), markdown);
    assert.ok(markdown.includes('What it means'), markdown);
    assert.ok(markdown.includes('disable_msi'), markdown);
    // It leads with what happened, in the line's own values, and the first thing to check.
    const [happened, check] = markdown.split('\n');
    assert.ok(happened.replace(/\\(.)/g, '$1').includes('Interrupt on CPU.vector 1.221 had no handler'), happened);
    assert.ok(check.startsWith('**Check first:** Look for the same second in the other logs'), check);
    assert.ok(markdown.includes('interrupt on vector ` 1.221 `'), markdown);
  });

  test('hovering the timestamp shows the instant in UTC, and only the time', async () => {
    const markdown = await hoverText(messages, new vscode.Position(irqLine, 8));
    assert.ok(markdown.includes('2010-11-08T21:49:42Z'), markdown);
    assert.ok(markdown.includes('1 finding on this line: Interrupt arrived on a vector with no handler'), markdown);
    assert.ok(!markdown.includes('What it means'), markdown);
  });

  test('the timestamp\'s hover says where its year came from: the setting, else the queue ids of a maillog of the incident', async () => {
    const stampHover = async (): Promise<string> => (await hoverText(messages, new vscode.Position(irqLine, 8))).replace(/\\(.)/g, '$1');
    const time = vscode.workspace.getConfiguration('logForensics.time');
    const setYear = time.inspect<number>('year')?.workspaceValue;
    assert.strictEqual(typeof setYear, 'number', 'the sample workspace sets logForensics.time.year');
    assert.match(await stampHover(), new RegExp(`_year ${setYear} from setting`));
    await time.update('year', undefined, vscode.ConfigurationTarget.Workspace);
    try {
      // Without the setting: the kernel's lines name no year; the incident's maillogs do through
      // their sendmail queue ids, and the gateway's log is read in the same year, not by its file's time.
      const evidence = /_year (\d{4}): as (\S+)'s lines say \((\d+) sendmail queue ids?[^)]*\); here ([^;_]+)/;
      const markdown = await waitFor('the hover to take the year from the logs', async () => {
        const text = await stampHover();
        return evidence.test(text) ? text : undefined;
      }, 30_000);
      const [, year, log, ids, here] = evidence.exec(markdown)!;
      assert.strictEqual(year, '2010', markdown);
      assert.ok(markdown.includes('2010-11-08T21:49:42Z'), markdown);
      assert.ok(['drjmailgw/maillog', 'relay/maillog'].includes(log), log);
      assert.ok(Number(ids) > 0, markdown);
      assert.match(here, /the file's modification time/, here);
    } finally {
      await time.update('year', setYear, vscode.ConfigurationTarget.Workspace);
      await waitFor('the hover to take the year from the setting again', async () => ((await stampHover()).includes(`_year ${setYear} from setting`) ? true : undefined), 30_000);
    }
  });

  test('the do_IRQ line\'s quick fixes put looking into it first and hiding it last', async () => {
    const range = new vscode.Range(irqLine, 0, irqLine, 0);
    const actions = (await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', messages.uri, range)) as vscode.CodeAction[];
    const titles = actions.map((action) => action.title);
    assert.strictEqual(titles[0], 'Show what happened around 16:49:42', JSON.stringify(titles));
    assert.deepStrictEqual(actions.filter((action) => action.isPreferred).map((action) => action.title), ['Show what happened around 16:49:42']);
    const open = titles.indexOf('Open rule definition of kernel/irq-no-handler');
    const disable = titles.indexOf('Disable signature kernel/irq-no-handler in this workspace');
    const expected = titles.indexOf('This line is expected: hide kernel/irq-no-handler here');
    assert.ok(open > 0 && disable > open && expected > disable, JSON.stringify(titles));
    assert.ok(actions.every((action) => action.kind?.value === vscode.CodeActionKind.QuickFix.value), JSON.stringify(actions.map((action) => action.kind?.value)));
  });

  test('the do_IRQ line offers "Show what happened around 16:49:42"', async () => {
    const command = await showAroundCommand(messages, irqLine);
    assert.strictEqual(command.command, 'logForensics.showAround');
    assert.deepStrictEqual(command.arguments, [messages.uri.toString(), irqLine]);
  });

  test('picking the relay\'s 16:50:38 entry in the list reveals that line of relay/maillog', async () => {
    const relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    const relayLine = lineContaining(relay, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
    await vscode.window.showTextDocument(messages, { preview: false });
    const command = await showAroundCommand(messages, irqLine);

    // "HH:MM:SS  +N s  relative/path:LINE"; 16:50:38 is 56 s after the do_IRQ line.
    const wanted = new RegExp(`^16:50:38  \\+56 s  relay/maillog:${relayLine + 1}$`);
    const result = await runAndDrive<CorrelateResult>(command, 'the "Show what happened around" list to open', async (pick) => {
      assert.match(pick.watch.title ?? '', /\(± 5 min\)/, 'the title names the default window');
      const items = pick.watch.items ?? [];
      assert.match(groupsOf(items)[0] ?? '', /^drjmailgw\/messages \(\d+\)$/, 'the log asked from comes first');
      assert.match(groupOf(items, wanted) ?? '', /^relay\/maillog \(\d+\)$/, 'the relay\'s entry is in the relay\'s group');
      await pick.choose(wanted);
    });

    assert.ok(result, 'logForensics.showAround returned nothing');
    assert.strictEqual(result.center, '2010-11-08T21:49:42Z');
    const editor = await waitFor('relay/maillog to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === relay.uri.toString() ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, relayLine);
  });

  test('widening the list in place from ± 1 min to ± 5 min adds the relay\'s entry 62 s before the do_IRQ line', async () => {
    const relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    const relayLine = lineContaining(relay, 'Nov  8 16:48:40', 'to=<tom.becker@supplier.example.org>');
    await vscode.window.showTextDocument(messages, { preview: false });
    const command = await showAroundCommand(messages, irqLine);

    // 16:48:40 is 62 s before 16:49:42: outside ± 1 min, inside ± 5 min.
    const early = new RegExp(`^16:48:40  −62 s  relay/maillog:${relayLine + 1}$`);
    const result = await runAndDrive<CorrelateResult>(command, 'the "Show what happened around" list to open', async (pick) => {
      await pick.choose(/ ± 1 min$/);
      await pick.settle('the list to show ± 1 min in place', /\(± 1 min\)/);
      assert.ok(!pick.watch.labels.some((label) => early.test(label)), `${early} listed within ± 1 min: ${JSON.stringify(pick.watch.labels, null, 1)}`);
      assert.ok(pick.watch.labels.some((label) => label.startsWith('16:50:38  +56 s  relay/maillog:')), 'the greeting timeout at +56 s is within ± 1 min');
      await pick.choose(/ ± 5 min$/);
      await pick.settle('the list to show ± 5 min in place', /\(± 5 min\)/);
      assert.match(groupOf(pick.watch.items ?? [], early) ?? '', /^relay\/maillog \(\d+\)$/);
      await pick.choose(early);
    });

    assert.strictEqual(result?.windowSeconds, 300, 'the command answers with the window last shown');
    const editor = await waitFor('relay/maillog to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === relay.uri.toString() ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, relayLine);
  });

  test('the relay\'s greeting timeout is flagged as sendmail/timeout-greeting', async () => {
    const relay = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(incidentFolder(), 'relay', 'maillog')));
    const relayLine = lineContaining(relay, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
    const diagnostic = await diagnosticOn(relay, 'sendmail/timeout-greeting', relayLine);
    assert.strictEqual(diagnostic.source, 'log-forensics');
  });
});

/** The "Show what happened around" command the code actions offer on a line. */
async function showAroundCommand(document: vscode.TextDocument, line: number): Promise<vscode.Command> {
  const range = new vscode.Range(line, 0, line, 0);
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', document.uri, range);
  const titles = actions.map((action) => action.title);
  const action = actions.find((candidate) => candidate.title === 'Show what happened around 16:49:42');
  assert.ok(action, `no "Show what happened around 16:49:42" among ${JSON.stringify(titles)}`);
  const command = 'command' in action && typeof action.command === 'object' ? action.command : (action as vscode.Command);
  assert.ok(command, 'the code action carries no command');
  return command;
}

/** The labels of a list's separators, in order: one per log, then the windows. */
function groupsOf(items: readonly vscode.QuickPickItem[]): string[] {
  return items.filter((item) => item.kind === vscode.QuickPickItemKind.Separator).map((item) => item.label);
}

/** The label of the separator above the first item whose label matches `wanted`. */
function groupOf(items: readonly vscode.QuickPickItem[], wanted: RegExp): string | undefined {
  let group: string | undefined;
  for (const item of items) {
    if (item.kind === vscode.QuickPickItemKind.Separator) group = item.label;
    else if (wanted.test(item.label)) return group;
  }
  return undefined;
}
