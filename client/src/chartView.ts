import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { TimelineRequest, TimelineResult } from '../../server/src/protocol';
import { revealLine } from './pickEntry';

/** Messages the chart's script sends (see client/media/chart.ts). */
type FromChart =
  | { type: 'ready' }
  | { type: 'zoom'; from: number; to: number }
  | { type: 'reset' }
  | { type: 'reveal'; groupBy: 'host' | 'file'; key: string; bucket: number }
  | { type: 'rendered'; bars: number; groupBy: 'host' | 'file' }
  | { type: 'cspViolation'; directive: string; blocked: string };

/** What the chart last reported, for tests and for whoever debugs it. */
export interface ChartState {
  rendered?: { bars: number; groupBy: 'host' | 'file' };
  cspViolations: string[];
  data?: TimelineResult;
}

/**
 * The "Incident chart" webview: entries and findings of every open log per time bucket, stacked
 * per host or per file, drawn by Chart.js in client/media/chart.ts. Zooming asks the server for
 * the narrower range (finer buckets); clicking a bar reveals the first entry of that bucket.
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

  /** Asks the server for the current range and sends the answer to the page. */
  async update(): Promise<void> {
    const client = this.getClient();
    if (!client || !this.panel) return;
    try {
      const data = await client.sendRequest(TimelineRequest, this.range);
      this.state.data = data;
      // Only what the chart draws: counts and group names, as JSON.
      const chart = { from: data.from, bucketSeconds: data.bucketSeconds, bucketCount: data.bucketCount, byHost: data.byHost.map(({ first: _f, ...g }) => g), byFile: data.byFile.map(({ first: _f, ...g }) => g), zoomed: this.range.from !== undefined };
      await this.panel.webview.postMessage({ type: 'data', chart });
    } catch (error) {
      await this.panel.webview.postMessage({ type: 'error', message: (error as Error).message });
    }
  }

  private onMessage(message: FromChart): void {
    switch (message.type) {
      case 'ready':
        void this.update();
        break;
      case 'zoom':
        this.range = { from: new Date(message.from).toISOString(), to: new Date(message.to).toISOString() };
        void this.update();
        break;
      case 'reset':
        this.range = {};
        void this.update();
        break;
      case 'reveal': {
        const groups = message.groupBy === 'host' ? this.state.data?.byHost : this.state.data?.byFile;
        const first = groups?.find((group) => group.key === message.key)?.first[message.bucket];
        if (first) void revealLine({ uri: first.uri, range: { start: { line: first.line, character: 0 } } }).then(undefined, () => undefined);
        break;
      }
      case 'rendered':
        this.state.rendered = { bars: message.bars, groupBy: message.groupBy };
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
  <button id="reset" type="button">Whole incident</button>
  <span id="status" class="status" role="status"></span>
</header>
<main class="charts">
  <section class="chart"><h2>Log entries</h2><div class="canvas"><canvas id="entries" aria-label="Log entries per time bucket"></canvas></div></section>
  <section class="chart"><h2>Findings</h2><div class="canvas"><canvas id="findings" aria-label="Findings per time bucket"></canvas></div></section>
</main>
<footer class="hint">Scroll over a chart to zoom around the pointer; click a bar to reveal the first entry of that bucket.</footer>
<script src="${asset('chart.js')}"></script>
</body>
</html>`;
}
