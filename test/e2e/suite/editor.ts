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

/**
 * What the extension's quick pick shows, as reported by VS Code while it is open: a list shown
 * with `window.showQuickPick`, or one built with `window.createQuickPick`, which can change in
 * place (new items, a new title) without closing.
 */
export class QuickPickWatch {
  private shown: readonly vscode.QuickPickItem[] | undefined;
  private live: vscode.QuickPick<vscode.QuickPickItem> | undefined;
  private readonly activated: vscode.QuickPickItem[] = [];

  /** The items of the quick pick, once it has been opened; a live one's as they are now. */
  get items(): readonly vscode.QuickPickItem[] | undefined {
    return this.live?.items ?? this.shown;
  }

  /** The labels of the items that can be selected (separators left out). */
  get labels(): string[] {
    return (this.items ?? []).filter((item) => item.kind !== vscode.QuickPickItemKind.Separator).map((item) => item.label);
  }

  /** The title of a live quick pick, as the extension last set it. */
  get title(): string | undefined {
    return this.live?.title;
  }

  /** Called with the items given to `showQuickPick`, once they are resolved. */
  noteShown(items: readonly vscode.QuickPickItem[]): void {
    this.shown = items;
  }

  /** Called with the quick pick `createQuickPick` made. */
  notePick(pick: vscode.QuickPick<vscode.QuickPickItem>): void {
    this.live = pick;
  }

  /** Called by VS Code whenever the active (highlighted) item of a shown list changes, the first one included. */
  noteActive(item: vscode.QuickPickItem | string): void {
    if (typeof item !== 'string') this.activated.push(item);
  }

  /** Waits for the list to open and returns its active item. */
  opened(what: string): Promise<vscode.QuickPickItem> {
    return waitFor(what, () => (this.live ? this.liveActive() : this.activated.shift()));
  }

  /** Waits for the active item to move on from `from` (after a move command) and returns it. */
  moved(what: string, from: vscode.QuickPickItem): Promise<vscode.QuickPickItem> {
    if (!this.live) return waitFor(what, () => this.activated.shift());
    return waitFor(what, () => {
      const active = this.liveActive();
      return active !== from ? active : undefined;
    });
  }

  /**
   * Waits for a live quick pick to show what it was asked for in place: its title matching
   * `title`, no longer busy, its active item one of its new items. Returns that item.
   */
  settled(what: string, title: RegExp): Promise<vscode.QuickPickItem> {
    return waitFor(
      () => `${what}; the title reads ${JSON.stringify(this.live?.title)}`,
      () => (this.live && title.test(this.live.title ?? '') ? this.liveActive() : undefined),
    );
  }

  private liveActive(): vscode.QuickPickItem | undefined {
    const pick = this.live;
    const active = pick?.activeItems[0];
    return pick && !pick.busy && active && pick.items.includes(active) ? active : undefined;
  }
}

/**
 * Runs `action` while watching the quick picks the extension opens. The API offers no event
 * for another extension's quick pick, so `window.showQuickPick` and `window.createQuickPick`
 * (one object shared by the extension and this suite) are wrapped: the real ones are still
 * called. A shown list gets the documented `onDidSelectItem` listener, through which VS Code
 * reports the active item; a created one is read as it is (`items`, `activeItems`, `title`,
 * `busy`). Commands that drive the list are sent only once it has shown its first item, and each
 * move is confirmed before the next.
 */
export async function whileWatchingQuickPicks<T>(action: (watch: QuickPickWatch) => Promise<T>): Promise<T> {
  const window = vscode.window as { showQuickPick: (...args: unknown[]) => unknown; createQuickPick: (...args: unknown[]) => vscode.QuickPick<vscode.QuickPickItem> };
  const originalShow = window.showQuickPick;
  const originalCreate = window.createQuickPick;
  const watch = new QuickPickWatch();
  window.showQuickPick = function (this: unknown, ...args: unknown[]) {
    const [items, options, ...rest] = args as [unknown, vscode.QuickPickOptions | undefined, ...unknown[]];
    Promise.resolve(items as Thenable<readonly vscode.QuickPickItem[]>).then((resolved) => watch.noteShown(resolved), () => undefined);
    const onDidSelectItem = (item: vscode.QuickPickItem | string): unknown => {
      watch.noteActive(item);
      return options?.onDidSelectItem?.(item);
    };
    return originalShow.call(this, items, { ...options, onDidSelectItem }, ...rest);
  };
  window.createQuickPick = function (this: unknown, ...args: unknown[]) {
    const pick = originalCreate.apply(this, args);
    watch.notePick(pick);
    return pick;
  };
  try {
    return await action(watch);
  } finally {
    window.showQuickPick = originalShow;
    window.createQuickPick = originalCreate;
  }
}

/** Drives an open quick pick from the keyboard, one confirmed move at a time. */
export class QuickPickDriver {
  constructor(
    readonly watch: QuickPickWatch,
    private active: vscode.QuickPickItem,
  ) {}

  /** Moves the selection down to the item whose label matches `wanted` (failing if there is none) and accepts it. */
  async choose(wanted: RegExp): Promise<void> {
    const labels = this.watch.labels;
    assert.ok(labels.some((label) => wanted.test(label)), `no item matching ${wanted} in ${JSON.stringify(labels, null, 1)}`);
    for (let moves = 0; !wanted.test(this.active.label); moves++) {
      assert.ok(moves < labels.length, `the selection went round the list without reaching ${wanted}`);
      await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
      this.active = await this.watch.moved('the selection to move to the next entry', this.active);
    }
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }

  /** After choosing an item that changes the list in place: waits for the title to match `title`. */
  async settle(what: string, title: RegExp): Promise<void> {
    this.active = await this.watch.settled(what, title);
  }
}

/**
 * Runs a command that opens one of the extension's quick picks and hands the open list to
 * `drive`, which must end by choosing an item that closes it; returns the command's result.
 */
export async function runAndDrive<T>(command: vscode.Command, opening: string, drive: (pick: QuickPickDriver) => Promise<void>): Promise<T | undefined> {
  return whileWatchingQuickPicks(async (watch) => {
    const running = vscode.commands.executeCommand<T | undefined>(command.command, ...(command.arguments ?? []));
    await drive(new QuickPickDriver(watch, await watch.opened(opening)));
    return within(`${command.command} to finish after the pick`, running);
  });
}

/**
 * Runs a command that opens one of the extension's quick picks, moves the selection to the item
 * whose label matches `wanted` (failing if there is none) and accepts it; returns the command's
 * result.
 */
export async function runAndPick<T>(command: vscode.Command, wanted: RegExp, opening: string): Promise<T | undefined> {
  return runAndDrive<T>(command, opening, (pick) => pick.choose(wanted));
}
