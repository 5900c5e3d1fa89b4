/**
 * Entry point of the in-editor suite, loaded by VS Code as `extensionTestsPath` (by
 * `@vscode/test-electron` or through code-server, see ../run.ts). Runs mocha over the
 * `*.test.js` files next to this one and writes a JSON result file, because a runner that
 * drives VS Code in a browser cannot see the extension host's output.
 */
import * as fs from 'fs';
import * as path from 'path';
import type MochaType from 'mocha';
import { E2E_GREP_ENV, E2E_RESULT_ENV, SuiteResult, TestOutcome, defaultResultFile } from '../results';

// mocha's package entry is an ES module; its CommonJS build loads in any extension host.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const Mocha: typeof MochaType = require('mocha/lib/mocha.cjs');

/** Writes the result file whole, through a temporary file, so a reader never sees half of it. */
function writeResult(file: string, result: SuiteResult): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(result, null, 2));
  fs.renameSync(temporary, file);
}

/** Runs the suite; rejects when a test failed, as `@vscode/test-electron` expects. */
export async function run(): Promise<void> {
  const resultFile = process.env[E2E_RESULT_ENV] || defaultResultFile();
  const result: SuiteResult = { status: 'running', startedAt: new Date().toISOString(), tests: [] };
  writeResult(resultFile, result);

  const mocha = new Mocha({ ui: 'tdd', timeout: 30_000, color: false, reporter: 'spec' });
  // code-server passes its environment on to the extension host, so the runner's filter arrives here.
  const grep = process.env[E2E_GREP_ENV];
  if (grep) mocha.grep(new RegExp(grep));
  const files = fs.readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));

  const record = (outcome: TestOutcome): void => {
    result.tests.push(outcome);
    writeResult(resultFile, result);
  };
  try {
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (test) => record({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
      runner.on('fail', (test, error: Error) =>
        record({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, message: error?.stack ?? String(error) }),
      );
      runner.on('pending', (test) => record({ title: test.fullTitle(), state: 'skipped', durationMs: 0 }));
    });
    result.status = 'done';
    if (files.length === 0) {
      result.status = 'error';
      result.error = `no *.test.js files in ${__dirname}`;
    }
    writeResult(resultFile, { ...result, finishedAt: new Date().toISOString() });
    if (result.status === 'error') throw new Error(result.error);
    if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
  } catch (error) {
    if (result.status === 'running') {
      writeResult(resultFile, { ...result, status: 'error', error: (error as Error).stack ?? String(error), finishedAt: new Date().toISOString() });
    }
    throw error;
  }
}
