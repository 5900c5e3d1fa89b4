import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CorrelateRequest, TimelineFindingDto, TimelineRequest } from '../../server/src/protocol';
import { revealLine } from './pickEntry';
import { explainUnsyncedLog } from './largeLogs';

/**
 * "Peek what happened around": the entries of every log within the window of the cursor's line,
 * in the editor's peek view (grouped by file), without leaving the line.
 */
async function peekAround(getClient: () => LanguageClient | undefined): Promise<number | undefined> {
  const client = getClient();
  const editor = vscode.window.activeTextEditor;
  if (!client || !editor) {
    if (client) explainUnsyncedLog('peek what happened around it');
    return undefined;
  }
  const position = editor.selection.active;
  try {
    const result = await client.sendRequest(CorrelateRequest, { textDocument: { uri: editor.document.uri.toString() }, position: { line: position.line, character: 0 } });
    const locations = result.entries.map((entry) => new vscode.Location(vscode.Uri.parse(entry.uri), new vscode.Position(entry.range.start.line, 0)));
    await vscode.commands.executeCommand('editor.action.peekLocations', editor.document.uri, position, locations, 'peek');
    return locations.length;
  } catch (error) {
    void vscode.window.showWarningMessage(`Log Forensics: ${(error as Error).message}`);
    return undefined;
  }
}

/**
 * Next or previous finding across all logs, in time order: from the cursor's line (its time, or
 * the current finding), move to the neighbouring finding of any log and reveal it.
 */
async function stepFinding(getClient: () => LanguageClient | undefined, direction: 1 | -1): Promise<TimelineFindingDto | undefined> {
  const client = getClient();
  if (!client) return undefined;
  const { findings } = await client.sendRequest(TimelineRequest, {});
  const timed = findings.filter((finding) => finding.time !== null);
  if (timed.length === 0) {
    void vscode.window.showInformationMessage('Log Forensics: no findings with a time in the open logs.');
    return undefined;
  }
  const editor = vscode.window.activeTextEditor;
  const here = editor ? timed.findIndex((f) => f.uri === editor.document.uri.toString() && f.line === editor.selection.active.line) : -1;
  let next: number;
  if (here >= 0) {
    next = here + direction;
  } else {
    // Not on a finding: take the first one after (or before) the cursor's place in the file list.
    const uri = editor?.document.uri.toString();
    const line = editor?.selection.active.line ?? 0;
    const inFile = timed.filter((f) => f.uri === uri);
    const anchor = direction > 0 ? inFile.find((f) => f.line > line) : [...inFile].reverse().find((f) => f.line < line);
    next = anchor ? timed.indexOf(anchor) : direction > 0 ? 0 : timed.length - 1;
  }
  if (next < 0 || next >= timed.length) {
    void vscode.window.showInformationMessage(`Log Forensics: no ${direction > 0 ? 'later' : 'earlier'} finding.`);
    return undefined;
  }
  const target = timed[next];
  await revealLine({ uri: target.uri, range: { start: { line: target.line, character: 0 } } });
  vscode.window.setStatusBarMessage(`Log Forensics: ${target.time} ${target.ruleId}: ${target.message}`, 5000);
  return target;
}

/** Registers peeking around a line and stepping through findings across logs. */
export function registerNavigation(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('logForensics.peekAround', () => peekAround(getClient)),
    vscode.commands.registerCommand('logForensics.nextFinding', () => stepFinding(getClient, 1)),
    vscode.commands.registerCommand('logForensics.previousFinding', () => stepFinding(getClient, -1)),
  );
}
