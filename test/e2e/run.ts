/**
 * Runs the end-to-end tests in a real VS Code without downloading one: code-server (installed
 * by scripts/setup-code-server.sh) serves VS Code's workbench and extension host, Debian's
 * chromium opens it headless through playwright-core.
 *
 * 1. The in-editor suite (suite/): the workbench URL carries `extensionDevelopmentPath` and
 *    `extensionTestsPath`, the extension host runs the suite, which reports through a file.
 * 2. Checks through the user interface (ui.ts, chartWindowUi.ts, walkthroughUi.ts, largeLogUi.ts):
 *    three on the incident, two of which also save e2e-mailgw.png and chart.png to .e2e/ (to
 *    docs/images/ for the README with `npm run screenshots`), one on the walkthrough from a window
 *    with no folder, and two on logs over 50 MB written to the system's temporary folder.
 * The incident's run on a copy of the samples under .e2e/samples/, since the tests write annotations.
 *
 * Needs `npm run build` (dist/) and `npm run compile` (out/) first; `npm run test:e2e` does all.
 * LOG_FORENSICS_SAMPLES names another samples folder (default: samples/). LOG_FORENSICS_E2E_GREP,
 * a regular expression, runs only the tests whose titles match it; one starting with `^UI:` skips
 * the in-editor suite (whose titles never start so) and its workbench.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, BrowserContext, Page, chromium } from 'playwright-core';
import { repoPath } from '../support/paths';
import { CodeServer, startCodeServer, workbenchUrl } from './codeServer';
import { writeLargeLogFolder } from './largeLogFolder';
import { cancelLargeReadInUi, revealLargeLogLineInUi } from './largeLogUi';
import { E2E_GREP_ENV, E2E_RESULT_ENV, SuiteResult, TestOutcome } from './results';
import { chartWindowInUi } from './chartWindowUi';
import { chartInUi, checkGatewayLogInUi } from './ui';
import { walkthroughInUi } from './walkthroughUi';

const SAMPLES = path.resolve(process.env.LOG_FORENSICS_SAMPLES || repoPath('samples'));
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WORK = repoPath('.e2e');
/**
 * The tests annotate and export, so they run on a fresh copy of the samples (modification times
 * kept: they date yearless stamps), never on the samples themselves.
 */
const WORKSPACE = path.join(WORK, 'samples');
const INCIDENT = path.join(WORKSPACE, 'mailgw-incident');
const RESULT_FILE = path.join(WORK, 'suite-results.json');
// The README's screenshots are refreshed on purpose (`npm run screenshots`), never as a side
// effect of a test run: by default they go to .e2e/ with the run's other output.
const SCREENSHOT_FOLDER = process.env.LOG_FORENSICS_SCREENSHOTS ? path.resolve(process.env.LOG_FORENSICS_SCREENSHOTS) : WORK;
const SCREENSHOT = path.join(SCREENSHOT_FOLDER, 'e2e-mailgw.png');
const CHART_SCREENSHOT = path.join(SCREENSHOT_FOLDER, 'chart.png');
const SUITE_ENTRY = repoPath('out', 'test', 'e2e', 'suite', 'index.js');
/** The filter on test titles; the extension host reads the same variable (code-server passes it on). */
const grep = process.env[E2E_GREP_ENV] ? new RegExp(process.env[E2E_GREP_ENV]) : undefined;

const UI_TITLE = 'UI: drjmailgw/messages shows the do_IRQ squiggle, its hover and a Problems entry';
const CHART_TITLE = 'UI: the Incident Chart draws the bars of the three incident logs';
const CHART_LOGS = ['drjmailgw/messages', 'drjmailgw/maillog', 'relay/maillog'];

/** How long the extension host may take to start the suite, and the suite to finish. */
const START_TIMEOUT_MS = 90_000;
const SUITE_TIMEOUT_MS = 180_000;

/** Flags for a headless chromium in a container, from the notes on testing offline. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

function printOutcome(outcome: TestOutcome): void {
  const mark = outcome.state === 'passed' ? 'pass' : outcome.state === 'failed' ? 'FAIL' : 'skip';
  console.log(`  ${mark}  ${outcome.title} (${outcome.durationMs} ms)`);
  if (outcome.message) console.log(outcome.message.replace(/^/gm, '        '));
}

function readResult(): SuiteResult | undefined {
  try {
    return JSON.parse(fs.readFileSync(RESULT_FILE, 'utf8')) as SuiteResult;
  } catch {
    return undefined;
  }
}

function checkPrerequisites(): void {
  const missing = [
    [repoPath('dist', 'extension.js'), 'npm run build'],
    [repoPath('dist', 'server.js'), 'npm run build'],
    [SUITE_ENTRY, 'npm run compile'],
    [path.join(SAMPLES, 'mailgw-incident'), 'the samples (or LOG_FORENSICS_SAMPLES=<folder holding mailgw-incident/>)'],
    [CHROMIUM, 'scripts/setup-code-server.sh (Debian chromium), or CHROMIUM_PATH'],
  ].filter(([file]) => !fs.existsSync(file));
  if (missing.length > 0) {
    throw new Error(missing.map(([file, fix]) => `${path.relative(repoPath(), file) || file} is missing: run ${fix}`).join('\n'));
  }
}

/**
 * A browser context of its own for each part: the workbench keeps its editors and layout in
 * the browser's storage, and the UI check must not start from what the suite left open.
 */
function freshContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 800 } });
}

/** Opens the workbench with the suite as `extensionTestsPath` and collects what it reports. */
async function runSuite(browser: Browser, server: CodeServer, browserLog: fs.WriteStream): Promise<TestOutcome[]> {
  fs.rmSync(RESULT_FILE, { force: true });
  const context = await freshContext(browser);
  const page = await context.newPage();
  page.on('console', (message) => browserLog.write(`[suite ${message.type()}] ${message.text()}\n`));
  page.on('pageerror', (error) => browserLog.write(`[suite page error] ${error.stack ?? error.message}\n`));
  const started = Date.now();
  await page.goto(workbenchUrl(server, INCIDENT, { extensionPath: repoPath(), testsPath: SUITE_ENTRY }));

  let shown = 0;
  let result: SuiteResult | undefined;
  for (;;) {
    result = readResult();
    for (const outcome of result?.tests.slice(shown) ?? []) printOutcome(outcome);
    shown = result?.tests.length ?? 0;
    if (result && result.status !== 'running') break;
    const elapsed = Date.now() - started;
    if (!result && elapsed > START_TIMEOUT_MS) {
      await context.close();
      throw new Error(
        `the extension host never started the suite: no ${path.relative(repoPath(), RESULT_FILE)} after ${START_TIMEOUT_MS / 1000} s ` +
          '(see .e2e/code-server.log and .e2e/browser.log)',
      );
    }
    if (elapsed > SUITE_TIMEOUT_MS) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await context.close();
  const outcomes = [...(result?.tests ?? [])];
  if (result?.status === 'error') outcomes.push({ title: 'in-editor suite', state: 'failed', durationMs: Date.now() - started, message: result.error });
  if (result?.status === 'running') {
    const failure: TestOutcome = { title: 'in-editor suite', state: 'failed', durationMs: Date.now() - started, message: `did not finish within ${SUITE_TIMEOUT_MS / 1000} s` };
    printOutcome(failure);
    outcomes.push(failure);
  }
  console.log(`e2e: in-editor suite finished in ${seconds(started)}`);
  return outcomes;
}

/**
 * A check through the user interface, in a browser context of its own. `run` throws, saying which
 * step failed, and may return a line of figures to print.
 */
interface BrowserCheck {
  title: string;
  /** Prefix of the page's console lines in browser.log. */
  label: string;
  run(page: Page, server: CodeServer): Promise<string | void>;
}

async function runBrowserCheck(browser: Browser, server: CodeServer, browserLog: fs.WriteStream, check: BrowserCheck): Promise<TestOutcome> {
  const started = Date.now();
  const context = await freshContext(browser);
  const page = await context.newPage();
  page.on('console', (message) => browserLog.write(`[${check.label} ${message.type()}] ${message.text()}\n`));
  try {
    const figures = await check.run(page, server);
    if (figures) console.log(`        ${figures}`);
    return { title: check.title, state: 'passed', durationMs: Date.now() - started };
  } catch (error) {
    return { title: check.title, state: 'failed', durationMs: Date.now() - started, message: (error as Error).message };
  } finally {
    await context.close();
  }
}

/** Opens the incident as a user would and saves the screenshot. */
const gatewayCheck: BrowserCheck = {
  title: UI_TITLE,
  label: 'ui',
  async run(page, server) {
    const lines = fs.readFileSync(path.join(INCIDENT, 'drjmailgw', 'messages'), 'utf8').split('\n');
    const line = lines.findIndex((text) => text.includes('do_IRQ: 1.221 No irq handler'));
    if (line < 0) throw new Error('drjmailgw/messages has no "do_IRQ: 1.221 No irq handler" line');
    await checkGatewayLogInUi(page, {
      url: workbenchUrl(server, INCIDENT, { extensionPath: repoPath() }),
      line,
      lineText: 'No irq handler',
      hoverText: 'Check first',
      screenshot: SCREENSHOT,
      failureScreenshot: path.join(WORK, 'ui-failure.png'),
    });
  },
};

/** Opens the incident's logs and the chart as a user would and saves the chart's screenshot. */
const chartCheck: BrowserCheck = {
  title: CHART_TITLE,
  label: 'chart',
  async run(page, server) {
    await chartInUi(page, {
      url: workbenchUrl(server, INCIDENT, { extensionPath: repoPath() }),
      logs: CHART_LOGS,
      screenshot: CHART_SCREENSHOT,
      failureScreenshot: path.join(WORK, 'chart-failure.png'),
    });
  },
};

/**
 * The earliest and latest instants the incident's logs write, read from their first and last
 * lines: syslog stamps without a year, read in the sample's logForensics.time.year and zone
 * (America/New_York, five hours behind UTC in November).
 */
function incidentEntrySpan(): { firstEntry: number; lastEntry: number } {
  const year = (JSON.parse(fs.readFileSync(path.join(INCIDENT, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>)['logForensics.time.year'];
  const instant = (line: string): number => {
    const stamp = /^([A-Z][a-z]{2}) +(\d+) (\d\d:\d\d:\d\d)/.exec(line);
    if (!stamp || typeof year !== 'number') throw new Error(`no syslog stamp or no year setting for "${line.slice(0, 40)}"`);
    return Date.parse(`${stamp[1]} ${stamp[2]} ${year} ${stamp[3]} GMT-0500`);
  };
  const ends = CHART_LOGS.flatMap((log) => {
    const lines = fs.readFileSync(path.join(INCIDENT, log), 'utf8').split('\n').filter((line) => line.trim() !== '');
    return [instant(lines[0]), instant(lines[lines.length - 1])];
  });
  return { firstEntry: Math.min(...ends), lastEntry: Math.max(...ends) };
}

const chartWindowCheck: BrowserCheck = {
  title: 'UI: the Incident Chart opens on the incident, zooms around the pointer, pans by a drag and shows everything',
  label: 'chart-window',
  async run(page, server) {
    const seen = await chartWindowInUi(page, {
      url: workbenchUrl(server, INCIDENT, { extensionPath: repoPath() }),
      logs: CHART_LOGS,
      screenshot: path.join(WORK, 'chart-window.png'),
      failureScreenshot: path.join(WORK, 'chart-window-failure.png'),
      ...incidentEntrySpan(),
    });
    const span = (shown: { from: number; to: number }): string => `${new Date(shown.from).toISOString()}..${new Date(shown.to).toISOString()}`;
    return `opened on ${seen.opened} ${span(seen.initial)}; zoomed ${span(seen.zoomed)}; panned ${span(seen.panned)}; everything ${span(seen.everything)}`;
  },
};

/** A window with no folder (code-server would reopen the last one otherwise), the extension loaded. */
function emptyWindowUrl(server: CodeServer): string {
  const url = new URL(workbenchUrl(server, INCIDENT, { extensionPath: repoPath() }));
  url.searchParams.delete('folder');
  url.searchParams.set('ew', 'true');
  return url.toString();
}

const walkthroughCheck: BrowserCheck = {
  title: 'UI: the walkthrough lists its steps, and its first step opens the sample incident with its gateway log',
  label: 'walkthrough',
  async run(page, server) {
    const manifest = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { contributes: { walkthroughs: { title: string; steps: { title: string; description: string }[] }[] } };
    const [walkthrough] = manifest.contributes.walkthroughs;
    const button = /\[([^\]]+)\]\(command:logForensics\.openSampleIncident\)/.exec(walkthrough.steps[0].description)?.[1];
    if (!button) throw new Error('the walkthrough\'s first step has no button running logForensics.openSampleIncident');
    const firstLine = fs.readFileSync(path.join(SAMPLES, 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8').split('\n')[0];
    const seen = await walkthroughInUi(page, {
      url: emptyWindowUrl(server),
      title: walkthrough.title,
      steps: walkthrough.steps.map((step) => step.title),
      button,
      folders: fs.readdirSync(path.join(SAMPLES, 'mailgw-incident'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => entry.name),
      firstLog: 'drjmailgw/messages',
      // The stamp's double space is drawn as a non-breaking one: look for what follows it.
      firstLogLine: firstLine.slice(firstLine.indexOf(':') + 7).trim(),
      failureScreenshot: path.join(WORK, 'walkthrough-failure.png'),
    });
    if (seen.folder.startsWith(SAMPLES) || seen.folder.startsWith(WORKSPACE)) throw new Error(`the sample opened in place (${seen.folder}), not as a copy of its own`);
    return `sample opened from ${seen.folder}`;
  },
};

/**
 * A 56 MB log, shown in the editor as desktop VS Code shows local files up to 1024 MB (in a
 * browser VS Code asks first from 10 MB on, and so would keep the cursor from the line).
 */
const revealCheck: BrowserCheck = {
  title: 'UI: the greeting timeout at the end of a 56 MB log, clicked in Problems or What\'s Unusual, puts the cursor on its line',
  label: 'reveal',
  async run(page, server) {
    const large = writeLargeLogFolder(56, { 'workbench.editorLargeFileConfirmation': 1024 });
    try {
      await revealLargeLogLineInUi(page, { url: workbenchUrl(server, large.folder, { extensionPath: repoPath() }), lastLine: large.lastLine, failureScreenshot: path.join(WORK, 'reveal-failure.png') });
    } finally {
      large.remove();
    }
  },
};

/** Large enough that reading it takes seconds on two threads; VS Code shows it only on request. */
const CANCEL_MEGABYTES = 420;

const cancelCheck: BrowserCheck = {
  title: `UI: the read of a ${CANCEL_MEGABYTES} MB log shows its progress with Cancel; cancelled, it stops and says what it kept`,
  label: 'cancel',
  async run(page, server) {
    const large = writeLargeLogFolder(CANCEL_MEGABYTES);
    try {
      const seen = await cancelLargeReadInUi(page, {
        url: workbenchUrl(server, large.folder, { extensionPath: repoPath() }),
        lastLine: large.lastLine,
        megabytes: Math.round(large.bytes / 1_000_000),
        failureScreenshot: path.join(WORK, 'cancel-failure.png'),
      });
      return `progress ${JSON.stringify(seen.progress)} after ${seen.shownForMs} ms; ${JSON.stringify(seen.warning)}; note ${JSON.stringify(seen.note)}; hover after ${seen.hoverMs} ms`;
    } finally {
      large.remove();
    }
  },
};

const BROWSER_CHECKS = [gatewayCheck, chartCheck, chartWindowCheck, walkthroughCheck, revealCheck, cancelCheck];

async function main(): Promise<number> {
  const started = Date.now();
  checkPrerequisites();
  fs.mkdirSync(WORK, { recursive: true });
  fs.rmSync(WORKSPACE, { recursive: true, force: true });
  fs.cpSync(SAMPLES, WORKSPACE, { recursive: true, preserveTimestamps: true });
  fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  const browserLog = fs.createWriteStream(path.join(WORK, 'browser.log'));
  const browserHome = fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-chromium-'));
  const outcomes: TestOutcome[] = [];
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  try {
    server = await startCodeServer({ logFile: path.join(WORK, 'code-server.log'), env: { [E2E_RESULT_ENV]: RESULT_FILE } });
    console.log(`e2e: code-server up at ${server.origin} after ${seconds(started)}`);
    // Chromium keeps crash-report settings under XDG_CONFIG_HOME; keep them out of the home folder.
    const env = { ...process.env, XDG_CONFIG_HOME: path.join(browserHome, 'config'), XDG_CACHE_HOME: path.join(browserHome, 'cache') };
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, env });
    if (!grep?.source.startsWith('^UI:')) outcomes.push(...(await runSuite(browser, server, browserLog)));
    for (const check of BROWSER_CHECKS.filter((candidate) => !grep || grep.test(candidate.title))) {
      const outcome = await runBrowserCheck(browser, server, browserLog, check);
      printOutcome(outcome);
      outcomes.push(outcome);
    }
  } catch (error) {
    const failure: TestOutcome = { title: 'e2e run', state: 'failed', durationMs: Date.now() - started, message: (error as Error).message };
    printOutcome(failure);
    outcomes.push(failure);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    fs.rmSync(browserHome, { recursive: true, force: true });
    browserLog.end();
  }
  const passed = outcomes.filter((outcome) => outcome.state === 'passed').length;
  const failed = outcomes.filter((outcome) => outcome.state === 'failed').length;
  if (passed + failed === 0) {
    console.log('  FAIL  no test ran');
  }
  const saved = [[UI_TITLE, SCREENSHOT], [CHART_TITLE, CHART_SCREENSHOT]].filter(([title]) => outcomes.some((outcome) => outcome.title === title && outcome.state === 'passed'));
  console.log(`e2e: done in ${seconds(started)}${saved.length > 0 ? `; screenshots saved to ${saved.map(([, file]) => path.relative(repoPath(), file)).join(', ')}` : ''}`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`e2e: ${(error as Error).message}`);
    console.log('e2e: 0 passed, 1 failed');
    process.exitCode = 1;
  },
);
