import * as vscode from 'vscode';

/** Adds a rule id to `logForensics.rules.disabled` in the workspace settings. */
async function disableRule(ruleId: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('logForensics');
  const current = config.get<string[]>('rules.disabled') ?? [];
  if (current.includes(ruleId)) return;
  await config.update('rules.disabled', [...current, ruleId], vscode.ConfigurationTarget.Workspace);
  void vscode.window.showInformationMessage(`Log Forensics: ${ruleId} is disabled in this workspace (setting logForensics.rules.disabled).`);
}

/** Opens a rule file at the rule's line. */
async function openRule(location: string, line: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(location));
  const at = new vscode.Position(line, 0);
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(at, at), preview: true });
}

/** Registers the commands behind the server's quick fixes. */
export function registerQuickFixes(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('logForensics.disableRule', disableRule),
    vscode.commands.registerCommand('logForensics.openRule', openRule),
  );
}
