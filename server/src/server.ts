import { availableParallelism } from 'os';
import {
  CodeActionParams,
  Connection,
  DefinitionParams,
  DocumentHighlightParams,
  ReferenceParams,
  Diagnostic,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ErrorCodes,
  HoverParams,
  InitializeResult,
  ResponseError,
  SemanticTokensParams,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { RuleProblem } from './analysis/rules/types';
import { CompiledFileCache } from './analysis/rules/catalogue';
import { SuppressionSet } from './analysis/rules/suppress';
import { RuleSet, isWorkspaceRuleFile, loadRuleSet } from './ruleSet';
import { entriesAround } from './analysis/correlate/around';
import { LogStore } from './logStore';
import { CorrelateParams, CorrelateRequest, InitializationOptions, TraceMessageParams, TraceMessageRequest, WorkspaceTrustedNotification, FindingsParams, FindingsRequest, OpenLargeLogNotification, CloseLargeLogNotification, LargeLogParams } from './protocol';
import { IdentityStore } from './identityStore';
import { readLogFile } from './cli/readLog';
import { DiskLogs } from './diskLogs';
import { FIRST_CHUNK_BYTES, plainLogStat } from './files/logFileScan';
import { DEFAULT_SCAN_LIMITS, WorkspaceLogFile, filePathOf, isLogFileName, logUriOf, scanWorkspaceLogs } from './workspaceLogs';
import { traceMessage } from './analysis/identity/trace';
import { definitionAt, highlightsAt, referencesAt, traceResponse } from './toLsp/identity';
import { DEFAULT_SETTINGS, LogForensicsSettings, cleanRuleSettings, cleanSettings } from './settings';
import { diagnosticsFor, findingsPage } from './toLsp/diagnostics';
import { hoverFor } from './toLsp/hover';
import { codeActionsFor } from './toLsp/codeActions';
import { timeActionsFor } from './toLsp/timeActions';
import { SEMANTIC_LEGEND, semanticTokensFor } from './toLsp/semanticTokens';
import { correlateResponse } from './toLsp/correlate';
import { ReportParams, ReportRequest, TimelineParams, TimelineRequest } from './protocol';
import { timelineResponse } from './toLsp/timeline';
import { folderAnnotations, readWorkspaceAnnotations, workspaceExport, workspacePathOf } from './workspaceExport';

/** How long to wait after the last edit before re-analysing a document. */
const CHANGE_DEBOUNCE_MS = 250;
/** How long to wait after a rule file changes before reloading the rules. */
const RULE_RELOAD_DEBOUNCE_MS = 300;

/** A rule-file problem as a diagnostic on the rule file. */
function ruleProblemDiagnostic(problem: RuleProblem): Diagnostic {
  const at = { line: problem.line, character: problem.column };
  // Rules skipped on purpose (a Sigma rule for another product) are hints: visible in the file,
  // not thousands of rows in the Problems panel for a full Sigma checkout.
  const severity = problem.severity === 'warning' ? DiagnosticSeverity.Warning : problem.severity === 'information' || problem.severity === 'hint' ? DiagnosticSeverity.Hint : DiagnosticSeverity.Error;
  return { range: { start: at, end: at }, severity, source: 'log-forensics', code: 'rule-file', message: problem.message };
}

/** A log's path relative to the workspace folder holding it (`/`-separated), for file-glob settings. */
function relativePathOf(uri: string, folders: string[]): string | undefined {
  const file = filePathOf(uri);
  if (file === undefined) return undefined;
  const folder = folders.find((candidate) => file.startsWith(candidate + path.sep));
  return folder ? path.relative(folder, file).split(path.sep).join('/') : undefined;
}

/** The suppressions that apply to a log: those of the workspace folder holding it, by relative path. */
function suppressionLookup(uri: string, folders: string[], suppressions: Map<string, SuppressionSet>): { set: SuppressionSet; file: string } | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') return undefined;
  const folder = folders.find((candidate) => parsed.fsPath.startsWith(candidate + path.sep));
  const set = folder ? suppressions.get(folder) : undefined;
  return folder && set ? { set, file: path.relative(folder, parsed.fsPath).split(path.sep).join('/') } : undefined;
}

/** Wires the Log Forensics language features onto an LSP connection. */
/** The characters of a large document analysed first, as for a log read from disk: its first screens' findings come at once. */
const FIRST_LINES_CHARS = FIRST_CHUNK_BYTES;
/** How much of a large document is read between two chances for requests to be answered. */
const STEP_CHARS = 1024 * 1024;

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const settingsCache = new Map<string, Promise<LogForensicsSettings>>();
  const pending = new Map<string, NodeJS.Timeout>();
  let canAskConfiguration = false;
  let workspaceFolders: string[] = [];
  let trusted = true;
  const liveRuleTexts = new Map<string, string>();
  const shownNotices = new Set<string>();
  const compiledRules: CompiledFileCache = new Map();
  let ruleSet: RuleSet = loadRuleSet({ workspaceFolders, settings: cleanRuleSettings({}), trusted: false, liveTexts: liveRuleTexts, compiled: compiledRules });
  const store = new LogStore(ruleSet.matcher);
  const identities = new IdentityStore(store, (message) => connection.console.warn(message));
  let ruleFilesWithProblems = new Set<string>();
  let reloadTimer: NodeJS.Timeout | undefined;
  let workspaceIndexed = false;
  let rescanTimer: NodeJS.Timeout | undefined;
  const changedLogs = new Set<string>();

  /** Whether a document is a rule file (validated as rules, never analysed as a log). */
  function isRuleDocument(uri: string): boolean {
    const parsed = URI.parse(uri);
    if (parsed.scheme !== 'file') return false;
    return isWorkspaceRuleFile(parsed.fsPath) || ruleSet.problems.has(parsed.fsPath);
  }

  /** Re-reads every rule source, re-analyses the open logs and publishes rule-file problems. */
  async function reloadRules(): Promise<void> {
    const raw: unknown = canAskConfiguration ? await connection.workspace.getConfiguration({ section: 'logForensics' }).then((value: unknown) => value ?? {}, () => ({})) : {};
    ruleSet = loadRuleSet({ workspaceFolders, settings: cleanRuleSettings(raw), trusted, liveTexts: liveRuleTexts, compiled: compiledRules });
    store.setMatcher(ruleSet.matcher);
    store.invalidate();
    store.setSuppressions((uri) => suppressionLookup(uri, workspaceFolders, ruleSet.suppressions));
    for (const notice of ruleSet.notices) {
      if (shownNotices.has(notice)) continue;
      shownNotices.add(notice);
      connection.console.warn(notice);
      if (/not trusted/.test(notice)) void connection.window.showWarningMessage(`Log Forensics: ${notice}`);
    }
    const withProblems = new Set<string>();
    for (const [file, problems] of ruleSet.problems) {
      if (problems.length > 0) withProblems.add(file);
      await connection.sendDiagnostics({ uri: URI.file(file).toString(), diagnostics: problems.map(ruleProblemDiagnostic) });
    }
    for (const file of ruleFilesWithProblems) {
      if (!ruleSet.problems.has(file)) await connection.sendDiagnostics({ uri: URI.file(file).toString(), diagnostics: [] });
    }
    ruleFilesWithProblems = withProblems;
    for (const document of documents.all()) if (!isRuleDocument(document.uri)) schedule(document, 0);
    scheduleIndex(workspaceIndexed ? 'reanalyse' : 'all');
    workspaceIndexed = true;
    // Large logs an editor shows from outside the workspace; the workspace's own come with the index.
    for (const uri of diskLogs.uris()) if (!workspaceLogs.has(uri)) void diskLogs.refresh(uri);
  }

  /** Logs of the workspace folders read from disk (open or not), by URI. */
  const workspaceLogs = new Map<string, WorkspaceLogFile>();
  let indexing: Promise<void> = Promise.resolve();

  /** Logs too large for VS Code to sync, read from disk while an editor shows them. */
  const diskLogs = new DiskLogs({
    store,
    matcher: () => ruleSet.matcher,
    recipe: () => ruleSet.recipe,
    jobs: Math.min(2, availableParallelism()),
    settingsFor,
    relativePath: (uri) => relativePathOf(uri, workspaceFolders),
    publish: (log) => connection.sendDiagnostics({ uri: log.uri, diagnostics: diagnosticsFor(log) }),
    isSynced: (uri) => documents.get(uri) !== undefined,
    startProgress: async (title) => {
      const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin(title, 0, undefined, true);
      return progress;
    },
    warn: (message) => void connection.window.showWarningMessage(`Log Forensics: ${message}`),
  });

  /** Analyses one log read from disk (unless an editor holds it) and publishes its findings. */
  async function analyzeWorkspaceLog(uri: string): Promise<void> {
    const file = workspaceLogs.get(uri);
    if (!file || documents.get(uri)) return;
    // A plain log is read from disk in chunks, and read on when it grows.
    if (file.text === undefined) return diskLogs.open(uri, file.path, 'workspace');
    const log = store.analyze(uri, -1, file.text, await settingsFor(uri), relativePathOf(uri, workspaceFolders), { ms: file.mtimeMs, fromGzip: file.compressed });
    await connection.sendDiagnostics({ uri, diagnostics: diagnosticsFor(log) });
  }

  /** Forgets a log that left the workspace index, unless an editor still holds it. */
  async function dropWorkspaceLog(uri: string): Promise<void> {
    workspaceLogs.delete(uri);
    diskLogs.close(uri, 'workspace');
    if (documents.get(uri) || diskLogs.has(uri)) return;
    store.delete(uri);
    await connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /**
   * Keeps the workspace's logs (plain, rotated, gzip) read from disk, so correlation and identity
   * see every log of the incident, not only the open ones. `all` scans the folders again (with
   * progress); `reanalyse` reads nothing and analyses what was read before (new rules or
   * settings); a list of paths re-reads just those files (the watcher saw them change).
   */
  async function indexWorkspace(scope: 'all' | 'reanalyse' | string[]): Promise<void> {
    let touched: string[];
    if (scope === 'all') {
      const raw = (canAskConfiguration ? await connection.workspace.getConfiguration({ section: 'logForensics' }).then((value: unknown) => value ?? {}, () => ({})) : {}) as { workspace?: { index?: unknown; maxMiB?: unknown } };
      const maxMiB = Number(raw.workspace?.maxMiB);
      const notes: string[] = [];
      const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
      progress?.begin('Log Forensics: reading the workspace logs', 0, undefined, false);
      const limits = { ...DEFAULT_SCAN_LIMITS, ...(Number.isFinite(maxMiB) && maxMiB > 0 ? { maxBytes: maxMiB * 1024 * 1024 } : {}) };
      const files = raw.workspace?.index !== false ? scanWorkspaceLogs(workspaceFolders, limits, notes, (done, file) => progress?.report(`${done} read: ${path.basename(file)}`)) : [];
      progress?.done();
      for (const note of notes) connection.console.warn(note);
      const found = new Set(files.map((file) => file.uri));
      for (const uri of [...workspaceLogs.keys()]) if (!found.has(uri)) await dropWorkspaceLog(uri);
      for (const file of files) workspaceLogs.set(file.uri, file);
      touched = [...found];
    } else if (scope === 'reanalyse') {
      touched = [...workspaceLogs.keys()];
    } else {
      touched = [];
      for (const file of scope) {
        const uri = logUriOf(file);
        if (!workspaceLogs.has(uri) && !relativePathOf(uri, workspaceFolders)) continue;
        try {
          const plain = plainLogStat(file);
          if (plain) {
            workspaceLogs.set(uri, { uri, path: file, mtimeMs: plain.mtimeMs, compressed: false });
          } else {
            const content = readLogFile(file);
            workspaceLogs.set(uri, { uri, path: file, text: content.text, mtimeMs: content.mtimeMs, compressed: content.compressed });
          }
          touched.push(uri);
        } catch {
          // Deleted, or no longer readable: it leaves the incident.
          await dropWorkspaceLog(uri);
        }
      }
    }
    for (const uri of touched) {
      await analyzeWorkspaceLog(uri);
      // Let requests in between files: a large workspace must not freeze hovers.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function scheduleIndex(scope: 'all' | 'reanalyse' | string[]): void {
    indexing = indexing
      .then(() => indexWorkspace(scope))
      .catch((error: unknown) => connection.console.error(`Reading the workspace logs failed: ${String(error)}`));
  }

  function scheduleReload(delay: number): void {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(() => {
      reloadRules().catch((error: unknown) => connection.console.error(`Reloading rules failed: ${String(error)}`));
    }, delay);
  }

  function settingsFor(uri: string): Promise<LogForensicsSettings> {
    if (!canAskConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = connection.workspace
        .getConfiguration({ scopeUri: uri, section: 'logForensics' })
        .then(cleanSettings, () => DEFAULT_SETTINGS);
      settingsCache.set(uri, settings);
    }
    return settings;
  }

  async function analyze(document: TextDocument): Promise<void> {
    let settings = await settingsFor(document.uri);
    if (documents.get(document.uri)?.version !== document.version) return;
    const text = document.getText();
    if (text.length > FIRST_LINES_CHARS * 4 && !store.get(document.uri)) {
      // A large log just opened: the findings of its first lines (where the editor shows it) now,
      // the rest once read; the second analysis reads on from the first.
      const early = store.analyze(document.uri, Number.NaN, text, settings, relativePathOf(document.uri, workspaceFolders), undefined, FIRST_LINES_CHARS);
      await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: diagnosticsFor(early) });
      // The rest a step at a time, answering requests in between.
      for (let upTo = FIRST_LINES_CHARS + STEP_CHARS; ; upTo += STEP_CHARS) {
        await new Promise((resolve) => setImmediate(resolve));
        if (documents.get(document.uri)?.version !== document.version) return;
        if (upTo >= text.length) break;
        store.advance(document.uri, text, upTo);
      }
      // The settings may have changed while it was read: the result takes the current ones.
      settings = await settingsFor(document.uri);
      if (documents.get(document.uri)?.version !== document.version) return;
    }
    const log = store.analyze(document.uri, document.version, text, settings, relativePathOf(document.uri, workspaceFolders));
    await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: diagnosticsFor(log) });
  }

  function schedule(document: TextDocument, delay: number): void {
    clearTimeout(pending.get(document.uri));
    pending.set(
      document.uri,
      setTimeout(() => {
        pending.delete(document.uri);
        analyze(document).catch((error: unknown) => connection.console.error(`Analysis of ${document.uri} failed: ${String(error)}`));
      }, delay),
    );
  }

  /** Returns the analysis of a document, running it now if an edit is still waiting. */
  async function current(uri: string) {
    const document = documents.get(uri);
    if (!document) return isRuleDocument(uri) ? undefined : store.get(uri);
    if (isRuleDocument(uri)) return undefined;
    const stored = store.get(uri);
    if (stored && stored.version === document.version) return stored;
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    const settings = await settingsFor(uri);
    const fresh = store.get(uri);
    if (fresh && fresh.version === document.version) return fresh;
    const log = store.analyze(uri, document.version, document.getText(), settings, relativePathOf(uri, workspaceFolders));
    // This analysis replaces the scheduled one, so it must publish what that one would have.
    connection.sendDiagnostics({ uri, version: document.version, diagnostics: diagnosticsFor(log) }).catch(() => undefined);
    return log;
  }

  connection.onInitialize((params): InitializeResult => {
    canAskConfiguration = params.capabilities.workspace?.configuration === true;
    const options = (params.initializationOptions ?? {}) as InitializationOptions;
    // Only a client that says so runs workspace rule files: one that sends no options is untrusted.
    trusted = options.trusted === true;
    const folders = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspaceFolders = folders.map((uri) => URI.parse(uri)).filter((uri) => uri.scheme === 'file').map((uri) => uri.fsPath);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        definitionProvider: true,
        codeActionProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true },
      },
      serverInfo: { name: 'log-forensics', version: '0.1.0' },
    };
  });

  connection.onInitialized(() => {
    if (canAskConfiguration) {
      connection.client.register(DidChangeConfigurationNotification.type, { section: 'logForensics' }).catch(() => undefined);
    }
    scheduleReload(0);
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    // Answer the next request with the new settings (a host offset just stored by "Align…"); the
    // reload that follows comes a tick later.
    store.invalidate();
    scheduleReload(0);
  });

  connection.onDidChangeWatchedFiles((params) => {
    const paths = params.changes.map((change) => filePathOf(change.uri) ?? '');
    if (paths.some((file) => file.includes(`${path.sep}.log-forensics${path.sep}`))) scheduleReload(RULE_RELOAD_DEBOUNCE_MS);
    // Re-read only the logs that changed, once the burst of events of a copy or rotation settles.
    for (const file of paths) if (isLogFileName(path.basename(file)) || diskLogs.has(URI.file(file).toString())) changedLogs.add(file);
    if (changedLogs.size > 0) {
      clearTimeout(rescanTimer);
      rescanTimer = setTimeout(() => {
        // A large log an editor shows from outside the workspace is read on here; the workspace's
        // logs through the index (read on from where they were when they only grew).
        for (const file of changedLogs) {
          const uri = URI.file(file).toString();
          if (diskLogs.has(uri) && !workspaceLogs.has(uri)) void diskLogs.refresh(uri);
        }
        scheduleIndex([...changedLogs].filter((file) => !diskLogs.has(URI.file(file).toString()) || workspaceLogs.has(URI.file(file).toString())));
        changedLogs.clear();
      }, RULE_RELOAD_DEBOUNCE_MS);
    }
  });
  connection.onNotification(OpenLargeLogNotification, (params: LargeLogParams) => {
    const file = filePathOf(params.uri);
    if (file === undefined || documents.get(params.uri)) return;
    if (URI.parse(params.uri).scheme === 'file' && plainLogStat(file)) {
      void diskLogs.open(params.uri, file, 'editor');
      return;
    }
    // A compressed log cannot be read in place: decompressed in memory, within the reader's bound.
    void (async () => {
      try {
        const content = readLogFile(file);
        if (documents.get(params.uri)) return;
        const log = store.analyze(params.uri, -1, content.text, await settingsFor(params.uri), relativePathOf(params.uri, workspaceFolders), { ms: content.mtimeMs, fromGzip: content.compressed });
        await connection.sendDiagnostics({ uri: params.uri, diagnostics: diagnosticsFor(log) });
      } catch (error) {
        void connection.window.showWarningMessage(`Log Forensics: ${file} cannot be read (${(error as Error).message}).`);
      }
    })();
  });

  connection.onNotification(CloseLargeLogNotification, (params: LargeLogParams) => {
    diskLogs.close(params.uri, 'editor');
    if (workspaceLogs.has(params.uri) || documents.get(params.uri)) return;
    store.delete(params.uri);
    connection.sendDiagnostics({ uri: params.uri, diagnostics: [] }).catch(() => undefined);
  });

  connection.onNotification(WorkspaceTrustedNotification, () => {
    trusted = true;
    scheduleReload(0);
  });

  function onRuleDocument(document: TextDocument, closed: boolean): void {
    const file = URI.parse(document.uri).fsPath;
    if (closed) liveRuleTexts.delete(file);
    else liveRuleTexts.set(file, document.getText());
    scheduleReload(closed ? 0 : RULE_RELOAD_DEBOUNCE_MS);
  }

  documents.onDidOpen((event) => (isRuleDocument(event.document.uri) ? onRuleDocument(event.document, false) : schedule(event.document, 0)));
  documents.onDidChangeContent((event) => (isRuleDocument(event.document.uri) ? onRuleDocument(event.document, false) : schedule(event.document, CHANGE_DEBOUNCE_MS)));
  documents.onDidClose((event) => {
    if (isRuleDocument(event.document.uri)) {
      onRuleDocument(event.document, true);
      return;
    }
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    settingsCache.delete(event.document.uri);
    store.forgetText(event.document.uri);
    if (workspaceLogs.has(event.document.uri)) {
      // Still part of the incident on disk: go back to what the file says (already read).
      const uri = event.document.uri;
      indexing = indexing.then(() => analyzeWorkspaceLog(uri)).catch((error: unknown) => connection.console.error(`Analysing ${uri} failed: ${String(error)}`));
      return;
    }
    store.delete(event.document.uri);
    connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] }).catch(() => undefined);
  });

  /**
   * Wraps a request handler so that an unexpected exception is logged with its stack and
   * answered as an LSP error naming the request; the server keeps serving.
   */
  function guarded<P, R>(method: string, handler: (params: P) => Promise<R>): (params: P) => Promise<R> {
    return async (params) => {
      try {
        return await handler(params);
      } catch (error) {
        if (error instanceof ResponseError) throw error;
        connection.console.error(`${method} failed: ${(error as Error)?.stack ?? String(error)}`);
        throw new ResponseError(ErrorCodes.InternalError, `${method} failed: ${(error as Error)?.message ?? String(error)}`);
      }
    };
  }

  connection.onHover(guarded('textDocument/hover', async (params: HoverParams) => {
    const log = await current(params.textDocument.uri);
    return log ? hoverFor(log, params.position, ruleSet.catalogue.byId) : null;
  }));

  connection.onCodeAction(guarded('textDocument/codeAction', async (params: CodeActionParams) => {
    const log = await current(params.textDocument.uri);
    if (!log) return [];
    const others = documents.all().map((document) => store.get(document.uri)).filter((other): other is NonNullable<typeof other> => other !== undefined);
    return [...codeActionsFor(log, params.range.start.line, ruleSet.catalogue.byId, params.context.diagnostics), ...timeActionsFor(log, params.range.start.line, others)];
  }));

  connection.languages.semanticTokens.on(guarded('textDocument/semanticTokens/full', async (params: SemanticTokensParams) => {
    const log = await current(params.textDocument.uri);
    return log ? semanticTokensFor(log) : { data: [] };
  }));

  connection.onRequest(CorrelateRequest, guarded('logForensics/correlate', async (params: CorrelateParams) => {
    const log = await current(params.textDocument.uri);
    if (!log) throw new ResponseError(ErrorCodes.InvalidParams, `${params.textDocument.uri} is not an open log.`);
    const line = params.position.line;
    if (line < 0 || line >= log.parsed.lines.length) throw new ResponseError(ErrorCodes.InvalidParams, `Line ${line + 1} is outside the document.`);
    const entry = log.parsed.entryStart[line];
    const center = log.parsed.times[entry];
    if (Number.isNaN(center)) throw new ResponseError(ErrorCodes.InvalidParams, `Line ${line + 1} has no timestamp to correlate from.`);
    const settings = await settingsFor(params.textDocument.uri);
    const window = params.windowSeconds ?? settings.windowSeconds;
    if (!Number.isFinite(window) || window < 0) throw new ResponseError(ErrorCodes.InvalidParams, `windowSeconds must be a number of seconds ≥ 0, not ${String(params.windowSeconds)}.`);
    // Bring every open log up to date so the answer reflects what the user sees.
    await Promise.all(documents.all().map((document) => current(document.uri)));
    return correlateResponse(entriesAround(store.indexed(), center, window * 1000), center, window, (id) => store.get(id)?.parsed.zone ?? 'UTC');
  }));

  /** Brings every open log up to date and returns the identity index over them. */
  async function identityIndex() {
    await Promise.all(documents.all().map((document) => current(document.uri)));
    return identities.current();
  }

  connection.onReferences(guarded('textDocument/references', async (params: ReferenceParams) => {
    const index = await identityIndex();
    return referencesAt(index, params.textDocument.uri, params.position.line, params.position.character);
  }));

  connection.onDocumentHighlight(guarded('textDocument/documentHighlight', async (params: DocumentHighlightParams) => {
    const index = await identityIndex();
    return highlightsAt(index, params.textDocument.uri, params.position.line, params.position.character);
  }));

  connection.onDefinition(guarded('textDocument/definition', async (params: DefinitionParams) => {
    const index = await identityIndex();
    return definitionAt(index, params.textDocument.uri, params.position.line, params.position.character);
  }));

  connection.onRequest(FindingsRequest, guarded('logForensics/findings', async (params: FindingsParams) => {
    const log = await current(params.textDocument.uri);
    if (!log) throw new ResponseError(ErrorCodes.InvalidParams, `${params.textDocument.uri} is not a log the server has read.`);
    return findingsPage(log, params.offset, params.limit);
  }));

  connection.onRequest(TraceMessageRequest, guarded('logForensics/traceMessage', async (params: TraceMessageParams) => {
    const log = await current(params.textDocument.uri);
    if (!log) throw new ResponseError(ErrorCodes.InvalidParams, `${params.textDocument.uri} is not an open log.`);
    const line = params.position.line;
    if (line < 0 || line >= log.parsed.lines.length) throw new ResponseError(ErrorCodes.InvalidParams, `Line ${line + 1} is outside the document.`);
    const index = await identityIndex();
    return traceResponse(index, traceMessage(index, { logId: params.textDocument.uri, line }));
  }));

  // The incident timeline, the incident chart and the postmortem export (client/src/timelineView.ts, chartView.ts, exportReport.ts).
  connection.onRequest(TimelineRequest, guarded('logForensics/timeline', async (params: TimelineParams) => {
    await Promise.all(documents.all().map((document) => current(document.uri)));
    const logs = store.uris().flatMap((uri) => (documents.get(uri) ? [{ ...store.get(uri)!, file: workspacePathOf(workspaceFolders, uri) }] : []));
    const { folders, problems } = await readWorkspaceAnnotations(workspaceFolders);
    try {
      return timelineResponse(logs, folderAnnotations(folders), params, problems);
    } catch (error) {
      throw error instanceof RangeError ? new ResponseError(ErrorCodes.InvalidParams, error.message) : error;
    }
  }));

  connection.onRequest(ReportRequest, guarded('logForensics/report', async (params: ReportParams) => {
    if (!path.isAbsolute(params.reportFolder ?? '')) throw new ResponseError(ErrorCodes.InvalidParams, 'reportFolder must be an absolute path.');
    const openFiles = documents.all().map((d) => URI.parse(d.uri)).filter((uri) => uri.scheme === 'file' && !isRuleDocument(uri.toString())).map((uri) => uri.fsPath);
    const timeOf = (file: string) => settingsFor(URI.file(file).toString());
    return workspaceExport(params, { folders: workspaceFolders, openFiles, matcher: ruleSet.matcher, timeOf });
  }));

  documents.listen(connection);
  connection.listen();
}
