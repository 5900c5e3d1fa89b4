import * as vscode from 'vscode';
import { annotationSummary } from './annotationMarks';
import { WorkspaceAnnotations } from './workspaceAnnotations';

/**
 * Shows each annotation's star, tags and the start of its note above its line, where it is read
 * whatever the line's length; clicking it edits the note. Lost anchors are left to the marks'
 * warning and the timeline's "anchor lost".
 */
export class AnnotationLenses implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly annotations: WorkspaceAnnotations) {
    annotations.onDidChange(() => this.changed.fire());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    if (!this.annotations.locate(document.uri)) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const { annotation, line } of await this.annotations.resolve(document)) {
      if (line === undefined || line >= document.lineCount) continue;
      const title = annotationSummary(annotation) || 'annotated (no note)';
      const uri = document.uri.toString();
      lenses.push(new vscode.CodeLens(document.lineAt(line).range, { title, tooltip: 'Edit the note', command: 'logForensics.editNote', arguments: [uri, line] }));
    }
    return lenses;
  }
}

