import * as path from 'path';
import * as vscode from 'vscode';
import { createAnchor, isResolved, resolveAnchors } from '../../server/src/analysis/annotate/anchor';
import { AnnotationPatch, NewAnnotation, addAnnotation, annotationsFor, removeAnnotation, updateAnnotation } from '../../server/src/analysis/annotate/store';
import { Annotation, AnnotationStore } from '../../server/src/analysis/annotate/types';
import { ANNOTATIONS_FILE, annotationPathOf, annotationsFileIn, readAnnotationsFile, updateAnnotationsFile } from '../../server/src/files/annotationsFile';

/** Where an annotated log sits: its workspace folder, the annotations file, its path as stored. */
export interface AnnotatedFile {
  root: string;
  storeFile: string;
  file: string;
}

/** An annotation of an open document, found again on a line or lost with the reason. */
export interface ResolvedAnnotation {
  annotation: Annotation;
  line?: number;
  movedFrom?: number;
  lost?: string;
}

/** The lines of a document as anchors see them. */
export function documentLines(document: vscode.TextDocument): string[] {
  const lines: string[] = [];
  for (let i = 0; i < document.lineCount; i++) lines.push(document.lineAt(i).text);
  return lines;
}

/**
 * The annotations of the workspace, kept in each folder's `.log-forensics/annotations.json`
 * (never in a log). Reads go to the file every time; writes go through the locked, atomic
 * `updateAnnotationsFile`; `onDidChange` fires after our writes and when the file changes on disk.
 */
export class WorkspaceAnnotations implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher(`**/${ANNOTATIONS_FILE.split(path.sep).join('/')}`);
  /** Fires when annotations may have changed. */
  readonly onDidChange = this.changed.event;

  constructor() {
    for (const event of [this.watcher.onDidChange, this.watcher.onDidCreate, this.watcher.onDidDelete]) event(() => this.changed.fire());
  }

  /** Where a log's annotations are kept; undefined for a log outside the workspace folders. */
  locate(uri: vscode.Uri): AnnotatedFile | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || uri.scheme !== 'file' || folder.uri.scheme !== 'file') return undefined;
    const file = annotationPathOf(folder.uri.fsPath, uri.fsPath);
    return file ? { root: folder.uri.fsPath, storeFile: annotationsFileIn(folder.uri.fsPath), file } : undefined;
  }

  /** The annotations on a document, each placed on its current line or reported lost. */
  async resolve(document: vscode.TextDocument): Promise<ResolvedAnnotation[]> {
    const where = this.locate(document.uri);
    if (!where) return [];
    const { store } = await readAnnotationsFile(where.storeFile);
    const mine = annotationsFor(store, where.file);
    const resolutions = resolveAnchors(documentLines(document), mine.map((a) => a.anchor));
    return mine.map((annotation, i) => {
      const resolution = resolutions[i];
      return isResolved(resolution) ? { annotation, line: resolution.line, movedFrom: resolution.movedFrom } : { annotation, lost: resolution.lost };
    });
  }

  /** The annotation now on `line` of a document, if any. */
  async at(document: vscode.TextDocument, line: number): Promise<Annotation | undefined> {
    return (await this.resolve(document)).find((r) => r.line === line)?.annotation;
  }

  /**
   * Creates the annotation of `line` or changes the one already there (re-anchoring it on the
   * line as it reads now); returns it as saved.
   */
  async save(document: vscode.TextDocument, line: number, patch: Omit<AnnotationPatch, 'anchor' | 'file'>): Promise<Annotation> {
    const where = this.require(document);
    const existing = await this.at(document, line);
    const anchor = createAnchor(documentLines(document), line);
    const now = new Date().toISOString();
    let saved: Annotation | undefined;
    const written = await updateAnnotationsFile(where.storeFile, (store: AnnotationStore) => {
      if (existing && store.annotations.some((a) => a.id === existing.id)) {
        const next = updateAnnotation(store, existing.id, { ...patch, anchor }, now);
        saved = next.annotations.find((a) => a.id === existing.id);
        return next;
      }
      const init: NewAnnotation = { file: where.file, anchor, starred: patch.starred, tags: patch.tags, note: patch.note };
      const added = addAnnotation(store, init, now);
      saved = added.annotation;
      return added.store;
    });
    this.changed.fire();
    return saved ?? written.annotations[written.annotations.length - 1];
  }

  /** Removes an annotation by id from the annotations file of the folder holding `uri`. */
  async remove(uri: vscode.Uri, id: string): Promise<boolean> {
    const where = this.locate(uri);
    if (!where) return false;
    let removed = false;
    await updateAnnotationsFile(where.storeFile, (store) => {
      const next = removeAnnotation(store, id);
      removed = next !== store;
      return next;
    });
    this.changed.fire();
    return removed;
  }

  private require(document: vscode.TextDocument): AnnotatedFile {
    const where = this.locate(document.uri);
    if (!where) throw new Error(`${document.uri.fsPath || document.uri.toString()} is not inside a workspace folder; annotations are kept in the folder's ${ANNOTATIONS_FILE}`);
    return where;
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}
