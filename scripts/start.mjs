// `npm start`: opens samples/ in a real VS Code (code-server, in the browser) with the
// extension loaded from this folder, and keeps it running until Ctrl-C. Sets up code-server
// on first use (scripts/setup-code-server.sh) and builds the extension first.
// PORT chooses the port (default: a free one).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const samples = path.join(root, 'samples');

function step(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`start: ${[command, ...args].join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function until(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return false;
}

// True while a live (not zombie) process remains in the group.
function groupAlive(pgid) {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) return true;
  }
  return false;
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

step('bash', [path.join(root, 'scripts', 'setup-code-server.sh')]);
step(process.execPath, [path.join(root, 'scripts', 'build.mjs')]);
if (!fs.existsSync(samples)) {
  console.error('start: samples/ is missing');
  process.exit(1);
}

const port = process.env.PORT ? Number(process.env.PORT) : await freePort();
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-start-'));
const userData = path.join(home, 'user-data');
fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
fs.writeFileSync(
  path.join(userData, 'User', 'settings.json'),
  JSON.stringify({ 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'extensions.ignoreRecommendations': true, 'git.openRepositoryInParentFolders': 'never' }, null, 2),
);
const child = spawn(
  process.execPath,
  [entry, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userData, '--extensions-dir', path.join(home, 'extensions'), '--bind-addr', `127.0.0.1:${port}`],
  { detached: true, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') } },
);

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  console.log('\nstart: stopping code-server');
  if (groupAlive(child.pid)) {
    signalGroup(child.pid, 'SIGTERM');
    if (!(await until(() => !groupAlive(child.pid), 10_000))) signalGroup(child.pid, 'SIGKILL');
    await until(() => !groupAlive(child.pid), 5_000);
  }
  fs.rmSync(home, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
child.on('exit', (code) => {
  if (!stopping) {
    console.error(`start: code-server exited (${code})`);
    void stop(code ?? 1);
  }
});

const origin = `http://127.0.0.1:${port}`;
const healthy = () => fetch(`${origin}/healthz`).then((response) => response.ok, () => false);
if (!(await until(healthy, 30_000))) {
  console.error('start: code-server did not answer within 30 s');
  await stop(1);
}
const url = new URL(`${origin}/`);
url.searchParams.set('folder', samples);
// Loads the extension from this folder, as "Run Extension" does; Developer: Reload Window picks up a rebuild.
url.searchParams.set('payload', JSON.stringify([['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${port}${root}`]]));
console.log(`\nLog Forensics in VS Code: ${url}\n(Ctrl-C to stop)`);
