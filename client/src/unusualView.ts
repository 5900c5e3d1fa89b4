import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { codeSpan, escapeText, shorten } from '../../server/src/analysis/annotate/markdown';
import { TriageGroupDto, TriageRequest, TriageResult } from '../../server/src/protocol';
import { DEFAULT_TOP, SEVERITIES, UnusualFilter, cleanUnusualFilter, describeUnusualFilter, visibleGroups } from './unusualFilter';

/** The view's id, beside the Incident Timeline in the Log Forensics container. */
export const UNUSUAL_VIEW = 'logForensics.unusual';
/** How long to wait after a change (an analysis, a closed log) before asking the server again. */
const REFRESH_DEBOUNCE_MS = 300;
/** A tooltip shows this much of a line: enough to read it, not a wall. */
const TOOLTIP_TEXT_CHARS = 500;

/** One row of What's Unusual. */
export type UnusualNode =
  | { kind: 'group'; group: TriageGroupDto }
  | { kind: 'reason'; text: string; group: TriageGroupDto }
  | { kind: 'message'; text: string };

const SEVERITY_ICON: Record<string, [string, string]> = {
  error: ['error', 'list.errorForeground'],
  warning: ['warning', 'list.warningForeground'],
  information: ['info', 'foreground'],
  hint: ['lightbulb', 'foreground'],
};

/** Builds the rows: the groups passing the filter, or one line saying why there are none. */
export function unusualNodes(data: TriageResult, filter: UnusualFilter): UnusualNode[] {
  const groups = visibleGroups(filter, data.groups);
  if (groups.length > 0) return groups.map((group) => ({ kind: 'group', group }));
  if (data.groups.length > 0) return [{ kind: 'message', text: 'Nothing matches the filter.' }];
  return [{ kind: 'message', text: data.logs > 0 ? 'Nothing stands out in the logs held.' : 'Open logs to see what is unusual in them.' }];
}

/** "12 of 41 groups over 3 logs": what the view shows out of what the server ranked. */
export function describeRanking(data: TriageResult | undefined, shown: number): string | undefined {
  if (!data) return undefined;
  const total = data.groups.length;
  const groups = shown === total ? `${total} group${total === 1 ? '' : 's'}` : `${shown} of ${total} groups`;
  return `${groups} over ${data.logs} log${data.logs === 1 ? '' : 's'}`;
}

function when(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC` : 'no time';
}

function revealCommand(group: TriageGroupDto): vscode.Command {
  return { command: 'logForensics.revealLine', title: 'Reveal', arguments: [group.uri, group.range.start.line] };
}

/** The reasons and the line's own text; log text only as inline code, the rest escaped. */
function groupTooltip(group: TriageGroupDto): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString(undefined, false);
  tooltip.isTrusted = false;
  tooltip.supportHtml = false;
  const kind = group.kind === 'rare' ? 'rare line' : group.severity;
  tooltip.appendMarkdown(`**${escapeText(group.title)}**  \n${escapeText(`${group.ruleId} · ${kind} · score ${group.score}`)}\n\n`);
  tooltip.appendMarkdown(group.reasons.map((reason) => `- ${escapeText(reason)}`).join('\n'));
  tooltip.appendMarkdown(`\n\n${escapeText(`${group.file}:${group.line}  ${when(group.time)}`)}  \n${codeSpan(shorten(group.text, TOOLTIP_TEXT_CHARS))}`);
  return tooltip;
}

function groupItem(group: TriageGroupDto): vscode.TreeItem {
  const item = new vscode.TreeItem(`${group.rank}. ${group.title} ×${group.count.toLocaleString('en-US')}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.description = `${group.file}:${group.line}  ${when(group.time)}`;
  const [icon, color] = group.kind === 'rare' ? ['telescope', 'charts.purple'] : (SEVERITY_ICON[group.severity] ?? SEVERITY_ICON.information);
  item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
  item.tooltip = groupTooltip(group);
  item.contextValue = group.kind === 'rare' ? 'unusualRare' : 'unusualFinding';
  item.command = revealCommand(group);
  return item;
}

/**
 * What's Unusual: the findings and rare lines of every log the server holds, grouped and ranked
 * by the server (`logForensics/triage`), most telling first, each with the reasons for its rank.
 * Asks again whenever an analysis changes, while the view is shown.
 */
export class UnusualProvider implements vscode.TreeDataProvider<UnusualNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<UnusualNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private data: TriageResult | undefined;
  private nodes: UnusualNode[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** A change came while the view was hidden: ask when it is shown. */
  private stale = false;
  /** Answers to earlier requests than this one are dropped: they arrived late. */
  private asked = 0;
  private readonly disposables: vscode.Disposable[] = [];
  filter: UnusualFilter = {};
  view: vscode.TreeView<UnusualNode> | undefined;

  constructor(private readonly getClient: () => LanguageClient | undefined) {
    this.disposables.push(
      this.changed,
      vscode.languages.onDidChangeDiagnostics(() => this.schedule()),
      vscode.workspace.onDidCloseTextDocument(() => this.schedule()),
    );
  }

  /** Shows the rows in a tree view, asking the server whenever the view comes back with news. */
  attach(view: vscode.TreeView<UnusualNode>): void {
    this.view = view;
    this.disposables.push(view.onDidChangeVisibility(({ visible }) => visible && this.stale && this.schedule(0)));
  }

  /** The rows as shown now, and the answer they came from (for tests). */
  get current(): { data: TriageResult | undefined; nodes: UnusualNode[] } {
    return { data: this.data, nodes: this.nodes };
  }

  schedule(delay = REFRESH_DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    if (this.view && !this.view.visible) {
      this.stale = true;
      return;
    }
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  /** Asks the server again and redraws; returns the rows. */
  async refresh(): Promise<UnusualNode[]> {
    const client = this.getClient();
    if (!client) return this.nodes;
    this.stale = false;
    const request = ++this.asked;
    try {
      const data = await client.sendRequest(TriageRequest, {});
      if (request !== this.asked) return this.nodes;
      this.data = data;
      this.nodes = unusualNodes(data, this.filter);
    } catch (error) {
      if (request !== this.asked) return this.nodes;
      this.nodes = [{ kind: 'message', text: `What is unusual could not be ranked: ${(error as Error).message}` }];
    }
    this.redraw();
    return this.nodes;
  }

  /** Sets the filter (from an argument, or by asking) and redraws; returns the rows. */
  async setFilter(filter?: UnusualFilter): Promise<UnusualNode[]> {
    const next = filter ?? (await askUnusualFilter(this.filter));
    if (!next) return this.nodes;
    this.filter = next;
    if (this.data) this.nodes = unusualNodes(this.data, this.filter);
    this.redraw();
    return this.nodes;
  }

  private redraw(): void {
    if (this.view) {
      this.view.description = describeUnusualFilter(this.filter) || undefined;
      this.view.message = describeRanking(this.data, this.nodes.filter((node) => node.kind === 'group').length);
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: UnusualNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group':
        return groupItem(node.group);
      case 'reason': {
        const item = new vscode.TreeItem(node.text);
        item.tooltip = node.text;
        item.command = revealCommand(node.group);
        return item;
      }
      case 'message':
        return new vscode.TreeItem(node.text);
    }
  }

  getChildren(node?: UnusualNode): UnusualNode[] {
    if (!node) {
      if (!this.data) this.schedule(0);
      return this.nodes;
    }
    return node.kind === 'group' ? node.group.reasons.map((text) => ({ kind: 'reason', text, group: node.group })) : [];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}

interface ChoiceItem extends vscode.QuickPickItem {
  apply: (filter: UnusualFilter) => UnusualFilter | Promise<UnusualFilter | undefined>;
}

/** Asks which filter to change and how; undefined when cancelled. */
export async function askUnusualFilter(current: UnusualFilter): Promise<UnusualFilter | undefined> {
  const choices: ChoiceItem[] = [
    { label: 'Kind', description: current.kind === 'rare' ? 'rare lines' : current.kind === 'finding' ? 'findings' : 'all', apply: askKind },
    { label: 'Minimum severity', description: current.minSeverity ?? 'any', apply: askSeverity },
    {
      label: current.hideBackground ? 'Show background' : 'Hide background',
      description: 'groups at a steady rate over their logs',
      apply: (filter) => ({ ...filter, hideBackground: !filter.hideBackground || undefined }),
    },
    { label: 'Number of groups', description: String(current.top ?? DEFAULT_TOP), apply: askTop },
    { label: '$(clear-all) Clear all filters', apply: () => ({}) },
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: "Filter What's Unusual", placeHolder: 'Filter by…' });
  return choice ? choice.apply(current) : undefined;
}

async function askKind(filter: UnusualFilter): Promise<UnusualFilter | undefined> {
  // Not `kind`: a quick pick item's `kind` says whether it is a separator.
  const kinds: (vscode.QuickPickItem & { groupKind?: TriageGroupDto['kind'] })[] = [
    { label: 'All', description: 'findings and rare lines' },
    { label: 'Findings', description: 'lines a rule flags', groupKind: 'finding' },
    { label: 'Rare lines', description: 'lines whose template a program seldom writes', groupKind: 'rare' },
  ];
  const picked = await vscode.window.showQuickPick(kinds, { title: 'Show which kind' });
  return picked && { ...filter, kind: picked.groupKind };
}

async function askSeverity(filter: UnusualFilter): Promise<UnusualFilter | undefined> {
  const levels: (vscode.QuickPickItem & { severity?: TriageGroupDto['severity'] })[] = [
    { label: 'Any' },
    ...SEVERITIES.filter((severity) => severity !== 'hint').map((severity) => ({ label: severity, description: `${severity} or worse`, severity })),
  ];
  const picked = await vscode.window.showQuickPick(levels, { title: 'Show groups at least this severe' });
  return picked && { ...filter, minSeverity: picked.severity };
}

async function askTop(filter: UnusualFilter): Promise<UnusualFilter | undefined> {
  const answer = await vscode.window.showInputBox({
    title: 'How many groups to list',
    value: String(filter.top ?? DEFAULT_TOP),
    validateInput: (text) => (/^[1-9]\d*$/.test(text.trim()) ? undefined : 'A whole number, 1 or more'),
  });
  return answer === undefined ? undefined : { ...filter, top: Number(answer.trim()) };
}

/** Registers the view and its commands; returns the provider (the extension's API shows it to tests). */
export function registerUnusualView(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): UnusualProvider {
  const unusual = new UnusualProvider(getClient);
  const view = vscode.window.createTreeView(UNUSUAL_VIEW, { treeDataProvider: unusual, showCollapseAll: true });
  unusual.attach(view);
  context.subscriptions.push(
    unusual,
    view,
    vscode.commands.registerCommand('logForensics.refreshUnusual', () => unusual.refresh()),
    vscode.commands.registerCommand('logForensics.filterUnusual', (filter?: unknown) => unusual.setFilter(cleanUnusualFilter(filter))),
  );
  return unusual;
}
