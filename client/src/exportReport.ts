import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { ANNOTATIONS_FILE } from '../../server/src/files/annotationsFile';
import { ReportParams, ReportRequest } from '../../server/src/protocol';

/** What an export wrote, for the caller (and tests). */
export interface ExportResult {
  file: string;
  logs: string[];
  warnings: string[];
}

/** Options a caller (a test, a keybinding) may pass instead of answering prompts. */
export interface ExportOptions {
  title?: string;
  /** Open the written file in an editor (default true). */
  open?: boolean;
}

const FORMATS: Record<ReportParams['format'], { extension: string; prefix: string; filters: Record<string, string[]> }> = {
  markdown: { extension: 'md', prefix: 'postmortem', filters: { Markdown: ['md'] } },
  'timesketch-jsonl': { extension: 'jsonl', prefix: 'timeline', filters: { 'JSON Lines': ['jsonl'] } },
  'timesketch-csv': { extension: 'csv', prefix: 'timeline', filters: { CSV: ['csv'] } },
};

function today(): string {
  const now = new Date();
  return `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
}

function real(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/** Why writing to `target` is refused: it is evidence (a log) or the annotations; undefined when fine. */
export function refusalFor(target: string): string | undefined {
  const wanted = real(target);
  const openLogs = vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'file' && (d.languageId === 'log-forensics' || d.languageId === 'log')).map((d) => d.uri.fsPath);
  if (openLogs.some((log) => real(log) === wanted)) return `${target} is a log; evidence is read-only, choose another file`;
  if (wanted.endsWith(`${path.sep}${ANNOTATIONS_FILE}`)) return `${target} is the annotations file; choose another file`;
  return undefined;
}

async function askTarget(format: ReportParams['format']): Promise<string | undefined> {
  const { extension, prefix, filters } = FORMATS[format];
  const root = vscode.workspace.workspaceFolders?.[0]?.uri;
  const name = `${prefix}-${today()}.${extension}`;
  const picked = await vscode.window.showSaveDialog({ defaultUri: root ? vscode.Uri.joinPath(root, name) : undefined, filters, saveLabel: 'Export', title: format === 'markdown' ? 'Export postmortem' : 'Export timeline for Timesketch' });
  return picked?.fsPath;
}

/** The largest document VS Code hands to an editor; a larger export is announced instead of opened. */
const LARGEST_OPENED = 50 * 1024 * 1024;

async function openExport(file: string): Promise<void> {
  const size = (await fs.promises.stat(file)).size;
  if (size <= LARGEST_OPENED) {
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    return;
  }
  const reveal = 'Reveal in Explorer';
  // Not awaited: the export is done whether or not the message is answered.
  void vscode.window.showInformationMessage(`Log Forensics: exported ${(size / 1024 / 1024).toFixed(0)} MB to ${path.basename(file)}; too large for the editor to open.`, reveal).then((choice) => {
    if (choice === reveal) void vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(file));
  });
}

/**
 * Has the server write the document (the same one the command line's `report` or `export`
 * writes) atomically to the chosen file, and opens it. A target that is an open log is refused
 * here; one that is any log of the export or the annotations, by the server.
 */
async function exportDocument(getClient: () => LanguageClient | undefined, format: ReportParams['format'], target: string | vscode.Uri | undefined, options: ExportOptions = {}): Promise<ExportResult | undefined> {
  const client = getClient();
  if (!client) return undefined;
  const file = target === undefined ? await askTarget(format) : typeof target === 'string' ? target : target.fsPath;
  if (!file) return undefined;
  const refusal = refusalFor(file);
  if (refusal) {
    void vscode.window.showErrorMessage(`Log Forensics: ${refusal}.`);
    return undefined;
  }
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Log Forensics: exporting…' }, () =>
      client.sendRequest(ReportRequest, { format, reportFolder: path.dirname(path.resolve(file)), title: options.title, target: path.resolve(file) }),
    );
    if (result.warnings.length > 0) void vscode.window.showWarningMessage(`Log Forensics: exported with ${result.warnings.length} warning(s): ${result.warnings.slice(0, 3).join('; ')}${result.warnings.length > 3 ? '; …' : ''}`);
    if (options.open !== false) await openExport(file);
    return { file, logs: result.logs, warnings: result.warnings };
  } catch (error) {
    void vscode.window.showErrorMessage(`Log Forensics: the export failed: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Registers "Export postmortem" (Markdown) and "Export timeline for Timesketch" (JSONL or CSV).
 * Both take an optional target path and options, for tests; otherwise they ask.
 */
export function registerExportCommands(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('logForensics.exportPostmortem', (target?: string | vscode.Uri, options?: ExportOptions) => exportDocument(getClient, 'markdown', target instanceof vscode.Uri || typeof target === 'string' ? target : undefined, options)),
    vscode.commands.registerCommand('logForensics.exportTimesketch', async (target?: string | vscode.Uri, format?: 'jsonl' | 'csv', options?: ExportOptions) => {
      const chosen = format ?? (await vscode.window.showQuickPick([{ label: 'JSONL', value: 'jsonl' as const, description: 'one JSON object per line' }, { label: 'CSV', value: 'csv' as const }], { title: 'Timesketch format' }))?.value;
      if (!chosen) return undefined;
      return exportDocument(getClient, chosen === 'csv' ? 'timesketch-csv' : 'timesketch-jsonl', target instanceof vscode.Uri || typeof target === 'string' ? target : undefined, options);
    }),
  );
}
