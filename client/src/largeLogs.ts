import * as fs from 'fs';
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CloseLargeLogNotification, OPEN_VIEW_COMMAND, OpenLargeLogNotification } from '../../server/src/protocol';
import { looksLikeLogFile } from '../../server/src/logs/discovery';

/** VS Code hands no document over this size to extensions. */
const SYNC_LIMIT_BYTES = 50 * 1024 * 1024;

/** The size in bytes of a file on disk; undefined for another scheme or a file that cannot be looked at. */
export function fileSizeOf(uri: vscode.Uri): number | undefined {
  if (uri.scheme !== 'file') return undefined;
  try {
    return fs.statSync(uri.fsPath).size;
  } catch {
    return undefined;
  }
}

/** Whether VS Code keeps a file from extensions for its size (it then has a tab, never a document). */
export function isTooLargeToSync(uri: vscode.Uri): boolean {
  return (fileSizeOf(uri) ?? 0) > SYNC_LIMIT_BYTES;
}

/**
 * From what size VS Code's editor shows a file only after its "Open Anyway" button, in bytes:
 * the user's `workbench.editorLargeFileConfirmation`, else VS Code's default for this window
 * (1024 MB for local files, 10 MB in a remote window such as SSH or code-server, 50 MB in a browser).
 */
function editorShowLimitBytes(uri: vscode.Uri): number {
  const configured = vscode.workspace.getConfiguration('workbench', uri).get<number>('editorLargeFileConfirmation');
  const megabytes = typeof configured === 'number' && configured > 0 ? configured : vscode.env.remoteName ? 10 : vscode.env.uiKind === vscode.UIKind.Web ? 50 : 1024;
  return megabytes * 1024 * 1024;
}

/**
 * After a large log was opened at a line: when VS Code's editor holds the file back until the
 * user asks for it, no cursor was placed; says so, naming the line, and offers the ways on (a
 * focused view, whose lines map back to the full log, or the setting).
 */
export function explainLineNotShown(uri: vscode.Uri, line: number): boolean {
  const size = fileSizeOf(uri);
  if (size === undefined) return false;
  const limit = editorShowLimitBytes(uri);
  if (size <= limit) return false;
  const name = vscode.workspace.asRelativePath(uri, false);
  const view = 'Open a Focused View';
  const setting = 'Raise the Limit';
  void vscode.window
    .showWarningMessage(
      `Log Forensics: VS Code shows files over ${Math.round(limit / 1024 / 1024)} MB only after "Open Anyway", so ${name} (${Math.round(size / 1024 / 1024)} MB) is not shown at line ${(line + 1).toLocaleString('en')}. A focused view shows its lines around a time, or raise workbench.editorLargeFileConfirmation.`,
      view,
      setting,
    )
    .then((choice) => {
      if (choice === view) return vscode.commands.executeCommand(OPEN_VIEW_COMMAND, uri.toString());
      if (choice === setting) return vscode.commands.executeCommand('workbench.action.openSettings', 'workbench.editorLargeFileConfirmation');
      return undefined;
    });
  return true;
}

/** The log shown in the active tab when VS Code does not pass it to extensions; else undefined. */
function activeUnsyncedLog(): vscode.Uri | undefined {
  if (vscode.window.activeTextEditor) return undefined;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText && isTooLargeToSync(input.uri) ? input.uri : undefined;
}

/**
 * Says why a command about the cursor's line cannot run in a log over VS Code's sync limit (no
 * extension sees its cursor), and offers the way on: a focused view, where every command works.
 * Returns whether the active tab was such a log.
 */
export function explainUnsyncedLog(action: string): boolean {
  const uri = activeUnsyncedLog();
  if (!uri) return false;
  const name = vscode.workspace.asRelativePath(uri, false);
  const open = 'Open a Focused View';
  void vscode.window
    .showWarningMessage(`Log Forensics: VS Code does not pass files over 50 MB to extensions, so the cursor in ${name} cannot be read to ${action}. Open a focused view of it: there every command works, and its lines map back to the full log.`, open)
    .then((choice) => (choice === open ? vscode.commands.executeCommand(OPEN_VIEW_COMMAND, uri.toString()) : undefined));
  return true;
}

/**
 * The file URIs of logs shown in editor tabs that the server reads from disk: those VS Code does
 * not sync to extensions, and the documents `readFromDisk` names (large ones the client does not sync).
 */
function largeLogTabs(readFromDisk: (uri: string) => boolean): Set<string> {
  const synced = new Set(vscode.workspace.textDocuments.map((document) => document.uri.toString()));
  const found = new Set<string>();
  for (const group of vscode.window.tabGroups.all) {
    for (const tab of group.tabs) {
      const input = tab.input;
      if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file') continue;
      const uri = input.uri.toString();
      if (readFromDisk(uri)) {
        found.add(uri);
        continue;
      }
      if (synced.has(uri)) continue;
      // A tab whose file is gone has nothing to read; isTooLargeToSync says no then.
      if (isTooLargeToSync(input.uri) && looksLikeLogFile(input.uri.fsPath)) found.add(uri);
    }
  }
  return found;
}

/**
 * Tells the server which logs it reads from disk are open in editors (over VS Code's sync limit,
 * or documents `readFromDisk` names), so it reads them while a tab shows them and lets them go
 * when the last one closes: their findings appear as diagnostics and their entries take part in
 * correlation. `update` looks at the tabs again.
 */
export function watchLargeLogs(getClient: () => LanguageClient | undefined, readFromDisk: (uri: string) => boolean): vscode.Disposable & { update(): void } {
  const open = new Set<string>();
  const update = (): void => {
    const client = getClient();
    if (!client?.isRunning()) return;
    const now = largeLogTabs(readFromDisk);
    for (const uri of now) if (!open.has(uri)) void client.sendNotification(OpenLargeLogNotification, { uri });
    for (const uri of open) if (!now.has(uri)) void client.sendNotification(CloseLargeLogNotification, { uri });
    open.clear();
    for (const uri of now) open.add(uri);
  };
  const timer = setTimeout(update, 0);
  const watching = vscode.Disposable.from(
    vscode.window.tabGroups.onDidChangeTabs(update),
    getClient()?.onDidChangeState(() => {
      open.clear();
      update();
    }) ?? { dispose: () => undefined },
    { dispose: () => clearTimeout(timer) },
  );
  return { dispose: () => watching.dispose(), update };
}
