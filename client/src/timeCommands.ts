import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { CorrelateRequest, CorrelatedEntryDto } from '../../server/src/protocol';
import { asPlainText, placeOf, revealLine } from './pickEntry';

/** Reads a settings map (`logForensics.time.*`) and writes it back with one key changed, in the workspace. */
async function updateMap<T>(key: string, name: string, value: T | undefined): Promise<void> {
  const config = vscode.workspace.getConfiguration('logForensics');
  const current = { ...(config.get<Record<string, T>>(key) ?? {}) };
  if (value === undefined) delete current[name];
  else current[name] = value;
  await config.update(key, current, vscode.ConfigurationTarget.Workspace);
}

/** The path settings use for a log: relative to its workspace folder, `/`-separated. */
function settingPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, false);
}

/** "Set this file's time zone…": a zone for stamps without an offset in this file. */
async function setFileZone(uri: string, zone?: string): Promise<void> {
  const target = vscode.Uri.parse(uri);
  const chosen =
    zone ??
    (await vscode.window.showQuickPick(['(clear: use the workspace zone)', ...Intl.supportedValuesOf('timeZone')], {
      title: `Time zone of ${settingPath(target)}`,
      placeHolder: 'Zone the stamps of this file were written in',
    }));
  if (!chosen) return;
  await updateMap('time.fileZones', settingPath(target), chosen.startsWith('(clear') ? undefined : chosen);
}

/** "Set the clock offset of host…": seconds the host's clock ran ahead of true time. */
async function setHostOffset(host: string, seconds?: number): Promise<void> {
  const current = vscode.workspace.getConfiguration('logForensics').get<Record<string, number>>('time.hostOffsets')?.[host];
  let value = seconds;
  if (value === undefined) {
    const typed = await vscode.window.showInputBox({
      title: `Clock offset of ${host}`,
      prompt: `Seconds ${host}'s clock ran ahead of true time (negative if behind; empty to clear)`,
      value: current !== undefined ? String(current) : '',
      validateInput: (text) => (text.trim() === '' || Number.isFinite(Number(text)) ? undefined : 'A number of seconds, e.g. 3.2 or -0.5'),
    });
    if (typed === undefined) return;
    value = typed.trim() === '' ? undefined : Number(typed);
  }
  await updateMap('time.hostOffsets', host, value);
}

/**
 * "Align this line with…": the user picks, in another log, the line that records the same event
 * (the relay's greeting timeout and the gateway's stalled lookup). The difference between their
 * times becomes the clock offset of the other line's host, so both land on one instant.
 */
async function alignLine(getClient: () => LanguageClient | undefined, uri: string, line: number, targetUri?: string, targetLine?: number): Promise<number | undefined> {
  const client = getClient();
  if (!client) return undefined;
  const around = await client.sendRequest(CorrelateRequest, { textDocument: { uri }, position: { line, character: 0 }, windowSeconds: 3600 });
  const origin = around.entries.find((entry) => entry.uri === uri && entry.range.start.line === line);
  const candidates = around.entries.filter((entry) => entry.uri !== uri && entry.host !== undefined && entry.host !== origin?.host);
  let picked: CorrelatedEntryDto | undefined;
  if (targetUri !== undefined && targetLine !== undefined) {
    picked = candidates.find((entry) => entry.uri === targetUri && entry.range.start.line === targetLine);
  } else {
    const choice = await vscode.window.showQuickPick(
      candidates.map((entry) => ({ label: `${entry.localTime.slice(11, 19)}  ${placeOf(entry)}`, description: asPlainText(entry.host ?? ''), detail: asPlainText(entry.text), entry })),
      { title: 'Pick the line of another host that records the same event', matchOnDetail: true },
    );
    picked = choice?.entry;
  }
  if (!picked || !origin || picked.host === undefined) {
    if (targetUri !== undefined) void vscode.window.showWarningMessage('Log Forensics: that line is not a line of another host within an hour of this one.');
    return undefined;
  }
  const current = vscode.workspace.getConfiguration('logForensics').get<Record<string, number>>('time.hostOffsets')?.[picked.host] ?? 0;
  const offset = Math.round((current + picked.deltaSeconds) * 1000) / 1000;
  await updateMap('time.hostOffsets', picked.host, offset === 0 ? undefined : offset);
  void vscode.window.showInformationMessage(`Log Forensics: ${picked.host}'s clock is now taken as ${offset} s ahead (logForensics.time.hostOffsets).`);
  return offset;
}

/** Registers the time-model commands behind the server's code actions. */
export function registerTimeCommands(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.commands.registerCommand('logForensics.revealLine', (uri: string, line: number) => revealLine({ uri, range: { start: { line, character: 0 } } })),
    vscode.commands.registerCommand('logForensics.setFileZone', setFileZone),
    vscode.commands.registerCommand('logForensics.setHostOffset', setHostOffset),
    vscode.commands.registerCommand('logForensics.alignLine', (uri: string, line: number, targetUri?: string, targetLine?: number) => alignLine(getClient, uri, line, targetUri, targetLine)),
  );
}
