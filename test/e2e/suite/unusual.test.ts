import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TriageGroupDto } from '../../../server/src/protocol';
import type { PostmortemApi } from '../../../client/src/postmortem';
import type { UnusualNode } from '../../../client/src/unusualView';
import { incidentFolder, lineContaining, showLog, waitFor } from './editor';

/** The groups the view lists, in the order shown. */
function listed(nodes: readonly UnusualNode[]): TriageGroupDto[] {
  return nodes.flatMap((node) => (node.kind === 'group' ? [node.group] : []));
}

// The needle in the haystack: with the incident open, the view ranks the interrupt line and the
// relay's greeting timeouts above the gateway's routine, and takes the user to the line.
suite('What\'s Unusual ranks the incident\'s telling lines first', () => {
  let api: PostmortemApi;
  let messages: vscode.TextDocument;
  let irqLine: number;

  suiteSetup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const extension = vscode.extensions.getExtension<PostmortemApi>('log-forensics.log-forensics');
    assert.ok(extension, 'the extension is not loaded');
    api = await extension.activate();
    messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ: 1.221 No irq handler for vector');
    await vscode.commands.executeCommand('workbench.view.extension.logForensics');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('logForensics.filterUnusual', {});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  test('the do_IRQ line and the relay\'s greeting timeout are in the top 5', async () => {
    // The relay's log is not open: the server reads it from the workspace, which takes a moment.
    const top = await waitFor(
      () => `both groups in the top 5; listed: ${JSON.stringify(listed(api.unusual.current.nodes).slice(0, 8).map((g) => [g.rank, g.ruleId, g.file]))}`,
      async () => {
        const groups = listed(await api.unusual.refresh()).slice(0, 5);
        const ids = groups.map((group) => group.ruleId);
        return ids.includes('kernel/irq-no-handler') && ids.includes('sendmail/timeout-greeting') ? groups : undefined;
      },
      30_000,
    );
    const irq = top.find((group) => group.ruleId === 'kernel/irq-no-handler')!;
    assert.deepStrictEqual([irq.file, irq.line, irq.count, irq.rhythm], ['drjmailgw/messages', irqLine + 1, 1, 'once']);
    assert.strictEqual(top.find((group) => group.ruleId === 'sendmail/timeout-greeting')!.file, 'relay/maillog');
    assert.match(api.unusual.view?.message ?? '', /^\d+ groups over \d+ logs$/);
  });

  test('a row reads "rank. title ×count", says where and when, and opens onto its reasons', async () => {
    const node = api.unusual.current.nodes.find((candidate) => candidate.kind === 'group' && candidate.group.ruleId === 'kernel/irq-no-handler');
    assert.ok(node && node.kind === 'group');
    const item = api.unusual.getTreeItem(node);
    assert.strictEqual(item.label, `${node.group.rank}. ${node.group.title} ×1`);
    assert.strictEqual(item.description, `drjmailgw/messages:${irqLine + 1}  2010-11-08 21:49:42 UTC`);
    assert.strictEqual((item.iconPath as vscode.ThemeIcon).id, 'error');
    assert.strictEqual(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const tooltip = item.tooltip as vscode.MarkdownString;
    assert.ok(tooltip.value.includes(`\` ${messages.lineAt(irqLine).text} \``), tooltip.value);
    assert.ok(tooltip.value.includes('kernel/irq\\-no\\-handler'), `the rule id is not escaped: ${tooltip.value}`);
    assert.ok(!tooltip.isTrusted, 'the tooltip, which shows log text, is trusted');
    const reasons = api.unusual.getChildren(node).map((child) => String(api.unusual.getTreeItem(child).label));
    assert.deepStrictEqual(reasons, node.group.reasons);
    assert.ok(reasons.includes('once'), JSON.stringify(reasons));
  });

  test('clicking the do_IRQ row reveals its line in drjmailgw/messages', async () => {
    const relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    const node = api.unusual.current.nodes.find((candidate) => candidate.kind === 'group' && candidate.group.ruleId === 'kernel/irq-no-handler')!;
    const command = api.unusual.getTreeItem(node).command;
    assert.ok(command, 'the row has no command');
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), relay.uri.toString());
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const editor = await waitFor('drjmailgw/messages to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === messages.uri.toString() ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, irqLine);
  });

  test('the kind filter "rare" leaves only rare lines, and says so', async () => {
    const all = listed(api.unusual.current.nodes);
    const rareCount = all.filter((group) => group.kind === 'rare').length;
    assert.ok(rareCount > 0 && rareCount < all.length, `the incident should have both kinds; kinds: ${JSON.stringify(all.map((g) => g.kind))}`);
    const nodes = await vscode.commands.executeCommand<UnusualNode[]>('logForensics.filterUnusual', { kind: 'rare' });
    const rare = listed(nodes);
    assert.deepStrictEqual(rare.map((group) => [group.rank, group.kind]), (api.unusual.current.data?.groups ?? []).filter((group) => group.kind === 'rare').map((group) => [group.rank, 'rare']));
    assert.strictEqual((api.unusual.getTreeItem({ kind: 'group', group: rare[0] }).iconPath as vscode.ThemeIcon).id, 'telescope');
    assert.strictEqual(api.unusual.view?.description, 'rare lines');
    assert.match(api.unusual.view?.message ?? '', new RegExp(`^${rare.length} of ${all.length} groups over \\d+ logs$`));
    const again = await vscode.commands.executeCommand<UnusualNode[]>('logForensics.filterUnusual', {});
    assert.strictEqual(listed(again).length, all.length);
  });
});
