import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import Ajv from 'ajv';
import { pathToFileURL } from 'url';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

let folder: string;
let gateway: string;
let relay: string;

/** Runs the built CLI; TZ is pinned so yearless stamps and zones read the same everywhere. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-cli-'));
  gateway = path.join(folder, 'messages');
  relay = path.join(folder, 'maillog');
  fs.writeFileSync(gateway, [
    'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)',
    'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  ].join('\n'));
  fs.writeFileSync(relay, 'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw during client greeting\n');
  const mtime = new Date(Date.UTC(2010, 10, 9));
  fs.utimesSync(gateway, mtime, mtime);
  fs.utimesSync(relay, mtime, mtime);
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

test('scan --format json prints one object per finding with 1-based lines and ISO times', () => {
  const { status, stdout } = cli('scan', '--format', 'json', gateway, relay);
  assert.equal(status, 0);
  assert.deepEqual(JSON.parse(stdout).map((f: Record<string, unknown>) => ({ ...f, message: undefined })), [
    { file: gateway, line: 2, endLine: 2, ruleId: 'kernel/irq-no-handler', severity: 'error', message: undefined, time: '2010-11-08T16:49:42.000Z' },
    { file: relay, line: 1, endLine: 1, ruleId: 'sendmail/timeout-greeting', severity: 'error', message: undefined, time: '2010-11-08T16:50:38.000Z' },
  ]);
});

test('scan in text form names file, line, severity and rule', () => {
  const { status, stdout } = cli('scan', gateway);
  assert.equal(status, 0);
  assert.match(stdout, new RegExp(`^${gateway.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: error \\[kernel/irq-no-handler\\]`, 'm'));
  assert.match(stdout, /^1 finding in 1 file$/m);
});

test('scan --format sarif writes a SARIF 2.1.0 log with rules and regions', () => {
  const { status, stdout } = cli('scan', '--format', 'sarif', gateway, relay);
  assert.equal(status, 0);
  const sarif = JSON.parse(stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
  assert.equal(run.results[0].level, 'error');
  assert.equal(run.results[0].locations[0].physicalLocation.region.startLine, 2);
  assert.equal(run.results[1].locations[0].physicalLocation.artifactLocation.index, 1);
  assert.equal(run.tool.driver.rules[run.results[1].ruleIndex].id, run.results[1].ruleId);
});

test('timeline --json merges the entries of all files in time order', () => {
  const { status, stdout } = cli('timeline', '--json', relay, gateway);
  assert.equal(status, 0);
  const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(rows.map((r) => [r.time, path.basename(r.file), r.line, r.host, r.program, r.pid]), [
    ['2010-11-08T16:45:01.000Z', 'messages', 1, 'drjmailgw', 'cron', 2201],
    ['2010-11-08T16:49:42.000Z', 'messages', 2, 'drjmailgw', 'kernel', null],
    ['2010-11-08T16:50:38.000Z', 'maillog', 1, 'relay1', 'sendmail', 21877],
  ]);
});

test('--year and --tz change how yearless stamps are read', () => {
  const { stdout } = cli('timeline', '--json', '--year', '2012', '--tz', 'America/New_York', relay);
  assert.equal(JSON.parse(stdout).time, '2012-11-08T21:50:38.000Z');
});

test('a missing file exits with status 2 and names it', () => {
  const missing = path.join(folder, 'no-such-log');
  const { status, stderr, stdout } = cli('scan', gateway, missing);
  assert.equal(status, 2);
  assert.match(stderr, new RegExp(`${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: no such file`));
  assert.equal(stdout, '');
});

test('a device given as a file exits with status 2', () => {
  const { status, stderr } = cli('timeline', '/dev/null');
  assert.equal(status, 2);
  assert.match(stderr, /\/dev\/null: is not a regular file/);
});

test('usage mistakes exit with status 2 and print the usage', () => {
  for (const args of [['frobnicate', gateway], ['scan'], ['scan', '--format', 'xml', gateway], ['timeline', '--tz', 'Nowhere/Land', gateway], ['scan', '--year', 'soon', gateway]]) {
    const { status, stderr } = cli(...args);
    assert.equal(status, 2, `status for ${args.join(' ')}`);
    assert.match(stderr, /log-forensics: /, `message for ${args.join(' ')}`);
  }
});

test('an empty file scans to no findings', () => {
  const empty = path.join(folder, 'empty.log');
  fs.writeFileSync(empty, '');
  const { status, stdout } = cli('scan', '--format', 'json', empty);
  assert.equal(status, 0);
  assert.deepEqual(JSON.parse(stdout), []);
});

test('a gzip-compressed log is read, and its yearless stamps take the year the gzip member recorded', () => {
  const rotated = path.join(folder, 'maillog.2.gz');
  const packed = zlib.gzipSync('Dec 31 23:59:59 relay1 sendmail[1]: x: stat=Sent\nJan  1 00:00:01 relay1 sendmail[2]: y: stat=Sent\n');
  packed.writeUInt32LE(Date.UTC(2011, 0, 2) / 1000, 4);
  fs.writeFileSync(rotated, packed);
  const { status, stdout } = cli('timeline', '--json', rotated);
  assert.equal(status, 0);
  assert.deepEqual(stdout.trim().split('\n').map((line) => JSON.parse(line).time), ['2010-12-31T23:59:59.000Z', '2011-01-01T00:00:01.000Z']);
});

test('a corrupt gzip file exits with status 2 and says why', () => {
  const corrupt = path.join(folder, 'messages.1.gz');
  fs.writeFileSync(corrupt, Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0]), Buffer.alloc(40, 7)]));
  const { status, stderr } = cli('scan', corrupt);
  assert.equal(status, 2);
  assert.match(stderr, /messages\.1\.gz: is not a readable gzip file/);
});

test('triage --json ranks the rare failure above a day of steady brute force, with reasons, and --top keeps the first', () => {
  const secure = path.join(folder, 'secure');
  const lines: string[] = [];
  // A failed password every five minutes from 00:00 to 23:55, from a rotating set of scanners.
  for (let minute = 0; minute < 24 * 60; minute += 5) {
    const stamp = `Nov  8 ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:07`;
    lines.push(`${stamp} drjmailgw sshd[${4000 + minute}]: Failed password for root from 203.0.113.${minute % 200} port ${40000 + minute} ssh2`);
  }
  fs.writeFileSync(secure, `${lines.join('\n')}\n`);
  const { status, stdout } = cli('triage', '--json', gateway, relay, secure);
  assert.equal(status, 0);
  const groups = JSON.parse(stdout) as Record<string, unknown>[];
  assert.deepEqual(Object.keys(groups[0]), ['rank', 'kind', 'ruleId', 'severity', 'title', 'count', 'file', 'line', 'time', 'text', 'score', 'reasons']);
  const rankOf = (ruleId: string) => groups.find((group) => group.ruleId === ruleId)?.rank as number;
  const brute = groups.find((group) => group.file === secure && group.kind === 'finding');
  assert.ok(brute, stdout);
  assert.ok(rankOf('kernel/irq-no-handler') < (brute.rank as number), stdout);
  assert.ok(rankOf('sendmail/timeout-greeting') < (brute.rank as number), stdout);
  assert.match((brute.reasons as string[]).join('; '), /steady/);
  assert.equal(groups.find((group) => group.ruleId === 'kernel/irq-no-handler')?.line, 2);
  const top = cli('triage', '--top', '1', gateway, relay, secure);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /^1\. \[error\] /);
  assert.doesNotMatch(top.stdout, /^2\. /m);
});

test('scan --format sarif gives each rule its whole explanation as help, placeholders named, not raw', () => {
  const { status, stdout } = cli('scan', '--format', 'sarif', gateway);
  assert.equal(status, 0);
  const rule = JSON.parse(stdout).runs[0].tool.driver.rules.find((r: { id: string }) => r.id === 'kernel/irq-no-handler');
  assert.match(rule.help.text, /What it means/);
  assert.doesNotMatch(rule.help.text, /\{[A-Za-z_]\w*\}/);
});

/** Runs the CLI in `cwd`. */
function cliIn(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('SARIF for code scanning: URIs relative to the scan folder, fingerprints that survive lines moving, the run\'s exit status', () => {
  const run = (args: string[]) => JSON.parse(cliIn(folder, 'scan', '--format', 'sarif', ...args).stdout).runs[0];
  const first = run(['--fail-on', 'error', 'messages', 'maillog']);
  assert.deepEqual(first.artifacts.map((a: { location: unknown }) => a.location), [{ uri: 'messages', uriBaseId: 'SRCROOT' }, { uri: 'maillog', uriBaseId: 'SRCROOT' }]);
  assert.equal(first.originalUriBaseIds.SRCROOT.uri, `${pathToFileURL(fs.realpathSync(folder)).href}/`.replace(/\/\/$/, '/'));
  assert.equal(first.invocations[0].exitCode, 1);
  const irq = first.tool.driver.rules.find((r: { id: string }) => r.id === 'kernel/irq-no-handler');
  assert.notEqual(irq.fullDescription.text, irq.shortDescription.text);
  assert.match(irq.help.markdown, /\*\*How to confirm\.\*\*/);
  const printOf = (sarif: { results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }, ruleId: string) => {
    const result = sarif.results.find((r) => r.ruleId === ruleId)!;
    return { print: result.partialFingerprints['logForensics/v1'], line: result.locations[0].physicalLocation.region.startLine };
  };
  const before = printOf(first, 'kernel/irq-no-handler');
  // A line added above the finding moves it; its fingerprint stays.
  const moved = path.join(folder, 'moved');
  fs.mkdirSync(moved, { recursive: true });
  fs.writeFileSync(path.join(moved, 'messages'), `Nov  8 16:40:00 drjmailgw cron[2100]: (root) CMD (true)\n${fs.readFileSync(gateway, 'utf8')}`);
  const after = printOf(JSON.parse(cliIn(moved, 'scan', '--format', 'sarif', 'messages').stdout).runs[0], 'kernel/irq-no-handler');
  assert.equal(after.line, before.line + 1);
  assert.equal(after.print, before.print);
});

test('SARIF validates against the 2.1.0 schema', (t) => {
  const corpus = corpusFolder();
  if (!corpus) return t.skip(CORPUS_SKIP);
  const schema = JSON.parse(fs.readFileSync(path.join(corpus, 'schemas', 'sarif', 'sarif-schema-2.1.0.json'), 'utf8'));
  // The schema is written in draft-04, whose keywords it uses are read alike by Ajv's default draft.
  delete schema.$schema;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate = ajv.compile(schema);
  const sarif = JSON.parse(cliIn(folder, 'scan', '--format', 'sarif', 'messages', 'maillog').stdout);
  assert.ok(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5)));
});

test('SARIF within code scanning\'s limits: --max-results keeps the most severe and every rule, says what it left out; --base names the root', () => {
  const busy = path.join(folder, 'limits', 'var', 'log');
  fs.mkdirSync(busy, { recursive: true });
  const failures = Array.from({ length: 30 }, (_, k) => `Nov  8 16:${String(10 + k).padStart(2, '0')}:00 drjmailgw sshd[${4000 + k}]: Failed password for root from 203.0.113.${k + 1} port 22 ssh2`);
  // The one error comes last, after thirty warnings of another rule.
  fs.writeFileSync(path.join(busy, 'secure'), [...failures, 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)'].join('\n'));
  const root = path.join(folder, 'limits');
  const sarifOf = (...args: string[]) => {
    const run = cliIn(busy, 'scan', '--format', 'sarif', ...args, 'secure');
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout).runs[0];
  };
  const all = sarifOf();
  assert.equal(all.results.length, 31);
  assert.equal(all.invocations[0].toolExecutionNotifications, undefined);
  const few = sarifOf('--max-results', '5', '--base', root);
  assert.equal(few.results.length, 5);
  assert.deepEqual(few.results.filter((r: { level: string }) => r.level === 'error').map((r: { ruleId: string }) => r.ruleId), ['kernel/irq-no-handler'], 'the error is kept though it comes last');
  assert.match(few.invocations[0].toolExecutionNotifications[0].message.text, /^26 of 31 results left out/);
  // A kept result is the same result it is in the whole run.
  const printsOf = (run: { results: { partialFingerprints: Record<string, string> }[] }) => run.results.map((r) => r.partialFingerprints['logForensics/v1']);
  for (const print of printsOf(few)) assert.ok(printsOf(all).includes(print));
  assert.deepEqual(few.artifacts[0].location, { uri: 'var/log/secure', uriBaseId: 'SRCROOT' });
  assert.equal(few.originalUriBaseIds.SRCROOT.uri, `${pathToFileURL(path.resolve(root)).href}/`);
  for (const rule of all.tool.driver.rules) assert.ok(rule.properties.tags.length <= 10, `${rule.id} has at most the 10 tags code scanning keeps`);
  assert.equal(cliIn(busy, 'scan', '--format', 'sarif', '--max-results', '0', 'secure').status, 2);
});
