/**
 * The time window an incident chart shows, and how zooming, panning and "show everything" move it.
 * Pure arithmetic on UTC milliseconds, shared by the chart's page script and its panel.
 */

/** A half-open stretch of time, `[from, to)` in UTC ms. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** The narrowest window zooming in reaches: ten seconds. */
export const MIN_WINDOW_MS = 10_000;

/** Widths tried for the densest stretch, from an hour to a month. */
const STRETCH_WIDTHS_MS: readonly number[] = [1, 2, 3, 6, 12, 24, 48, 96, 168, 336, 720].map((hours) => hours * 3600_000);

/** Share of the findings the densest stretch should hold before a wider width is tried. */
const STRETCH_SHARE = 0.5;

function isWindow(window: TimeWindow): boolean {
  return Number.isFinite(window.from) && Number.isFinite(window.to) && window.to > window.from;
}

/**
 * Moves `window` inside `extent` without changing its width, or returns `extent` when the window
 * is as wide or wider, so no zoom or pan drifts past the data.
 */
export function clampWindow(window: TimeWindow, extent: TimeWindow): TimeWindow {
  if (!isWindow(extent)) return window;
  if (!isWindow(window)) return extent;
  const width = window.to - window.from;
  if (width >= extent.to - extent.from) return { ...extent };
  const from = Math.min(Math.max(window.from, extent.from), extent.to - width);
  return { from, to: from + width };
}

/**
 * The window after zooming by `factor` (below 1 zooms in) around the instant at `pointer`, the
 * pointer's place across the drawn window from 0 (left edge) to 1 (right edge): that instant
 * stays at the same place, unless the result is clamped to `extent`.
 */
export function zoomAt(window: TimeWindow, pointer: number, factor: number, extent: TimeWindow): TimeWindow {
  if (!isWindow(window) || !(factor > 0)) return window;
  const at = Math.min(Math.max(Number.isFinite(pointer) ? pointer : 0.5, 0), 1);
  const width = window.to - window.from;
  const instant = window.from + at * width;
  const next = Math.max(width * factor, MIN_WINDOW_MS);
  const from = instant - at * next;
  return clampWindow({ from, to: from + next }, extent);
}

/**
 * The window after dragging the chart by `deltaFraction` of its width (positive: the pointer
 * moved right, so earlier times come into view).
 */
export function panBy(window: TimeWindow, deltaFraction: number, extent: TimeWindow): TimeWindow {
  if (!isWindow(window) || !Number.isFinite(deltaFraction)) return window;
  const shift = -deltaFraction * (window.to - window.from);
  return clampWindow({ from: window.from + shift, to: window.to + shift }, extent);
}

/** The window of width `widthMs` holding the most of the sorted `times`, starting at one of them, with its count. */
function densestOf(times: readonly number[], widthMs: number): { from: number; count: number } {
  let best = { from: times[0], count: 0 };
  let end = 0;
  for (let start = 0; start < times.length; start++) {
    if (end < start) end = start;
    while (end < times.length && times[end] < times[start] + widthMs) end++;
    if (end - start > best.count) best = { from: times[start], count: end - start };
  }
  return best;
}

/**
 * Where the chart opens: the densest stretch of the findings' `times` (UTC ms, any order; NaN
 * ignored), padded by a tenth of its width each side and kept inside `extent`. The width is the
 * narrowest of an hour, two, three, six, ... a month whose densest window holds at least half of
 * the findings, so a log years away from the rest stays off-screen. `extent` itself when there are
 * no timed findings or no stretch under a quarter of the span holds half of them (findings spread
 * evenly).
 */
export function densestStretch(times: readonly number[], extent: TimeWindow): TimeWindow {
  if (!isWindow(extent)) return extent;
  const sorted = times.filter((t) => Number.isFinite(t) && t >= extent.from && t < extent.to).sort((a, b) => a - b);
  if (sorted.length === 0) return { ...extent };
  const span = extent.to - extent.from;
  for (const width of STRETCH_WIDTHS_MS) {
    // A stretch over a quarter of the span or more shows little that everything does not.
    if (width * 4 > span) break;
    const best = densestOf(sorted, width);
    if (best.count < sorted.length * STRETCH_SHARE) continue;
    // Centre the findings of the stretch rather than starting at the first one.
    const last = sorted[sorted.findIndex((t) => t === best.from) + best.count - 1];
    const middle = (best.from + last) / 2;
    const padded = width * 1.2;
    return clampWindow({ from: middle - padded / 2, to: middle + padded / 2 }, extent);
  }
  return { ...extent };
}
