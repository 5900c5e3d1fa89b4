/** The result file through which the in-editor suite reports to whichever runner started it. */
import { repoPath } from '../support/paths';

/** Environment variable naming the result file; the suite falls back to {@link defaultResultFile}. */
export const E2E_RESULT_ENV = 'LOG_FORENSICS_E2E_RESULT';

/**
 * Environment variable holding a regular expression: only the tests whose full title matches it
 * run, in the in-editor suite (mocha's grep) and among the checks through the user interface.
 */
export const E2E_GREP_ENV = 'LOG_FORENSICS_E2E_GREP';

/** Where the suite writes its results when the runner names no file. */
export function defaultResultFile(): string {
  return repoPath('.e2e', 'suite-results.json');
}

/** One finished test. */
export interface TestOutcome {
  /** Suite and test names, as mocha's `fullTitle()`. */
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  /** The failure, with its stack. */
  message?: string;
}

/**
 * The whole file. `running` is written as soon as the suite starts, so a runner can tell an
 * extension host that never started from a test that hangs; `error` means the suite itself
 * could not run.
 */
export interface SuiteResult {
  status: 'running' | 'done' | 'error';
  startedAt: string;
  finishedAt?: string;
  tests: TestOutcome[];
  error?: string;
}
