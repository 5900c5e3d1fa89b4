/**
 * The incident chart's page script (bundled to dist/media/chart.js). Draws two stacked bar charts
 * with Chart.js, entries and findings per time bucket per host or file, in the theme's colours.
 * Runs under a CSP without inline code or eval; every text it writes goes through `textContent`
 * or onto the canvas. The wheel zooms around the instant under the pointer and a drag pans, both
 * kept inside the data's span (see server/src/analysis/correlate/chartWindow.ts).
 */
import { BarController, BarElement, CategoryScale, Chart, ChartEvent, Legend, LinearScale, Tooltip } from 'chart.js';
import { panBy, TimeWindow, zoomAt } from '../../server/src/analysis/correlate/chartWindow';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

declare function acquireVsCodeApi(): { postMessage(message: unknown): void };
const vscode = acquireVsCodeApi();

interface Group {
  key: string;
  entries: number[];
  findings: number[];
}

interface ChartData {
  from: string | null;
  bucketSeconds: number;
  bucketCount: number;
  byHost: Group[];
  byFile: Group[];
  /** True when the answer covers every open log. */
  everything: boolean;
  /** The data's whole span in UTC ms; null when nothing is timed. */
  extent: TimeWindow | null;
  /** True when the busiest stretch of findings is narrower than everything. */
  densest: boolean;
}

type GroupBy = 'host' | 'file';

/** At most this many groups get their own colour and legend entry; the rest are summed as "other". */
const MAX_GROUPS = 8;
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-yellow', '--vscode-charts-red'];

let data: ChartData | undefined;
let groupBy: GroupBy = 'host';
const charts: Partial<Record<'entries' | 'findings', Chart<'bar'>>> = {};

const element = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function setStatus(text: string): void {
  element('status').textContent = text;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** A bucket's start as a short UTC label; the date only when the range spans days. */
function bucketLabel(ms: number, withDate: boolean): string {
  const d = new Date(ms);
  const time = `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}${data && data.bucketSeconds < 60 ? `:${two(d.getUTCSeconds())}` : ''}`;
  return withDate ? `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${time}` : time;
}

function widthText(seconds: number): string {
  if (seconds % 86400 === 0) return `${seconds / 86400} d`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The groups to draw: the busiest ones, the rest summed as "other". */
function shownGroups(all: Group[]): Group[] {
  if (all.length <= MAX_GROUPS) return all;
  const kept = all.slice(0, MAX_GROUPS - 1);
  const rest = all.slice(MAX_GROUPS - 1);
  const sum = (field: 'entries' | 'findings'): number[] => rest[0][field].map((_, i) => rest.reduce((total, g) => total + g[field][i], 0));
  return [...kept, { key: `other (${rest.length})`, entries: sum('entries'), findings: sum('findings') }];
}

function draw(): void {
  if (!data) return;
  const from = data.from ? Date.parse(data.from) : NaN;
  const groups = shownGroups(groupBy === 'host' ? data.byHost : data.byFile);
  const spansDays = data.bucketCount * data.bucketSeconds > 86400;
  const labels = Array.from({ length: data.bucketCount }, (_, i) => bucketLabel(from + i * data!.bucketSeconds * 1000, spansDays));
  const foreground = cssVar('--vscode-foreground', '#888');
  const grid = cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)'));
  const font = { family: cssVar('--vscode-font-family', 'sans-serif'), size: 12 };
  element('bucket').textContent = widthText(data.bucketSeconds);
  let bars = 0;
  for (const field of ['entries', 'findings'] as const) {
    const datasets = groups.map((group, i) => ({
      label: group.key,
      data: group[field],
      backgroundColor: cssVar(PALETTE[i % PALETTE.length], '#3794ff'),
      stack: field,
    }));
    bars += datasets.reduce((n, d) => n + d.data.filter((v) => v > 0).length, 0);
    charts[field]?.destroy();
    charts[field] = new Chart(element<HTMLCanvasElement>(field), {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        color: foreground,
        font,
        scales: {
          x: { stacked: true, ticks: { color: foreground, font, autoSkip: true, maxRotation: 0 }, grid: { color: grid } },
          y: { stacked: true, beginAtZero: true, ticks: { color: foreground, font, precision: 0 }, grid: { color: grid } },
        },
        plugins: {
          legend: { display: field === 'entries', position: 'top', labels: { color: foreground, font, boxWidth: 12 } },
          tooltip: { mode: 'index', intersect: false },
        },
        onClick: (_event: ChartEvent, elements) => {
          if (justDragged) return;
          const hit = elements[0];
          if (!hit) return;
          const key = groups[hit.datasetIndex]?.key;
          if (key && !key.startsWith('other (')) vscode.postMessage({ type: 'reveal', groupBy, key, bucket: hit.index });
        },
      },
    });
  }
  element<HTMLButtonElement>('everything').disabled = data.everything;
  element<HTMLButtonElement>('densest').disabled = !data.densest;
  setStatus(data.bucketCount === 0 ? 'No open log has a timestamped entry: open logs to chart them.' : '');
  // Data attributes (not styles): let a UI test read the span shown and where each plot lies
  // across its canvas, and wait for the drawn chart (bars last).
  const shown = drawnWindow();
  document.body.dataset.from = shown ? new Date(shown.from).toISOString() : '';
  document.body.dataset.to = shown ? new Date(shown.to).toISOString() : '';
  for (const field of ['entries', 'findings'] as const) {
    const area = charts[field]?.chartArea;
    if (area) Object.assign(element(field).dataset, { plotLeft: String(area.left), plotRight: String(area.right) });
  }
  document.body.dataset.bars = String(bars);
  vscode.postMessage({ type: 'rendered', bars, groupBy, from: shown ? new Date(shown.from).toISOString() : null, to: shown ? new Date(shown.to).toISOString() : null });
}

/** The span the bars cover, in UTC ms. */
function drawnWindow(): TimeWindow | undefined {
  if (!data || !data.from || data.bucketCount === 0) return undefined;
  const from = Date.parse(data.from);
  return { from, to: from + data.bucketCount * data.bucketSeconds * 1000 };
}

/** Where `offsetX` falls across the plot area: 0 at its left edge, 1 at its right. */
function placeAcross(chart: Chart<'bar'>, offsetX: number): number {
  const area = chart.chartArea;
  return area && area.width > 0 ? (offsetX - area.left) / area.width : 0.5;
}

function ask(window: TimeWindow): void {
  const shown = drawnWindow();
  if (shown && Math.round(window.from) === shown.from && Math.round(window.to) === shown.to) return;
  vscode.postMessage({ type: 'zoom', from: Math.floor(window.from), to: Math.ceil(window.to) });
}

/** Zooms around the instant under the pointer: half the span in, twice out. */
function zoom(chart: Chart<'bar'>, event: WheelEvent): void {
  const shown = drawnWindow();
  if (!data || !shown) return;
  ask(zoomAt(shown, placeAcross(chart, event.offsetX), event.deltaY < 0 ? 0.5 : 2, data.extent ?? shown));
}

/** A press that moves further than this many pixels is a drag, not a click on a bar. */
const DRAG_PIXELS = 4;
let drag: { chart: Chart<'bar'>; startX: number; moved: boolean } | undefined;
/** Set by a drag so the click that ends it does not reveal a bar. */
let justDragged = false;

let wheelTimer: number | undefined;
for (const field of ['entries', 'findings'] as const) {
  element(field).addEventListener('wheel', (event) => {
    const chart = charts[field];
    if (!chart) return;
    event.preventDefault();
    // One zoom step per burst of wheel events, so a trackpad does not zoom thirty times.
    if (wheelTimer !== undefined) return;
    zoom(chart, event);
    wheelTimer = window.setTimeout(() => (wheelTimer = undefined), 250);
  }, { passive: false });
  element(field).addEventListener('mousedown', (event) => {
    const chart = charts[field];
    if (!chart || event.button !== 0) return;
    drag = { chart, startX: event.clientX, moved: false };
    justDragged = false;
  });
}

window.addEventListener('mousemove', (event) => {
  if (!drag || drag.moved || Math.abs(event.clientX - drag.startX) <= DRAG_PIXELS) return;
  drag.moved = true;
  // On the root, not the body: the body's class is the theme, watched to redraw.
  document.documentElement.classList.add('dragging');
});

window.addEventListener('mouseup', (event) => {
  const ended = drag;
  drag = undefined;
  document.documentElement.classList.remove('dragging');
  const shown = drawnWindow();
  if (!ended?.moved || !data || !shown) return;
  justDragged = true;
  window.setTimeout(() => (justDragged = false), 0);
  const area = ended.chart.chartArea;
  if (area && area.width > 0) ask(panBy(shown, (event.clientX - ended.startX) / area.width, data.extent ?? shown));
});

element<HTMLSelectElement>('groupBy').addEventListener('change', (event) => {
  groupBy = (event.target as HTMLSelectElement).value === 'file' ? 'file' : 'host';
  draw();
});
element('zoomOut').addEventListener('click', () => {
  const shown = drawnWindow();
  if (data && shown) ask(zoomAt(shown, 0.5, 2, data.extent ?? shown));
});
element('densest').addEventListener('click', () => vscode.postMessage({ type: 'densest' }));
element('everything').addEventListener('click', () => vscode.postMessage({ type: 'everything' }));

window.addEventListener('message', (event: MessageEvent) => {
  const message = event.data as { type: string; chart?: ChartData; message?: string };
  if (message.type === 'data' && message.chart) {
    data = message.chart;
    draw();
  } else if (message.type === 'error') {
    setStatus(`The chart could not be built: ${message.message ?? ''}`);
  }
});

// The theme changes the body's class; the colours are read again from the CSS variables.
new MutationObserver(() => draw()).observe(document.body, { attributes: true, attributeFilter: ['class'] });

document.addEventListener('securitypolicyviolation', (event) => vscode.postMessage({ type: 'cspViolation', directive: event.violatedDirective, blocked: event.blockedURI }));

vscode.postMessage({ type: 'ready' });
