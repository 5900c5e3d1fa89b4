/**
 * Checks through VS Code's user interface of what the extension API cannot see in a log over
 * 50 MB: VS Code passes no document or editor of it to extensions, so where its cursor lands and
 * what its read's notification offers are read from the workbench itself.
 */
import type { Page } from 'playwright-core';

/** What both checks need to know. */
export interface LargeLogUiCheck {
  /** Workbench URL opening the folder of the large log (see largeLogFolder.ts). */
  url: string;
  /** The 0-based line the greeting timeout is on, the large log's last. */
  lastLine: number;
  failureScreenshot: string;
  timeoutMs?: number;
}

/** What the read's cancellation showed, for the runner to print. */
export interface CancelledRead {
  /** The progress notification's text when Cancel was clicked. */
  progress: string;
  /** From opening the large log to the click on Cancel. */
  shownForMs: number;
  /** The warning the server sent, and the note left on the log. */
  warning: string;
  note: string;
  /** How long the hover on the small log took to show after the cancel. */
  hoverMs: number;
}

/** How long reading the 56 MB log may take before its findings are in: 5 to 15 s here, loaded. */
const READ_TIMEOUT_MS = 90_000;

/** Opens a file from the Explorer to stay open (a double click): a single click's preview is replaced by the next. */
async function openFromExplorer(page: Page, name: string, timeout: number): Promise<void> {
  await page.locator('.explorer-folders-view').getByRole('treeitem', { name, exact: true }).dblclick({ timeout });
  await activeTab(page, name, timeout);
}

function activeTab(page: Page, name: string, timeout: number): Promise<void> {
  return page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ state: 'visible', timeout });
}

/** Waits for the status bar to put the cursor at `line` (0-based), whatever the column. */
async function cursorOnLine(page: Page, line: number, timeout: number): Promise<void> {
  const wanted = new RegExp(`^Ln ${line + 1}, Col \\d+`);
  const selection = page.locator('.statusbar .statusbar-item', { hasText: /Ln [\d,.]+, Col/ }).first();
  const deadline = Date.now() + timeout;
  for (;;) {
    const shown = ((await selection.textContent({ timeout }).catch(() => '')) ?? '').replace(/(\d)[,.](?=\d{3}\b)/g, '$1').trim();
    if (wanted.test(shown)) return;
    if (Date.now() > deadline) throw new Error(`the status bar reads ${JSON.stringify(shown)}, not Ln ${line + 1}`);
    await page.waitForTimeout(100);
  }
}

/** Runs a step and names it when it fails, with a screenshot of what the page showed. */
async function steps<T>(page: Page, failureScreenshot: string, body: (step: (name: string) => void) => Promise<T>): Promise<T> {
  let current = 'load the workbench';
  try {
    return await body((name) => (current = name));
  } catch (error) {
    await page.screenshot({ path: failureScreenshot }).catch(() => undefined);
    throw new Error(`could not ${current}: ${(error as Error).message.split('\n')[0]} (screenshot: ${failureScreenshot})`, { cause: error });
  }
}

/**
 * With the large `maillog` and the small `messages` open, `messages` in front: clicking the
 * greeting timeout in Problems, then its row in What's Unusual, brings `maillog` to the front with
 * the cursor on its last line, which the editor shows.
 */
export async function revealLargeLogLineInUi(page: Page, check: LargeLogUiCheck): Promise<void> {
  const timeout = check.timeoutMs ?? 30_000;
  await steps(page, check.failureScreenshot, async (step) => {
    await page.goto(check.url);
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout });

    step('open maillog, then messages, from the Explorer');
    await openFromExplorer(page, 'maillog', timeout);
    await openFromExplorer(page, 'messages', timeout);

    const lastLineShown = page.locator('.editor-group-container.active .view-line', { hasText: 'timeout waiting for input from drjmailgw' });
    step('click the greeting timeout in the Problems panel');
    await page.keyboard.press('Control+Shift+M');
    // The whole file is read first (seconds on a busy machine).
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'sendmail/timeout-greeting' }).first().click({ timeout: READ_TIMEOUT_MS });
    step(`see maillog in front with the cursor on line ${check.lastLine + 1} (from Problems)`);
    await activeTab(page, 'maillog', timeout);
    await cursorOnLine(page, check.lastLine, timeout);
    await lastLineShown.waitFor({ state: 'visible', timeout });

    // Else a reveal that only brought the tab forward would find the cursor already there.
    step('move the cursor in maillog back to line 1');
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout });
    await page.keyboard.type('1');
    await page.keyboard.press('Enter');
    await cursorOnLine(page, 0, timeout);

    step('bring messages back to the front');
    await page.locator('.tabs-container .tab', { hasText: 'messages' }).click({ timeout });
    await activeTab(page, 'messages', timeout);
    await cursorOnLine(page, 0, timeout);

    step("click the greeting timeout's row in What's Unusual");
    await page.locator('.activitybar .action-item a[aria-label^="Log Forensics"]').first().click({ timeout });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: /^\d+\. SMTP peer timed out waiting for the greeting ×1/ }).first().click({ timeout });
    step(`see maillog in front with the cursor on line ${check.lastLine + 1} (from What's Unusual)`);
    await activeTab(page, 'maillog', timeout);
    await cursorOnLine(page, check.lastLine, timeout);
    await lastLineShown.waitFor({ state: 'visible', timeout });
  });
}

/**
 * With the small `messages` open, opens the large `maillog`; its read's notification counts the
 * whole file and offers Cancel; after the click the notification goes, the server says how far
 * it read, the log keeps the findings of what was read (the interrupt at its start, not the
 * greeting timeout at its end) with a note in Problems, and a hover in `messages` answers.
 */
export async function cancelLargeReadInUi(page: Page, check: LargeLogUiCheck & { megabytes: number }): Promise<CancelledRead> {
  const timeout = check.timeoutMs ?? 30_000;
  return steps(page, check.failureScreenshot, async (step) => {
    await page.goto(check.url);
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout });

    step('open messages and see its squiggle');
    await openFromExplorer(page, 'messages', timeout);
    const small = page.locator('.editor-group-container.active .monaco-editor').first();
    await small.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout });

    step('open maillog and see the progress of its read, counting the whole file');
    const opened = Date.now();
    await openFromExplorer(page, 'maillog', timeout);
    const reading = page.locator('.notifications-toasts .notification-toast', { hasText: 'Log Forensics: reading maillog' });
    await reading.filter({ hasText: ` of ${check.megabytes} MB` }).first().waitFor({ state: 'visible', timeout });
    const progress = (await reading.first().locator('.notification-list-item-message').innerText()).trim();

    step('click Cancel on the notification');
    await reading.first().getByRole('button', { name: 'Cancel' }).click({ timeout: 5_000 });
    const shownForMs = Date.now() - opened;

    step('see the progress notification go');
    await reading.first().waitFor({ state: 'detached', timeout });

    step('see the warning that the read was cancelled');
    const warningToast = page.locator('.notifications-toasts .notification-toast', { hasText: /maillog: reading cancelled after [\d,]+ lines/ }).first();
    await warningToast.waitFor({ state: 'visible', timeout });
    const warning = (await warningToast.locator('.notification-list-item-message').innerText()).trim();

    step("see the note and the read part's finding in Problems, and not the unread end's");
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    const noteRow = rows.filter({ hasText: 'Reading stopped at' }).first();
    await noteRow.waitFor({ state: 'visible', timeout });
    const note = (await noteRow.innerText()).trim().replace(/\s+/g, ' ');
    await rows.filter({ hasText: 'kernel/irq-no-handler' }).nth(1).waitFor({ state: 'visible', timeout });
    const unread = await rows.filter({ hasText: 'sendmail/timeout-greeting' }).count();
    if (unread > 0) throw new Error('Problems lists the greeting timeout at the end of the file, which was not read');

    step('hover the interrupt line in messages and read its explanation');
    await page.locator('.tabs-container .tab', { hasText: 'messages' }).click({ timeout });
    await activeTab(page, 'messages', timeout);
    const hoverStarted = Date.now();
    await small.locator('.view-line span span', { hasText: 'No irq handler' }).first().hover({ timeout });
    await page.locator('.monaco-hover', { hasText: 'Check first' }).first().waitFor({ state: 'visible', timeout });
    return { progress, shownForMs, warning, note, hoverMs: Date.now() - hoverStarted };
  });
}
