import { hashLine } from './anchor';
import { Annotation, AnnotationStore, LineAnchor, StoreProblem } from './types';

/** An annotations file read back: what could be understood, and what could not. */
export interface ParsedStore {
  store: AnnotationStore;
  problems: StoreProblem[];
  /**
   * True when every annotation in the text was kept as written. When false, saving `store` over
   * the file would drop what could not be read; callers ask first or keep a copy.
   */
  lossless: boolean;
}

/** What may change on an annotation. */
export interface AnnotationPatch {
  starred?: boolean;
  tags?: readonly string[];
  note?: string;
  anchor?: LineAnchor;
  file?: string;
}

/** What a new annotation needs; `id` is chosen by `addAnnotation` when absent. */
export interface NewAnnotation {
  id?: string;
  file: string;
  anchor: LineAnchor;
  starred?: boolean;
  tags?: readonly string[];
  note?: string;
}

/** An empty annotations document. */
export function emptyStore(): AnnotationStore {
  return { version: 1, annotations: [] };
}

/**
 * A tag as stored: trimmed, lower case, inner white space as `-`; undefined when nothing is left
 * or it is longer than 64 characters.
 */
export function normalizeTag(tag: string): string | undefined {
  const clean = tag.trim().toLowerCase().replace(/\s+/g, '-');
  return clean.length > 0 && clean.length <= 64 ? clean : undefined;
}

function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = normalizeTag(tag);
    if (clean !== undefined) seen.add(clean);
  }
  return [...seen];
}

/** The stable order of a store: by file, then line at creation, then creation time, then id. */
export function compareAnnotations(a: Annotation, b: Annotation): number {
  return (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.anchor.line - b.anchor.line || (a.created < b.created ? -1 : a.created > b.created ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function sorted(annotations: Annotation[]): AnnotationStore {
  return { version: 1, annotations: annotations.sort(compareAnnotations) };
}

/** An id for a new annotation, derived from its content and time, unique within `store`. */
export function newAnnotationId(store: AnnotationStore, file: string, anchor: LineAnchor, now: string): string {
  const taken = new Set(store.annotations.map((a) => a.id));
  const base = `a-${hashLine(`${file}\n${anchor.line}\n${anchor.text}\n${now}`)}`;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Adds an annotation made at `now` (ISO 8601); returns the new store and the annotation. */
export function addAnnotation(store: AnnotationStore, init: NewAnnotation, now: string): { store: AnnotationStore; annotation: Annotation } {
  const id = init.id ?? newAnnotationId(store, init.file, init.anchor, now);
  const annotation: Annotation = {
    id,
    file: init.file,
    anchor: init.anchor,
    starred: init.starred ?? false,
    tags: normalizeTags(init.tags ?? []),
    note: init.note ?? '',
    created: now,
    updated: now,
  };
  return { store: sorted([...store.annotations.filter((a) => a.id !== id), annotation]), annotation };
}

/** Changes an annotation; returns `store` itself (the same object) when no annotation has `id`. */
export function updateAnnotation(store: AnnotationStore, id: string, patch: AnnotationPatch, now: string): AnnotationStore {
  const index = store.annotations.findIndex((a) => a.id === id);
  if (index < 0) return store;
  const old = store.annotations[index];
  const changed: Annotation = {
    ...old,
    file: patch.file ?? old.file,
    anchor: patch.anchor ?? old.anchor,
    starred: patch.starred ?? old.starred,
    tags: patch.tags ? normalizeTags(patch.tags) : old.tags,
    note: patch.note ?? old.note,
    updated: now,
  };
  const annotations = [...store.annotations];
  annotations[index] = changed;
  return sorted(annotations);
}

/** Removes an annotation; returns `store` itself when no annotation has `id`. */
export function removeAnnotation(store: AnnotationStore, id: string): AnnotationStore {
  const annotations = store.annotations.filter((a) => a.id !== id);
  return annotations.length === store.annotations.length ? store : { version: 1, annotations };
}

/** The annotations on one file (workspace-relative path), in store order. */
export function annotationsFor(store: AnnotationStore, file: string): Annotation[] {
  return store.annotations.filter((a) => a.file === file);
}

/** Writes a store as JSON: fixed key order, stable annotation order, two-space indent, final newline. */
export function serializeStore(store: AnnotationStore): string {
  const annotations = [...store.annotations].sort(compareAnnotations).map((a) => ({
    id: a.id,
    file: a.file,
    anchor: { line: a.anchor.line, text: a.anchor.text, before: a.anchor.before, after: a.anchor.after },
    starred: a.starred,
    tags: a.tags,
    note: a.note,
    created: a.created,
    updated: a.updated,
  }));
  return `${JSON.stringify({ version: 1, annotations }, null, 2)}\n`;
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHashList(value: Json): value is string[] {
  return Array.isArray(value) && value.every((h) => typeof h === 'string' && /^[0-9a-f]{8}$/.test(h));
}

const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** Reads one annotation, or says why it cannot be read. */
function readAnnotation(value: Json, at: string, problems: StoreProblem[]): Annotation | undefined {
  const fail = (path: string, message: string): undefined => {
    problems.push({ path: `${at}${path}`, message });
    return undefined;
  };
  if (!isObject(value)) return fail('', 'an annotation must be an object');
  const { id, file, anchor, starred, tags, note, created, updated } = value;
  if (typeof id !== 'string' || id.length === 0) return fail('.id', 'must be a non-empty string');
  if (typeof file !== 'string' || file.length === 0) return fail('.file', 'must be a non-empty path');
  if (file.startsWith('/') || /^[A-Za-z]:/.test(file) || file.split('/').includes('..')) return fail('.file', 'must be relative to the workspace root, without `..`');
  if (!isObject(anchor)) return fail('.anchor', 'must be an object with line, text, before and after');
  if (typeof anchor.line !== 'number' || !Number.isInteger(anchor.line) || anchor.line < 0) return fail('.anchor.line', 'must be a 0-based line number');
  if (typeof anchor.text !== 'string') return fail('.anchor.text', 'must be a string');
  if (!isHashList(anchor.before) || !isHashList(anchor.after)) return fail('.anchor', 'before and after must be lists of 8-digit hex hashes');
  if (starred !== undefined && typeof starred !== 'boolean') return fail('.starred', 'must be true or false');
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string'))) return fail('.tags', 'must be a list of strings');
  if (note !== undefined && typeof note !== 'string') return fail('.note', 'must be a string');
  if (typeof created !== 'string' || !ISO_INSTANT.test(created)) return fail('.created', 'must be an ISO 8601 UTC time');
  if (updated !== undefined && (typeof updated !== 'string' || !ISO_INSTANT.test(updated))) return fail('.updated', 'must be an ISO 8601 UTC time');
  return {
    id,
    file,
    anchor: { line: anchor.line, text: anchor.text, before: anchor.before, after: anchor.after },
    starred: starred ?? false,
    tags: normalizeTags((tags as string[] | undefined) ?? []),
    note: note ?? '',
    created,
    updated: updated ?? created,
  };
}

/**
 * Reads an annotations file. Never throws: what cannot be understood is left out and reported,
 * and `lossless` says whether anything was left out.
 */
export function parseStore(text: string): ParsedStore {
  const problems: StoreProblem[] = [];
  const broken = (message: string): ParsedStore => ({ store: emptyStore(), problems: [{ path: '', message }], lossless: false });
  if (text.trim().length === 0) return { store: emptyStore(), problems: [], lossless: true };
  let document: Json;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return broken(`not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(document)) return broken('must be an object with "version" and "annotations"');
  if (document.version !== 1) {
    return broken(typeof document.version === 'number' && document.version > 1 ? `version ${document.version} was written by a newer release; only version 1 is understood` : '"version" must be 1');
  }
  if (!Array.isArray(document.annotations)) return broken('"annotations" must be a list');
  const annotations: Annotation[] = [];
  const ids = new Set<string>();
  document.annotations.forEach((value, i) => {
    const annotation = readAnnotation(value, `annotations[${i}]`, problems);
    if (!annotation) return;
    if (ids.has(annotation.id)) {
      problems.push({ path: `annotations[${i}].id`, message: `the id "${annotation.id}" is used twice; the later one is left out` });
      return;
    }
    ids.add(annotation.id);
    annotations.push(annotation);
  });
  return { store: sorted(annotations), problems, lossless: problems.length === 0 };
}
