import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoPath } from '../support/paths';

let folder: string;
let rules: string;
let log: string;
let auditLog: string;

/** Runs the built CLI; TZ is pinned so yearless stamps read the same everywhere. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-sigma-'));
  rules = path.join(folder, 'sigma');
  fs.mkdirSync(path.join(rules, 'builtin'), { recursive: true });
  fs.writeFileSync(path.join(rules, 'builtin', 'root_password.yml'), `title: Password guessing against root
id: 3f1d9a52-7c1e-4d8b-9a61-5b0c2e7d4a10
status: test
description: Someone tried passwords for root over SSH.
logsource:
  product: linux
  service: sshd
detection:
  keywords:
    - 'failed password for root'
  condition: keywords
falsepositives:
  - An administrator who mistyped
level: high
`);
  fs.writeFileSync(path.join(rules, 'windows_rule.yaml'), `title: A Windows rule
logsource:
  product: windows
detection:
  keywords: ['x']
  condition: keywords
`);
  fs.writeFileSync(path.join(rules, 'auditd_rule.yml'), `title: An auditd rule
logsource:
  product: linux
  service: auditd
detection:
  selection:
    type: EXECVE
    a0: nc
  condition: selection
`);
  auditLog = path.join(folder, 'audit.log');
  fs.writeFileSync(auditLog, [
    'type=SYSCALL msg=audit(1289236182.101:700): arch=c000003e syscall=59 success=yes exit=0 comm="nc" exe="/usr/bin/nc.openbsd"',
    'type=EXECVE msg=audit(1289236182.101:700): argc=3 a0="nc" a1="-l" a2="4444"',
    'type=EXECVE msg=audit(1289236190.002:701): argc=1 a0="ls"',
  ].join('\n'));
  log = path.join(folder, 'secure');
  fs.writeFileSync(log, [
    'Nov  8 16:49:40 gw sshd[2201]: Accepted publickey for alice from 192.0.2.7 port 4242 ssh2',
    'Nov  8 16:49:42 gw sshd[2201]: Failed password for root from 192.0.2.7 port 4242 ssh2',
  ].join('\n'));
  const mtime = new Date(Date.UTC(2010, 10, 9));
  fs.utimesSync(log, mtime, mtime);
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

test('scan --sigma runs the linux Sigma rules of a folder and its subfolders', () => {
  const { status, stdout } = cli('scan', '--format', 'json', '--sigma', rules, log);
  assert.equal(status, 0);
  const found = JSON.parse(stdout).filter((f: { ruleId: string }) => f.ruleId.startsWith('sigma/'));
  assert.deepEqual(found.map((f: Record<string, unknown>) => [f.line, f.ruleId, f.severity, f.message]), [
    [2, 'sigma/3f1d9a52-7c1e-4d8b-9a61-5b0c2e7d4a10', 'error', 'Password guessing against root'],
  ]);
});

test('scan --sigma names the rules it skips or refuses on stderr, with file, line and column', () => {
  const { status, stderr } = cli('scan', '--sigma', rules, log);
  assert.equal(status, 0);
  assert.ok(stderr.includes(`${path.join(rules, 'windows_rule.yaml')}:3:12: "A Windows rule": skipped: logsource product windows is not linux`), stderr);
  assert.ok(!stderr.includes('auditd_rule.yml'), stderr);
});

test('scan --sigma runs auditd rules over the records of an audit log', () => {
  const { status, stdout } = cli('scan', '--format', 'json', '--sigma', rules, auditLog);
  assert.equal(status, 0);
  const found = JSON.parse(stdout).filter((f: { ruleId: string }) => f.ruleId.startsWith('sigma/'));
  assert.deepEqual(found.map((f: Record<string, unknown>) => [f.line, f.message]), [[2, 'An auditd rule']]);
});

test('scan --sigma with a missing folder names it and exits with status 2', () => {
  const { status, stderr } = cli('scan', '--sigma', path.join(folder, 'nowhere'), log);
  assert.equal(status, 2);
  assert.match(stderr, /cannot read the Sigma folder .*nowhere/);
});
