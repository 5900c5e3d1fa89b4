import { CodeAction, CodeActionKind, Command } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { StoredLog } from '../logs/registry';
import { lowerBound } from '../analysis/correlate/timeIndex';
import { wallClock } from './time';

/** Client-side: opens a log at a line. */
export const REVEAL_LINE_COMMAND = 'logForensics.revealLine';
/** Client-side: asks for a zone and stores it for this file in `logForensics.time.fileZones`. */
export const SET_FILE_ZONE_COMMAND = 'logForensics.setFileZone';
/** Client-side: asks for seconds and stores them in `logForensics.time.hostOffsets`. */
export const SET_HOST_OFFSET_COMMAND = 'logForensics.setHostOffset';
/** Client-side: picks a line of another log that records the same event and stores the clock offset between the hosts. */
export const ALIGN_LINE_COMMAND = 'logForensics.alignLine';

/** At most this many "Go to the same moment in …" actions, one per other log. */
const MAX_MOMENT_ACTIONS = 8;

function fileName(uri: string): string {
  const path = URI.parse(uri).path;
  const parts = path.split('/');
  return parts.slice(-2).join('/');
}

/** The entry of `log` nearest to `time`: the last at or before it, else the first after. */
function lineAtMoment(log: StoredLog, time: number): number | undefined {
  const { times, lines } = log.index;
  if (times.length === 0) return undefined;
  const after = lowerBound(times, time + 1e-3);
  return lines[after > 0 ? after - 1 : 0];
}

/** A time action; a quick fix like every line action (see `codeActions.ts` for why). */
function action(title: string, command: string, ...args: unknown[]): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, command: Command.create(title, command, ...args) };
}

/** "Go to HH:MM:SS in …": the same moment in each other log (`others`) that has times. */
export function momentActionsFor(log: StoredLog, line: number, others: StoredLog[]): CodeAction[] {
  const parsed = log.parsed;
  if (line < 0 || line >= parsed.lines.length) return [];
  const entry = parsed.entryStart[line];
  const time = parsed.times[entry];
  if (Number.isNaN(time)) return [];
  const civil = parsed.lines.get(entry).civil;
  const label = civil ? wallClock(civil) : new Date(time).toISOString().slice(11, 19);
  const actions: CodeAction[] = [];
  for (const other of others.filter((o) => o.uri !== log.uri && o.index.times.length > 0).slice(0, MAX_MOMENT_ACTIONS)) {
    const target = lineAtMoment(other, time);
    if (target !== undefined) actions.push(action(`Go to ${label} in ${fileName(other.uri)}`, REVEAL_LINE_COMMAND, other.uri, target));
  }
  return actions;
}

/**
 * Corrections of a line's time: align it with a line of another log (computing the hosts' clock
 * offset), set this file's zone (when the stamp names none), set this host's clock offset. None
 * of them edits the log: settings hold the corrections.
 */
export function timeCorrectionActionsFor(log: StoredLog, line: number): CodeAction[] {
  const parsed = log.parsed;
  if (line < 0 || line >= parsed.lines.length) return [];
  const entry = parsed.entryStart[line];
  const record = parsed.lines.get(entry);
  const actions: CodeAction[] = [];
  if (!Number.isNaN(parsed.times[entry])) actions.push(action('Align this line with a line of another log…', ALIGN_LINE_COMMAND, log.uri, entry));
  if (record.civil && record.civil.offsetMinutes === undefined) actions.push(action('Set this file\'s time zone…', SET_FILE_ZONE_COMMAND, log.uri));
  const host = record.host ? parsed.text.line(entry).slice(record.host.start, record.host.end) : undefined;
  if (host) actions.push(action(`Set the clock offset of host ${host}…`, SET_HOST_OFFSET_COMMAND, host));
  return actions;
}
