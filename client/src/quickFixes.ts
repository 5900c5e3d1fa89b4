import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { addSuppression, parseSuppressions } from '../../server/src/analysis/rules/suppress';
import { writeFileAtomicSync } from '../../server/src/files/atomicWrite';

/** Adds a rule id to `logForensics.rules.disabled` in the workspace settings. */
async function disableRule(ruleId: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('logForensics');
  const current = config.get<string[]>('rules.disabled') ?? [];
  if (current.includes(ruleId)) return;
  await config.update('rules.disabled', [...current, ruleId], vscode.ConfigurationTarget.Workspace);
  void vscode.window.showInformationMessage(`Log Forensics: ${ruleId} is disabled in this workspace (setting logForensics.rules.disabled).`);
}

/**
 * Records one finding as expected in `.log-forensics/suppressions.json` of the log's workspace
 * folder, anchored on the line's exact text. The log itself is never touched.
 */
async function suppressFinding(uri: string, line: number, ruleId: string): Promise<void> {
  const documentUri = vscode.Uri.parse(uri);
  const folder = vscode.workspace.getWorkspaceFolder(documentUri);
  if (!folder || documentUri.scheme !== 'file') {
    void vscode.window.showWarningMessage('Log Forensics: only logs inside a workspace folder can have expected lines recorded.');
    return;
  }
  const document = await vscode.workspace.openTextDocument(documentUri);
  const text = document.lineAt(line).text;
  const file = path.relative(folder.uri.fsPath, documentUri.fsPath).split(path.sep).join('/');
  const target = path.join(folder.uri.fsPath, '.log-forensics', 'suppressions.json');
  let current = '{"version":1,"suppressions":[]}';
  try {
    current = fs.readFileSync(target, 'utf8');
  } catch {
    // No suppressions yet.
  }
  const parsed = parseSuppressions(current);
  if (parsed.problems.length > 0) {
    void vscode.window.showErrorMessage(`Log Forensics: ${target} is not valid (${parsed.problems[0]}); fix it before adding to it.`);
    return;
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomicSync(target, addSuppression(parsed.file, { file, ruleId, text }));
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
    vscode.commands.registerCommand('logForensics.suppressFinding', suppressFinding),
    vscode.commands.registerCommand('logForensics.openRule', openRule),
  );
}
