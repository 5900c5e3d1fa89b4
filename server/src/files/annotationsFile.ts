import * as fs from 'fs';
import * as path from 'path';
import { ParsedStore, emptyStore, parseStore, serializeStore } from '../analysis/annotate/store';
import { AnnotationStore } from '../analysis/annotate/types';
import { writeFileAtomic } from './atomicWrite';

/** Where a workspace keeps its annotations, relative to its root. */
export const ANNOTATIONS_FILE = path.join('.log-forensics', 'annotations.json');

/** The annotations file of a workspace folder. */
export function annotationsFileIn(workspaceRoot: string): string {
  return path.join(workspaceRoot, ANNOTATIONS_FILE);
}

/**
 * The root that an annotations file's paths are relative to: the folder holding
 * `.log-forensics/`, or for a file kept elsewhere, its own folder.
 */
export function workspaceRootOf(annotationsFile: string): string {
  const folder = path.dirname(path.resolve(annotationsFile));
  return path.basename(folder) === '.log-forensics' ? path.dirname(folder) : folder;
}

/** A log's path as annotations name it (relative to the root, with `/`); undefined outside the root. */
export function annotationPathOf(workspaceRoot: string, logFile: string): string | undefined {
  const relative = path.relative(path.resolve(workspaceRoot), path.resolve(logFile));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  return relative.split(path.sep).join('/');
}

function parsedOrProblem(read: () => string): ParsedStore {
  try {
    return parseStore(read());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { store: emptyStore(), problems: [], lossless: true };
    return { store: emptyStore(), problems: [{ path: '', message: `cannot be read: ${(error as Error).message}` }], lossless: false };
  }
}

/** Reads an annotations file; a missing file is an empty store. Never throws. */
export function readAnnotationsFileSync(file: string): ParsedStore {
  return parsedOrProblem(() => fs.readFileSync(file, 'utf8'));
}

/** Reads an annotations file without blocking; a missing file is an empty store. Never throws. */
export async function readAnnotationsFile(file: string): Promise<ParsedStore> {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    return parsedOrProblem(() => {
      throw error;
    });
  }
  return parseStore(text);
}

/** Thrown when the file holds annotations that could not be read; saving would lose them. */
export class UnreadableAnnotationsError extends Error {}

const LOCK_WAIT_MS = 5_000;
const LOCK_STALE_MS = 30_000;

/** Takes the file's lock (`annotations.json.lock`, created exclusively); breaks one left by a crash. */
async function lock(file: string): Promise<() => Promise<void>> {
  const lockFile = `${file}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.promises.open(lockFile, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => fs.promises.rm(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const stat = await fs.promises.stat(lockFile).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > LOCK_STALE_MS) {
      await fs.promises.rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${file} is locked by another writer (${lockFile}); try again`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Changes the annotations file safely: under a lock, it reads the file as it is now (another
 * window may have saved since), applies `change`, and writes the result atomically. Refuses with
 * `UnreadableAnnotationsError` when the current file could not be read completely, rather than
 * drop what it could not understand. Returns the store as written.
 */
export async function updateAnnotationsFile(file: string, change: (store: AnnotationStore) => AnnotationStore): Promise<AnnotationStore> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const release = await lock(file);
  try {
    const current = await readAnnotationsFile(file);
    if (!current.lossless) {
      throw new UnreadableAnnotationsError(`${file}: ${current.problems.map((p) => `${p.path ? `${p.path}: ` : ''}${p.message}`).join('; ')}`);
    }
    const next = change(current.store);
    await writeFileAtomic(file, serializeStore(next));
    return next;
  } finally {
    await release();
  }
}
