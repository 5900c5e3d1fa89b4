import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CorrelateRequest, CorrelatedEntryDto, CorrelateResult } from '../../server/src/protocol';
import { AroundItem, aroundItems, Origin, WindowButton, windowButtons } from './aroundItems';
import { aroundTitle } from './aroundList';
import { askAboutLine, lineToAsk, LineQuestion, revealLine } from './pickEntry';

/** Reveals a correlated entry in its log. */
export function revealEntry(entry: CorrelatedEntryDto): Promise<vscode.TextEditor | undefined> {
  return revealLine(entry);
}

/**
 * Registers "Show what happened around": asks the server for the entries of every held log
 * within the window of a line's time, lists them grouped by log, lets the window be widened or
 * narrowed in place, and reveals the chosen entry. Called with `(uri, line)` by the code action,
 * or with no arguments from the palette. Returns the last answer shown.
 */
export function registerShowAround(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('logForensics.showAround', async (uri?: string, line?: number) => {
    const question = lineToAsk(getClient, { uri, line, action: 'show what happened around it', missing: 'open a log and place the cursor on a timestamped line first.' });
    if (!question) return undefined;
    const first = await askAboutLine(question, CorrelateRequest, {});
    if (!first) return undefined;
    return pickAround(question, first);
  });
}

/** Shows the list until an entry is picked (then reveals it) or the list is dismissed. */
async function pickAround(question: LineQuestion, first: CorrelateResult): Promise<CorrelateResult> {
  const origin: Origin = { uri: question.uri, line: question.line };
  const pick = vscode.window.createQuickPick<AroundItem>();
  pick.matchOnDetail = true;
  pick.placeholder = 'Pick an entry to reveal it, or a window to list more or fewer';
  let shown = first;
  let asked = 0;
  let open = true;
  const show = (result: CorrelateResult) => {
    shown = result;
    pick.title = aroundTitle(result);
    pick.items = aroundItems(result, origin);
    pick.buttons = windowButtons(result.windowSeconds);
  };
  // A newer window supersedes an answer still on its way; the list stays open meanwhile.
  const rewindow = async (windowSeconds: number) => {
    const ask = ++asked;
    pick.busy = true;
    const result = await askAboutLine(question, CorrelateRequest, { windowSeconds });
    if (ask !== asked || !open) return;
    pick.busy = false;
    if (result) show(result);
  };
  show(first);
  const chosen = await new Promise<CorrelatedEntryDto | undefined>((resolve) => {
    pick.onDidAccept(() => {
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      if (item && 'windowSeconds' in item) {
        if (item.windowSeconds !== shown.windowSeconds) void rewindow(item.windowSeconds);
      } else if (item && 'entry' in item) {
        resolve(item.entry);
        pick.hide();
      }
    });
    pick.onDidTriggerButton((button) => void rewindow((button as WindowButton).windowSeconds));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  open = false;
  pick.dispose();
  if (chosen) await revealEntry(chosen);
  return shown;
}
