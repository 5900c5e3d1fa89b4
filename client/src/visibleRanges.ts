import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { VisibleLineRange, VisibleRangesNotification } from '../../server/src/protocol';

/** How long the lines shown must stay still before the server is told: a scroll sends one message, not fifty. */
const SETTLE_MS = 50;
/**
 * Lines either side of a line revealed in a log over the sync limit: VS Code gives extensions no
 * editor of such a log, so what it shows around the line is not known; about a screen.
 */
const REVEALED_CONTEXT_LINES = 40;
/** Internal: `revealLine` says which line of a log over the sync limit it revealed (uri, 0-based line). */
export const LINE_REVEALED_COMMAND = 'logForensics.lineRevealed';

/**
 * Tells the server which lines of which logs editors show (`logForensics/visibleRanges`), so it
 * can analyse those of a log still being read ahead of the read: the visible ranges of every
 * editor of a log document, a moment after they change, and for a log over the sync limit, which
 * no extension sees, the line the client itself revealed (`LINE_REVEALED_COMMAND`). `isLog` picks
 * the documents the server analyses as logs.
 */
export function watchVisibleRanges(getClient: () => LanguageClient | undefined, isLog: (document: vscode.TextDocument) => boolean): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  /** The logs last said to be shown in editors, to say when they no longer are. */
  const shown = new Set<string>();
  const send = (uri: string, ranges: VisibleLineRange[]): void => {
    const client = getClient();
    if (client?.isRunning()) void client.sendNotification(VisibleRangesNotification, { uri, ranges });
  };
  const rangesOf = (uri: string): VisibleLineRange[] =>
    vscode.window.visibleTextEditors.filter((editor) => editor.document.uri.toString() === uri).flatMap((editor) => editor.visibleRanges.map((range) => ({ start: range.start.line, end: range.end.line })));
  const later = (uri: string): void => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => {
      timers.delete(uri);
      const ranges = rangesOf(uri);
      if (ranges.length > 0) shown.add(uri);
      else shown.delete(uri);
      send(uri, ranges);
    }, SETTLE_MS));
  };
  const all = (): void => {
    const now = new Set(vscode.window.visibleTextEditors.filter((editor) => isLog(editor.document)).map((editor) => editor.document.uri.toString()));
    for (const uri of [...now, ...[...shown].filter((uri) => !now.has(uri))]) later(uri);
  };
  all();
  return vscode.Disposable.from(
    vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor }) => {
      if (isLog(textEditor.document)) later(textEditor.document.uri.toString());
    }),
    vscode.window.onDidChangeVisibleTextEditors(all),
    // Such a log has no editor: it is never in `shown`, so no change of editors says it is hidden.
    vscode.commands.registerCommand(LINE_REVEALED_COMMAND, (uri: string, line: number) => send(uri, [{ start: Math.max(0, line - REVEALED_CONTEXT_LINES), end: line + REVEALED_CONTEXT_LINES }])),
    getClient()?.onDidChangeState(() => {
      // A restarted server knows nothing shown yet.
      shown.clear();
      all();
    }) ?? { dispose: () => undefined },
    { dispose: () => timers.forEach((timer) => clearTimeout(timer)) },
  );
}
