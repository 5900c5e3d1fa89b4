import { CodeAction, CodeActionKind, Command } from 'vscode-languageserver';
import { StoredLog } from '../logStore';
import { wallClock } from './time';

/** The client-side command that lists and reveals correlated entries (see client/src/showAround.ts). */
export const SHOW_AROUND_COMMAND = 'logForensics.showAround';

/** Code actions for a line: "Show what happened around HH:MM:SS" when its entry has a time. */
export function codeActionsFor(log: StoredLog, line: number): CodeAction[] {
  const parsed = log.parsed;
  if (line < 0 || line >= parsed.lines.length) return [];
  const entry = parsed.entryStart[line];
  const civil = parsed.lines[entry].civil;
  if (Number.isNaN(parsed.times[entry])) return [];
  const label = civil ? wallClock(civil) : new Date(parsed.times[entry]).toISOString().slice(11, 19);
  const title = `Show what happened around ${label}`;
  return [
    {
      title,
      kind: CodeActionKind.Empty,
      command: Command.create(title, SHOW_AROUND_COMMAND, log.uri, entry),
    },
  ];
}
