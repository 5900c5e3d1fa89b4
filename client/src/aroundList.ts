import type { CorrelatedEntryDto, CorrelateResult } from '../../server/src/protocol';

/** The windows "Show what happened around" offers in place, in seconds: ± 1 min, 5 min, 15 min, 1 h. */
export const WINDOW_STEPS: readonly number[] = [60, 300, 900, 3600];

/** One log's entries in the window, nearest the moment first. */
export interface EntryGroup {
  uri: string;
  entries: CorrelatedEntryDto[];
}

/** What the list shows: a group per log with entries in the window, and the nearest entry of each log without. */
export interface AroundList {
  groups: EntryGroup[];
  outside: CorrelatedEntryDto[];
}

/**
 * Groups an answer by log, in the server's order of logs (the one asked from, then the one whose
 * entry is nearest); within a log, nearest first, the earlier of two as near. Logs with nothing in
 * the window give their nearest entry instead, nearest first.
 */
export function aroundList(result: CorrelateResult): AroundList {
  const byLog = new Map<string, CorrelatedEntryDto[]>();
  for (const entry of result.entries) byLog.set(entry.uri, [...(byLog.get(entry.uri) ?? []), entry]);
  const groups: EntryGroup[] = [];
  const outside: CorrelatedEntryDto[] = [];
  for (const log of result.logs) {
    const entries = byLog.get(log.uri);
    if (entries) groups.push({ uri: log.uri, entries: entries.sort((a, b) => Math.abs(a.deltaSeconds) - Math.abs(b.deltaSeconds) || a.deltaSeconds - b.deltaSeconds) });
    else if (log.nearest !== undefined && result.nearest[log.nearest]) outside.push(result.nearest[log.nearest]);
  }
  return { groups, outside };
}

/** A delta for entry labels: `+56 s`, `−3 s`, `±0 s`, `+0.250 s`. */
export function formatDelta(seconds: number): string {
  const sign = seconds > 0 ? '+' : seconds < 0 ? '−' : '±';
  return `${sign}${Math.abs(seconds).toFixed(Math.abs(seconds) < 10 && !Number.isInteger(seconds) ? 3 : 0)} s`;
}

/** A distance that may be hours or days away, for nearest entries: `+62 s`, `−7 min 17 s`, `+3 d 4 h`. */
export function formatDistance(seconds: number): string {
  const whole = Math.round(Math.abs(seconds));
  if (whole < 100) return formatDelta(seconds);
  const sign = seconds > 0 ? '+' : '−';
  const [big, bigUnit, small, smallUnit] =
    whole < 3600
      ? [Math.floor(whole / 60), 'min', whole % 60, 's']
      : whole < 86_400
        ? [Math.floor(whole / 3600), 'h', Math.floor(whole / 60) % 60, 'min']
        : [Math.floor(whole / 86_400), 'd', Math.floor(whole / 3600) % 24, 'h'];
  return `${sign}${big} ${bigUnit}${small ? ` ${small} ${smallUnit}` : ''}`;
}

/** A window's half-width as the list names it: `1 min`, `90 s`, `1 h`. */
export function formatWindow(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

/** The offered windows just wider and just narrower than `current`, where there are any. */
export function nextSteps(current: number): { wider?: number; narrower?: number } {
  const wider = WINDOW_STEPS.find((step) => step > current);
  const narrower = [...WINDOW_STEPS].reverse().find((step) => step < current);
  return { ...(wider !== undefined ? { wider } : {}), ...(narrower !== undefined ? { narrower } : {}) };
}

/** The list's title: the moment, the window and what it holds. */
export function aroundTitle(result: CorrelateResult): string {
  const logs = result.logs.filter((log) => log.entries > 0).length;
  const entries = `${result.entries.length} ${result.entries.length === 1 ? 'entry' : 'entries'}`;
  return `Around ${result.center} (± ${formatWindow(result.windowSeconds)}): ${entries} from ${logs} ${logs === 1 ? 'log' : 'logs'}${result.truncated ? ', nearest shown' : ''}`;
}
