import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { FindingsRequest, OPEN_TIME_WINDOW_COMMAND, OPEN_VIEW_COMMAND, ViewChoicesRequest, ViewRequest } from '../../server/src/protocol';
import type { ViewSpec } from '../../server/src/analysis/views/spec';
import { VIEW_SCHEME, viewOriginOf } from '../../server/src/logs/logUris';

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
    const view = await client.sendRequest(ViewRequest, { textDocument: { uri: origin.uri }, view: origin.view });
    if (view.truncated) void vscode.window.showWarningMessage(`Log Forensics: the view holds more than ${view.lineCount.toLocaleString('en')} lines and stops there; its last line says how to narrow it.`);
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

/** Opens the view the server describes under the URI it names, in the log language. */
async function showView(client: LanguageClient, uri: string, view: ViewSpec): Promise<vscode.TextEditor | undefined> {
  try {
    const result = await client.sendRequest(ViewRequest, { textDocument: { uri }, view });
    const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(result.uri));
    const log = document.languageId === 'log-forensics' ? document : await vscode.languages.setTextDocumentLanguage(document, 'log-forensics');
    return await vscode.window.showTextDocument(log, { preview: false });
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
}

function clientAndLog(getClient: () => LanguageClient | undefined, uriArg?: string | vscode.Uri): { client: LanguageClient; uri: string } | undefined {
  const client = getClient();
  const uri = targetLog(uriArg);
  if (!client || !uri) {
    void vscode.window.showInformationMessage('Log Forensics: open a log first, then open a view of it.');
    return undefined;
  }
  return { client, uri };
}

/** Opens a read-only view of a log's lines from `from` to `to`, in which hovers, actions and correlation work as in any log. */
async function openTimeWindow(getClient: () => LanguageClient | undefined, uriArg?: string | vscode.Uri, from?: string, to?: string): Promise<vscode.TextEditor | undefined> {
  const target = clientAndLog(getClient, uriArg);
  const window = target && (from && to ? { from, to } : await pickWindow(target.client, target.uri));
  return target && window ? showView(target.client, target.uri, { kind: 'time', ...window }) : undefined;
}

/** Asks which view of the log to open, from the server's list with each view's size, and opens it. */
async function openView(getClient: () => LanguageClient | undefined, uriArg?: string | vscode.Uri): Promise<vscode.TextEditor | undefined> {
  const target = clientAndLog(getClient, uriArg);
  if (!target) return undefined;
  let choices;
  try {
    choices = await target.client.sendRequest(ViewChoicesRequest, { textDocument: { uri: target.uri } });
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    choices.choices.map((choice) => ({ label: choice.label, description: choice.description, choice })),
    { title: `Open a focused view of ${vscode.Uri.parse(target.uri).path.split('/').pop()} (${choices.logLines.toLocaleString('en')} lines)`, matchOnDescription: true },
  );
  if (!picked) return undefined;
  return picked.choice.view ? showView(target.client, target.uri, picked.choice.view) : openTimeWindow(getClient, target.uri);
}

/** Registers focused views: their content provider and the commands that open one. */
export function registerFocusedViews(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(VIEW_SCHEME, new FocusedViewProvider(getClient)),
    vscode.commands.registerCommand(OPEN_TIME_WINDOW_COMMAND, (uri?: string | vscode.Uri, from?: string, to?: string) => openTimeWindow(getClient, uri, from, to)),
    vscode.commands.registerCommand(OPEN_VIEW_COMMAND, (uri?: string | vscode.Uri) => openView(getClient, uri)),
  );
}
