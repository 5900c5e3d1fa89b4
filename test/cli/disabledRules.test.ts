import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoPath } from '../support/paths';

// The workspace's `.log-forensics/disabled-rules.json`, as any editor writes it, applies on the
// command line too: in the current folder, or in a folder named as FILE.
const GATEWAY = 'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';
const RELAY = 'Nov  8 16:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting\n';

let folder: string;

function scan(cwd: string, ...files: string[]): { status: number | null; rules: string[]; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), 'scan', '--format', 'json', ...files], { cwd, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  const rules = (JSON.parse(result.stdout) as { ruleId: string }[]).map((finding) => finding.ruleId);
  return { status: result.status, rules, stderr: result.stderr };
}

function writeState(text: string): void {
  fs.mkdirSync(path.join(folder, '.log-forensics'), { recursive: true });
  fs.writeFileSync(path.join(folder, '.log-forensics', 'disabled-rules.json'), text);
}

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-cli-disabled-'));
  fs.writeFileSync(path.join(folder, 'messages'), GATEWAY);
  fs.writeFileSync(path.join(folder, 'maillog'), RELAY);
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

test('without the file, both logs\' rules report', () => {
  fs.rmSync(path.join(folder, '.log-forensics'), { recursive: true, force: true });
  const { status, rules } = scan(folder, 'messages', 'maillog');
  assert.equal(status, 0);
  assert.ok(rules.includes('kernel/irq-no-handler') && rules.includes('sendmail/timeout-greeting'), rules.join(', '));
});

test('a rule disabled in the current folder\'s file is dropped; the others stay', () => {
  writeState('{"version":1,"disabled":["sendmail/timeout-greeting"]}\n');
  const { rules } = scan(folder, 'messages', 'maillog');
  assert.ok(!rules.includes('sendmail/timeout-greeting'), rules.join(', '));
  assert.ok(rules.includes('kernel/irq-no-handler'));
});

test('a folder named as FILE brings its own file, scanned from elsewhere', () => {
  writeState('{"version":1,"disabled":["kernel/irq-no-handler"]}\n');
  const { rules } = scan(os.tmpdir(), folder);
  assert.ok(!rules.includes('kernel/irq-no-handler'), rules.join(', '));
  assert.ok(rules.includes('sendmail/timeout-greeting'));
});

test('a malformed file is named on stderr with line and column, and no rule is dropped', () => {
  writeState('{"version":1,\n "disabled": [\n');
  const { status, rules, stderr } = scan(folder, 'messages', 'maillog');
  assert.equal(status, 0);
  assert.match(stderr, /disabled-rules\.json:\d+:\d+: not valid JSON/);
  assert.ok(rules.includes('kernel/irq-no-handler') && rules.includes('sendmail/timeout-greeting'));
});
