import * as vscode from 'vscode';
import { DidChangeWatchedFilesNotification, FileChangeType, LanguageClient, Middleware } from 'vscode-languageclient/node';
import { fileSizeOf } from './largeLogs';

/**
 * From this size a log file an editor opens is read by the server from the file, as one over VS
 * Code's 50 MB sync limit is, instead of being sent whole in the protocol: the server decoding a
 * 50 MB `didOpen` kept every request waiting 0.2 s, and held the text twice (370 MB at its peak
 * against 290 MB for a 128 MB log read from disk); read from disk, its first findings come in
 * 50 ms instead of 0.5 s.
 */
export const READ_FROM_DISK_BYTES = 8 * 1024 * 1024;

/** Whether the server should read this document from its file: a saved file on disk of at least `READ_FROM_DISK_BYTES`. */
function readFromDisk(document: vscode.TextDocument): boolean {
  return !document.isDirty && !document.isUntitled && (fileSizeOf(document.uri) ?? 0) >= READ_FROM_DISK_BYTES;
}

/**
 * The language client's document sync, with large log files read from disk: they are not sent
 * in `didOpen`, and while a tab shows one, `watchLargeLogs` names it in `logForensics/openLargeLog`
 * (`isOnDisk` tells it which; `tabsChanged` asks it to look again), letting it go when the last tab
 * closes, not when VS Code, minutes later, disposes of the document. Their edits are not sent:
 * when the file changes (saved, or changed on disk and reloaded by the editor) the server is told,
 * as a file watcher would (the file may lie outside the workspace), and reads it on or again, so
 * what it flags is always what is on disk. `isLog` tells the logs from the rule files, which are
 * always synced.
 */
export function diskBackedSync(getClient: () => LanguageClient | undefined, isLog: (document: vscode.TextDocument) => boolean, tabsChanged: () => void): { middleware: Middleware; watcher: vscode.Disposable; isOnDisk(uri: string): boolean } {
  const onDisk = new Set<string>();
  const changedOnDisk = (document: vscode.TextDocument): void => {
    if (!onDisk.has(document.uri.toString())) return;
    void getClient()?.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: document.uri.toString(), type: FileChangeType.Changed }] });
  };
  const middleware: Middleware = {
    didOpen: async (document, next) => {
      if (!isLog(document) || !readFromDisk(document)) return next(document);
      onDisk.add(document.uri.toString());
      tabsChanged();
    },
    didChange: async (event, next) => {
      if (!onDisk.has(event.document.uri.toString())) return next(event);
      // Not dirty after a change: the editor reloaded the file from disk (a log being written).
      // The first edit's event may say so too; the server then finds the file unchanged.
      if (!event.document.isDirty) changedOnDisk(event.document);
    },
    didClose: async (document, next) => {
      if (!onDisk.delete(document.uri.toString())) return next(document);
      tabsChanged();
    },
  };
  return { middleware, watcher: vscode.workspace.onDidSaveTextDocument(changedOnDisk), isOnDisk: (uri) => onDisk.has(uri) };
}
