// Evidence stays untouched: opening, hovering, asking for code actions, semantic tokens and
// correlations, and running the CLI over a set of logs leave every byte and modification time as
// it was; the server offers no formatting and no edits.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { CodeActionRequest, HoverRequest, SemanticTokensRequest } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';
import { assertNoStackTrace, close, fileUri, replaceText, runCli } from '../support/robustness';

const LOGS: Record<string, string | Buffer> = {
  messages: [
    'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)',
    'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
    'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
  ].join('\n'),
  maillog: 'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw during client greeting\r\n',
  secure: 'Nov  8 16:49:40 drjmailgw sshd[1]: Failed password for root from 192.0.2.7 port 22 ssh2\n',
  'messages.1.gz': zlib.gzipSync('Nov  7 10:00:00 drjmailgw kernel: [1.000000] booting\n'),
};
/** Pulled logs carry old modification times; a tool that touched them would show. */
const MTIME = new Date(Date.UTC(2010, 10, 9, 3, 0, 0));

interface Fingerprint {
  sha256: string;
  mtimeMs: number;
  size: number;
  mode: number;
}

function fingerprint(file: string): Fingerprint {
  const stat = fs.statSync(file);
  return { sha256: createHash('sha256').update(fs.readFileSync(file)).digest('hex'), mtimeMs: stat.mtimeMs, size: stat.size, mode: stat.mode };
}

let folder: string;
let files: string[];
let original: Map<string, Fingerprint>;
let client: TestClient;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-evidence-'));
  files = Object.entries(LOGS).map(([name, content]) => {
    const file = path.join(folder, name);
    fs.writeFileSync(file, content);
    fs.utimesSync(file, MTIME, MTIME);
    return file;
  });
  original = new Map(files.map((file) => [file, fingerprint(file)]));
  client = await TestClient.start({ time: { zone: 'UTC' } });
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('the server declares no formatting, rename or other edit capability', () => {
  const declared = client.capabilities;
  assert.ok(declared.hoverProvider, 'capabilities were not read');
  for (const forbidden of ['documentFormattingProvider', 'documentRangeFormattingProvider', 'documentOnTypeFormattingProvider', 'renameProvider', 'linkedEditingRangeProvider']) {
    assert.equal((declared as Record<string, unknown>)[forbidden], undefined, `${forbidden} is declared`);
  }
  // The commands the server runs write the workspace's .log-forensics/ files, never a log
  // (the plain-client, disabled-rules and view tests run them and check the log is unchanged).
  assert.deepEqual(declared.executeCommandProvider?.commands, ['logForensics.suppressFinding', 'logForensics.disableRuleInWorkspace', 'logForensics.server.annotateLine']);
  assert.equal(declared.workspace?.fileOperations, undefined);
});

test('opening, annotating, correlating and exporting leave every log byte for byte and with its mtime', async () => {
  const uris = files.map(fileUri);
  for (const [k, file] of files.entries()) await client.open(uris[k], new TextDecoder().decode(fs.readFileSync(file)));
  for (const uri of uris) {
    await client.diagnosticsFor(uri);
    await client.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } });
    for (let line = 0; line < 3; line++) {
      await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character: 3 } });
      const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, context: { diagnostics: [] } });
      for (const action of actions ?? []) assert.equal((action as { edit?: unknown }).edit, undefined, `code action ${action.title} carries an edit`);
      await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri }, position: { line, character: 0 }, windowSeconds: 3600 }).catch(() => undefined);
    }
  }
  // An edit in the editor is the user's; the server answers with diagnostics, never a write.
  await replaceText(client, uris[0], 2, `${String(LOGS.messages)}\nNov  8 16:59:59 drjmailgw note: typed by the user`);
  await client.diagnosticsFor(uris[0]);
  for (const uri of uris) await close(client, uri);

  for (const args of [['scan', '--format', 'json'], ['scan', '--format', 'sarif'], ['scan'], ['timeline', '--json'], ['timeline']]) {
    const run = runCli([...args, '--tz', 'UTC', ...files]);
    assert.equal(run.status, 0, run.stderr);
    assertNoStackTrace(run.stderr, args.join(' '));
  }

  for (const file of files) assert.deepEqual(fingerprint(file), original.get(file), `${path.basename(file)} changed`);
  assert.deepEqual(fs.readdirSync(folder).sort(), Object.keys(LOGS).sort(), 'files appeared beside the evidence');
});
