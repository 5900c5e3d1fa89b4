// Measures the language server over the real protocol: starts `dist/server.js --stdio`, opens a
// document as VS Code would send it (the whole text in didOpen), and times the first
// publishDiagnostics for it. Peak memory is the server process's VmHWM.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

/** Peak resident memory of a process, in bytes (Linux), or NaN. */
function peakBytes(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Resolves with the first diagnostics for `uri` that `accept` takes, or rejects after `timeoutMs`. */
function diagnosticsOf(waiters, uri, accept, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
    waiters.push((params) => {
      if (params.uri !== uri || !accept(params.diagnostics)) return false;
      clearTimeout(timer);
      resolve(params.diagnostics);
      return true;
    });
  });
}

/**
 * Opens `file` in a fresh server; returns `{ seconds, peakBytes, diagnostics }` where `seconds` runs
 * from sending didOpen to the first publishDiagnostics for it. `warmup` is a short text holding a
 * known bad line, opened first so the catalogue is loaded before the clock starts.
 */
export async function measureServer(serverJs, file, warmup, timeoutMs = 600_000) {
  const child = spawn(process.execPath, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const waiters = [];
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    for (let i = 0; i < waiters.length; i++) if (waiters[i](params)) waiters.splice(i--, 1);
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', () => undefined);
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
    const warmUri = `${pathToFileURL(file).href}.warmup`;
    const warmed = diagnosticsOf(waiters, warmUri, (d) => d.length > 0, 60_000);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warmUri, languageId: 'log-forensics', version: 1, text: warmup } });
    await warmed;

    const uri = pathToFileURL(file).href;
    const text = fs.readFileSync(file, 'utf8');
    const published = diagnosticsOf(waiters, uri, () => true, timeoutMs);
    const start = process.hrtime.bigint();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log-forensics', version: 1, text } });
    const diagnostics = await published;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const peak = peakBytes(child.pid);
    await connection.sendRequest('shutdown');
    const exited = new Promise((resolve) => {
      const timer = setTimeout(resolve, 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    await connection.sendNotification('exit');
    await exited;
    return { seconds, peakBytes: peak, diagnostics };
  } finally {
    connection.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
