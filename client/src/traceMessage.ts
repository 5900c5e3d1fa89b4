import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { TraceItemDto, TraceMessageRequest } from '../../server/src/protocol';
import { asPlainText, placeOf, requestForLine, revealLine } from './pickEntry';

interface TraceItem extends vscode.QuickPickItem {
  item: TraceItemDto;
}

/**
 * Registers "Trace this message": asks the server for every line of one message's life across the
 * open logs (queue ids, message ids, next-hop ids) and lists them in time order to reveal.
 */
export function registerTraceMessage(getClient: () => LanguageClient | undefined): vscode.Disposable {
  return vscode.commands.registerCommand('logForensics.traceMessage', async (uri?: string, line?: number) => {
    const result = await requestForLine(getClient, TraceMessageRequest, { uri, line, action: 'trace its message', missing: 'place the cursor on a line with a queue id or message id first.' });
    if (!result) return undefined;
    if (result.items.length === 0) {
      void vscode.window.showInformationMessage(`Log Forensics: ${result.note ?? 'nothing to trace on this line.'}`);
      return result;
    }
    const items: TraceItem[] = result.items.map((item) => ({
      label: `${item.role}  ${placeOf(item)}`,
      description: [item.time?.replace('T', ' ').replace('Z', ' UTC'), item.via ? `via ${item.via}` : undefined].filter(Boolean).join(' · '),
      detail: asPlainText(item.text),
      item,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `Message trace: ${result.items.length} lines${result.note ? ` (${result.note})` : ''}`,
      matchOnDetail: true,
      matchOnDescription: true,
      placeHolder: 'Pick a line to reveal it',
    });
    if (picked) await revealLine(picked.item);
    return result;
  });
}
