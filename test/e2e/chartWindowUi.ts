/**
 * The incident chart's time window through the user interface: where it opens, that the wheel
 * zooms around the instant under the pointer, that a drag pans and that "Show everything" shows
 * the logs' whole span. The page reports the span it draws (`data-from`, `data-to` on its body)
 * and where each plot lies across its canvas (`data-plot-left`, `data-plot-right`).
 */
import type { FrameLocator, Page } from 'playwright-core';
import { chartInUi, ChartCheck } from './ui';

/** A drawn span, in UTC ms, with its bucket width. */
interface Shown {
  from: number;
  to: number;
  bucketMs: number;
}

/** What the chart showed at each step, for the run's figures. */
export interface ChartWindowSeen {
  opened: 'busiest stretch' | 'everything';
  initial: Shown;
  zoomed: Shown;
  panned: Shown;
  everything: Shown;
}

const UNIT_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3600_000, d: 86_400_000 };

async function shownSpan(chart: FrameLocator): Promise<Shown> {
  const body = chart.locator('body');
  const from = Date.parse((await body.getAttribute('data-from')) ?? '');
  const to = Date.parse((await body.getAttribute('data-to')) ?? '');
  const bucket = /^(\d+) (s|min|h|d)$/.exec((await chart.locator('#bucket').textContent())?.trim() ?? '');
  if (Number.isNaN(from) || Number.isNaN(to) || !bucket) throw new Error(`the chart shows no readable span (from ${from}, to ${to}, bucket ${JSON.stringify(bucket?.[0])})`);
  return { from, to, bucketMs: Number(bucket[1]) * UNIT_MS[bucket[2]] };
}

/** Waits until the chart draws a span other than `before`, and returns it. */
async function nextSpan(chart: FrameLocator, before: Shown, timeout: number): Promise<Shown> {
  const body = chart.locator(`body:not([data-from="${new Date(before.from).toISOString()}"]), body:not([data-to="${new Date(before.to).toISOString()}"])`);
  await body.first().waitFor({ state: 'attached', timeout });
  return shownSpan(chart);
}

/** Where the entries plot lies on the page, in page pixels. */
async function plotOnPage(chart: FrameLocator): Promise<{ left: number; right: number; y: number }> {
  const canvas = chart.locator('canvas#entries');
  const box = await canvas.boundingBox();
  const left = Number(await canvas.getAttribute('data-plot-left'));
  const right = Number(await canvas.getAttribute('data-plot-right'));
  if (!box || !(right > left)) throw new Error(`the entries plot has no place (box ${JSON.stringify(box)}, plot ${left}..${right})`);
  return { left: box.x + left, right: box.x + right, y: box.y + box.height / 2 };
}

function timeAt(shown: Shown, plot: { left: number; right: number }, x: number): number {
  return shown.from + ((x - plot.left) / (plot.right - plot.left)) * (shown.to - shown.from);
}

const iso = (ms: number): string => new Date(ms).toISOString();
const spanText = (shown: Shown): string => `${iso(shown.from)}..${iso(shown.to)} (buckets of ${shown.bucketMs / 1000} s)`;

function expectNear(what: string, actual: number, expected: number, toleranceMs: number): void {
  if (Math.abs(actual - expected) > toleranceMs) throw new Error(`${what}: ${iso(actual)}, expected ${iso(expected)} within ${toleranceMs / 1000} s`);
}

/**
 * Opens the chart over the logs (see {@link chartInUi}), then checks its window step by step.
 * `firstEntry` and `lastEntry` are the earliest and latest instants written in the open logs,
 * which "Show everything" must cover. Throws, saying which step failed.
 */
export async function chartWindowInUi(page: Page, check: ChartCheck & { firstEntry: number; lastEntry: number }): Promise<ChartWindowSeen> {
  const timeout = check.timeoutMs ?? 30_000;
  await chartInUi(page, check);
  const chart = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  let step = 'read the span the chart opened on';
  try {
    const initial = await shownSpan(chart);
    const busiest = await chart.locator('#densest').isEnabled();
    const everythingShown = await chart.locator('#everything').isDisabled();
    // It opens on the busiest stretch of findings when that is narrower than everything, and then
    // offers everything; else on everything, with nothing to go back to.
    if (busiest === everythingShown) throw new Error(`"Busiest stretch" is ${busiest ? 'enabled' : 'disabled'} and "Show everything" ${everythingShown ? 'disabled' : 'enabled'}`);

    step = 'zoom in with the wheel at 30 % across the entries plot';
    let plot = await plotOnPage(chart);
    const x = plot.left + 0.3 * (plot.right - plot.left);
    const instant = timeAt(initial, plot, x);
    await page.mouse.move(x, plot.y);
    await page.mouse.wheel(0, -120);
    const zoomed = await nextSpan(chart, initial, timeout);
    plot = await plotOnPage(chart);
    const widthRatio = (zoomed.to - zoomed.from) / (initial.to - initial.from);
    if (Math.abs(widthRatio - 0.5) > (2 * zoomed.bucketMs) / (initial.to - initial.from)) throw new Error(`the wheel went from ${spanText(initial)} to ${spanText(zoomed)}, not half as wide`);
    expectNear('the time under the pointer after the zoom', timeAt(zoomed, plot, x), instant, Math.max(initial.bucketMs, zoomed.bucketMs));

    step = 'drag the entries plot a fifth of its width to the right';
    const dx = 0.2 * (plot.right - plot.left);
    await page.mouse.move(x, plot.y);
    await page.mouse.down();
    await page.mouse.move(x + dx / 2, plot.y, { steps: 4 });
    await page.mouse.move(x + dx, plot.y, { steps: 4 });
    await page.mouse.up();
    const panned = await nextSpan(chart, zoomed, timeout);
    const width = zoomed.to - zoomed.from;
    if (Math.abs(panned.to - panned.from - width) > 2 * panned.bucketMs) throw new Error(`the drag went from ${spanText(zoomed)} to ${spanText(panned)}: the width changed`);
    // Dragged right, earlier times come into view: the window moves back by a fifth of its width.
    expectNear('the start after the drag', panned.from, zoomed.from - 0.2 * width, 2 * panned.bucketMs);

    step = 'click "Show everything"';
    await chart.locator('#everything').click({ timeout });
    const everything = await nextSpan(chart, panned, timeout);
    await chart.locator('#everything:disabled').waitFor({ state: 'attached', timeout });
    if (everything.from > check.firstEntry || everything.to <= check.lastEntry) throw new Error(`"Show everything" shows ${spanText(everything)}, not the logs' ${iso(check.firstEntry)}..${iso(check.lastEntry)}`);
    expectNear('the start of everything', everything.from, check.firstEntry, everything.bucketMs);
    expectNear('the end of everything', everything.to, check.lastEntry, everything.bucketMs);
    if (busiest) {
      if (!(initial.from >= everything.from && initial.to <= everything.to && initial.to - initial.from < everything.to - everything.from)) {
        throw new Error(`the chart opened on ${spanText(initial)}, not a stretch inside everything (${spanText(everything)})`);
      }
    } else if (initial.from !== everything.from || initial.to !== everything.to) {
      throw new Error(`the chart opened on ${spanText(initial)} with no busier stretch, not on everything (${spanText(everything)})`);
    }
    return { opened: busiest ? 'busiest stretch' : 'everything', initial, zoomed, panned, everything };
  } catch (error) {
    await page.screenshot({ path: check.failureScreenshot }).catch(() => undefined);
    throw new Error(`could not ${step}: ${(error as Error).message.split('\n')[0]} (screenshot: ${check.failureScreenshot})`, { cause: error });
  }
}
