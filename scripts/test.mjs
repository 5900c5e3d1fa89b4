// Runs every test stage in order and ends with one summary line "tests: N passed, N failed, N skipped".
// Stages: build, type check + compile, lint, node tests (unit, protocol, cli, grammar, robustness), editors
// (the server in headless Neovim, installed by scripts/setup-neovim.sh), then the end-to-end suite in a real VS Code (code-server + chromium), unless LOG_FORENSICS_SKIP_E2E=1.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

/** Runs a command, echoing its output, and returns its exit code and output. */
function run(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const echo = (stream) => (chunk) => {
      const text = chunk.toString();
      if (!/Unknown user config "nodedir"/.test(text)) stream.write(text);
      output += text;
    };
    child.stdout.on('data', echo(process.stdout));
    child.stderr.on('data', echo(process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
    child.on('error', (error) => resolve({ code: 1, output: String(error) }));
  });
}

async function step(name, command, args, env) {
  console.log(`\n=== ${name}`);
  const { code, output } = await run(command, args, env);
  if (code !== 0) failures.push(`${name} (exit ${code})`);
  return { code, output };
}

function count(output, pattern) {
  const match = output.match(pattern);
  return match ? Number(match[1]) : 0;
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const build = await step('build', process.execPath, ['scripts/build.mjs']);
const compile = await step('type check and compile tests', npx, ['tsc', '-p', '.']);
await step('lint', npx, ['eslint', '.']);

if (build.code === 0 && compile.code === 0) {
  const suites = ['unit', 'protocol', 'cli', 'grammar', 'robustness'].map((dir) => `out/test/${dir}`).filter((dir) => existsSync(path.join(root, dir)));
  const node = await step('node tests', process.execPath, ['--test', '--test-reporter=spec', ...suites], { TZ: process.env.TZ ?? 'UTC' });
  totals.passed += count(node.output, /ℹ pass (\d+)/);
  totals.failed += count(node.output, /ℹ fail (\d+)/);
  totals.skipped += count(node.output, /ℹ skipped (\d+)/);

  const editors = path.join(root, 'out/test/editors');
  if (existsSync(editors)) {
    const setup = await step('editors setup (Neovim)', 'bash', ['scripts/setup-neovim.sh']);
    if (setup.code === 0) {
      const result = await step('editors: the server in headless Neovim', process.execPath, ['--test', '--test-reporter=spec', 'out/test/editors'], { TZ: process.env.TZ ?? 'UTC' });
      totals.passed += count(result.output, /ℹ pass (\d+)/);
      totals.failed += count(result.output, /ℹ fail (\d+)/);
      totals.skipped += count(result.output, /ℹ skipped (\d+)/);
    }
  }

  const e2e = path.join(root, 'out/test/e2e/run.js');
  if (process.env.LOG_FORENSICS_SKIP_E2E === '1') {
    console.log('\n=== end-to-end: skipped (LOG_FORENSICS_SKIP_E2E=1)');
    totals.skipped += 1;
  } else if (existsSync(e2e)) {
    const setup = await step('end-to-end setup (code-server, chromium)', 'bash', ['scripts/setup-code-server.sh']);
    if (setup.code === 0) {
      const result = await step('end-to-end in a real VS Code', process.execPath, [e2e]);
      const match = result.output.match(/^e2e: (\d+) passed, (\d+) failed/m);
      if (match) {
        totals.passed += Number(match[1]);
        totals.failed += Number(match[2]);
      }
    }
  }
}

console.log('');
if (failures.length) console.log(`failed stages: ${failures.join('; ')}`);
if (failures.length && totals.failed === 0) totals.failed = failures.length;
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = failures.length || totals.failed ? 1 : 0;
