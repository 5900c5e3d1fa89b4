import * as path from 'path';
import { createAnchor, isResolved, resolveAnchors } from './analysis/annotate/anchor';
import { addAnnotation, annotationsFor, removeAnnotation, updateAnnotation } from './analysis/annotate/store';
import { Annotation, AnnotationStore } from './analysis/annotate/types';
import { annotationPathOf, annotationsFileIn, readAnnotationsFile, updateAnnotationsFile } from './files/annotationsFile';
import { filePathOf } from './logs/logUris';
import { StoredLog } from './logs/registry';
import { ANNOTATE_LINE_COMMAND } from './protocol';

export { ANNOTATE_LINE_COMMAND };

/**
 * What the command does to the line's annotation: `set` (the default) a star, tags, a note
 * (absent ones stay as they are), creating it if need be; `toggleStar` turns its star on or off;
 * `get` only reads it; `remove` deletes it. A client that holds no document of the log (a
 * focused view, a log over VS Code's limit) does all of it through the server.
 */
export interface AnnotateValues {
  op?: AnnotateOperation;
  starred?: boolean;
  tags?: string[];
  note?: string;
}

export const ANNOTATE_OPERATIONS = ['set', 'toggleStar', 'get', 'remove'] as const;
export type AnnotateOperation = (typeof ANNOTATE_OPERATIONS)[number];

/** The values as a client sent them; a message naming what is wrong. */
export function readAnnotateValues(value: unknown): AnnotateValues | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) return 'the values must be an object {op?, starred?, tags?, note?}.';
  const { op, starred, tags, note } = value as Record<string, unknown>;
  if (op !== undefined && !(ANNOTATE_OPERATIONS as readonly unknown[]).includes(op)) return `op must be one of ${ANNOTATE_OPERATIONS.join(', ')}.`;
  if (starred !== undefined && typeof starred !== 'boolean') return 'starred must be true or false.';
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) return 'tags must be a list of strings.';
  if (note !== undefined && typeof note !== 'string') return 'note must be a string.';
  return { op: op as AnnotateOperation | undefined, starred, tags: tags as string[] | undefined, note };
}

/** The annotation of `line` after the command, undefined when it has none (`get`, `remove`). */
export interface AnnotateOutcome {
  annotation: Annotation | undefined;
  /** The annotations file, written unless the command only read it. */
  written: string;
  /** The file as the annotations name it, relative to its workspace folder. */
  file: string;
}

/**
 * Creates, changes, reads or removes the annotation of `line` of `log` in the annotations file
 * of the workspace folder holding it (under its lock, atomically). Throws a message for a log
 * outside every folder, and for a `remove` on a line with no annotation.
 */
export async function annotateLogLine(log: StoredLog, line: number, values: AnnotateValues, folders: readonly string[]): Promise<AnnotateOutcome> {
  const file = filePathOf(log.uri);
  const folder = file === undefined ? undefined : folders.find((candidate) => file.startsWith(candidate + path.sep));
  const relative = folder === undefined || file === undefined ? undefined : annotationPathOf(folder, file);
  if (folder === undefined || relative === undefined) throw new Error('Only logs inside a workspace folder can be annotated.');
  const { op = 'set', ...patch } = values;
  const anchor = createAnchor(log.parsed.text, line);
  const now = new Date().toISOString();
  const written = annotationsFileIn(folder);
  const existingIn = (store: AnnotationStore): Annotation | undefined => {
    const mine = annotationsFor(store, relative);
    const resolutions = resolveAnchors(log.parsed.text, mine.map((annotation) => annotation.anchor));
    return mine.find((_, i) => isResolved(resolutions[i]) && resolutions[i].line === line);
  };
  if (op === 'get') return { annotation: existingIn((await readAnnotationsFile(written)).store), written, file: relative };
  let saved: Annotation | undefined;
  await updateAnnotationsFile(written, (store: AnnotationStore) => {
    const existing = existingIn(store);
    if (op === 'remove') {
      if (!existing) throw new Error(`Line ${line + 1} of ${relative} has no annotation.`);
      return removeAnnotation(store, existing.id);
    }
    const change = op === 'toggleStar' ? { starred: !(existing?.starred ?? false) } : patch;
    if (existing) {
      const next = updateAnnotation(store, existing.id, { ...change, anchor }, now);
      saved = next.annotations.find((annotation) => annotation.id === existing.id);
      return next;
    }
    const added = addAnnotation(store, { file: relative, anchor, ...change }, now);
    saved = added.annotation;
    return added.store;
  });
  return { annotation: saved, written, file: relative };
}
