import * as vscode from 'vscode';
import { LanguageClient, RequestParam, RequestType } from 'vscode-languageclient/node';
import { explainLineNotShown, explainUnsyncedLog, isTooLargeToSync } from './largeLogs';
import { LINE_REVEALED_COMMAND } from './visibleRanges';

/** A log line the user may jump to from a list. */
export interface LineTarget {
  uri: string;
  range: { start: { line: number; character: number } };
}

/**
 * Opens a log at a line and puts the cursor there. A log over VS Code's sync limit has no document
 * for extensions: it is opened in an editor at the line all the same, and no editor is returned;
 * where the editor holds such a file back until asked (over `workbench.editorLargeFileConfirmation`),
 * a message says the line is not shown and how to see it.
 */
export async function revealLine(target: LineTarget): Promise<vscode.TextEditor | undefined> {
  const uri = vscode.Uri.parse(target.uri);
  const start = new vscode.Position(target.range.start.line, 0);
  if (isTooLargeToSync(uri)) {
    await vscode.commands.executeCommand('vscode.open', uri, { selection: new vscode.Range(start, start), preview: false });
    // No extension sees this editor's lines: the server is told the line, for its findings there first.
    void vscode.commands.executeCommand(LINE_REVEALED_COMMAND, uri.toString(), start.line).then(undefined, () => undefined);
    explainLineNotShown(uri, start.line);
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(start, start) });
  editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** A log's name for list labels, relative to the workspace: `relay/maillog`. */
export function logNameOf(uri: string): string {
  return asPlainText(vscode.workspace.asRelativePath(vscode.Uri.parse(uri), false));
}

/** Where a line is, for list labels: `relay/maillog:127`. */
export function placeOf(target: LineTarget): string {
  return `${logNameOf(target.uri)}:${target.range.start.line + 1}`;
}

/**
 * Log text for quick-pick labels and details: VS Code reads `$(name)` there as an icon, and a log
 * line is written by whoever controls the logged input; escaping keeps it the characters it is.
 */
export function asPlainText(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/** A line to ask the server about, and the client to ask it through. */
export interface LineQuestion {
  client: LanguageClient;
  uri: string;
  line: number;
}

/** The parameters every line request carries. */
interface LineParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

/** A command's line (from a code action), what it does (for messages) and what to say when there is no line. */
interface LineArgs {
  uri?: string;
  line?: number;
  /** What the command does to the line, as in "cannot be read to …". */
  action: string;
  missing: string;
}

/**
 * The line a command called with `(uri, line)` (from a code action) or with no arguments (from
 * the palette: the cursor's line) asks about. Tells the user, and returns undefined, when there is
 * none or no server to ask.
 */
export function lineToAsk(getClient: () => LanguageClient | undefined, args: LineArgs): LineQuestion | undefined {
  const client = getClient();
  const editor = vscode.window.activeTextEditor;
  const uri = args.uri ?? editor?.document.uri.toString();
  const line = args.line ?? editor?.selection.active.line;
  if (!client || uri === undefined || line === undefined) {
    if (client && explainUnsyncedLog(args.action)) return undefined;
    void vscode.window.showWarningMessage(`Log Forensics: ${args.missing}`);
    return undefined;
  }
  return { client, uri, line };
}

/**
 * Sends a line request with whatever else its parameters hold. Tells the user, and returns
 * undefined, when the server refuses.
 */
export async function askAboutLine<P extends LineParams, R>(question: LineQuestion, type: RequestType<P, R, void>, more: Omit<P, keyof LineParams>): Promise<R | undefined> {
  const params = { ...more, textDocument: { uri: question.uri }, position: { line: question.line, character: 0 } } as RequestParam<P>;
  try {
    return await question.client.sendRequest(type, params);
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
}

/** Sends a line request for the line a command is about (see `lineToAsk`). */
export async function requestForLine<R>(
  getClient: () => LanguageClient | undefined,
  type: RequestType<LineParams, R, void>,
  args: LineArgs,
): Promise<R | undefined> {
  const question = lineToAsk(getClient, args);
  return question ? askAboutLine(question, type, {}) : undefined;
}
