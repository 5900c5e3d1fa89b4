import * as fs from 'fs';
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CloseLargeLogNotification, OpenLargeLogNotification } from '../../server/src/protocol';
import { looksLikeLogFile } from '../../server/src/logs/discovery';

/** VS Code hands no document over this size to extensions. */
const SYNC_LIMIT_BYTES = 50 * 1024 * 1024;

/** The file URIs of logs shown in editor tabs that VS Code does not sync to extensions. */
function largeLogTabs(): Set<string> {
  const synced = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
  const found = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file') continue;
      const uri = input.uri.toString();
      if (synced.has(uri)) continue;
      try {
        if (fs.statSync(input.uri.fsPath).size > SYNC_LIMIT_BYTES && looksLikeLogFile(input.uri.fsPath)) found.add(uri);
      } catch {
        // A tab whose file is gone has nothing to read.
      }
    }
  }
  return found;
}

/**
 * Tells the server which logs over VS Code's sync limit are open in editors, so it reads them
 * from disk: their findings appear as diagnostics and their entries take part in correlation.
 */
export function watchLargeLogs(getClient: () => LanguageClient | undefined): vscode.Disposable {
  const open = new Set<string>();
  const update = (): void => {
    const client = getClient();
    if (!client?.isRunning()) return;
    const now = largeLogTabs();
    for (const uri of now) if (!open.has(uri)) void client.sendNotification(OpenLargeLogNotification, { uri });
    for (const uri of open) if (!now.has(uri)) void client.sendNotification(CloseLargeLogNotification, { uri });
    open.clear();
    for (const uri of now) open.add(uri);
  };
  const timer = setTimeout(update, 0);
  return vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs(update),
    getClient()?.onDidChangeState(() => {
      open.clear();
      update();
    }) ?? { dispose: () => undefined },
    { dispose: () => clearTimeout(timer) },
  );
}
