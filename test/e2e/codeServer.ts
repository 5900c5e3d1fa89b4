/**
 * Starts and stops code-server (VS Code's workbench and extension host, installed under
 * .vscode-test/ by scripts/setup-code-server.sh) for the end-to-end runner.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { repoPath } from '../support/paths';

/** code-server's entry point, where scripts/setup-code-server.sh installs it. */
export const CODE_SERVER_ENTRY = repoPath('.vscode-test', 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');

/** User settings that keep a fresh profile quiet: no welcome page, tips or recommendations. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'git.openRepositoryInParentFolders': 'never',
  'editor.minimap.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
  // Files opened from Quick Open stay open side by side (the chart check opens three logs).
  'workbench.editor.enablePreviewFromQuickOpen': false,
};

/** A running code-server. */
export interface CodeServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** `vscode-remote://127.0.0.1:PORT`, the scheme and authority of files on the server. */
  remote: string;
  /** Stops the server and waits until every process it started has exited. */
  stop(): Promise<void>;
}

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  /** Where code-server's output goes. */
  logFile: string;
  /** Extra environment for code-server and the extension hosts it starts. */
  env?: NodeJS.ProcessEnv;
  healthTimeoutMs?: number;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The workbench URL opening `folder`, optionally with a development extension and its tests. */
export function workbenchUrl(server: CodeServer, folder: string, development?: { extensionPath: string; testsPath?: string }): string {
  const url = new URL(`${server.origin}/`);
  url.searchParams.set('folder', folder);
  if (development) {
    const payload: [string, string][] = [['extensionDevelopmentPath', `${server.remote}${development.extensionPath}`]];
    if (development.testsPath) payload.push(['extensionTestsPath', `${server.remote}${development.testsPath}`]);
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}

/**
 * Whether a process group still has a live member. Zombies do not count: orphans are reaped by
 * whatever runs as PID 1, which in a container may never do it.
 */
function groupAlive(pgid: number): boolean {
  if (!fs.existsSync('/proc/self/stat')) {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) return true;
  }
  return false;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Polls until `check` holds or the time is up; true when it held. */
async function pollUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

async function healthy(origin: string): Promise<boolean> {
  try {
    const response = await fetch(`${origin}/healthz`);
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts code-server on a free port with a temporary profile (user data, extensions, XDG
 * folders: it writes to the home folder otherwise) and waits until it answers.
 */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) {
    throw new Error(`code-server is not installed (${path.relative(repoPath(), CODE_SERVER_ENTRY)} is missing); run scripts/setup-code-server.sh`);
  }
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-code-server-'));
  const userData = path.join(home, 'user-data');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(QUIET_SETTINGS, null, 2));
  const port = await freePort();
  fs.mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = fs.openSync(options.logFile, 'w');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      CODE_SERVER_ENTRY,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', path.join(home, 'extensions'),
      '--bind-addr', `127.0.0.1:${port}`,
    ],
    {
      // Its own process group, so stopping it reaches the extension hosts and language servers.
      detached: true,
      stdio: ['ignore', log, log],
      env: { ...process.env, ...options.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_DATA_HOME: path.join(home, 'data') },
    },
  );
  fs.closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start');
  let exitCode: number | null | undefined;
  child.once('exit', (code) => (exitCode = code));

  const origin = `http://127.0.0.1:${port}`;
  const server: CodeServer = {
    origin,
    remote: `vscode-remote://127.0.0.1:${port}`,
    async stop() {
      if (groupAlive(pid)) {
        signalGroup(pid, 'SIGTERM');
        if (!(await pollUntil(() => !groupAlive(pid), 10_000))) signalGroup(pid, 'SIGKILL');
        await pollUntil(() => !groupAlive(pid), 5_000);
      }
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
  const up = await pollUntil(async () => exitCode !== undefined || (await healthy(origin)), options.healthTimeoutMs ?? 30_000, 200);
  if (!up || exitCode !== undefined) {
    await server.stop();
    throw new Error(`code-server ${exitCode !== undefined ? `exited with ${exitCode}` : 'did not answer /healthz'}; see ${options.logFile}`);
  }
  return server;
}
