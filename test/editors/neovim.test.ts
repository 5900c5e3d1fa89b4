import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { parse } from 'yaml';
import { repoPath } from '../support/paths';

// The server in Neovim's built-in LSP client, headless: test/editors/neovim.lua opens two logs of
// the sample incident in a scratch workspace as a user would, asks what an editor asks, applies a
// code action the server runs, and reports what it saw; this file judges it.
interface Diagnostic { code?: string; message: string; range: { start: { line: number } } }
interface Location { uri: string; range: { start: { line: number } } }
interface Seen {
  error?: string;
  first: Diagnostic[];
  hover: { contents: { kind: string; value: string } } | null;
  references: Location[] | null;
  actions: string[];
  executed: { written: string };
  vanished: boolean;
  after: Diagnostic[];
  commands: string[];
}

const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const NO_NVIM = nvim.error || nvim.status !== 0 ? 'nvim is not installed (scripts/setup-neovim.sh installs it); the Neovim tests are skipped' : undefined;
const LOG = repoPath('samples', 'mailgw-incident', 'relay', 'maillog');
const OTHER = repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages');

let workspace: string;
let log: string;
let other: string;
let seen: Seen;
let stateBefore: boolean;

/** The shipped rule of an id, read from the catalogue's YAML. */
function shippedRule(id: string): { title: string; explanation: string } {
  for (const file of fs.readdirSync(repoPath('rules')).filter((name) => name.endsWith('.yaml'))) {
    const rules = (parse(fs.readFileSync(repoPath('rules', file), 'utf8')) as { rules?: { id: string; title: string; explanation: string }[] }).rules ?? [];
    const rule = rules.find((candidate) => candidate.id === id);
    if (rule) return rule;
  }
  throw new Error(`no shipped rule ${id}`);
}

/** Seconds into the day of a line's syslog stamp (`Nov  8 16:50:38`). */
function secondsOf(line: string): number {
  const [h, m, s] = line.slice(7, 15).split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

before(() => {
  if (NO_NVIM) return;
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-nvim-'));
  log = path.join(workspace, 'relay', 'maillog');
  other = path.join(workspace, 'drjmailgw', 'messages');
  for (const [from, to] of [[LOG, log], [OTHER, other]]) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
  stateBefore = fs.existsSync(path.join(workspace, '.log-forensics'));
  const result = path.join(workspace, 'result.json');
  const run = spawnSync('nvim', ['--headless', '--clean', '-u', 'NONE', '-c', `luafile ${repoPath('test', 'editors', 'neovim.lua')}`], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, TZ: 'UTC', LF_SERVER: repoPath('dist', 'server.js'), LF_WORKSPACE: workspace, LF_LOG: log, LF_OTHER: other, LF_RESULT: result },
  });
  assert.ok(fs.existsSync(result), `Neovim wrote no result (exit ${run.status}, ${run.error ?? ''}): ${run.stderr}`);
  seen = JSON.parse(fs.readFileSync(result, 'utf8')) as Seen;
  assert.equal(seen.error, undefined, `the Neovim script failed: ${seen.error}`);
  assert.equal(run.status, 0, run.stderr);
});

after(() => {
  if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
});

test('diagnostics arrive in Neovim for the sample log, on lines that say what the rule matches', { skip: NO_NVIM }, () => {
  const lines = fs.readFileSync(LOG, 'utf8').split('\n');
  const codes = new Set(seen.first.map((d) => d.code));
  assert.ok(codes.has('sendmail/timeout-greeting'), [...codes].join(', '));
  const timeouts = seen.first.filter((d) => d.code === 'sendmail/timeout-greeting').map((d) => d.range.start.line);
  const expected = lines.flatMap((line, index) => (/timeout waiting for input from \S+ during client greeting/.test(line) ? [index] : []));
  assert.deepEqual(timeouts, expected);
});

test('a hover on the finding\'s line has the rule\'s explanation', { skip: NO_NVIM }, () => {
  const finding = seen.first[0];
  const rule = shippedRule(finding.code!);
  const hover = seen.hover?.contents.value ?? '';
  assert.equal(seen.hover?.contents.kind, 'markdown');
  assert.ok(hover.includes(finding.code!), hover);
  // The explanation's opening, up to its first placeholder, as the catalogue writes it.
  const opening = rule.explanation.split('\n')[0].split('{')[0].trim();
  assert.ok(opening.length > 20 && hover.includes(opening), `"${opening}" not in ${hover}`);
});

test('"Disable signature … in this workspace", run by the server, writes disabled-rules.json and the rule\'s diagnostics go', { skip: NO_NVIM }, () => {
  const code = seen.first[0].code!;
  assert.ok(seen.commands.includes('logForensics.disableRuleInWorkspace'), seen.commands.join(', '));
  assert.ok(seen.actions.some((title) => title.startsWith(`Disable signature ${code} in this workspace`)), seen.actions.join(' | '));
  assert.equal(stateBefore, false);
  const state = path.join(workspace, '.log-forensics', 'disabled-rules.json');
  assert.equal(seen.executed.written, state);
  assert.deepEqual(JSON.parse(fs.readFileSync(state, 'utf8')), { version: 1, disabled: [code] });
  assert.equal(seen.vanished, true);
  assert.ok(!seen.after.some((d) => d.code === code));
  const others = new Set(seen.first.map((d) => d.code).filter((other) => other !== code));
  assert.ok(others.size > 0 && [...others].every((other) => seen.after.some((d) => d.code === other)), 'the other rules\' findings stay');
  assert.equal(fs.readFileSync(log, 'utf8'), fs.readFileSync(LOG, 'utf8'), 'the log is untouched');
});

test('references on the finding\'s timestamp list lines of the other open log within the correlation window', { skip: NO_NVIM }, () => {
  const line = seen.first[0].range.start.line;
  const stamp = secondsOf(fs.readFileSync(LOG, 'utf8').split('\n')[line]);
  const otherLines = fs.readFileSync(OTHER, 'utf8').split('\n');
  const inOther = (seen.references ?? []).filter((l) => l.uri === pathToFileURL(other).href).map((l) => l.range.start.line);
  assert.ok(inOther.length > 0, JSON.stringify(seen.references));
  for (const index of inOther) assert.ok(Math.abs(secondsOf(otherLines[index]) - stamp) <= 300, `line ${index + 1}: ${otherLines[index]}`);
  const expected = otherLines.flatMap((text, index) => (text !== '' && Math.abs(secondsOf(text) - stamp) <= 300 ? [index] : []));
  assert.deepEqual([...inOther].sort((a, b) => a - b), expected);
});
