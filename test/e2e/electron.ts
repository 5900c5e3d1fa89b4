/**
 * Runs the in-editor suite (suite/) in a VS Code downloaded by `@vscode/test-electron`, for
 * machines that can reach update.code.visualstudio.com. Offline, use run.ts (code-server).
 * Needs `npm run build` and `npm run compile`; `npm run test:electron` does both.
 * VSCODE_TEST_VERSION picks the VS Code version (default 1.100.3, the one inside code-server
 * 4.100.3, so both runners test the same editor).
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { repoPath } from '../support/paths';
import { E2E_RESULT_ENV, SuiteResult } from './results';

const SAMPLES = path.resolve(process.env.LOG_FORENSICS_SAMPLES || repoPath('samples'));
const RESULT_FILE = repoPath('.e2e', 'electron-results.json');

async function main(): Promise<number> {
  const incident = path.join(SAMPLES, 'mailgw-incident');
  if (!fs.existsSync(incident)) throw new Error(`${incident} is missing (set LOG_FORENSICS_SAMPLES to the folder holding mailgw-incident/)`);
  fs.rmSync(RESULT_FILE, { force: true });
  let failure: string | undefined;
  try {
    await runTests({
      version: process.env.VSCODE_TEST_VERSION || '1.100.3',
      extensionDevelopmentPath: repoPath(),
      extensionTestsPath: repoPath('out', 'test', 'e2e', 'suite', 'index.js'),
      extensionTestsEnv: { [E2E_RESULT_ENV]: RESULT_FILE },
      // runTests adds --skip-welcome, --disable-workspace-trust and the like itself.
      launchArgs: [incident, '--disable-extensions'],
    });
  } catch (error) {
    failure = (error as Error).message;
  }
  let result: SuiteResult | undefined;
  try {
    result = JSON.parse(fs.readFileSync(RESULT_FILE, 'utf8')) as SuiteResult;
  } catch {
    // Reported below: VS Code failed before the suite started.
  }
  const tests = result?.tests ?? [];
  for (const test of tests) console.log(`  ${test.state === 'passed' ? 'pass' : test.state === 'failed' ? 'FAIL' : 'skip'}  ${test.title} (${test.durationMs} ms)`);
  let failed = tests.filter((test) => test.state === 'failed').length;
  const passed = tests.filter((test) => test.state === 'passed').length;
  if (!result || result.status !== 'done') {
    console.log(`  FAIL  in-editor suite: ${result?.error ?? failure ?? 'no result file was written'}`);
    failed++;
  } else if (failure && failed === 0) {
    console.log(`  FAIL  VS Code: ${failure}`);
    failed++;
  }
  console.log(`e2e (electron): ${passed} passed, ${failed} failed`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`e2e (electron): ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
