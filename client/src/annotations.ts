import * as vscode from 'vscode';
import { Annotation, KNOWN_TAGS } from '../../server/src/analysis/annotate/types';
import { WorkspaceAnnotations } from './workspaceAnnotations';
import { explainUnsyncedLog } from './largeLogs';
import { ExecuteCommandRequest, LanguageClient } from 'vscode-languageclient/node';
import { ANNOTATE_LINE_COMMAND } from '../../server/src/protocol';
import { VIEW_SCHEME } from '../../server/src/logs/logUris';

/** What `logForensics.annotateLine` sets when called with arguments (no prompts then). */
export interface AnnotationInput {
  starred?: boolean;
  tags?: string[];
  note?: string;
}

/** A line the commands act on: arguments from a code action or a test, else the cursor. */
async function targetLine(uri?: string | vscode.Uri, line?: number): Promise<{ document: vscode.TextDocument; line: number } | undefined> {
  if (uri !== undefined && typeof line === 'number') {
    const document = await vscode.workspace.openTextDocument(typeof uri === 'string' ? vscode.Uri.parse(uri) : uri);
    return { document, line };
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    if (explainUnsyncedLog('annotate its line')) return undefined;
    void vscode.window.showWarningMessage('Log Forensics: open a log and put the cursor on the line to annotate.');
    return undefined;
  }
  return { document: editor.document, line: editor.selection.active.line };
}

/** Asks the server to annotate a row of a focused view (prompting for the values unless given). */
/** What the server's annotate command answers: the line's annotation after it, if any. */
interface ServerAnnotation {
  annotation: Annotation | null;
  line: number;
  file: string;
}

/**
 * A focused view's row is annotated by the server, on the line of the log it shows (the client
 * holds no document of that log, which may be over VS Code's limit).
 */
async function annotateViaServer(getClient: () => LanguageClient | undefined, uri: vscode.Uri, line: number, values: AnnotationInput | { op: 'get' | 'toggleStar' | 'remove' }): Promise<ServerAnnotation> {
  const client = getClient();
  if (!client) throw new Error('the analysis server is not running.');
  return (await client.sendRequest(ExecuteCommandRequest.type, { command: ANNOTATE_LINE_COMMAND, arguments: [uri.toString(), line, values] })) as ServerAnnotation;
}

async function annotateInView(getClient: () => LanguageClient | undefined, uri: vscode.Uri, line: number, input: AnnotationInput | undefined): Promise<Annotation | undefined> {
  let values = input;
  if (!values) {
    const existing = (await annotateViaServer(getClient, uri, line, { op: 'get' })).annotation ?? undefined;
    const starAndTags = await pickStarAndTags(existing);
    const note = starAndTags && (await askNote(existing));
    if (!starAndTags || note === undefined) return undefined;
    values = { ...starAndTags, note };
  }
  const saved = await annotateViaServer(getClient, uri, line, values);
  void vscode.window.showInformationMessage(`Log Forensics: annotated line ${saved.line + 1} of ${saved.file}.`);
  return saved.annotation ?? undefined;
}

interface TagItem extends vscode.QuickPickItem {
  tag?: string;
  star?: boolean;
  other?: boolean;
}

/** Asks for the star and the tags; undefined when the user cancels. */
async function pickStarAndTags(existing: Annotation | undefined): Promise<{ starred: boolean; tags: string[] } | undefined> {
  const current = new Set(existing?.tags ?? []);
  const free = [...current].filter((tag) => !(KNOWN_TAGS as readonly string[]).includes(tag));
  const items: TagItem[] = [
    { label: '$(star-full) Star', description: 'mark the line as important', star: true, picked: existing?.starred ?? true },
    ...[...KNOWN_TAGS, ...free].map((tag) => ({ label: tag, tag, picked: current.has(tag) })),
    { label: '$(add) Other tags…', description: 'type free tags', other: true },
  ];
  const picked = await vscode.window.showQuickPick(items, { canPickMany: true, title: 'Annotate this line', placeHolder: 'Star it and pick tags (cause, impact, detection, fix, or your own)' });
  if (!picked) return undefined;
  const tags = picked.flatMap((item) => (item.tag ? [item.tag] : []));
  if (picked.some((item) => item.other)) {
    const typed = await vscode.window.showInputBox({ title: 'Other tags', prompt: 'Tags separated by commas', placeHolder: 'e.g. network, dns' });
    if (typed === undefined) return undefined;
    tags.push(...typed.split(',').map((tag) => tag.trim()).filter((tag) => tag.length > 0));
  }
  return { starred: picked.some((item) => item.star), tags };
}

function askNote(existing: Annotation | undefined): Thenable<string | undefined> {
  return vscode.window.showInputBox({ title: 'Note on this line', prompt: 'What this line tells about the incident (empty for none)', value: existing?.note ?? '' });
}

function reportFailure(error: unknown): undefined {
  void vscode.window.showErrorMessage(`Log Forensics: the annotation was not saved: ${(error as Error).message}`);
  return undefined;
}

/** A tree element or a `(uri, line)` pair: what the remove command may be given. */
type RemoveTarget = { annotation: { id: string; uri: string } } | string | vscode.Uri | undefined;

/**
 * Registers the annotation commands. Each takes `(uri, line, ...)` from a code action, a menu or
 * a test, or acts on the cursor's line; without values, it asks. All return the annotation as
 * saved (undefined when cancelled), so tests need no prompts.
 */
export function registerAnnotationCommands(annotations: WorkspaceAnnotations, getClient: () => LanguageClient | undefined): vscode.Disposable {
  const annotateLine = async (uri?: string | vscode.Uri, line?: number, input?: AnnotationInput): Promise<Annotation | undefined> => {
    const target = await targetLine(uri, line);
    if (!target) return undefined;
    try {
      // A focused view's row is annotated by the server, on the line of the log it shows.
      if (target.document.uri.scheme === VIEW_SCHEME) return await annotateInView(getClient, target.document.uri, target.line, input);
      const existing = await annotations.at(target.document, target.line);
      let values = input;
      if (!values) {
        const starAndTags = await pickStarAndTags(existing);
        if (!starAndTags) return undefined;
        const note = await askNote(existing);
        if (note === undefined) return undefined;
        values = { ...starAndTags, note };
      }
      return await annotations.save(target.document, target.line, values);
    } catch (error) {
      return reportFailure(error);
    }
  };

  const toggleStar = async (uri?: string | vscode.Uri, line?: number): Promise<Annotation | undefined> => {
    const target = await targetLine(uri, line);
    if (!target) return undefined;
    try {
      if (target.document.uri.scheme === VIEW_SCHEME) return (await annotateViaServer(getClient, target.document.uri, target.line, { op: 'toggleStar' })).annotation ?? undefined;
      const existing = await annotations.at(target.document, target.line);
      return await annotations.save(target.document, target.line, { starred: !(existing?.starred ?? false) });
    } catch (error) {
      return reportFailure(error);
    }
  };

  const editNote = async (uri?: string | vscode.Uri, line?: number, note?: string): Promise<Annotation | undefined> => {
    const target = await targetLine(uri, line);
    if (!target) return undefined;
    try {
      const view = target.document.uri.scheme === VIEW_SCHEME;
      const existing = view ? undefined : await annotations.at(target.document, target.line);
      const text = note ?? (await askNote(view ? ((await annotateViaServer(getClient, target.document.uri, target.line, { op: 'get' })).annotation ?? undefined) : existing));
      if (text === undefined) return undefined;
      if (view) return (await annotateViaServer(getClient, target.document.uri, target.line, { note: text })).annotation ?? undefined;
      return await annotations.save(target.document, target.line, { note: text });
    } catch (error) {
      return reportFailure(error);
    }
  };

  const remove = async (target: RemoveTarget, line?: number): Promise<boolean> => {
    try {
      if (target && typeof target === 'object' && 'annotation' in target) return await annotations.remove(vscode.Uri.parse(target.annotation.uri), target.annotation.id);
      const place = await targetLine(target, line);
      if (!place) return false;
      const view = place.document.uri.scheme === VIEW_SCHEME;
      const existing = view ? ((await annotateViaServer(getClient, place.document.uri, place.line, { op: 'get' })).annotation ?? undefined) : await annotations.at(place.document, place.line);
      if (!existing) {
        void vscode.window.showInformationMessage('Log Forensics: this line has no annotation.');
        return false;
      }
      if (view) return (await annotateViaServer(getClient, place.document.uri, place.line, { op: 'remove' })).annotation === null;
      return await annotations.remove(place.document.uri, existing.id);
    } catch (error) {
      void vscode.window.showErrorMessage(`Log Forensics: the annotation was not removed: ${(error as Error).message}`);
      return false;
    }
  };

  return vscode.Disposable.from(
    vscode.commands.registerCommand('logForensics.annotateLine', annotateLine),
    vscode.commands.registerCommand('logForensics.toggleStar', toggleStar),
    vscode.commands.registerCommand('logForensics.editNote', editNote),
    vscode.commands.registerCommand('logForensics.removeAnnotation', remove),
  );
}

/**
 * Offers "Annotate this line…" on every line of a log. Client side, because annotating needs
 * only the line and the workspace file, not the analysis. A quick fix, like the server's line
 * actions, so that it is listed with them rather than under "More Actions"; and only when quick
 * fixes are among the kinds asked for (VS Code warns of an action of a kind it did not ask for).
 */
export class AnnotateActionProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context?: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context?.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const view = document.uri.scheme === VIEW_SCHEME;
    if (!view && (document.uri.scheme !== 'file' || !vscode.workspace.getWorkspaceFolder(document.uri))) return [];
    const action = new vscode.CodeAction('Annotate this line…', vscode.CodeActionKind.QuickFix);
    action.command = { command: 'logForensics.annotateLine', title: 'Annotate this line…', arguments: [document.uri.toString(), range.start.line] };
    return [action];
  }
}
