/**
 * The incident chart's page script (bundled to dist/media/chart.js). Draws two stacked bar charts
 * with Chart.js, entries and findings per time bucket per host or file, in the theme's colours.
 * Runs under a CSP without inline code or eval; every text it writes goes through `textContent`
 * or onto the canvas.
 */
import { BarController, BarElement, CategoryScale, Chart, ChartEvent, Legend, LinearScale, Tooltip } from 'chart.js';

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
  zoomed: boolean;
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
          const hit = elements[0];
          if (!hit) return;
          const key = groups[hit.datasetIndex]?.key;
          if (key && !key.startsWith('other (')) vscode.postMessage({ type: 'reveal', groupBy, key, bucket: hit.index });
        },
      },
    });
  }
  element<HTMLButtonElement>('reset').disabled = !data.zoomed;
  setStatus(data.bucketCount === 0 ? 'No open log has a timestamped entry: open logs to chart them.' : '');
  // A data attribute (not a style): lets a UI test wait for the drawn chart.
  document.body.dataset.bars = String(bars);
  vscode.postMessage({ type: 'rendered', bars, groupBy });
}

/** Zooms around the bucket under the pointer: half the range in, twice out. */
function zoom(chart: Chart<'bar'>, event: WheelEvent): void {
  if (!data || !data.from || data.bucketCount === 0) return;
  event.preventDefault();
  const from = Date.parse(data.from);
  const span = data.bucketCount * data.bucketSeconds * 1000;
  const index = chart.scales.x.getValueForPixel(event.offsetX) ?? data.bucketCount / 2;
  const center = from + (Math.min(Math.max(index, 0), data.bucketCount - 1) + 0.5) * data.bucketSeconds * 1000;
  const next = event.deltaY < 0 ? span / 2 : span * 2;
  if (next < 10_000) return;
  vscode.postMessage({ type: 'zoom', from: Math.floor(center - next / 2), to: Math.ceil(center + next / 2) });
}

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
}

element<HTMLSelectElement>('groupBy').addEventListener('change', (event) => {
  groupBy = (event.target as HTMLSelectElement).value === 'file' ? 'file' : 'host';
  draw();
});
element('zoomOut').addEventListener('click', () => {
  if (!data || !data.from) return;
  const from = Date.parse(data.from);
  const span = data.bucketCount * data.bucketSeconds * 1000;
  vscode.postMessage({ type: 'zoom', from: from - span / 2, to: from + span * 1.5 });
});
element('reset').addEventListener('click', () => vscode.postMessage({ type: 'reset' }));

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
