/** Helpers for the in-editor tests: finding the samples, opening logs, waiting on the editor. */
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

/** How long to wait for the editor or the language server before failing a test. */
export const EDITOR_TIMEOUT_MS = 20_000;

/**
 * Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`,
 * saying what was awaited and what the last probe saw.
 */
export async function waitFor<T>(what: string | (() => string), probe: () => T | undefined | Promise<T | undefined>, timeoutMs = EDITOR_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const described = typeof what === 'string' ? what : what();
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${described}${lastError ? ` (last error: ${String(lastError)})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Settles with the promise's value, or fails after `timeoutMs` saying what was awaited. */
export async function within<T>(what: string, promise: Thenable<T>, timeoutMs = EDITOR_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve(promise), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The folder of the mail gateway incident, opened as the workspace by the runner (its
 * `.vscode/settings.json` gives the year and zone of the yearless stamps).
 */
export function incidentFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'no workspace folder is open; the runner opens samples/mailgw-incident');
  return folder;
}

/** A file of another sample, beside the incident folder under samples/. */
export function samplePath(...parts: string[]): string {
  return path.join(path.dirname(incidentFolder()), ...parts);
}

/** Opens a log in an editor and makes it the active one. */
export async function showLog(file: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document, { preview: false });
}

/** The index of the first line containing every one of `parts`. */
export function lineContaining(document: vscode.TextDocument, ...parts: string[]): number {
  for (let line = 0; line < document.lineCount; line++) {
    const text = document.lineAt(line).text;
    if (parts.every((part) => text.includes(part))) return line;
  }
  assert.fail(`${vscode.workspace.asRelativePath(document.uri)} has no line containing ${parts.map((part) => JSON.stringify(part)).join(' and ')}`);
}

/** Waits for the diagnostic with this code on this line of a document. */
export function diagnosticOn(document: vscode.TextDocument, code: string, line: number): Promise<vscode.Diagnostic> {
  const seen = (): string =>
    JSON.stringify(vscode.languages.getDiagnostics(document.uri).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnosticCode(diagnostic)}`));
  return waitFor(
    () => `diagnostic ${code} on line ${line + 1} of ${vscode.workspace.asRelativePath(document.uri)}; diagnostics there: ${seen()}`,
    () => vscode.languages.getDiagnostics(document.uri).find((diagnostic) => diagnosticCode(diagnostic) === code && diagnostic.range.start.line === line),
  );
}

/** A diagnostic's code as a string, whichever shape VS Code gives it. */
export function diagnosticCode(diagnostic: vscode.Diagnostic): string | undefined {
  const code = diagnostic.code;
  if (code === undefined) return undefined;
  return typeof code === 'object' ? String(code.value) : String(code);
}

/** The Markdown of every hover at a position, joined. */
export async function hoverText(document: vscode.TextDocument, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n\n');
}

/** What the extension's quick pick shows, as reported by VS Code while it is open. */
export class QuickPickWatch {
  /** The items of the quick pick, once it has been opened. */
  items: readonly vscode.QuickPickItem[] | undefined;
  private readonly activated: vscode.QuickPickItem[] = [];

  /** Called by VS Code whenever the active (highlighted) item changes, the first one included. */
  noteActive(item: vscode.QuickPickItem | string): void {
    if (typeof item !== 'string') this.activated.push(item);
  }

  /** Waits for the next change of the active item and returns the new one. */
  nextActive(what: string): Promise<vscode.QuickPickItem> {
    return waitFor(what, () => this.activated.shift());
  }
}

/**
 * Runs `action` while watching the quick picks the extension opens. The API offers no event
 * for another extension's quick pick, so `window.showQuickPick` (one object shared by the
 * extension and this suite) is wrapped: the real one is still called with the extension's
 * items and options, plus the documented `onDidSelectItem` listener, through which VS Code
 * reports the active item. Commands that drive the list are sent only once it has shown its
 * first item, and each move is confirmed before the next.
 */
export async function whileWatchingQuickPicks<T>(action: (watch: QuickPickWatch) => Promise<T>): Promise<T> {
  const window = vscode.window as { showQuickPick: (...args: unknown[]) => unknown };
  const original = window.showQuickPick;
  const watch = new QuickPickWatch();
  window.showQuickPick = function (this: unknown, ...args: unknown[]) {
    const [items, options, ...rest] = args as [unknown, vscode.QuickPickOptions | undefined, ...unknown[]];
    Promise.resolve(items as Thenable<readonly vscode.QuickPickItem[]>).then((resolved) => (watch.items = resolved), () => undefined);
    const onDidSelectItem = (item: vscode.QuickPickItem | string): unknown => {
      watch.noteActive(item);
      return options?.onDidSelectItem?.(item);
    };
    return original.call(this, items, { ...options, onDidSelectItem }, ...rest);
  };
  try {
    return await action(watch);
  } finally {
    window.showQuickPick = original;
  }
}

/**
 * Runs a command that opens one of the extension's quick picks, moves the selection to the item
 * whose label matches `wanted` (failing if there is none) and accepts it; returns the command's
 * result.
 */
export async function runAndPick<T>(command: vscode.Command, wanted: RegExp, opening: string): Promise<T | undefined> {
  return whileWatchingQuickPicks(async (watch) => {
    const running = vscode.commands.executeCommand<T | undefined>(command.command, ...(command.arguments ?? []));
    let active = await watch.nextActive(opening);
    const labels = (watch.items ?? []).map((item) => item.label);
    assert.ok(labels.some((label) => wanted.test(label)), `no item matching ${wanted} in ${JSON.stringify(labels, null, 1)}`);
    for (let moves = 0; !wanted.test(active.label); moves++) {
      assert.ok(moves < labels.length, `the selection went round the list without reaching ${wanted}`);
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      active = await watch.nextActive('the selection to move to the next entry');
    }
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    return within(`${command.command} to finish after the pick`, running);
  });
}
