import * as path from 'path';

/** The repository root, from the compiled test files under out/test/. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** A path inside the repository. */
export function repoPath(...parts: string[]): string {
  return path.join(REPO_ROOT, ...parts);
}

/**
 * The folder of real third-party logs used by tests, from LOG_FORENSICS_CORPUS; undefined when
 * unset or missing (tests then skip, saying why).
 */
export function corpusFolder(): string | undefined {
  const folder = process.env.LOG_FORENSICS_CORPUS;
  if (!folder) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('fs').statSync(folder).isDirectory() ? folder : undefined;
  } catch {
    return undefined;
  }
}

/** Why corpus tests were skipped, for the skip message. */
export const CORPUS_SKIP = 'LOG_FORENSICS_CORPUS is not set to the corpus folder (e.g. ../shared/corpus); real-log tests skipped';
