import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CorrelateRequest, CorrelatedEntryDto } from '../../server/src/protocol';
import { asPlainText, placeOf, requestForLine, revealLine } from './pickEntry';

interface EntryItem extends vscode.QuickPickItem {
  entry: CorrelatedEntryDto;
}

function formatDelta(seconds: number): string {
  const sign = seconds > 0 ? '+' : seconds < 0 ? '−' : '±';
  return `${sign}${Math.abs(seconds).toFixed(Math.abs(seconds) < 10 && !Number.isInteger(seconds) ? 3 : 0)} s`;
}

/** Reveals a correlated entry in its log. */
export function revealEntry(entry: CorrelatedEntryDto): Promise<vscode.TextEditor> {
  return revealLine(entry);
}

/**
 * Registers "Show what happened around": asks the server for the entries of every open log
 * within the window of a line's time, lists them in time order and reveals the chosen one.
 * Called with `(uri, line)` by the code action, or with no arguments from the palette.
 */
export function registerShowAround(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('logForensics.showAround', async (uri?: string, line?: number) => {
    const result = await requestForLine(getClient, CorrelateRequest, { uri, line, missing: 'open a log and place the cursor on a timestamped line first.' });
    if (!result) return undefined;
    const editor = vscode.window.activeTextEditor;
    const target = uri ?? editor?.document.uri.toString();
    const targetLine = line ?? editor?.selection.active.line;
    const items: EntryItem[] = result.entries.map((entry) => {
      const isOrigin = entry.uri === target && entry.range.start.line === targetLine;
      return {
        label: `${isOrigin ? '$(target) ' : ''}${entry.localTime.slice(11, 19)}  ${formatDelta(entry.deltaSeconds)}  ${placeOf(entry)}`,
        detail: asPlainText(entry.text),
        entry,
      };
    });
    const picked = await vscode.window.showQuickPick(items, {
      title: `Around ${result.center} (± ${result.windowSeconds} s): ${result.entries.length} entries${result.truncated ? ', nearest shown' : ''}`,
      matchOnDetail: true,
      placeHolder: 'Pick an entry to reveal it',
    });
    if (picked) await revealEntry(picked.entry);
    return result;
  });
}
