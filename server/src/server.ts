import { availableParallelism } from 'os';
import * as path from 'path';
import { Connection, DidChangeConfigurationNotification, ErrorCodes, InitializeResult, ResponseError, TextDocumentSyncKind, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ClientSettings } from './clientSettings';
import { IdentityStore } from './identityStore';
import { nodeFileSystem } from './files/fileSystem';
import { relativePathOf } from './folders';
import { CHANGE_DEBOUNCE_MS, LogCoordinator, ReadProgress } from './logs/coordinator';
import { CloseLargeLogNotification, CorrelateRequest, FindingsRequest, InitializationOptions, OpenLargeLogNotification, ReportRequest, TimelineRequest, TraceMessageRequest, TriageRequest, ViewChoicesRequest, ViewRequest, VisibleRangesNotification, WorkspaceTrustedNotification } from './protocol';
import { RuleState } from './ruleState';
import { LogRequests, SERVER_COMMANDS } from './logRequests';
import { SEMANTIC_LEGEND } from './toLsp/semanticTokens';
import { PartialAnswers } from './partialAnswers';
import { diagnosticsFor } from './toLsp/diagnostics';
import { WorkspaceIndex } from './workspaceIndex';
import { filePathOf } from './logs/logUris';
import { watchWorkspaceState } from './files/stateWatcher';
import { DISABLED_RULES_FILE } from './files/disabledRulesFile';
import { machineZone } from './logs/timeSettings';

/** How long to wait after a rule file changes before reloading the rules. */
const RULE_RELOAD_DEBOUNCE_MS = 300;

/**
 * Lets requests be answered between two steps of a long piece of work. The LSP connection hands
 * a message to its handler, and a response to the pipe, each from a `setImmediate` of its own:
 * resumed from one `setImmediate`, the work would run its next step in front of each of those
 * hops. Resumed from a second one, queued behind them, it lets a request's hops run in a row.
 */
function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/**
 * Work done between two chances for requests at the end of a long read (placing lines in time,
 * findings). A request waits for a slice or two: with 20 ms slices, hovers asked while a 1 M-line
 * log's result was worked out waited 65-90 ms; with 4 ms, 30-45, and the read took no longer.
 */
const REQUEST_SLICE_MS = 4;

function schedule(task: () => void, ms: number): () => void {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
}

/** The line ranges a client sent, those it got wrong left out. */
function visibleLines(ranges: unknown): { start: number; end: number }[] {
  if (!Array.isArray(ranges)) return [];
  return ranges.flatMap((range: unknown) => {
    const { start, end } = (range ?? {}) as { start?: unknown; end?: unknown };
    return typeof start === 'number' && typeof end === 'number' && Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start ? [{ start, end }] : [];
  });
}

/**
 * Wires the Log Forensics language features onto an LSP connection: capabilities, and one line
 * per message. Logs are held and read by the `LogCoordinator`, the workspace's logs found by the
 * `WorkspaceIndex`, requests answered by `LogRequests`.
 */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settings = new ClientSettings(connection);
  const rules = new RuleState();
  let folders: string[] = [];
  let trusted = false;
  let clientCommands = false;
  let clientWatchesFiles = false;
  let indexed = false;
  const refreshes = { tokens: false, folding: false };
  const partialAnswers = new PartialAnswers((kind) => {
    if (!refreshes[kind]) return;
    const asked = kind === 'tokens' ? connection.languages.semanticTokens.refresh() : connection.languages.foldingRange.refresh();
    asked.catch(() => undefined);
  });

  const startProgress = async (title: string): Promise<ReadProgress | undefined> => {
    const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
    progress?.begin(title, 0, undefined, true);
    return progress && { report: (percent, message) => progress.report(percent, message), cancelled: () => progress.token.isCancellationRequested, done: () => progress.done() };
  };
  const logs = new LogCoordinator({
    fs: nodeFileSystem,
    now: () => Date.now(),
    schedule,
    yieldToRequests,
    sliceMs: REQUEST_SLICE_MS,
    jobs: Math.min(2, availableParallelism()),
    rules: () => rules.current,
    settingsFor: (uri) => settings.for(uri),
    relativePath: (uri) => relativePathOf(uri, folders),
    suppressionsFor: (uri) => rules.suppressionsFor(uri),
    publish: (uri, log, provisional) => {
      partialAnswers.published(uri, log);
      return connection.sendDiagnostics({ uri, ...(log && log.version >= 0 ? { version: log.version } : {}), diagnostics: log ? diagnosticsFor(log, rules.current.catalogue.byId, provisional) : [] });
    },
    startProgress,
    warn: (message) => void connection.window.showWarningMessage(`Log Forensics: ${message}`),
  });
  const index = new WorkspaceIndex({ logs, fs: nodeFileSystem, folders: () => folders, section: () => settings.section(), startProgress, log: (message) => connection.console.info(message), schedule });
  const requests = new LogRequests({ clientCommands: () => clientCommands, rulesChanged: () => scheduleReload(0), logs, identities: new IdentityStore(logs, (message) => connection.console.warn(message)), rules, settings, folders: () => folders, index, partialAnswers });

  /** Re-reads every rule source and brings every log up to date with the rules and settings. */
  async function reload(): Promise<void> {
    const change = rules.reload(await settings.section(), folders, trusted);
    for (const notice of change.notices) {
      connection.console.warn(notice);
      if (/not trusted/.test(notice) || notice.includes(DISABLED_RULES_FILE)) void connection.window.showWarningMessage(`Log Forensics: ${notice}`);
    }
    for (const published of change.diagnostics) await connection.sendDiagnostics(published);
    logs.reanalyse();
    if (!indexed) void index.rescan();
    indexed = true;
  }
  let cancelReload: (() => void) | undefined;
  const scheduleReload = (delay: number) => {
    cancelReload?.();
    cancelReload = schedule(() => void reload().catch((error: unknown) => connection.console.error(`Reloading rules failed: ${String(error)}`)), delay);
  };

  connection.onInitialize((params): InitializeResult => {
    settings.canAsk = params.capabilities.workspace?.configuration === true;
    const options = (params.initializationOptions ?? {}) as InitializationOptions & { settings?: unknown };
    settings.push(options.settings);
    // Only a client that says so runs workspace rule files: one that sends no options is untrusted.
    trusted = options.trusted === true;
    clientCommands = options.clientCommands === true;
    clientWatchesFiles = params.capabilities.workspace?.didChangeWatchedFiles !== undefined;
    refreshes.tokens = params.capabilities.workspace?.semanticTokens?.refreshSupport === true;
    refreshes.folding = params.capabilities.workspace?.foldingRange?.refreshSupport === true;
    const uris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    folders = uris.map((uri) => URI.parse(uri)).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        definitionProvider: true,
        codeActionProvider: true,
        foldingRangeProvider: true,
        executeCommandProvider: { commands: [...SERVER_COMMANDS] },
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: 'log-forensics', version: '0.1.0' },
    };
  });
  connection.onInitialized(() => {
    if (settings.canAsk) connection.client.register(DidChangeConfigurationNotification.type, { section: 'logForensics' }).catch(() => undefined);
    // A client that watches no files would miss a hand-edited rule state: the server watches it itself.
    if (!clientWatchesFiles) connection.onShutdown(watchWorkspaceState(folders, () => scheduleReload(RULE_RELOAD_DEBOUNCE_MS)));
    scheduleReload(0);
  });
  connection.onDidChangeConfiguration((params) => {
    settings.push(params?.settings);
    // The next request answers with the new settings (a host offset just stored by "Align…").
    logs.invalidate();
    scheduleReload(0);
  });
  connection.onDidChangeWatchedFiles((params) => {
    const files = (params?.changes ?? []).map((change) => filePathOf(change.uri) ?? '').filter((file) => file !== '');
    if (files.some((file) => file.includes(`${path.sep}.log-forensics${path.sep}`))) scheduleReload(RULE_RELOAD_DEBOUNCE_MS);
    index.filesChanged(files.filter((file) => !file.includes(`${path.sep}.log-forensics${path.sep}`)));
  });
  connection.onNotification(OpenLargeLogNotification, (params) => {
    const file = filePathOf(params?.uri ?? '');
    if (file !== undefined && !documents.get(params.uri)) void logs.holdFile(params.uri, file, 'large');
  });
  connection.onNotification(CloseLargeLogNotification, (params) => logs.release(params?.uri ?? '', 'large'));
  connection.onNotification(VisibleRangesNotification, (params) => logs.showLines(params?.uri ?? '', visibleLines(params?.ranges)));
  connection.onNotification(WorkspaceTrustedNotification, () => {
    trusted = true;
    scheduleReload(0);
  });

  const onRuleText = (document: TextDocument, text: string | undefined) => {
    rules.liveText(document.uri, text);
    scheduleReload(text === undefined ? 0 : RULE_RELOAD_DEBOUNCE_MS);
  };
  documents.onDidOpen(({ document }) => (rules.isRuleDocument(document.uri) ? onRuleText(document, document.getText()) : logs.document(document.uri, document.version, () => document.getText())));
  documents.onDidChangeContent(({ document }) => (rules.isRuleDocument(document.uri) ? onRuleText(document, document.getText()) : logs.document(document.uri, document.version, () => document.getText(), CHANGE_DEBOUNCE_MS)));
  documents.onDidClose(({ document }) => {
    if (rules.isRuleDocument(document.uri)) return onRuleText(document, undefined);
    settings.forget(document.uri);
    logs.closeDocument(document.uri);
  });

  /**
   * Wraps a request handler so that an unexpected exception is logged with its stack and
   * answered as an LSP error naming the request; the server keeps serving.
   */
  function guarded<P, R>(method: string, handler: (params: P) => Promise<R>): (params: P) => Promise<R> {
    return async (params) => {
      try {
        if (params === null || params === undefined) throw new ResponseError(ErrorCodes.InvalidParams, `${method} needs parameters.`);
        return await handler(params);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        connection.console.error(`${method} failed: ${(error as Error)?.stack ?? String(error)}`);
        throw new ResponseError(ErrorCodes.InternalError, `${method} failed: ${(error as Error)?.message ?? String(error)}`);
      }
    };
  }

  connection.onHover(guarded('textDocument/hover', (params) => requests.hover(params)));
  connection.onCodeAction(guarded('textDocument/codeAction', (params) => requests.codeActions(params)));
  connection.languages.semanticTokens.on(guarded('textDocument/semanticTokens/full', (params) => requests.semanticTokens(params)));
  connection.onExecuteCommand(guarded('workspace/executeCommand', (params) => requests.executeCommand(params)));
  connection.onFoldingRanges(guarded('textDocument/foldingRange', (params) => requests.foldingRanges(params)));
  connection.onReferences(guarded('textDocument/references', (params) => requests.references(params)));
  connection.onDocumentHighlight(guarded('textDocument/documentHighlight', (params) => requests.highlights(params)));
  connection.onDefinition(guarded('textDocument/definition', (params) => requests.definition(params)));
  connection.onRequest(CorrelateRequest, guarded('logForensics/correlate', (params) => requests.correlate(params)));
  connection.onRequest(FindingsRequest, guarded('logForensics/findings', (params) => requests.findings(params)));
  connection.onRequest(TraceMessageRequest, guarded('logForensics/traceMessage', (params) => requests.traceMessage(params)));
  connection.onRequest(TimelineRequest, guarded('logForensics/timeline', (params) => requests.timeline(params)));
  connection.onRequest(ViewRequest, guarded('logForensics/view', (params) => requests.view(params)));
  connection.onRequest(ViewChoicesRequest, guarded('logForensics/viewChoices', (params) => requests.viewChoices(params)));
  connection.onRequest(TriageRequest, guarded('logForensics/triage', (params) => requests.triage(params)));
  connection.onRequest(ReportRequest, guarded('logForensics/report', (params) => requests.report(params)));

  documents.listen(connection);
  connection.listen();
  // The first look at the machine's zone loads the time zone data (25 ms on a slow machine): taken
  // now, not in the first publication of the first log opened, where a hover would wait for it.
  setImmediate(() => machineZone());
}
