import * as path from 'path';
import * as vscode from 'vscode';
import { CloseAction, ErrorAction, ErrorHandler, LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerShowAround } from './showAround';
import { registerQuickFixes } from './quickFixes';
import { registerTraceMessage } from './traceMessage';
import { registerTimeCommands } from './timeCommands';
import { registerNavigation } from './navigate';
import { watchLargeLogs } from './largeLogs';
import { diskBackedSync } from './diskBackedLogs';
import { watchVisibleRanges } from './visibleRanges';
import { registerContentLanguage } from './contentLanguage';
import { registerFocusedViews } from './focusedViews';
import { GZIP_SCHEME, registerCompressedLogs } from './compressedLogs';
import { WorkspaceTrustedNotification } from '../../server/src/protocol';
import { NODE_FLAGS } from '../../server/src/nodeFlags';
import { registerPostmortem, PostmortemApi } from './postmortem';
import { NotificationProgressFeature } from './readProgress';
import { registerSampleIncident } from './sampleIncident';

let client: LanguageClient | undefined;

/** The documents the server analyses as logs: our language, VS Code's built-in `log`, unpacked gzip logs. */
const LOG_DOCUMENTS = [{ language: 'log-forensics' }, { language: 'log' }, { scheme: GZIP_SCHEME }];

const isLogDocument = (document: vscode.TextDocument): boolean => vscode.languages.match(LOG_DOCUMENTS, document) > 0;

/**
 * The documents the server sees: the logs, and rule files of the workspace (validated live, never
 * analysed as logs).
 */
export const LOG_SELECTOR = [...LOG_DOCUMENTS, { scheme: 'file', pattern: '**/.log-forensics/rules/*.{yaml,yml,json}' }];

/** How many unexpected server exits within `RESTART_WINDOW_MS` are restarted before giving up. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60_000;

/**
 * Restarts the analysis server when it dies, a bounded number of times: a server that keeps
 * crashing on the same input must not spin. Annotations and settings live on disk, so nothing
 * the user wrote is lost either way.
 */
function boundedRestarts(): ErrorHandler {
  const exits: number[] = [];
  return {
    error: () => ({ action: ErrorAction.Continue }),
    closed: () => {
      const now = Date.now();
      exits.push(now);
      while (exits.length > 0 && exits[0] < now - RESTART_WINDOW_MS) exits.shift();
      if (exits.length > MAX_RESTARTS) {
        return {
          action: CloseAction.DoNotRestart,
          message: `Log Forensics: the analysis server stopped ${exits.length} times in 3 minutes and is not restarted again. Annotations and settings are safe on disk; reload the window to start it again, and see the "Log Forensics" output for the cause.`,
        };
      }
      return { action: CloseAction.Restart, handled: true };
    },
  };
}

/** Starts the language server and registers the commands; returns what tests may inspect. */
export async function activate(context: vscode.ExtensionContext): Promise<PostmortemApi> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: [...NODE_FLAGS, '--nolazy', '--inspect=6011'] } },
  };
  // The tab watcher starts with the client; documents the client opens before then are seen by its first look.
  const tabs: { watcher?: ReturnType<typeof watchLargeLogs> } = {};
  const diskBacked = diskBackedSync(() => client, isLogDocument, () => tabs.watcher?.update());
  context.subscriptions.push(diskBacked.watcher);
  const clientOptions: LanguageClientOptions = {
    documentSelector: LOG_SELECTOR,
    synchronize: {
      configurationSection: 'logForensics',
      fileEvents: [
        vscode.workspace.createFileSystemWatcher('**/.log-forensics/{rules/*.{yaml,yml,json},suppressions.json,disabled-rules.json}'),
        // Logs on disk: re-pulled, rotated or growing files keep the workspace index current.
        // Any file can be a log by its content, so the server, which knows, picks them out.
        vscode.workspace.createFileSystemWatcher('**/*'),
      ],
    },
    // This client runs the product's own commands (reveal, pick, settings); the server runs the rest.
    initializationOptions: { trusted: vscode.workspace.isTrusted, clientCommands: true },
    markdown: { isTrusted: false, supportHtml: false },
    errorHandler: boundedRestarts(),
    middleware: diskBacked.middleware,
  };
  client = new LanguageClient('logForensics', 'Log Forensics', serverOptions, clientOptions);
  client.registerFeature(new NotificationProgressFeature(client));
  context.subscriptions.push(registerShowAround(() => client), registerTraceMessage(() => client), registerTimeCommands(() => client), registerNavigation(() => client), registerCompressedLogs(), registerQuickFixes());
  context.subscriptions.push(registerContentLanguage(), registerFocusedViews(() => client), registerSampleIncident(context));
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      void client?.sendNotification(WorkspaceTrustedNotification);
    }),
  );
  const postmortem = registerPostmortem(context, () => client);
  await client.start();
  tabs.watcher = watchLargeLogs(() => client, diskBacked.isOnDisk);
  context.subscriptions.push(tabs.watcher, watchVisibleRanges(() => client, isLogDocument));
  return postmortem;
}

/** Stops the language server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
