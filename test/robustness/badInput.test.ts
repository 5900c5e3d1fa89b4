// The bad-input matrix: each case builds a hostile or broken input in a temporary folder, runs the
// CLI on it (`scan --format json`, `timeline --json`) and opens it over the protocol. Whatever the
// input, the CLI exits with a message rather than a stack trace, and the server answers hovers and
// correlations on it and keeps serving the next request on a normal log.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { Diagnostic, HoverRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { CorrelateResult } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';
import { CliRun, assertNoStackTrace, close, editorText, fileUri, probe, pseudoRandomBytes, replaceText, runCli, startCli, timelineRows, withTimeout } from '../support/robustness';

const IRQ = 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)';
const LOG = [
  'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)',
  IRQ,
  'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
].join('\n');
/** The CLI reads every case as the server is configured: UTC, yearless stamps in 2010. */
const CLI_TIME = ['--tz', 'UTC', '--year', '2010'];
const BIG_MS = 180_000;
const ROTATING = `${LOG}\n`.repeat(20_000);

/** One row of the matrix. */
interface BadInput {
  name: string;
  /** Writes the input into `dir` and returns the path given to the CLI and used for the URI. */
  make(dir: string): string;
  /** Why the case cannot run here, if it cannot. */
  skip?: () => string | undefined;
  /** Extra CLI arguments. */
  args?: string[];
  /** Runs the CLI some other way (as another user, concurrently with a change to the file). */
  runCli?(file: string, args: string[]): Promise<CliRun> | CliRun;
  /** Expected exit status of both commands, and what stderr must say. */
  status: 0 | 2;
  stderr?: RegExp;
  /** The one command that prints `stderr`, when only one does. */
  stderrFrom?: 'scan' | 'timeline';
  /** Further checks of the CLI output (status 0 only). */
  checkScan?(findings: { ruleId: string; line: number; time: string | null }[]): void;
  checkTimeline?(rows: ReturnType<typeof timelineRows>): void;
  /** The text an editor would send; defaults to the file's bytes decoded as UTF-8. */
  editorText?(file: string): string;
  /** Diagnostics the server must publish (the default accepts any, even none). */
  diagnostics?(d: Diagnostic[]): boolean;
  /** Further protocol steps after open and the first probe (the file changes on disk, ...). */
  protocol?(client: TestClient, uri: string, file: string): Promise<void>;
}

/** A diagnostic's message as text (LSP 3.18 allows Markdown there). */
const messageOf = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const hasInputProblem = (pattern: RegExp) => (d: Diagnostic[]): boolean => d.some((x) => x.code === 'input' && pattern.test(messageOf(x)));

/** Permission checks are bypassed by root; the CLI is then run as `nobody`, when that works. */
function asOtherUser(): { uid: number; gid: number } | undefined {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
}

const CASES: BadInput[] = [
  {
    name: 'an empty file',
    make: (dir) => write(dir, 'messages', ''),
    status: 0,
    stderr: /is empty/,
    checkScan: (findings) => assert.deepEqual(findings, []),
    checkTimeline: (rows) => assert.deepEqual(rows, []),
    diagnostics: (d) => d.length === 0,
  },
  {
    name: 'a core file (binary)',
    make: (dir) => write(dir, 'core', Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), pseudoRandomBytes(64 * 1024)])),
    status: 0,
    stderr: /looks binary/,
    diagnostics: hasInputProblem(/looks binary/),
  },
  {
    name: 'a gzip log without its extension',
    make: (dir) => write(dir, 'messages', zlib.gzipSync(LOG)),
    status: 0,
    checkScan: (findings) => assert.ok(findings.some((f) => f.ruleId === 'kernel/irq-no-handler'), JSON.stringify(findings)),
    // The editor shows the compressed bytes; only the CLI decompresses.
    diagnostics: hasInputProblem(/looks binary/),
  },
  {
    name: 'NUL bytes inside lines',
    make: (dir) => write(dir, 'messages', LOG.replace('do_IRQ', 'do_\u0000IRQ').replace('(true)', '(tr\u0000\u0000ue)')),
    status: 0,
    stderr: /NUL/,
    checkTimeline: (rows) => assert.equal(rows.length, 3),
    diagnostics: hasInputProblem(/NUL/),
  },
  {
    name: 'invalid UTF-8',
    make: (dir) => write(dir, 'messages', Buffer.concat([Buffer.from('Nov  8 16:49:40 drjmailgw sshd[1]: user \xff\xfe\xc3 '), Buffer.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]), Buffer.from(`\n${IRQ}\n`)])),
    status: 0,
    checkTimeline: (rows) => {
      assert.deepEqual(rows.map((r) => r.time), ['2010-11-08T16:49:40.000Z', '2010-11-08T16:49:42.000Z']);
      assert.match(rows[0].text, /\uFFFD/);
    },
    checkScan: (findings) => assert.deepEqual(findings.map((f) => f.ruleId), ['kernel/irq-no-handler']),
  },
  {
    name: 'Latin-1 text',
    make: (dir) => write(dir, 'secure', Buffer.from('Nov  8 16:49:40 drjmailgw sshd[1]: Failed password for José from 192.0.2.1 port 22 ssh2\n', 'latin1')),
    status: 0,
    // Read as UTF-8, the é becomes a replacement mark; the line still parses and its stamp is read.
    checkTimeline: (rows) => {
      assert.deepEqual(rows.map((r) => [r.time, r.host, r.program]), [['2010-11-08T16:49:40.000Z', 'drjmailgw', 'sshd']]);
      assert.match(rows[0].text, /Jos\uFFFD from/);
    },
  },
  {
    name: 'CRLF line ends',
    make: (dir) => write(dir, 'messages', `${LOG.split('\n').join('\r\n')}\r\n`),
    status: 0,
    checkTimeline: (rows) => {
      assert.deepEqual(rows.map((r) => r.line), [1, 2, 3]);
      assert.ok(rows.every((r) => !r.text.includes('\r')));
    },
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler' && x.range.end.character === IRQ.length),
  },
  {
    name: 'lone CR line ends',
    make: (dir) => write(dir, 'messages', LOG.split('\n').join('\r')),
    status: 0,
    checkTimeline: (rows) => assert.deepEqual(rows.map((r) => r.line), [1, 2, 3]),
    checkScan: (findings) => assert.ok(findings.some((f) => f.ruleId === 'kernel/irq-no-handler' && f.line === 2)),
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler' && x.range.start.line === 1),
  },
  {
    name: 'a 10 MB single line',
    make: (dir) => write(dir, 'messages', `Nov  8 16:49:42 drjmailgw kernel: ${'do_IRQ: ( [1.2] '.repeat(640 * 1024)}`),
    status: 0,
    checkTimeline: (rows) => {
      assert.equal(rows.length, 1);
      assert.equal(rows[0].text.length, 34 + 10 * 1024 * 1024);
    },
    diagnostics: () => true,
  },
  {
    name: 'a 1 MB run without a blank (base64, binary)',
    // Unanchored `\S+` patterns cost time quadratic in such a run; signatures look at its start only.
    make: (dir) => write(dir, 'messages', `${IRQ}\nNov  8 16:49:43 drjmailgw kernel: ${'A'.repeat(1024 * 1024)}\n${'B'.repeat(1024 * 1024)}`),
    status: 0,
    stderr: /2 lines are longer than 4096 characters/,
    checkScan: (findings) => assert.deepEqual(findings.map((f) => f.ruleId), ['kernel/irq-no-handler']),
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler') && hasInputProblem(/longer than 4096 characters/)(d),
  },
  {
    name: 'a truncated last line',
    make: (dir) => write(dir, 'messages', `${LOG}\nNov  8 16:5`),
    status: 0,
    checkTimeline: (rows) => assert.deepEqual(rows.map((r) => r.line), [1, 2, 3]),
    checkScan: (findings) => assert.ok(findings.some((f) => f.ruleId === 'kernel/irq-no-handler')),
  },
  {
    name: 'a file that shrinks or is replaced while it is read (log rotation)',
    make: (dir) => write(dir, 'messages', ROTATING),
    // The CLI reads while the file is truncated, rewritten and replaced under it.
    runCli: async (file, args) => {
      fs.writeFileSync(file, ROTATING);
      const run = startCli(args);
      let done = false;
      void run.finally(() => (done = true));
      for (let round = 0; !done; round++) {
        if (round % 3 === 0) fs.truncateSync(file, 0);
        else if (round % 3 === 1) fs.writeFileSync(file, `${IRQ}\n`);
        else {
          fs.writeFileSync(`${file}.new`, `${LOG}\n`);
          fs.renameSync(`${file}.new`, file);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
      return run;
    },
    status: 0,
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler'),
    protocol: async (client, uri, file) => {
      // Rotation on disk; the editor reloads the new, short file.
      fs.renameSync(file, `${file}.1`);
      fs.writeFileSync(file, 'Nov  8 17:00:00 drjmailgw syslogd: restart\n');
      await replaceText(client, uri, 2, fs.readFileSync(file, 'utf8'));
      await client.diagnosticsFor(uri, (d) => !d.some((x) => x.code === 'kernel/irq-no-handler'));
      const { correlate } = await probe(client, uri);
      assert.equal((correlate.result as CorrelateResult).center, '2010-11-08T17:00:00Z');
    },
  },
  {
    name: 'a file deleted while open',
    make: (dir) => write(dir, 'messages', LOG),
    runCli: (file, args) => {
      fs.rmSync(file, { force: true });
      return runCli(args);
    },
    status: 2,
    stderr: /no such file/,
    editorText: () => LOG,
    protocol: async (client, uri, file) => {
      fs.rmSync(file, { force: true });
      await replaceText(client, uri, 2, `${LOG}\n${IRQ}`);
      await client.diagnosticsFor(uri, (d) => d.filter((x) => x.code === 'kernel/irq-no-handler').length === 2);
      const { hover } = await probe(client, uri, 3, 3);
      assert.match((hover.result as { contents: MarkupContent }).contents.value, /year \d+ from (current clock|setting)/);
    },
  },
  {
    name: 'permission denied',
    make: (dir) => {
      fs.chmodSync(dir, 0o755);
      const file = write(dir, 'secure', LOG);
      fs.chmodSync(file, 0);
      return file;
    },
    skip: () => {
      if (process.platform === 'win32') return 'no POSIX permissions on Windows';
      const user = asOtherUser();
      if (!user) return undefined;
      try {
        const probeRun = runCli(['--help'], user);
        return probeRun.status === 0 ? undefined : `running as root, and the CLI cannot run as nobody (status ${probeRun.status}): chmod 000 would not deny reads`;
      } catch (error) {
        return `running as root, and the CLI cannot run as nobody (${(error as Error).message}): chmod 000 would not deny reads`;
      }
    },
    runCli: (_file, args) => runCli(args, asOtherUser() ?? {}),
    status: 2,
    stderr: /permission denied/,
    editorText: () => LOG,
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler'),
  },
  {
    name: 'a symlink loop in the workspace',
    make: (dir) => {
      fs.symlinkSync(path.join(dir, 'b.log'), path.join(dir, 'a.log'));
      fs.symlinkSync(path.join(dir, 'a.log'), path.join(dir, 'b.log'));
      // A loop among the workspace's rule files, and a folder that links back to its parent.
      const rules = path.join(dir, '.log-forensics', 'rules');
      fs.mkdirSync(rules, { recursive: true });
      fs.symlinkSync(path.join(rules, 'loop.yaml'), path.join(rules, 'loop.yaml'));
      fs.symlinkSync(dir, path.join(rules, 'parent'));
      return path.join(dir, 'a.log');
    },
    runCli: (file, args) => {
      const loop = runCli(args);
      const rules = runCli(['scan', '--rules', path.join(path.dirname(file), '.log-forensics', 'rules'), path.join(path.dirname(file), 'x')]);
      assert.equal(rules.status, 2);
      assert.match(rules.stderr, /cannot read the rule file .*loop\.yaml/);
      assertNoStackTrace(rules.stderr, 'scan --rules with a symlink loop');
      return loop;
    },
    status: 2,
    stderr: /too many levels of symbolic links/,
    editorText: () => LOG,
    diagnostics: (d) => d.some((x) => x.code === 'kernel/irq-no-handler'),
    protocol: async (_client, uri, file) => {
      // A server whose trusted workspace holds the loops starts, and still runs the shipped rules.
      const workspace = await TestClient.start({ time: { zone: 'UTC', year: 2010 } }, { folders: [fileUri(path.dirname(file))], initializationOptions: { trusted: true, clientCommands: true } });
      try {
        await workspace.open(uri, LOG);
        await workspace.diagnosticsFor(uri, (d) => d.some((x) => x.code === 'kernel/irq-no-handler'), BIG_MS);
        await probe(workspace, uri, 1, 3);
        assert.equal(workspace.alive, true);
      } finally {
        await workspace.stop();
      }
    },
  },
  {
    name: 'a corrupt .gz',
    make: (dir) => {
      const gz = zlib.gzipSync(LOG.repeat(50));
      return write(dir, 'messages.1.gz', Buffer.concat([gz.subarray(0, gz.length / 2), pseudoRandomBytes(64)]));
    },
    status: 2,
    stderr: /is not a readable gzip file/,
  },
  {
    name: 'a .gz bomb',
    // 24 MiB of NULs compress to about 24 KiB; the bound is lowered so the test stays small.
    make: (dir) => write(dir, 'messages.2.gz', zlib.gzipSync(Buffer.alloc(24 * 1024 * 1024), { level: 9 })),
    args: ['--max-size', '8'],
    status: 2,
    stderr: /decompresses to more than 8 MiB; refused/,
    diagnostics: hasInputProblem(/looks binary/),
  },
  {
    name: 'timestamps far in the future, before 1970 and beyond any date',
    make: (dir) =>
      write(dir, 'messages', [
        '9999-12-31T23:59:59Z drjmailgw app[1]: far future',
        '1969-12-31T23:59:59Z drjmailgw app[1]: before the epoch',
        '0050-01-01T00:00:00Z drjmailgw app[1]: the year 50, not 1950',
        '1970-01-01T00:00:00Z drjmailgw app[1]: the epoch',
        'Nov  8 16:49:42 drjmailgw kernel: [99999999999999999999999999.0] absurd uptime',
        '[123456789012345678901234567890.1] a dmesg line beyond any date',
      ].join('\n')),
    status: 0,
    // Pre-1970 instants are negative epoch milliseconds and sort before the epoch; a line whose
    // uptime puts it beyond any date is left off the timeline and said so.
    stderr: /entries had no usable time/,
    stderrFrom: 'timeline',
    checkTimeline: (rows) =>
      assert.deepEqual(rows.map((r) => r.time), ['0050-01-01T00:00:00.000Z', '1969-12-31T23:59:59.000Z', '1970-01-01T00:00:00.000Z', '2010-11-08T16:49:42.000Z', '9999-12-31T23:59:59.000Z']),
    protocol: async (client, uri) => {
      const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 3 } });
      assert.match((hover?.contents as MarkupContent).value, /1969-12-31T23:59:59Z/);
      const early = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 2, character: 3 } });
      assert.match((early?.contents as MarkupContent).value, /0050-01-01T00:00:00Z/);
      const { correlate } = await probe(client, uri, 0, 3);
      assert.equal((correlate.result as CorrelateResult).center, '9999-12-31T23:59:59Z');
      await probe(client, uri, 5, 3);
    },
  },
  {
    name: '100 k distinct hosts',
    make: (dir) => {
      const lines: string[] = [];
      for (let i = 0; i < 100_000; i++) {
        const second = String(i % 60).padStart(2, '0');
        lines.push(i % 1000 === 0 ? IRQ.replace('drjmailgw', `host-${i}`) : `Nov  8 16:49:${second} host-${i} prog${i % 7919}[${i}]: message ${i}`);
      }
      return write(dir, 'messages', lines.join('\n'));
    },
    status: 0,
    checkTimeline: (rows) => {
      assert.equal(rows.length, 100_000);
      assert.equal(new Set(rows.map((r) => r.host)).size, 100_000);
    },
    checkScan: (findings) => assert.equal(findings.filter((f) => f.ruleId === 'kernel/irq-no-handler').length, 100),
    diagnostics: (d) => d.filter((x) => x.code === 'kernel/irq-no-handler').length === 100,
    protocol: async (client, uri) => {
      const { correlate } = await probe(client, uri, 500, 3);
      const result = correlate.result as CorrelateResult;
      assert.equal(result.truncated, true);
      assert.equal(result.entries.length, 2000);
    },
  },
];

function write(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

let client: TestClient;
let root: string;
let normalUri: string;

before(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-bad-input-'));
  // Open to other users, so the permission case can run the CLI as one.
  fs.chmodSync(root, 0o755);
  const normal = write(root, 'normal.log', LOG);
  normalUri = fileUri(normal);
  client = await TestClient.start({ time: { zone: 'UTC', year: 2010 } });
  await client.open(normalUri, LOG);
  await client.diagnosticsFor(normalUri, (d) => d.length > 0);
});

after(async () => {
  await client.stop();
  fs.rmSync(root, { recursive: true, force: true });
});

/** The server still answers a request on a normal log. */
async function assertStillServing(): Promise<void> {
  assert.equal(client.alive, true, `the server exited; stderr: ${client.stderr.join('').slice(-2000)}`);
  const hover = await withTimeout(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: normalUri }, position: { line: 1, character: 3 } }), 60_000, 'hover on the normal log');
  assert.match((hover?.contents as MarkupContent).value, /2010-11-08T16:49:42Z/);
}

for (const input of CASES) {
  test(`bad input: ${input.name}`, { skip: input.skip?.(), timeout: BIG_MS }, async () => {
    const dir = fs.mkdtempSync(path.join(root, 'case-'));
    const file = input.make(dir);
    const text = input.editorText ? input.editorText(file) : editorText(file);
    const uri = fileUri(file);

    // Over the protocol first: some cases change the file on disk for the CLI.
    await client.open(uri, text);
    const diagnostics = await client.diagnosticsFor(uri, input.diagnostics ?? (() => true), BIG_MS);
    assert.ok(diagnostics.every((d) => d.range.start.line >= 0 && messageOf(d).length > 0));
    await probe(client, uri);
    await input.protocol?.(client, uri, file);
    await assertStillServing();
    await close(client, uri);

    const commands = [['scan', '--format', 'json'], ['timeline', '--json']];
    const argsOf = (command: string[]): string[] => [...command, ...CLI_TIME, ...(input.args ?? []), file];
    // Cases that change the file run the commands one after the other; the rest side by side.
    const runs: CliRun[] = [];
    if (input.runCli) for (const command of commands) runs.push(await input.runCli(file, argsOf(command)));
    else runs.push(...(await Promise.all(commands.map((command) => startCli(argsOf(command))))));
    for (const [k, command] of commands.entries()) {
      const run = runs[k];
      const what = `${command[0]} on ${input.name}`;
      assertNoStackTrace(run.stderr, what);
      assert.equal(run.status, input.status, `${what}: exit ${run.status}; stderr: ${run.stderr.slice(0, 2000)}`);
      if (input.stderr && (input.stderrFrom ?? command[0]) === command[0]) assert.match(run.stderr, input.stderr, what);
      if (input.status !== 0) {
        assert.match(run.stderr, new RegExp(`^log-forensics: .*${path.basename(file).replace(/[.]/g, '\\.')}`, 'm'), `${what} names the file`);
        assert.equal(run.stdout, '');
        continue;
      }
      if (command[0] === 'scan') input.checkScan?.(JSON.parse(run.stdout));
      else input.checkTimeline?.(timelineRows(run.stdout));
      // A file rewritten while read may be read in any of its states; the output still parses.
      if (command[0] === 'scan') assert.ok(Array.isArray(JSON.parse(run.stdout)));
    }
  });
}

test('a request after the whole matrix is still answered', async () => {
  await assertStillServing();
  const { correlate } = await probe(client, normalUri, 1, 3);
  assert.ok(correlate.result, JSON.stringify(correlate.error));
});
