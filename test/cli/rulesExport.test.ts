import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../support/paths';

let folder: string;

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The counts the summary on stderr gives: exported by kind, left out in all and by reason. */
function summary(stderr: string): { exported: number; line: number; burst: number; paired: number; leftOut: number; byReason: number[] } {
  const head = /exported (\d+) rules as Sigma \((\d+) line, (\d+) burst with event_count, (\d+) paired with temporal_ordered\); left out (\d+):/.exec(stderr);
  assert.ok(head, stderr);
  const byReason = [...stderr.matchAll(/^ +(\d+) {2}\S.*$/gm)].map((match) => Number(match[1]));
  const [exported, line, burst, paired, leftOut] = head.slice(1).map(Number);
  return { exported, line, burst, paired, leftOut, byReason };
}

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-rules-export-'));
});

after(() => {
  fs.rmSync(folder, { recursive: true, force: true });
});

test('rules export --out writes one Sigma file per exported rule and counts what was left out', () => {
  const out = path.join(folder, 'new', 'sigma');
  const result = cli('rules', 'export', '--format', 'sigma', '--out', out);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  const counts = summary(result.stderr);
  assert.equal(counts.exported, counts.line + counts.burst + counts.paired);
  assert.ok(counts.leftOut > 0 && counts.byReason.length > 1);
  assert.equal(counts.byReason.reduce((sum, n) => sum + n, 0), counts.leftOut);
  const files = fs.readdirSync(out);
  assert.equal(files.length, counts.exported);
  assert.ok(files.every((name) => name.endsWith('.yml')), files.join(' '));
  const burst = fs.readFileSync(path.join(out, 'sshd_failed-password.yml'), 'utf8');
  const documents = parseAllDocuments(burst).map((document) => document.toJS() as Record<string, unknown>);
  assert.equal(documents.length, 2);
  assert.equal((documents[1].correlation as { type: string }).type, 'event_count');
});

test('rules export into an existing folder replaces files of the same name and leaves others alone', () => {
  const out = path.join(folder, 'existing');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'sshd_failed-password.yml'), 'stale');
  fs.writeFileSync(path.join(out, 'mine.yml'), 'my own rule');
  const result = cli('rules', 'export', '--format', 'sigma', '--out', out);
  assert.equal(result.status, 0, result.stderr);
  assert.notEqual(fs.readFileSync(path.join(out, 'sshd_failed-password.yml'), 'utf8'), 'stale');
  assert.equal(fs.readFileSync(path.join(out, 'mine.yml'), 'utf8'), 'my own rule');
  assert.ok(!fs.readdirSync(out).some((name) => name.endsWith('.tmp')));
});

test('rules export without --out prints every rule as one YAML stream, as many documents as the files hold', () => {
  const out = path.join(folder, 'compare');
  assert.equal(cli('rules', 'export', '--format', 'sigma', '--out', out).status, 0);
  const inFiles = fs.readdirSync(out).reduce((sum, name) => sum + parseAllDocuments(fs.readFileSync(path.join(out, name), 'utf8')).length, 0);
  const result = cli('rules', 'export', '--format', 'sigma');
  assert.equal(result.status, 0, result.stderr);
  const documents = parseAllDocuments(result.stdout);
  assert.ok(Array.isArray(documents));
  assert.ok(documents.every((document) => document.errors.length === 0));
  assert.equal(documents.length, inFiles);
  assert.ok(documents.every((document) => typeof (document.toJS() as { title?: unknown }).title === 'string'));
  summary(result.stderr);
});

test('rules export --help names its options', () => {
  const result = cli('rules', 'export', '--help');
  assert.equal(result.status, 0);
  assert.match(result.stdout, /log-forensics rules export --format sigma \[--out DIR\]/);
  assert.match(result.stdout, /^ {2}--out DIR /m);
});

test('a bad --format, a missing one or another action is a usage mistake (status 2)', () => {
  const bad = cli('rules', 'export', '--format', 'splunk');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format must be sigma, not "splunk"/);
  assert.match(bad.stderr, /log-forensics rules export --format sigma/);
  const missing = cli('rules', 'export');
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /needs --format sigma/);
  const other = cli('rules', 'import', '--format', 'sigma');
  assert.equal(other.status, 2);
  assert.match(other.stderr, /rules takes one action, export, not "import"/);
  assert.equal(cli('rules', 'export', '--format', 'sigma', '--tz', 'UTC').status, 2);
});

test('rules export --out onto a file is refused with a clear message', () => {
  const file = path.join(folder, 'a-file');
  fs.writeFileSync(file, 'x');
  const result = cli('rules', 'export', '--format', 'sigma', '--out', file);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /cannot write the Sigma rules to/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'x');
});
