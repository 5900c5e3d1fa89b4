/**
 * The extension's walkthrough through the user interface: opened from the command palette in a
 * window with no folder, it lists its steps, and the first step's button opens the sample incident
 * as a workspace of its own. Workbench selectors are not an API: this stays short.
 */
import type { Page } from 'playwright-core';

/** What {@link walkthroughInUi} needs to know. */
export interface WalkthroughCheck {
  /** Workbench URL of a window with no folder, with the extension loaded. */
  url: string;
  /** The walkthrough's title and its steps' titles, as package.json contributes them. */
  title: string;
  steps: string[];
  /** The first step's button. */
  button: string;
  /** Top-level folders of the sample incident, and the log the first step opens with a line of it. */
  folders: string[];
  firstLog: string;
  firstLogLine: string;
  failureScreenshot: string;
  timeoutMs?: number;
}

/** What the sample's window showed: its folder, from the page's address. */
export interface WalkthroughSeen {
  folder: string;
}

/** Opens the walkthrough, checks its steps, clicks the first step's button and checks the sample's window. Throws, saying which step failed. */
export async function walkthroughInUi(page: Page, check: WalkthroughCheck): Promise<WalkthroughSeen> {
  const timeout = check.timeoutMs ?? 30_000;
  let step = 'load the workbench with no folder';
  try {
    await page.goto(check.url);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ state: 'visible', timeout });

    step = 'run "Welcome: Open Walkthrough..." and pick the walkthrough';
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout });
    await input.fill('>Welcome: Open Walkthrough');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Open Walkthrough' }).first().waitFor({ state: 'visible', timeout });
    await page.keyboard.press('Enter');
    await input.fill(check.title);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: check.title }).first().click({ timeout });

    step = 'see the walkthrough\'s steps';
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const title of check.steps) await walkthrough.locator('.step-title', { hasText: title }).first().waitFor({ state: 'visible', timeout });

    step = `click "${check.button}"`;
    await walkthrough.locator('.getting-started-step', { hasText: check.steps[0] }).first().click({ timeout });
    // The step itself is a button too, named by its text: the button is the link inside it.
    await walkthrough.locator('.getting-started-step.expanded .monaco-button', { hasText: check.button }).first().click({ timeout });

    step = 'see the sample incident open as the window\'s folder';
    await page.waitForURL((url) => (url.searchParams.get('folder') ?? '').endsWith('/mailgw-incident'), { timeout });
    const folder = new URL(page.url()).searchParams.get('folder') ?? '';
    const explorer = page.locator('.explorer-folders-view');
    await explorer.waitFor({ state: 'visible', timeout });
    for (const name of check.folders) await explorer.getByRole('treeitem', { name, exact: true }).waitFor({ state: 'visible', timeout });

    step = `see ${check.firstLog} open in an editor`;
    await page.locator('.tabs-container .tab', { hasText: check.firstLog.split('/').pop()! }).first().waitFor({ state: 'visible', timeout });
    await page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: check.firstLogLine }).first().waitFor({ state: 'visible', timeout });
    return { folder };
  } catch (error) {
    await page.screenshot({ path: check.failureScreenshot }).catch(() => undefined);
    throw new Error(`could not ${step}: ${(error as Error).message.split('\n')[0]} (at ${page.url()}; screenshot: ${check.failureScreenshot})`, { cause: error });
  }
}
