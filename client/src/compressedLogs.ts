import * as fs from 'fs';
import * as vscode from 'vscode';
import * as zlib from 'zlib';

/** The scheme under which gzip-compressed logs are shown; the server names them the same way. */
export const GZIP_SCHEME = 'log-forensics-gz';

/** Decompressed logs larger than this are refused in the editor, with a message. */
const MAX_BYTES = 512 * 1024 * 1024;

/**
 * Shows `maillog.2.gz` as text without ever writing the decompressed log to disk: a content
 * provider's documents are read-only, so the evidence cannot be edited or saved over.
 */
class CompressedLogProvider implements vscode.TextDocumentContentProvider {
  provideTextDocumentContent(uri: vscode.Uri): string {
    const file = vscode.Uri.file(uri.path).fsPath;
    const bytes = fs.readFileSync(file);
    try {
      return zlib.gunzipSync(bytes, { maxOutputLength: MAX_BYTES }).toString('utf8');
    } catch (error) {
      throw new Error(`${file} cannot be read as gzip (${(error as Error).message})`, { cause: error });
    }
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
