import * as vscode from 'vscode';
import { LanguageClient, RequestType } from 'vscode-languageclient/node';

/** A log line the user may jump to from a list. */
export interface LineTarget {
  uri: string;
  range: { start: { line: number; character: number } };
}

/** Opens a log at a line and puts the cursor there. */
export async function revealLine(target: LineTarget): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.parse(target.uri));
  const start = new vscode.Position(target.range.start.line, 0);
  const editor = await vscode.window.showTextDocument(document, { preview: false, selection: new vscode.Range(start, start) });
  editor.revealRange(new vscode.Range(start, start), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** Where a line is, for list labels: `relay/maillog:127`. */
export function placeOf(target: LineTarget): string {
  return asPlainText(`${vscode.workspace.asRelativePath(vscode.Uri.parse(target.uri), false)}:${target.range.start.line + 1}`);
}

/**
 * Log text for quick-pick labels and details: VS Code reads `$(name)` there as an icon, and a log
 * line is written by whoever controls the logged input; escaping keeps it the characters it is.
 */
export function asPlainText(text: string): string {
  return text.replace(/\$\(/g, '\\$(');
}

/**
 * Sends a line request for a command called with `(uri, line)` (from a code action) or with no
 * arguments (from the palette: the cursor's line). Tells the user, and returns undefined, when
 * there is no line to ask about or the server refuses.
 */
export async function requestForLine<R>(
  getClient: () => LanguageClient | undefined,
  type: RequestType<{ textDocument: { uri: string }; position: { line: number; character: number } }, R, void>,
  args: { uri?: string; line?: number; missing: string },
): Promise<R | undefined> {
  const client = getClient();
  const editor = vscode.window.activeTextEditor;
  const uri = args.uri ?? editor?.document.uri.toString();
  const line = args.line ?? editor?.selection.active.line;
  if (!client || uri === undefined || line === undefined) {
    void vscode.window.showWarningMessage(`Log Forensics: ${args.missing}`);
    return undefined;
  }
  try {
    return await client.sendRequest(type, { textDocument: { uri }, position: { line, character: 0 } });
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
}
