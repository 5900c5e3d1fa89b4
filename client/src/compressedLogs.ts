import * as vscode from 'vscode';
import { GZIP_SCHEME, filePathOf } from '../../server/src/logs/logUris';
import { openLogSource } from '../../server/src/logs/source';

export { GZIP_SCHEME };

/**
 * Shows `maillog.2.gz` as text without ever writing the decompressed log to disk: a content
 * provider's documents are read-only, so the evidence cannot be edited or saved over.
 */
class CompressedLogProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    // The same source as the server and CLI read: gzip by its magic bytes, size limits, devices refused.
    const source = openLogSource(filePathOf(uri.toString()) ?? uri.path);
    return Buffer.from(source.fs.readFile(source.path)).toString('utf8');
  }
}

/** Opens a `.gz` file through the read-only provider. */
async function openCompressed(resource?: vscode.Uri): Promise<void> {
  const target = resource ?? (await vscode.window.showOpenDialog({ filters: { 'Compressed logs': ['gz'] }, canSelectMany: false }))?.[0];
  if (!target) return;
  const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: GZIP_SCHEME, path: target.path }));
  await vscode.window.showTextDocument(document, { preview: false });
}

/** Registers the read-only view of compressed logs and the command that opens one. */
export function registerCompressedLogs(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(GZIP_SCHEME, new CompressedLogProvider()),
    vscode.commands.registerCommand('logForensics.openCompressedLog', openCompressed),
  );
}
