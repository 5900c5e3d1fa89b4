import * as path from 'path';
import { Suppression, SuppressionSet, addSuppression, parseSuppressions } from '../analysis/rules/suppress';
import { writeFileAtomicSync } from './atomicWrite';
import * as fs from 'fs';
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

/**
 * Records one finding as expected in the workspace's suppressions file, written atomically (the
 * old content or the whole new one). A file that cannot be read as suppressions is left alone and
 * named in the error. Returns the file written.
 */
export function addSuppressionIn(root: string, entry: Suppression): string {
  const target = path.join(root, SUPPRESSIONS_FILE);
  let current = '{"version":1,"suppressions":[]}';
  try {
    current = fs.readFileSync(target, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${target} cannot be read (${(error as Error).message})`, { cause: error });
  }
  const parsed = parseSuppressions(current);
  if (parsed.problems.length > 0) throw new Error(`${target} is not valid (${parsed.problems[0]}); fix it before adding to it`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  writeFileAtomicSync(target, addSuppression(parsed.file, entry));
  return target;
}
