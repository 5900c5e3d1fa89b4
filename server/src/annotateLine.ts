import * as path from 'path';
import { createAnchor, isResolved, resolveAnchors } from './analysis/annotate/anchor';
import { addAnnotation, annotationsFor, updateAnnotation } from './analysis/annotate/store';
import { Annotation, AnnotationStore } from './analysis/annotate/types';
import { annotationPathOf, annotationsFileIn, updateAnnotationsFile } from './files/annotationsFile';
import { filePathOf } from './logs/logUris';
import { StoredLog } from './logs/registry';
import { ANNOTATE_LINE_COMMAND } from './protocol';

export { ANNOTATE_LINE_COMMAND };

/** What the command sets: a star, tags, a note (absent ones stay as they are). */
export interface AnnotateValues {
  starred?: boolean;
  tags?: string[];
  note?: string;
}

/** The values as a client sent them; a message naming what is wrong. */
export function readAnnotateValues(value: unknown): AnnotateValues | string {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) return 'the values must be an object {starred?, tags?, note?}.';
  const { starred, tags, note } = value as Record<string, unknown>;
  if (starred !== undefined && typeof starred !== 'boolean') return 'starred must be true or false.';
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) return 'tags must be a list of strings.';
  if (note !== undefined && typeof note !== 'string') return 'note must be a string.';
  return { starred, tags: tags as string[] | undefined, note };
}

/**
 * Creates or changes the annotation of `line` of `log` in the annotations file of the workspace
 * folder holding it (under its lock, atomically); the annotation as saved. Throws a message for
 * a log outside every folder.
 */
export async function annotateLogLine(log: StoredLog, line: number, values: AnnotateValues, folders: readonly string[]): Promise<{ annotation: Annotation; written: string }> {
  const file = filePathOf(log.uri);
  const folder = file === undefined ? undefined : folders.find((candidate) => file.startsWith(candidate + path.sep));
  const relative = folder === undefined || file === undefined ? undefined : annotationPathOf(folder, file);
  if (folder === undefined || relative === undefined) throw new Error('Only logs inside a workspace folder can be annotated.');
  const anchor = createAnchor(log.parsed.text, line);
  const now = new Date().toISOString();
  const written = annotationsFileIn(folder);
  let saved: Annotation | undefined;
  await updateAnnotationsFile(written, (store: AnnotationStore) => {
    const mine = annotationsFor(store, relative);
    const resolutions = resolveAnchors(log.parsed.text, mine.map((annotation) => annotation.anchor));
    const existing = mine.find((_, i) => isResolved(resolutions[i]) && resolutions[i].line === line);
    if (existing) {
      const next = updateAnnotation(store, existing.id, { ...values, anchor }, now);
      saved = next.annotations.find((annotation) => annotation.id === existing.id);
      return next;
    }
    const added = addAnnotation(store, { file: relative, anchor, ...values }, now);
    saved = added.annotation;
    return added.store;
  });
  return { annotation: saved!, written };
}
