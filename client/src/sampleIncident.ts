import * as vscode from 'vscode';

/** The packaged sample incident, and the folder its writable copy is opened from. */
const SAMPLE = ['samples', 'mailgw-incident'];
/** Set when a new window is opened on the sample, so that window opens its first log. */
const OPEN_FIRST_LOG = 'logForensics.sampleIncident.openFirstLog';
const FIRST_LOG = ['drjmailgw', 'messages'];

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sample's copy in the extension's storage: annotations and settings are written into the
 * workspace, and the installed extension's folder may be read-only or replaced on update. Copied
 * under another name and renamed, so an interrupted copy is never taken for a whole one; an
 * existing copy is kept with whatever the user annotated in it.
 */
async function sampleCopy(context: vscode.ExtensionContext): Promise<vscode.Uri> {
  const target = vscode.Uri.joinPath(context.globalStorageUri, SAMPLE[1]);
  if (await exists(target)) return target;
  const partial = vscode.Uri.joinPath(context.globalStorageUri, `${SAMPLE[1]}.partial`);
  await vscode.workspace.fs.delete(partial, { recursive: true, useTrash: false }).then(undefined, () => undefined);
  await vscode.workspace.fs.createDirectory(context.globalStorageUri);
  await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, ...SAMPLE), partial);
  await vscode.workspace.fs.rename(partial, target);
  return target;
}

async function showFirstLog(folder: vscode.Uri): Promise<void> {
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder, ...FIRST_LOG), { preview: false });
}

/**
 * "Open the Sample Incident" (the walkthrough's first step): the mail gateway outage as a
 * workspace of its own, in this window when none is open, else in a new one.
 */
export function registerSampleIncident(context: vscode.ExtensionContext): vscode.Disposable {
  const here = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (here && context.globalState.get<string>(OPEN_FIRST_LOG) === here.toString()) {
    void context.globalState.update(OPEN_FIRST_LOG, undefined);
    void showFirstLog(here).then(undefined, () => undefined);
  }
  return vscode.commands.registerCommand('logForensics.openSampleIncident', async () => {
    try {
      const folder = await sampleCopy(context);
      if (vscode.workspace.workspaceFolders?.some((open) => open.uri.toString() === folder.toString())) {
        await showFirstLog(folder);
        return folder;
      }
      await context.globalState.update(OPEN_FIRST_LOG, folder.toString());
      await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: (vscode.workspace.workspaceFolders?.length ?? 0) > 0 });
      return folder;
    } catch (error) {
      void vscode.window.showErrorMessage(`Log Forensics: the sample incident could not be opened: ${(error as Error).message}`);
      return undefined;
    }
  });
}
