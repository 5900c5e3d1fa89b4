import { ChildProcess, spawn } from 'child_process';
import {
  createMessageConnection,
  MessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
} from 'vscode-languageserver-protocol/node';
import {
  ConfigurationRequest,
  Diagnostic,
  InitializeRequest,
  InitializedNotification,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  DidOpenTextDocumentNotification,
  ShutdownRequest,
  ExitNotification,
  ServerCapabilities,
} from 'vscode-languageserver-protocol';
import { repoPath } from './paths';

/**
 * A real LSP client for tests: starts `dist/server.js --stdio` as any editor would and speaks
 * JSON-RPC to it. Settings asked for through `workspace/configuration` come from `settings`.
 */
export class TestClient {
  readonly connection: MessageConnection;
  private readonly process: ChildProcess;
  private readonly diagnostics = new Map<string, Diagnostic[]>();
  private readonly waiters: (() => void)[] = [];
  readonly stderr: string[] = [];
  /** Every publication of diagnostics, by URI, in the order they came. */
  readonly history = new Map<string, Diagnostic[][]>();
  /** Every `$/progress` notification, in the order they came. */
  readonly progress: { token: string | number; value: { kind: string; title?: string; message?: string; percentage?: number; cancellable?: boolean } }[] = [];
  /** Every `window/showMessage` and `window/showMessageRequest`, in the order they came. */
  readonly messages: string[] = [];
  settings: Record<string, unknown> = {};
  /** Every request to fetch kept answers again (`workspace/semanticTokens/refresh`, …), in the order they came. */
  readonly refreshes: string[] = [];
  /** What the server declared in its initialize result. */
  capabilities: ServerCapabilities = {};

  private constructor() {
    this.process = spawn(process.execPath, [repoPath('dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, params.diagnostics);
      this.history.set(params.uri, [...(this.history.get(params.uri) ?? []), params.diagnostics]);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => this.settings));
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', (params: { message: string }) => {
      this.messages.push(params.message);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.onRequest('window/showMessageRequest', (params: { message: string }) => {
      this.messages.push(params.message);
      for (const wake of this.waiters.splice(0)) wake();
      return null;
    });
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    for (const method of ['workspace/semanticTokens/refresh', 'workspace/foldingRange/refresh']) {
      this.connection.onRequest(method, () => {
        this.refreshes.push(method);
        for (const wake of this.waiters.splice(0)) wake();
        return null;
      });
    }
    this.connection.onNotification('$/progress', (params: TestClient['progress'][number]) => {
      this.progress.push(params);
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.connection.listen();
  }

  /** Starts a server and completes the initialize handshake. */
  static async start(settings: Record<string, unknown> = {}, workspace: { folders?: string[]; initializationOptions?: unknown; workDoneProgress?: boolean; refreshSupport?: boolean } = {}): Promise<TestClient> {
    const client = new TestClient();
    client.settings = settings;
    const initialized = await client.connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: workspace.folders?.map((uri, index) => ({ uri, name: `folder${index}` })) ?? null,
      // As the VS Code client does, unless a test speaks for another client (`initializationOptions` given, even undefined).
      initializationOptions: 'initializationOptions' in workspace ? workspace.initializationOptions : { clientCommands: true },
      capabilities: {
        workspace: { configuration: true, ...(workspace.refreshSupport ? { semanticTokens: { refreshSupport: true }, foldingRange: { refreshSupport: true } } : {}) },
        textDocument: { hover: { contentFormat: ['markdown'] } },
        window: { workDoneProgress: workspace.workDoneProgress === true },
      },
    });
    client.capabilities = initialized.capabilities;
    await client.connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  async open(uri: string, text: string, languageId = 'log-forensics'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Waits until diagnostics for `uri` satisfy `accept`, or fails after `timeoutMs`. */
  async diagnosticsFor(uri: string, accept: (d: Diagnostic[]) => boolean = () => true, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const current = this.diagnostics.get(uri);
      if (current && accept(current)) return current;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms; last: ${JSON.stringify(current)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until `accept` holds of what the server has sent so far, or fails after `timeoutMs`. */
  async until(accept: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!accept()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: not seen within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Sends a notification to the server (file events, custom notifications). */
  async notify(method: string, params?: unknown): Promise<void> {
    await this.connection.sendNotification(method, params);
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  async stop(): Promise<void> {
    if (this.alive) {
      const exited = new Promise((resolve) => this.process.once('exit', resolve));
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
        await this.connection.sendNotification(ExitNotification.type);
      } catch {
        this.process.kill();
      }
      await exited;
    }
    this.connection.dispose();
  }
}
