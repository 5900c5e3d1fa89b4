import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { densestStretch, TimeWindow } from '../../server/src/analysis/correlate/chartWindow';
import { TimelineRequest, TimelineResult } from '../../server/src/protocol';
import { revealLine } from './pickEntry';

/** Messages the chart's script sends (see client/media/chart.ts). */
type FromChart =
  | { type: 'ready' }
  | { type: 'zoom'; from: number; to: number }
  | { type: 'everything' }
  | { type: 'densest' }
  | { type: 'reveal'; groupBy: 'host' | 'file'; key: string; bucket: number }
  | { type: 'rendered'; bars: number; groupBy: 'host' | 'file'; from: string | null; to: string | null }
  | { type: 'cspViolation'; directive: string; blocked: string };

/** What the chart last reported, for tests and for whoever debugs it. */
export interface ChartState {
  /** The drawn bars, grouping and time span (ISO, start inclusive, end exclusive). */
  rendered?: { bars: number; groupBy: 'host' | 'file'; from: string | null; to: string | null };
  /** Where the chart opened: the densest stretch of findings, or everything. */
  initial?: TimeWindow;
  /** The data's whole span, as the last answer over everything gave it. */
  extent?: TimeWindow;
  cspViolations: string[];
  data?: TimelineResult;
}

/**
 * The "Incident chart" webview: entries and findings of every open log per time bucket, stacked
 * per host or per file, drawn by Chart.js in client/media/chart.ts. It opens on the densest
 * stretch of findings (see `densestStretch`), so a log years away does not flatten the incident;
 * "Show everything" asks for the whole span. Zooming and panning ask the server for the new range
 * (finer buckets); clicking a bar reveals the first entry of that bucket.
 *
 * The page runs under a strict Content-Security-Policy: scripts and styles only from the media
 * folder (no inline code, no eval), nothing else loaded; the data goes over postMessage as JSON
 * and the script writes text only with `textContent` or on the canvas.
 */
export class IncidentChart implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private range: { from?: string; to?: string } = {};
  readonly state: ChartState = { cspViolations: [] };
  private readonly rendered = new vscode.EventEmitter<ChartState>();
  /** Fires each time the page reports a drawn chart. */
  readonly onDidRender = this.rendered.event;

  constructor(private readonly extensionUri: vscode.Uri, private readonly getClient: () => LanguageClient | undefined) {}

  /** Opens the chart, or brings it to the front, and draws the current data. */
  show(): void {
    if (this.panel) {
      this.panel.reveal();
      void this.update();
      return;
    }
    const media = vscode.Uri.joinPath(this.extensionUri, 'dist', 'media');
    const panel = vscode.window.createWebviewPanel('logForensics.chart', 'Incident Chart', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [media],
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    panel.webview.html = chartHtml(panel.webview, media);
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.state.rendered = undefined;
    });
    panel.webview.onDidReceiveMessage((message: FromChart) => this.onMessage(message));
  }

  /**
   * Asks the server for everything once to learn the data's span and the findings, then for the
   * densest stretch of findings when that is narrower, and draws it.
   */
  async open(): Promise<void> {
    this.range = {};
    const client = this.getClient();
    if (!client || !this.panel) return;
    try {
      const all = await client.sendRequest(TimelineRequest, {});
      this.remember(all);
      const extent = this.state.extent;
      const initial = extent ? densestStretch(all.findings.map((f) => (f.time ? Date.parse(f.time) : NaN)), extent) : undefined;
      this.state.initial = initial;
      if (!extent || !initial || (initial.from === extent.from && initial.to === extent.to)) return await this.post(all);
      this.range = { from: new Date(initial.from).toISOString(), to: new Date(initial.to).toISOString() };
      await this.update();
    } catch (error) {
      await this.panel.webview.postMessage({ type: 'error', message: (error as Error).message });
    }
  }

  /** Asks the server for the current range and sends the answer to the page. */
  async update(): Promise<void> {
    const client = this.getClient();
    if (!client || !this.panel) return;
    try {
      const data = await client.sendRequest(TimelineRequest, this.range);
      this.remember(data);
      await this.post(data);
    } catch (error) {
      await this.panel.webview.postMessage({ type: 'error', message: (error as Error).message });
    }
  }

  /** Keeps the answer, and the data's whole span when the answer covers everything. */
  private remember(data: TimelineResult): void {
    this.state.data = data;
    if (this.range.from !== undefined) return;
    const from = data.from ? Date.parse(data.from) : NaN;
    this.state.extent = Number.isNaN(from) || data.bucketCount === 0 ? undefined : { from, to: from + data.bucketCount * data.bucketSeconds * 1000 };
  }

  private async post(data: TimelineResult): Promise<void> {
    // Only what the chart draws: counts, group names and the span to keep zooms inside, as JSON.
    const chart = {
      from: data.from,
      bucketSeconds: data.bucketSeconds,
      bucketCount: data.bucketCount,
      byHost: data.byHost.map(({ first: _f, ...g }) => g),
      byFile: data.byFile.map(({ first: _f, ...g }) => g),
      everything: this.range.from === undefined,
      extent: this.state.extent ?? null,
      densest: this.state.initial !== undefined && this.state.extent !== undefined && (this.state.initial.from !== this.state.extent.from || this.state.initial.to !== this.state.extent.to),
    };
    await this.panel?.webview.postMessage({ type: 'data', chart });
  }

  private onMessage(message: FromChart): void {
    switch (message.type) {
      case 'ready':
        void this.open();
        break;
      case 'zoom':
        this.range = { from: new Date(message.from).toISOString(), to: new Date(message.to).toISOString() };
        void this.update();
        break;
      case 'everything':
        this.range = {};
        void this.update();
        break;
      case 'densest':
        void this.open();
        break;
      case 'reveal': {
        const groups = message.groupBy === 'host' ? this.state.data?.byHost : this.state.data?.byFile;
        const first = groups?.find((group) => group.key === message.key)?.first[message.bucket];
        if (first) void revealLine({ uri: first.uri, range: { start: { line: first.line, character: 0 } } }).then(undefined, () => undefined);
        break;
      }
      case 'rendered':
        this.state.rendered = { bars: message.bars, groupBy: message.groupBy, from: message.from, to: message.to };
        this.rendered.fire(this.state);
        break;
      case 'cspViolation':
        this.state.cspViolations.push(`${message.directive}: ${message.blocked}`);
        break;
    }
  }

  dispose(): void {
    this.panel?.dispose();
    this.rendered.dispose();
  }
}

/** The page: static markup, one stylesheet, one script, all from the media folder. */
function chartHtml(webview: vscode.Webview, media: vscode.Uri): string {
  const asset = (name: string): string => webview.asWebviewUri(vscode.Uri.joinPath(media, name)).toString();
  const csp = `default-src 'none'; script-src ${webview.cspSource}; style-src ${webview.cspSource}; img-src ${webview.cspSource}; font-src ${webview.cspSource}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="${asset('chart.css')}">
<title>Incident Chart</title>
</head>
<body>
<header class="toolbar">
  <span class="title">Entries and findings per</span>
  <span id="bucket" class="bucket"></span>
  <label class="group">stacked by
    <select id="groupBy"><option value="host">host</option><option value="file">file</option></select>
  </label>
  <button id="zoomOut" type="button">Zoom out</button>
  <button id="densest" type="button" title="The busiest stretch of findings">Busiest stretch</button>
  <button id="everything" type="button" title="Every open log, from its first entry to its last">Show everything</button>
  <span id="status" class="status" role="status"></span>
</header>
<main class="charts">
  <section class="chart"><h2>Log entries</h2><div class="canvas"><canvas id="entries" aria-label="Log entries per time bucket"></canvas></div></section>
  <section class="chart"><h2>Findings</h2><div class="canvas"><canvas id="findings" aria-label="Findings per time bucket"></canvas></div></section>
</main>
<footer class="hint">Scroll over a chart to zoom around the pointer, drag to move along; click a bar to reveal the first entry of that bucket.</footer>
<script src="${asset('chart.js')}"></script>
</body>
</html>`;
}
