import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { AnnotateActionProvider, registerAnnotationCommands } from './annotations';
import { AnnotationMarks } from './annotationMarks';
import { AnnotationLenses } from './annotationLenses';
import { IncidentChart } from './chartView';
import { registerExportCommands } from './exportReport';
import { revealLine } from './pickEntry';
import { TimelineFilter } from './timelineFilter';
import { TIMELINE_VIEW, TimelineProvider } from './timelineView';
import { UnusualProvider, registerUnusualView } from './unusualView';
import { WorkspaceAnnotations } from './workspaceAnnotations';

/** What the extension returns from `activate`, so the end-to-end tests can see the views. */
export interface PostmortemApi {
  timeline: TimelineProvider;
  chart: IncidentChart;
  unusual: UnusualProvider;
}

/** The log languages the annotation code action is offered in. */
const LOG_LANGUAGES = [{ language: 'log-forensics', scheme: 'file' }, { language: 'log', scheme: 'file' }];

/**
 * Wires the postmortem features: annotations (commands, marks, code action), the incident
 * timeline view, What's Unusual, the incident chart and the exports.
 */
export function registerPostmortem(context: vscode.ExtensionContext, getClient: () => LanguageClient | undefined): PostmortemApi {
  const annotations = new WorkspaceAnnotations();
  const timeline = new TimelineProvider(getClient, annotations);
  const view = vscode.window.createTreeView(TIMELINE_VIEW, { treeDataProvider: timeline, showCollapseAll: true });
  timeline.view = view;
  const chart = new IncidentChart(context.extensionUri, getClient);
  const media = (name: string): vscode.Uri => vscode.Uri.joinPath(context.extensionUri, 'dist', 'media', name);
  context.subscriptions.push(
    annotations,
    timeline,
    view,
    chart,
    new AnnotationMarks(annotations, media),
    vscode.languages.registerCodeLensProvider(LOG_LANGUAGES, new AnnotationLenses(annotations)),
    registerAnnotationCommands(annotations, getClient),
    registerExportCommands(getClient),
    vscode.languages.registerCodeActionsProvider(LOG_LANGUAGES, new AnnotateActionProvider(), { providedCodeActionKinds: AnnotateActionProvider.kinds }),
    vscode.commands.registerCommand('logForensics.timeline.refresh', () => timeline.refresh()),
    vscode.commands.registerCommand('logForensics.timeline.filter', (filter?: TimelineFilter) => timeline.setFilter(filter && typeof filter === 'object' ? filter : undefined)),
    vscode.commands.registerCommand('logForensics.timeline.reveal', (uri: string, line: number) => revealLine({ uri, range: { start: { line, character: 0 } } })),
    vscode.commands.registerCommand('logForensics.showChart', () => chart.show()),
    annotations.onDidChange(() => void chart.update()),
  );
  return { timeline, chart, unusual: registerUnusualView(context, getClient) };
}
