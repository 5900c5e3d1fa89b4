import * as vscode from 'vscode';
import type { CorrelatedEntryDto, CorrelateResult } from '../../server/src/protocol';
import { aroundList, formatDelta, formatDistance, formatWindow, nextSteps, WINDOW_STEPS } from './aroundList';
import { asPlainText, logNameOf, placeOf } from './pickEntry';

/** An entry of a log, or a log's nearest entry outside the window; picking it reveals it. */
export interface EntryItem extends vscode.QuickPickItem {
  entry: CorrelatedEntryDto;
}

/** A window to list with instead; picking it asks again, the list staying open. */
export interface WindowItem extends vscode.QuickPickItem {
  windowSeconds: number;
}

/** A title button that widens or narrows the window one step. */
export interface WindowButton extends vscode.QuickInputButton {
  windowSeconds: number;
}

/** What the list holds: entries, windows, and the separators between groups. */
export type AroundItem = EntryItem | WindowItem | vscode.QuickPickItem;

/** The line asked about, marked in the list. */
export interface Origin {
  uri: string;
  line: number;
}

function separator(label: string): vscode.QuickPickItem {
  return { label, kind: vscode.QuickPickItemKind.Separator };
}

function entryItem(entry: CorrelatedEntryDto, origin: Origin): EntryItem {
  const isOrigin = entry.uri === origin.uri && entry.range.start.line === origin.line;
  return {
    label: `${isOrigin ? '$(target) ' : ''}${entry.localTime.slice(11, 19)}  ${formatDelta(entry.deltaSeconds)}  ${placeOf(entry)}`,
    detail: asPlainText(entry.text),
    entry,
  };
}

function nearestItem(entry: CorrelatedEntryDto): EntryItem {
  return { label: `${logNameOf(entry.uri)}: nearest ${formatDistance(entry.deltaSeconds)} — pick to see it`, description: entry.localTime, detail: asPlainText(entry.text), entry };
}

function windowItem(windowSeconds: number, current: number): WindowItem {
  const [icon, description] = windowSeconds === current ? ['$(check)', 'shown now'] : windowSeconds > current ? ['$(zoom-out)', 'widen'] : ['$(zoom-in)', 'narrow'];
  // Always shown, so a filter typed to find an entry still leaves the way to widen.
  return { label: `${icon} ± ${formatWindow(windowSeconds)}`, description, alwaysShow: true, windowSeconds };
}

/**
 * The items for a correlation: a separator and the entries of each log with entries in the
 * window (see `aroundList`), a line per other log with nothing in it saying how near its nearest
 * entry is, then the windows to list with instead. The first item is the nearest entry, so
 * accepting at once reveals it.
 */
export function aroundItems(result: CorrelateResult, origin: Origin): AroundItem[] {
  const { groups, outside } = aroundList(result);
  const items: AroundItem[] = [];
  for (const group of groups) items.push(separator(`${logNameOf(group.uri)} (${group.entries.length})`), ...group.entries.map((entry) => entryItem(entry, origin)));
  if (outside.length > 0) items.push(separator(`Nothing within ± ${formatWindow(result.windowSeconds)}`), ...outside.map(nearestItem));
  items.push(separator('Window'), ...WINDOW_STEPS.map((step) => windowItem(step, result.windowSeconds)));
  return items;
}

/** The title buttons: narrow and widen one step from the window shown. */
export function windowButtons(current: number): WindowButton[] {
  const { wider, narrower } = nextSteps(current);
  const buttons: WindowButton[] = [];
  if (narrower !== undefined) buttons.push({ iconPath: new vscode.ThemeIcon('zoom-in'), tooltip: `Narrow to ± ${formatWindow(narrower)}`, windowSeconds: narrower });
  if (wider !== undefined) buttons.push({ iconPath: new vscode.ThemeIcon('zoom-out'), tooltip: `Widen to ± ${formatWindow(wider)}`, windowSeconds: wider });
  return buttons;
}
