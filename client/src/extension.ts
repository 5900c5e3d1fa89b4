import * as path from 'path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { registerShowAround } from './showAround';

let client: LanguageClient | undefined;

/** The documents the server analyses: our own language and VS Code's built-in `log`. */
export const LOG_SELECTOR = [
  { language: 'log-forensics' },
  { language: 'log' },
];

/** Starts the language server and registers the commands. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: LOG_SELECTOR,
    synchronize: { configurationSection: 'logForensics' },
    markdown: { isTrusted: false, supportHtml: false },
  };
  client = new LanguageClient('logForensics', 'Log Forensics', serverOptions, clientOptions);
  context.subscriptions.push(registerShowAround(() => client));
  await client.start();
}

/** Stops the language server. */
export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
