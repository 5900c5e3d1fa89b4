import {
  CodeActionParams,
  Connection,
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
import { Catalogue, buildCatalogue } from './analysis/rules/catalogue';
import { RuleMatcher } from './analysis/rules/matcher';
import { entriesAround } from './analysis/correlate/around';
import { LogStore } from './logStore';
import { CorrelateParams, CorrelateRequest } from './protocol';
import { DEFAULT_SETTINGS, LogForensicsSettings, cleanSettings } from './settings';
import { builtInRulesFolder, readRuleFolder } from './rulesOnDisk';
import { diagnosticsFor } from './toLsp/diagnostics';
import { hoverFor } from './toLsp/hover';
import { codeActionsFor } from './toLsp/codeActions';
import { SEMANTIC_LEGEND, semanticTokensFor } from './toLsp/semanticTokens';
import { correlateResponse } from './toLsp/correlate';

/** How long to wait after the last edit before re-analysing a document. */
const CHANGE_DEBOUNCE_MS = 250;

/** Loads the built-in catalogue; a broken rule file is logged, never fatal. */
export function loadBuiltInCatalogue(log: (message: string) => void): Catalogue {
  const folder = builtInRulesFolder();
  let sources: ReturnType<typeof readRuleFolder> = [];
  try {
    // The shipped catalogue is reviewed and tested: it may use the full regex syntax.
    sources = readRuleFolder(folder).map((source) => ({ ...source, engine: 'native' as const }));
  } catch (error) {
    log(`Built-in rules unavailable: ${(error as Error).message}`);
  }
  const catalogue = buildCatalogue(sources);
  for (const problem of catalogue.problems) log(`${problem.source}:${problem.line + 1}:${problem.column + 1}: ${problem.message}`);
  return catalogue;
}

/** Wires the Log Forensics language features onto an LSP connection. */
export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  const catalogue = loadBuiltInCatalogue((message) => connection.console.warn(message));
  const store = new LogStore(new RuleMatcher(catalogue.rules));
  const settingsCache = new Map<string, Promise<LogForensicsSettings>>();
  const pending = new Map<string, NodeJS.Timeout>();
  let canAskConfiguration = false;

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
    const settings = await settingsFor(document.uri);
    if (documents.get(document.uri)?.version !== document.version) return;
    const log = store.analyze(document.uri, document.version, document.getText(), settings);
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
    if (!document) return undefined;
    const stored = store.get(uri);
    if (stored && stored.version === document.version) return stored;
    clearTimeout(pending.get(uri));
    pending.delete(uri);
    return store.analyze(uri, document.version, document.getText(), await settingsFor(uri));
  }

  connection.onInitialize((params): InitializeResult => {
    canAskConfiguration = params.capabilities.workspace?.configuration === true;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
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
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    for (const document of documents.all()) schedule(document, 0);
  });

  documents.onDidOpen((event) => schedule(event.document, 0));
  documents.onDidChangeContent((event) => schedule(event.document, CHANGE_DEBOUNCE_MS));
  documents.onDidClose((event) => {
    clearTimeout(pending.get(event.document.uri));
    pending.delete(event.document.uri);
    store.delete(event.document.uri);
    settingsCache.delete(event.document.uri);
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
    return log ? hoverFor(log, params.position, catalogue.byId) : null;
  }));

  connection.onCodeAction(guarded('textDocument/codeAction', async (params: CodeActionParams) => {
    const log = await current(params.textDocument.uri);
    return log ? codeActionsFor(log, params.range.start.line) : [];
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
    return correlateResponse(entriesAround(store.indexed(), center, window * 1000), center, window);
  }));

  documents.listen(connection);
  connection.listen();
}
