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

/** What {@link chartInUi} needs to know. */
export interface ChartCheck {
  /** Workbench URL opening the incident folder with the extension loaded. */
  url: string;
  /** Workspace-relative paths of the logs to open first, as typed into Quick Open. */
  logs: string[];
  screenshot: string;
  failureScreenshot: string;
  timeoutMs?: number;
}

/**
 * Opens the logs through Quick Open, shows the Incident Timeline in the side bar, runs "Open
 * Incident Chart" from the command palette, waits until the webview reports drawn bars, and
 * saves a screenshot. Throws, saying which step failed.
 */
export async function chartInUi(page: Page, check: ChartCheck): Promise<void> {
  const timeout = check.timeoutMs ?? 30_000;
  let step = 'load the workbench';
  try {
    await page.goto(check.url);
    await page.locator('.explorer-folders-view').waitFor({ state: 'visible', timeout });
    const tabs = page.locator('.tabs-container .tab');
    for (const [i, log] of check.logs.entries()) {
      step = `open ${log} from Quick Open`;
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout });
      await input.fill(log);
      const [folder, name] = log.split('/');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).filter({ hasText: folder }).first().waitFor({ state: 'visible', timeout });
      await page.keyboard.press('Enter');
      await page.waitForFunction(`document.querySelectorAll('.tabs-container .tab').length >= ${i + 1}`, undefined, { timeout });
    }
    await tabs.first().waitFor({ state: 'visible', timeout });

    step = 'show the Incident Timeline in the side bar';
    await page.locator('.activitybar .action-item a[aria-label^="Log Forensics"]').first().click({ timeout });
    await page.locator('.part.sidebar .monaco-list-row', { hasText: 'UTC' }).first().waitFor({ state: 'visible', timeout });

    step = 'run "Log Forensics: Open Incident Chart" from the command palette';
    await page.keyboard.press('F1');
    const palette = page.locator('.quick-input-widget input');
    await palette.waitFor({ state: 'visible', timeout });
    await palette.fill('>Log Forensics: Open Incident Chart');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Incident Chart' }).first().waitFor({ state: 'visible', timeout });
    await page.keyboard.press('Enter');

    step = 'see the chart draw its bars';
    const chart = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await chart.locator('body[data-bars]:not([data-bars="0"])').waitFor({ state: 'attached', timeout });
    await chart.locator('canvas#entries').waitFor({ state: 'visible', timeout });

    step = 'save the screenshot';
    await page.screenshot({ path: check.screenshot, animations: 'disabled' });
  } catch (error) {
    await page.screenshot({ path: check.failureScreenshot }).catch(() => undefined);
    throw new Error(`could not ${step}: ${(error as Error).message.split('\n')[0]} (screenshot: ${check.failureScreenshot})`, { cause: error });
  }
}
