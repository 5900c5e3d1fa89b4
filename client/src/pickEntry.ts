import * as vscode from 'vscode';

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
