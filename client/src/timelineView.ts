import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { TimelineAnnotationDto, TimelineFindingDto, TimelineRequest, TimelineResult } from '../../server/src/protocol';
import { TimelineFilter, annotationPasses, askFilter, describeFilter, findingPasses } from './timelineFilter';
import { WorkspaceAnnotations } from './workspaceAnnotations';

/** The view's id, under the Log Forensics container of the activity bar. */
export const TIMELINE_VIEW = 'logForensics.timeline';
/** How long to wait after a change (an analysis, an annotation) before asking the server again. */
const REFRESH_DEBOUNCE_MS = 300;

/** One row of the incident timeline. */
export type TimelineNode =
  | { kind: 'hour'; label: string; children: TimelineNode[] }
  | { kind: 'unplaced'; children: TimelineNode[] }
  | { kind: 'annotation'; annotation: TimelineAnnotationDto }
  | { kind: 'finding'; finding: TimelineFindingDto }
  | { kind: 'message'; text: string };

const SEVERITY_ICON: Record<string, string> = { error: 'error', warning: 'warning', information: 'info', hint: 'lightbulb' };

function clock(iso: string | null): string {
  return iso ? iso.slice(11, 19) : '--:--:--';
}

function place(file: string, line: number): string {
  return `${file}:${line + 1}`;
}

/** Builds the rows: placed annotations and findings by hour (UTC), then the annotations not placed. */
export function timelineNodes(data: TimelineResult, filter: TimelineFilter): TimelineNode[] {
  const rows: { time: string | null; node: TimelineNode; order: number }[] = [];
  const unplaced: TimelineNode[] = [];
  for (const annotation of data.annotations.filter((a) => annotationPasses(filter, a))) {
    if (annotation.state === 'placed' && annotation.time) rows.push({ time: annotation.time, node: { kind: 'annotation', annotation }, order: 0 });
    else unplaced.push({ kind: 'annotation', annotation });
  }
  for (const finding of data.findings.filter((f) => findingPasses(filter, f))) {
    if (finding.time) rows.push({ time: finding.time, node: { kind: 'finding', finding }, order: 1 });
  }
  rows.sort((a, b) => (a.time! < b.time! ? -1 : a.time! > b.time! ? 1 : a.order - b.order));
  const hours: TimelineNode[] = [];
  for (const row of rows) {
    const label = `${row.time!.slice(0, 10)} ${row.time!.slice(11, 13)}:00 UTC`;
    const last = hours[hours.length - 1];
    if (last && last.kind === 'hour' && last.label === label) last.children.push(row.node);
    else hours.push({ kind: 'hour', label, children: [row.node] });
  }
  if (unplaced.length > 0) hours.push({ kind: 'unplaced', children: unplaced });
  if (hours.length === 0) {
    const anyFilter = describeFilter(filter) !== '';
    hours.push({ kind: 'message', text: anyFilter ? 'Nothing matches the filter.' : 'Open logs to see their findings; annotate lines to add them here.' });
  }
  if (data.findingsTruncated) hours.push({ kind: 'message', text: `Only the first ${data.findings.length} findings are listed.` });
  return hours;
}

function annotationItem(annotation: TimelineAnnotationDto): vscode.TreeItem {
  // A placed annotation shows its star as its icon; only lost and closed ones, whose icon says
  // what went wrong, carry it in the label.
  const star = annotation.starred && annotation.state !== 'placed' ? '★ ' : '';
  const where = place(annotation.file, annotation.line);
  const item = new vscode.TreeItem(annotation.state === 'placed' ? `${star}${clock(annotation.time)}  ${where}` : `${star}${where}`);
  const tags = annotation.tags.map((tag) => `#${tag}`).join(' ');
  if (annotation.state === 'lost') {
    item.description = `anchor lost: ${annotation.reason ?? 'unknown'}`;
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
  } else if (annotation.state === 'closed') {
    item.description = `log not open · ${[tags, annotation.note].filter(Boolean).join('  ')}`;
    item.iconPath = new vscode.ThemeIcon('circle-slash');
  } else {
    item.description = [tags, annotation.note.replace(/\s+/g, ' ')].filter(Boolean).join('  ');
    item.iconPath = new vscode.ThemeIcon(annotation.starred ? 'star-full' : 'tag');
  }
  // A plain string tooltip: log text is shown as text, never as Markdown.
  item.tooltip = [annotation.text, annotation.note, annotation.movedFrom !== undefined ? `(was line ${annotation.movedFrom + 1})` : ''].filter(Boolean).join('\n\n');
  item.contextValue = 'annotation';
  item.command = { command: 'logForensics.timeline.reveal', title: 'Reveal', arguments: [annotation.uri, annotation.line] };
  return item;
}

function findingItem(finding: TimelineFindingDto): vscode.TreeItem {
  const item = new vscode.TreeItem(`${clock(finding.time)}  ${finding.ruleId}`);
  item.description = `${finding.host ? `${finding.host} · ` : ''}${place(finding.file, finding.line)}`;
  item.tooltip = finding.message;
  item.iconPath = new vscode.ThemeIcon(SEVERITY_ICON[finding.severity] ?? 'info');
  item.contextValue = 'finding';
  item.command = { command: 'logForensics.timeline.reveal', title: 'Reveal', arguments: [finding.uri, finding.line] };
  return item;
}

/**
 * The incident timeline: the findings of every open log and the workspace's annotations in time
 * order, by hour, with the annotations that could not be placed last. Asks the server
 * (`logForensics/timeline`) whenever an analysis or an annotation changes.
 */
export class TimelineProvider implements vscode.TreeDataProvider<TimelineNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TimelineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: TimelineResult | undefined;
  private nodes: TimelineNode[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly loaded = new vscode.EventEmitter<void>();
  /** Fires after each answer of the server has been turned into rows. */
  readonly onDidLoad = this.loaded.event;
  filter: TimelineFilter = {};
  view: vscode.TreeView<TimelineNode> | undefined;

  constructor(private readonly getClient: () => LanguageClient | undefined, annotations: WorkspaceAnnotations) {
    this.disposables.push(
      this.changed,
      this.loaded,
      annotations.onDidChange(() => this.schedule()),
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
      vscode.workspace.onDidCloseTextDocument(() => this.schedule()),
    );
  }

  /** The rows as shown now (for tests and the filter prompt). */
  get current(): { data: TimelineResult | undefined; nodes: TimelineNode[] } {
    return { data: this.data, nodes: this.nodes };
  }

  schedule(delay = REFRESH_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** Asks the server again and redraws; returns the rows. */
  async refresh(): Promise<TimelineNode[]> {
    const client = this.getClient();
    if (!client) return this.nodes;
    try {
      this.data = await client.sendRequest(TimelineRequest, {});
      this.nodes = timelineNodes(this.data, this.filter);
    } catch (error) {
      this.nodes = [{ kind: 'message', text: `The timeline could not be built: ${(error as Error).message}` }];
    }
    if (this.view) {
      this.view.description = describeFilter(this.filter) || undefined;
      this.view.message = describeLogs(this.data);
    }
    this.changed.fire(undefined);
    this.loaded.fire();
    return this.nodes;
  }

  /** Sets the filter (from arguments, or by asking) and redraws; returns the rows. */
  async setFilter(filter?: TimelineFilter): Promise<TimelineNode[]> {
    const next = filter ?? (await askFilter(this.filter, this.data));
    if (!next) return this.nodes;
    this.filter = next;
    if (this.data) this.nodes = timelineNodes(this.data, this.filter);
    if (this.view) this.view.description = describeFilter(this.filter) || undefined;
    this.changed.fire(undefined);
    return this.nodes;
  }

  getTreeItem(node: TimelineNode): vscode.TreeItem {
    switch (node.kind) {
      case 'hour': {
        const annotated = node.children.filter((child) => child.kind === 'annotation').length;
        const item = new vscode.TreeItem(node.label, annotated > 0 || this.nodes.length <= 3 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
        item.description = `${annotated} annotated, ${node.children.length - annotated} findings`;
        item.iconPath = new vscode.ThemeIcon('clock');
        return item;
      }
      case 'unplaced': {
        const item = new vscode.TreeItem('Not placed', vscode.TreeItemCollapsibleState.Expanded);
        item.description = 'lost anchors and logs not open';
        item.iconPath = new vscode.ThemeIcon('question');
        return item;
      }
      case 'annotation':
        return annotationItem(node.annotation);
      case 'finding':
        return findingItem(node.finding);
      case 'message':
        return new vscode.TreeItem(node.text);
    }
  }

  getChildren(node?: TimelineNode): TimelineNode[] {
    if (!node) {
      if (!this.data) this.schedule(0);
      return this.nodes;
    }
    return node.kind === 'hour' || node.kind === 'unplaced' ? node.children : [];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** What the timeline is built from: "4 logs (3 found in the workspace; 2 left out: a.db: binary, …)". */
export function describeLogs(data: TimelineResult | undefined): string | undefined {
  const logs = data?.logs;
  if (!logs) return undefined;
  const left = logs.skippedCount > 0 ? `; ${logs.skippedCount} left out: ${logs.skipped.slice(0, 3).map((file) => `${file.path.split(/[\\/]/).pop()}: ${file.reason}`).join(', ')}${logs.skippedCount > 3 ? ', …' : ''}` : '';
  return `${logs.held} log${logs.held === 1 ? '' : 's'} (${logs.found} found in the workspace${left})`;
}
