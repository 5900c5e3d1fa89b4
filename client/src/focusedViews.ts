import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { FindingsRequest, OPEN_TIME_WINDOW_COMMAND, ViewRequest } from '../../server/src/protocol';
import { VIEW_SCHEME, viewOriginOf, viewUriOf } from '../../server/src/logs/logUris';

/** How far either side of a finding a view opened from the command reaches, by default. */
const AROUND_MS = 10 * 60_000;

/**
 * Shows a focused view's text: the server reads the log's lines in the window (from disk for a
 * log too large to sync). Read-only, as every content provider's document is.
 */
class FocusedViewProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly getClient: () => LanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const origin = viewOriginOf(uri.toString());
    const client = this.getClient();
    if (!origin || !client) throw new Error('This view has no log to show, or the analysis server is not running.');
    const view = await client.sendRequest(ViewRequest, { textDocument: { uri: origin.uri }, from: origin.from, to: origin.to });
    if (view.truncated) void vscode.window.showWarningMessage(`Log Forensics: the window holds more than ${view.lineCount.toLocaleString('en')} lines; the view stops there. Narrow it to read the rest.`);
    return view.text;
  }
}

/** The log the command is about: an argument, else the active editor's, else the active tab's (a log too large to sync has a tab, not a document). */
function targetLog(uri: string | vscode.Uri | undefined): string | undefined {
  if (uri) return uri.toString();
  const editor = vscode.window.activeTextEditor;
  if (editor) return viewOriginOf(editor.document.uri.toString())?.uri ?? editor.document.uri.toString();
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  return input instanceof vscode.TabInputText ? input.uri.toString() : undefined;
}

/** Asks around which finding of the log to open the window. */
async function pickWindow(client: LanguageClient, uri: string): Promise<{ from: string; to: string } | undefined> {
  const page = await client.sendRequest(FindingsRequest, { textDocument: { uri }, limit: 500 });
  const timed = page.findings.filter((finding) => finding.time);
  if (timed.length === 0) {
    void vscode.window.showInformationMessage('Log Forensics: this log has no timed findings to open a window around.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    timed.map((finding) => ({ label: finding.time!, description: finding.ruleId, detail: finding.message, finding })),
    { title: `Open ±10 min around a finding of ${vscode.Uri.parse(uri).path.split('/').pop()}`, matchOnDescription: true, matchOnDetail: true },
  );
  if (!picked) return undefined;
  const at = Date.parse(picked.finding.time!);
  return { from: new Date(at - AROUND_MS).toISOString(), to: new Date(at + AROUND_MS).toISOString() };
}

/** Opens a read-only view of a log's lines from `from` to `to`, in which hovers, actions and correlation work as in any log. */
async function openTimeWindow(getClient: () => LanguageClient | undefined, uriArg?: string | vscode.Uri, from?: string, to?: string): Promise<vscode.TextEditor | undefined> {
  const client = getClient();
  const uri = targetLog(uriArg);
  if (!client || !uri) {
    void vscode.window.showInformationMessage('Log Forensics: open a log first, then open a window of it.');
    return undefined;
  }
  const window = from && to ? { from, to } : await pickWindow(client, uri);
  if (!window) return undefined;
  try {
    const { title } = await client.sendRequest(ViewRequest, { textDocument: { uri }, ...window });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(viewUriOf({ uri, ...window }, title)));
    const log = document.languageId === 'log-forensics' ? document : await vscode.languages.setTextDocumentLanguage(document, 'log-forensics');
    return await vscode.window.showTextDocument(log, { preview: false });
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
}

/** Registers focused views: their content provider and the command that opens one. */
export function registerFocusedViews(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, new FocusedViewProvider(getClient)),
    vscode.commands.registerCommand(OPEN_TIME_WINDOW_COMMAND, (uri?: string | vscode.Uri, from?: string, to?: string) => openTimeWindow(getClient, uri, from, to)),
  );
}
