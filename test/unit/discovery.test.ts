import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { MemoryFileSystem, nodeFileSystem } from '../../server/src/files/fileSystem';
import { cleanWorkspaceLogSettings } from '../../server/src/settings';
import { DiscoveryOptions, MAX_SKIPPED_LISTED, MAX_SNIFFED_FILES, WorkspaceDiscovery, findWorkspaceLogs, looksLikeLogFile } from '../../server/src/logs/discovery';

/** `count` lines of a relay's syslog, distinct from one another. */
function syslog(count: number, host = 'relay'): string {
  let text = '';
  for (let i = 0; i < count; i++) text += `Nov  8 16:${String(10 + (i % 50)).padStart(2, '0')}:42 ${host} postfix/smtpd[${1000 + i}]: connect from unknown[192.0.2.${i % 250}]\n`;
  return text;
}

const KIB = 1024;
const MIB = 1024 * KIB;
const LIMITS = { maxFiles: 200, maxBytes: MIB, maxDepth: 3 };

function options(overrides: Partial<DiscoveryOptions> = {}): DiscoveryOptions {
  return { include: [], exclude: [], limits: LIMITS, ...overrides };
}

/** Logs as `relative path: reason`, and refused files as `relative path: reason`, for one comparison each. */
function named(found: WorkspaceDiscovery, root = '/ws'): { logs: string[]; skipped: string[] } {
  const relative = (file: string) => path.posix.relative(root, file);
  return {
    logs: found.logs.map((log) => `${relative(log.path)}: ${log.reason}${log.compressed ? ' (gzip)' : ''}`),
    skipped: found.skipped.map((file) => `${relative(file.path)}: ${file.reason}`),
  };
}

function workspace(): MemoryFileSystem {
  const files = new MemoryFileSystem(() => 1_700_000_000_000);
  const binary = new Uint8Array(4096).map((_, i) => (i % 7 === 0 ? 0 : i % 256));
  files.write('/ws/relay-maillog', syslog(40));
  files.write('/ws/notes.md', '# Incident\n\nThe relay stopped at 16:49.\n');
  files.write('/ws/app.ts', "export const limit = 10;\n\nexport function twice(n: number): number {\n  return 2 * n;\n}\n");
  files.write('/ws/dump.csv', 'host,address,state\ngw,192.0.2.1,up\nrelay,192.0.2.2,down\nmx,192.0.2.3,up\n');
  files.write('/ws/core', binary);
  files.write('/ws/empty-file', '');
  files.write('/ws/db/000003.log', binary);
  files.write('/ws/big/relay-dump', syslog(30_000).slice(0, 2 * MIB));
  files.write('/ws/old/maillog.1', syslog(5, 'old'));
  files.write('/ws/old/readme.txt', 'Logs pulled last year.\n');
  files.write('/ws/reports/summary.txt', 'What went wrong, and when.\nThe relay refused mail.\n');
  files.write('/ws/site/a/b/messages', syslog(5, 'gw'));
  files.write('/ws/d1/d2/d3/d4/maillog', syslog(5, 'deep'));
  files.write('/ws/.hidden/maillog', syslog(5, 'hidden'));
  files.write('/ws/node_modules/pkg/app.log', syslog(5, 'tool'));
  files.write('/ws/archive/maillog.2.gz', zlib.gzipSync(syslog(200, 'gw')));
  files.write('/ws/archive/relay-export.gz', zlib.gzipSync(syslog(200, 'relay')));
  files.write('/ws/archive/sources.tar.gz', zlib.gzipSync(binary));
  return files;
}

test('logs are found by name, by content (plain or gzip) and by include; the rest is left out, and refusals worth telling say why', () => {
  const found = findWorkspaceLogs(['/ws'], options({ include: ['reports/*.txt', 'old/*.txt'], exclude: ['old/**'] }), workspace());
  assert.deepEqual(named(found), {
    logs: [
      'archive/maillog.2.gz: name (gzip)',
      'archive/relay-export.gz: content (gzip)',
      'relay-maillog: content',
      'reports/summary.txt: include',
      'site/a/b/messages: name',
    ],
    skipped: [
      'big/relay-dump: too large (2 MiB of text; the workspace index reads at most 1 MiB)',
      'd1/d2/d3/d4: limits reached: folders deeper than 3 are not searched',
      'db/000003.log: binary (NUL bytes)',
      'old/maillog.1: excluded by "old/**"',
      'old/readme.txt: excluded by "old/**"',
    ],
  });
  assert.equal(found.skippedCount, 5);
});

test('each log says how it will be read: its URI, whether it is gzip, its size of text and what the sniff counted', () => {
  const found = findWorkspaceLogs(['/ws'], options(), workspace());
  const byPath = new Map(found.logs.map((log) => [log.path, log]));
  const relay = byPath.get('/ws/relay-maillog')!;
  assert.deepEqual(
    { uri: relay.uri, compressed: relay.compressed, textBytes: relay.textBytes, detail: relay.detail, mtimeMs: relay.mtimeMs },
    { uri: 'file:///ws/relay-maillog', compressed: false, textBytes: Buffer.byteLength(syslog(40)), detail: '40 of 40 lines stamped', mtimeMs: 1_700_000_000_000 },
  );
  const archived = byPath.get('/ws/archive/maillog.2.gz')!;
  assert.equal(archived.uri, 'log-forensics-gz:/ws/archive/maillog.2.gz');
  assert.equal(archived.textBytes, Buffer.byteLength(syslog(200, 'gw')), 'the inflated size, from the gzip trailer');
  assert.equal(archived.detail, undefined);
  assert.equal(byPath.get('/ws/archive/relay-export.gz')!.detail, '50 of 50 lines stamped');
});

test('a gzip file is known by its magic bytes, whatever its name, and gets the read-only scheme', () => {
  const files = new MemoryFileSystem();
  files.write('/ws/pulled/relay', zlib.gzipSync(syslog(30)));
  const [log] = findWorkspaceLogs(['/ws'], options(), files).logs;
  assert.deepEqual({ reason: log.reason, compressed: log.compressed, uri: log.uri }, { reason: 'content', compressed: true, uri: 'log-forensics-gz:/ws/pulled/relay' });
});

test('only the first bytes of a file are read to know what it is', () => {
  const files = workspace();
  let whole = 0;
  let largest = 0;
  const watched = Object.assign(Object.create(files) as MemoryFileSystem, {
    readFile: (file: string) => {
      whole++;
      return files.readFile(file);
    },
    open: (file: string) => {
      const handle = files.open(file);
      return { ...handle, read: (target: Uint8Array, position: number) => ((largest = Math.max(largest, target.length)), handle.read(target, position)) };
    },
  });
  findWorkspaceLogs(['/ws'], options(), watched);
  assert.equal(whole, 0);
  assert.equal(largest, 16 * KIB);
});

test('an exclude glob wins over the name and over include', () => {
  const files = new MemoryFileSystem();
  files.write('/ws/maillog', syslog(5));
  files.write('/ws/relay/maillog', syslog(5));
  files.write('/ws/relay/dump.txt', 'not a log\n');
  const found = findWorkspaceLogs(['/ws'], options({ include: ['**/*.txt'], exclude: ['relay/*'] }), files);
  assert.deepEqual(named(found), { logs: ['maillog: name'], skipped: ['relay/dump.txt: excluded by "relay/*"', 'relay/maillog: excluded by "relay/*"'] });
});

test('the index stops at its count of logs and its size of text, and says which logs it left out', () => {
  const files = new MemoryFileSystem();
  // Two of these fit in 1 MiB, three do not.
  const log = syslog(5500);
  assert.ok(2 * log.length <= MIB && 3 * log.length > MIB);
  for (const name of ['a', 'b', 'c', 'd']) files.write(`/ws/${name}/maillog`, log);
  assert.deepEqual(named(findWorkspaceLogs(['/ws'], options({ limits: { ...LIMITS, maxFiles: 3 } }), files)), {
    logs: ['a/maillog: name', 'b/maillog: name'],
    skipped: ['c/maillog: limits reached: the workspace index reads at most 1 MiB of logs in all', 'd/maillog: limits reached: the workspace index reads at most 1 MiB of logs in all'],
  });
  files.write('/ws/b/maillog', syslog(10));
  assert.deepEqual(named(findWorkspaceLogs(['/ws'], options({ limits: { ...LIMITS, maxFiles: 2 } }), files)), {
    logs: ['a/maillog: name', 'b/maillog: name'],
    skipped: ['c/maillog: limits reached: the workspace index holds at most 2 logs', 'd/maillog: limits reached: the workspace index holds at most 2 logs'],
  });
});

test('an unreadable file that could be a log is named with the error; the walk goes on', () => {
  const files = new MemoryFileSystem();
  files.write('/ws/locked/maillog', syslog(5));
  files.write('/ws/open/maillog', syslog(5));
  const locked = Object.assign(Object.create(files) as MemoryFileSystem, {
    open: (file: string) => {
      if (file.startsWith('/ws/locked/')) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      return files.open(file);
    },
  });
  assert.deepEqual(named(findWorkspaceLogs(['/ws'], options(), locked)), { logs: ['open/maillog: name'], skipped: ['locked/maillog: unreadable (EACCES)'] });
});

test('refusals are listed up to a bound and counted beyond it', () => {
  const files = new MemoryFileSystem();
  for (let i = 0; i < MAX_SKIPPED_LISTED + 10; i++) files.write(`/ws/old/app-${String(i).padStart(3, '0')}.log`, syslog(2));
  const found = findWorkspaceLogs(['/ws'], options({ exclude: ['old/**'] }), files);
  assert.equal(found.logs.length, 0);
  assert.equal(found.skipped.length, MAX_SKIPPED_LISTED);
  assert.equal(found.skippedCount, MAX_SKIPPED_LISTED + 10);
});

test('files without a log name are looked into up to a bound, then only names and include count', () => {
  const files = new MemoryFileSystem();
  for (let i = 0; i < MAX_SNIFFED_FILES; i++) files.write(`/ws/a/note-${String(i).padStart(4, '0')}.txt`, 'a note\n');
  files.write('/ws/b/relay-dump', syslog(10));
  files.write('/ws/c/maillog', syslog(10));
  const found = findWorkspaceLogs(['/ws'], options(), files);
  assert.deepEqual(named(found), { logs: ['c/maillog: name'], skipped: [`b/relay-dump: limits reached: only the first ${MAX_SNIFFED_FILES} files without a log name are looked into`] });
});

test('several workspace folders are searched, each with globs relative to itself', () => {
  const files = new MemoryFileSystem();
  files.write('/one/relay/maillog', syslog(5));
  files.write('/two/relay/maillog', syslog(5));
  files.write('/two/gw/export', syslog(5));
  const found = findWorkspaceLogs(['/one', '/two'], options({ exclude: ['gw/**'] }), files);
  assert.deepEqual(found.logs.map((log) => log.path), ['/one/relay/maillog', '/two/relay/maillog']);
  assert.deepEqual(found.skipped, []);
});

test('on disk, a symbolic link is not followed, so a link to a parent folder makes no loop', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-discovery-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.mkdirSync(path.join(root, 'logs'));
  fs.writeFileSync(path.join(root, 'logs', 'relay-maillog'), syslog(10));
  fs.symlinkSync(root, path.join(root, 'logs', 'loop'));
  const found = findWorkspaceLogs([root], options(), nodeFileSystem);
  assert.deepEqual(found.logs.map((log) => [path.relative(root, log.path), log.reason]), [[path.join('logs', 'relay-maillog'), 'content']]);
});

test('the include and exclude settings are cleaned into globs relative to the folder, with / between folders', () => {
  const raw = { workspace: { include: ['relay\\*.out', './gw/dump', '/mx/*', '  ', 7, 'relay\\*.out', 'x'.repeat(600)], exclude: 'old/**' } };
  assert.deepEqual(cleanWorkspaceLogSettings(raw), { include: ['relay/*.out', 'gw/dump', 'mx/*'], exclude: [] });
  assert.deepEqual(cleanWorkspaceLogSettings(undefined), { include: [], exclude: [] });
  assert.deepEqual(cleanWorkspaceLogSettings({ workspace: null }), { include: [], exclude: [] });
  assert.equal(cleanWorkspaceLogSettings({ workspace: { exclude: Array.from({ length: 150 }, (_, i) => `f${i}`) } }).exclude.length, 100);
});

test('one file is judged as the scan judges it: a gzip without a log name by its inflated start, binary and prose refused', () => {
  const memory = new MemoryFileSystem();
  const lines = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n'.repeat(5);
  memory.write('/ws/upstream-relay.1', zlib.gzipSync(lines));
  memory.write('/ws/relay-maillog', lines);
  memory.write('/ws/notes.txt', 'Postmortem notes\nThe gateway stopped at about 16:49.\n');
  memory.write('/ws/maillog', Buffer.from([0, 1, 2, 3, 0, 0, 0, 0, 9, 0, 0, 0]));
  assert.equal(looksLikeLogFile('/ws/upstream-relay.1', memory), true);
  assert.equal(looksLikeLogFile('/ws/relay-maillog', memory), true);
  assert.equal(looksLikeLogFile('/ws/notes.txt', memory), false);
  assert.equal(looksLikeLogFile('/ws/maillog', memory), false, 'a log name does not make binary bytes a log');
  assert.equal(looksLikeLogFile('/ws/gone', memory), false);
});
