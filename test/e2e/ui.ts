/**
 * The one check made through VS Code's user interface in a browser: what a user sees after
 * opening the gateway log of the mail incident. Workbench selectors are not an API, so this
 * stays short; the behaviour itself is tested in the extension host (suite/).
 */
import type { Page } from 'playwright-core';

/** What {@link checkGatewayLogInUi} needs to know. */
export interface UiCheck {
  /** Workbench URL opening the incident folder with the extension loaded. */
  url: string;
  /** The line to look at (0-based), and text of the flagged part of it. */
  line: number;
  lineText: string;
  /** Text the hover on `lineText` must show. */
  hoverText: string;
  /** Where to save the screenshot. */
  screenshot: string;
  /** Where to save what the page showed when a step failed. */
  failureScreenshot: string;
  timeoutMs?: number;
}

/**
 * Opens drjmailgw/messages from the Explorer, goes to the do_IRQ line, waits for the error
 * squiggle, opens the Problems panel, hovers the line and saves a screenshot. Throws, saying
 * which step failed.
 */
export async function checkGatewayLogInUi(page: Page, check: UiCheck): Promise<void> {
  const timeout = check.timeoutMs ?? 30_000;
  let step = 'load the workbench';
  try {
    await page.goto(check.url);
    const explorer = page.locator('.explorer-folders-view');
    await explorer.waitFor({ state: 'visible', timeout });

    step = 'open drjmailgw/messages from the Explorer';
    const folder = explorer.getByRole('treeitem', { name: 'drjmailgw', exact: true });
    await folder.click({ timeout });
    // A click while the Explorer is still settling may only select the folder; the keyboard
    // then expands it (and does nothing more if the click already did).
    if ((await folder.getAttribute('aria-expanded')) !== 'true') await page.keyboard.press('ArrowRight');
    await explorer.getByRole('treeitem', { name: 'messages', exact: true }).click({ timeout });
    const editor = page.locator('.editor-group-container.active .monaco-editor').first();
    await editor.locator('.view-line').first().waitFor({ state: 'visible', timeout });

    step = `go to line ${check.line + 1}`;
    await page.keyboard.press('Control+G');
    await page.keyboard.type(String(check.line + 1));
    await page.keyboard.press('Enter');
    const token = editor.locator('.view-line span span', { hasText: check.lineText }).first();
    await token.waitFor({ state: 'visible', timeout });

    step = 'see the error squiggle';
    await editor.locator('.squiggly-error').first().waitFor({ state: 'attached', timeout });

    step = 'open the Problems panel and find kernel/irq-no-handler';
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel .monaco-list-row', { hasText: 'kernel/irq-no-handler' }).first().waitFor({ state: 'visible', timeout });

    step = 'hover the flagged text and read the explanation';
    await token.hover({ timeout });
    await page.locator('.monaco-hover', { hasText: check.hoverText }).first().waitFor({ state: 'visible', timeout });

    step = 'save the screenshot';
    await page.screenshot({ path: check.screenshot, animations: 'disabled' });
  } catch (error) {
    await page.screenshot({ path: check.failureScreenshot }).catch(() => undefined);
    throw new Error(`could not ${step}: ${(error as Error).message.split('\n')[0]} (screenshot: ${check.failureScreenshot})`, { cause: error });
  }
}
