import * as vscode from 'vscode';
import { SNIFF_BYTES, sniffLog } from '../../server/src/analysis/parse/logKind';
import { compileGlob } from '../../server/src/analysis/time/glob';

/** The language this extension highlights and analyses logs in. */
const LOG_LANGUAGE = 'log-forensics';

/** Whether a `files.associations` entry names this file: then the user chose its language. */
function associatedByUser(document: vscode.TextDocument): boolean {
  const associations = vscode.workspace.getConfiguration('files', document.uri).get<Record<string, unknown>>('associations') ?? {};
  const relative = vscode.workspace.asRelativePath(document.uri, false);
  // VS Code matches a glob without `/` on the name, one with `/` on the whole path: try both, loosely.
  return Object.keys(associations).some((glob) => {
    const matcher = compileGlob(glob);
    return matcher.test(relative) || matcher.test(document.uri.path);
  });
}

/** Whether a document's first `SNIFF_BYTES` characters read as a log. */
function readsAsLog(document: vscode.TextDocument): boolean {
  const end = document.positionAt(SNIFF_BYTES);
  const complete = document.offsetAt(end) < SNIFF_BYTES;
  return sniffLog(document.getText(new vscode.Range(new vscode.Position(0, 0), end)), complete).log;
}

/**
 * Opens in the log language a file VS Code gave no language of its own (`plaintext`) whose
 * first 16 KB read as a log, as the workspace index decides: `relay-maillog`, `gw.txt`. A file
 * the user mapped in `files.associations` is left alone, and so is one whose language the user
 * changed back: each file is looked at once while it stays open.
 */
export function registerContentLanguage(): vscode.Disposable {
  const seen = new Set<string>();
  // A change of language closes and opens the document at once; a real close is followed by no open.
  const closing = new Set<string>();
  const consider = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    const languageChange = closing.delete(key);
    if (document.languageId !== 'plaintext' || document.uri.scheme !== 'file') return;
    if (seen.has(key) || languageChange) return;
    seen.add(key);
    if (associatedByUser(document) || !readsAsLog(document)) return;
    vscode.languages.setTextDocumentLanguage(document, LOG_LANGUAGE).then(undefined, () => {
      // The document was closed meanwhile: nothing to switch.
    });
  };
  const forget = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    closing.add(key);
    setTimeout(() => {
      if (closing.delete(key)) seen.delete(key);
    }, 0);
  };
  for (const document of vscode.workspace.textDocuments) consider(document);
  return vscode.Disposable.from(vscode.workspace.onDidOpenTextDocument(consider), vscode.workspace.onDidCloseTextDocument(forget));
}
