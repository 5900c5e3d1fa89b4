// Measures the language server over the real protocol: starts `dist/server.js --stdio`, opens a
// document as VS Code would send it (the whole text in didOpen, then a semantic tokens request),
// and times the first publishDiagnostics for it and the tokens' answer. The server starts with the
// product's node flags where VS Code would start it (a file read from disk), bare for plain clients' didOpen. Peak memory is the server process's VmHWM.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const rpc = require('vscode-languageserver-protocol/node');

/** The flags the product's CLI and VS Code's server start node with (server/src/nodeFlags.ts). */
export const NODE_FLAGS = JSON.parse(fs.readFileSync(new URL('../../server/src/nodeFlags.json', import.meta.url), 'utf8')).flags;

/** Peak resident memory of a process, in bytes (Linux), or NaN. */
function peakBytes(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The last line a semantic tokens answer colours (line deltas add up). */
function lastTokenLine(data) {
  let line = 0;
  for (let i = 0; i < data.length; i += 5) line += data[i];
  return line;
}

/**
 * A language server started for a measurement, as a plain LSP client sees it: every
 * publishDiagnostics recorded with its arrival time, the requests a client must answer answered.
 * `published(uri, accept, from, limitMs)` waits for the first publication for `uri` from index
 * `from` on that `accept` takes; `warmUp(file, text)` initialises the server and opens `text` as a
 * document beside `file` until its findings come (the catalogue loaded before the clock starts),
 * and gives that document's URI.
 */
function benchServer(serverJs, nodeFlags) {
  const child = spawn(process.execPath, [...nodeFlags, serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
  const publications = [];
  let wake = () => undefined;
  connection.onNotification('textDocument/publishDiagnostics', (params) => {
    publications.push({ at: process.hrtime.bigint(), uri: params.uri, diagnostics: params.diagnostics });
    wake();
  });
  connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/showMessageRequest', () => null);
  connection.onNotification('window/logMessage', () => undefined);
  connection.onNotification('window/showMessage', () => undefined);
  connection.listen();
  const published = async (uri, accept, from, limitMs) => {
    const deadline = Date.now() + limitMs;
    for (;;) {
      const found = publications.slice(from).find((p) => p.uri === uri && accept(p.diagnostics));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no matching diagnostics for ${uri} within ${limitMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, 1000);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  const warmUp = async (file, text) => {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, workspaceFolders: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
    const warmUri = `${pathToFileURL(file).href}.warmup`;
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: warmUri, languageId: 'log-forensics', version: 1, text: text } });
    await published(warmUri, (d) => d.length > 0, 0, 60_000);
    return warmUri;
  };
  return { child, connection, publications, published, warmUp };
}

/**
 * Starts a server, opens a short `warmup` text holding a known bad line (so the catalogue is
 * loaded before the clock starts), then opens `file` — its whole text in didOpen as VS Code sends
 * a document (`how: 'didOpen'`), or named in `logForensics/openLargeLog` as the client does for
 * files over VS Code's 50 MB sync limit (`how: 'fromDisk'`) — and times, from that message, the
 * first publishDiagnostics for it and the one `isComplete` accepts (all findings: the server
 * publishes a file's first lines early, then everything), then asks for every finding with the
 * paged `logForensics/findings` request. Peak memory is the process's VmHWM.
 */
export async function measureServer(serverJs, file, warmup, { how = 'didOpen', isComplete = () => true, timeoutMs = 900_000 } = {}) {
  // A file read from disk is VS Code's way, and VS Code starts the server with the product's flags; plain clients start `node` bare.
  const { child, connection, publications, published, warmUp } = benchServer(serverJs, how === 'fromDisk' ? NODE_FLAGS : []);
  try {
    const warmUri = await warmUp(file, warmup);

    const uri = pathToFileURL(file).href;
    const text = how === 'didOpen' ? fs.readFileSync(file, 'utf8') : undefined;
    const from = publications.length;
    const start = process.hrtime.bigint();
    let tokens;
    if (how === 'didOpen') {
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'log-forensics', version: 1, text } });
      // As VS Code does on opening a document: its semantic tokens at once.
      tokens = connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } }).then((answer) => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, lines: lastTokenLine(answer?.data ?? []) + 1 }));
    } else {
      await connection.sendNotification('logForensics/openLargeLog', { uri });
    }
    // While the file is read, a hover on the small document every 100 ms: how long the editor
    // would wait for an answer.
    const latencies = [];
    let reading = true;
    const probing = (async () => {
      while (reading) {
        const asked = process.hrtime.bigint();
        await connection.sendRequest('textDocument/hover', { textDocument: { uri: warmUri }, position: { line: 0, character: 1 } });
        latencies.push(Number(process.hrtime.bigint() - asked) / 1e6);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const first = await published(uri, () => true, from, timeoutMs);
    let all;
    try {
      all = await published(uri, isComplete, from, timeoutMs);
    } catch {
      // Incomplete: the misses are counted from the last publication.
      all = publications.filter((p) => p.uri === uri).at(-1);
    } finally {
      reading = false;
      await probing;
    }
    const seconds = (at) => Number(at - start) / 1e9;
    const peak = peakBytes(child.pid);
    // Diagnostics stop at the per-file budget; every finding comes from the paged request.
    const findings = [];
    for (let offset = 0; ; ) {
      const page = await connection.sendRequest('logForensics/findings', { textDocument: { uri }, offset, limit: 5000 });
      findings.push(...page.findings.map((f) => ({ line: f.range.start.line + 1, ruleId: f.ruleId })));
      offset += page.findings.length;
      if (page.findings.length === 0 || offset >= page.total) break;
    }
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
    return { firstSeconds: seconds(first.at), firstDiagnostics: first.diagnostics, seconds: seconds(all.at), peakBytes: peak, findings, latencies, tokens: await tokens };
  } finally {
    connection.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/**
 * The region an editor shows, far into a log still being read: starts a server, opens the
 * `warmup` text (the catalogue loaded before the clock starts), names `file` in
 * `logForensics/openLargeLog`, waits for its first publication (its first 64 KiB) and `afterMs`
 * more, then says in `logForensics/visibleRanges` that the lines around `target.line` (1-based)
 * are shown, as the client does after a reveal, and times from that message to the first
 * publishDiagnostics holding `target.rule` on that line (provisional, or the read's own if the read
 * got there first). Then waits for the read's own finding there (or, where the diagnostics' budget
 * leaves it out, the read's whole result): `aheadOfRead` when the window's came first;
 * `readEarlier` when the read had passed the line before it was shown (0 ms).
 */
export async function measureShownRegion(serverJs, file, warmup, { target, afterMs = 0, timeoutMs = 900_000 }) {
  const { child, connection, publications, published: publishedFrom, warmUp } = benchServer(serverJs, NODE_FLAGS);
  const published = (uri, accept, limitMs) => publishedFrom(uri, accept, 0, limitMs);
  const line = target.line - 1;
  const onTarget = (provisional) => (diagnostics) => diagnostics.some((d) => d.range.start.line === line && d.code === target.rule && /provisional/.test(d.source ?? '') === provisional);
  try {
    await warmUp(file, warmup);
    const uri = pathToFileURL(file).href;
    const opened = process.hrtime.bigint();
    await connection.sendNotification('logForensics/openLargeLog', { uri });
    const first = await published(uri, () => true, timeoutMs);
    if (afterMs > 0) await new Promise((resolve) => setTimeout(resolve, afterMs));
    const asked = process.hrtime.bigint();
    const from = publications.length;
    await connection.sendNotification('logForensics/visibleRanges', { uri, ranges: [{ start: Math.max(0, line - 25), end: line + 25 }] });
    // A log read to that line before it is shown (a small one, asked late) has its finding there already.
    const readEarlier = publications.slice(0, from).find((p) => p.uri === uri && onTarget(false)(p.diagnostics));
    const shown = readEarlier ? { at: asked } : await publishedFrom(uri, (d) => onTarget(true)(d) || onTarget(false)(d), from, timeoutMs);
    // Past the diagnostics' budget (1,000 a file; 2,036 findings at 10 M lines) the read's own
    // finding there may be left out of them: its whole reading is then the one that says how many
    // more there are, with no provisional finding left.
    const wholeButCapped = (diagnostics) => diagnostics.some((d) => d.code === 'more-findings') && !diagnostics.some((d) => /provisional/.test(d.source ?? ''));
    const read = readEarlier ?? (await published(uri, (d) => onTarget(false)(d) || wholeButCapped(d), timeoutMs));
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    const ms = (from, to) => Number(to - from) / 1e6;
    return { shownMs: ms(asked, shown.at), askedAfterOpenMs: ms(opened, asked), firstMs: ms(opened, first.at), readMs: ms(opened, read.at), aheadOfRead: shown.at < read.at, readEarlier: readEarlier !== undefined };
  } finally {
    connection.dispose();
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}
