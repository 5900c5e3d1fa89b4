import * as vscode from 'vscode';
import { Annotation } from '../../server/src/analysis/annotate/types';
import { WorkspaceAnnotations } from './workspaceAnnotations';

/** How long to wait after an edit before placing the marks again. */
const REFRESH_DEBOUNCE_MS = 200;
/** Notes longer than this are cut in the code lens (the mark's hover shows them whole). */
const NOTE_PREVIEW = 80;

/**
 * An annotation in one line, for the code lens above its line: the star, the tags and the start of
 * the note. A code lens title reads `$(name)` as an icon; a zero-width space keeps a note's text
 * the characters it is.
 */
export function annotationSummary(annotation: Annotation): string {
  const tags = annotation.tags.map((tag) => `#${tag}`).join(' ');
  const note = annotation.note.replace(/\s+/g, ' ').trim();
  const shown = [annotation.starred ? '★' : '', tags, note.length > NOTE_PREVIEW ? `${note.slice(0, NOTE_PREVIEW)}…` : note].filter(Boolean).join('  ');
  return shown.replace(/\$\(/g, '$\u200b(');
}

/**
 * Shows annotations in the editor as gutter marks (a star, or a tag for tagged lines) with the
 * whole note in the hover of the marked line, and warns once about each anchor that could not be
 * found again. The note's first words are shown above the line by `AnnotationLenses`: after the
 * line's end they would be off-screen on log-length lines.
 *
 * Decorations rather than the Comments API: an annotation is a mark and a one-line note, read
 * while scrolling a log; comment threads would open a reply box under every line and render the
 * note as Markdown. The hover is escaped with `appendText`, so a note cannot become a link or markup.
 */
export class AnnotationMarks implements vscode.Disposable {
  private readonly starred: vscode.TextEditorDecorationType;
  private readonly tagged: vscode.TextEditorDecorationType;
  private readonly warned = new Set<string>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly annotations: WorkspaceAnnotations, media: (name: string) => vscode.Uri) {
    const type = (icon: string): vscode.TextEditorDecorationType =>
      vscode.window.createTextEditorDecorationType({
        light: { gutterIconPath: media(`${icon}-light.svg`) },
        dark: { gutterIconPath: media(`${icon}-dark.svg`) },
        gutterIconSize: 'contain',
        overviewRulerColor: new vscode.ThemeColor('editorOverviewRuler.infoForeground'),
        overviewRulerLane: vscode.OverviewRulerLane.Left,
      });
    this.starred = type('star');
    this.tagged = type('tag');
    this.disposables.push(
      this.starred,
      this.tagged,
      annotations.onDidChange(() => this.schedule(0)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.schedule(0)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (vscode.window.visibleTextEditors.some((editor) => editor.document === event.document)) this.schedule(REFRESH_DEBOUNCE_MS);
      }),
    );
    this.schedule(0);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.refresh().catch((error: unknown) => console.error(`Log Forensics: placing annotation marks failed: ${String(error)}`));
    }, delay);
  }

  /** Places the marks on every visible editor showing a log of a workspace folder. */
  async refresh(): Promise<void> {
    for (const editor of vscode.window.visibleTextEditors) {
      if (!this.annotations.locate(editor.document.uri)) continue;
      const resolved = await this.annotations.resolve(editor.document);
      const starred: vscode.DecorationOptions[] = [];
      const tagged: vscode.DecorationOptions[] = [];
      for (const { annotation, line, lost } of resolved) {
        if (lost !== undefined) {
          this.warnLost(editor.document, annotation.id, annotation.anchor.line, lost);
          continue;
        }
        if (line === undefined || line >= editor.document.lineCount) continue;
        const tags = annotation.tags.map((tag) => `#${tag}`).join(' ');
        const hover = new vscode.MarkdownString();
        hover.appendText(`${annotation.starred ? '★ ' : ''}${tags || 'no tags'}\n\n${annotation.note || '(no note)'}`);
        const options: vscode.DecorationOptions = { range: editor.document.lineAt(line).range, hoverMessage: hover };
        (annotation.starred ? starred : tagged).push(options);
      }
      editor.setDecorations(this.starred, starred);
      editor.setDecorations(this.tagged, tagged);
    }
  }

  private warnLost(document: vscode.TextDocument, id: string, oldLine: number, reason: string): void {
    const key = `${id}\n${reason}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    const file = vscode.workspace.asRelativePath(document.uri, false);
    void vscode.window.showWarningMessage(`Log Forensics: an annotation on ${file} (line ${oldLine + 1} when made) could not be found again: ${reason}. It is kept and listed in the Incident Timeline as "anchor lost".`);
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
  }
}
