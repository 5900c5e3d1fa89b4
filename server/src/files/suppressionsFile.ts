import * as path from 'path';
import { SuppressionSet, parseSuppressions } from '../analysis/rules/suppress';
import { LogFileSystem, nodeFileSystem } from './fileSystem';

/** Where a workspace keeps the findings marked as expected, relative to its root. */
export const SUPPRESSIONS_FILE = path.join('.log-forensics', 'suppressions.json');

/**
 * The suppressions of the workspace rooted at `root` (none when it has no file); problems with the
 * file come back one line each. Read by the editor, the CLI, the report and the export alike.
 */
export function readSuppressionsIn(root: string, fs: LogFileSystem = nodeFileSystem): { set: SuppressionSet; problems: string[] } {
  const file = path.join(root, SUPPRESSIONS_FILE);
  let text: string;
  try {
    text = Buffer.from(fs.readFile(file)).toString('utf8');
  } catch {
    return { set: new SuppressionSet(), problems: [] };
  }
  const parsed = parseSuppressions(text);
  return { set: new SuppressionSet(parsed.file.suppressions), problems: parsed.problems.map((problem) => `${file}: ${problem}`) };
}
