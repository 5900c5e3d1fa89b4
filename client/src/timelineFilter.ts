import * as vscode from 'vscode';
import { TimelineAnnotationDto, TimelineFindingDto, TimelineResult } from '../../server/src/protocol';

/** What the incident timeline shows; an empty or absent list lets everything through. */
export interface TimelineFilter {
  severity?: string[];
  tags?: string[];
  hosts?: string[];
  files?: string[];
}

const has = (list: string[] | undefined, value: string): boolean => !list || list.length === 0 || list.includes(value);

/** Whether a finding passes: severity, host and file apply; a tag filter hides findings (they have none). */
export function findingPasses(filter: TimelineFilter, finding: TimelineFindingDto): boolean {
  return has(filter.severity, finding.severity) && has(filter.hosts, finding.host) && has(filter.files, finding.file) && !(filter.tags && filter.tags.length > 0);
}

/** Whether an annotation passes: tag, host and file apply (severity is a finding's). */
export function annotationPasses(filter: TimelineFilter, annotation: TimelineAnnotationDto): boolean {
  const tagged = !filter.tags || filter.tags.length === 0 || annotation.tags.some((tag) => filter.tags!.includes(tag));
  return tagged && (annotation.state !== 'placed' || has(filter.hosts, annotation.host)) && has(filter.files, annotation.file);
}

/** The active filter in a few words, for the view's description; empty when none. */
export function describeFilter(filter: TimelineFilter): string {
  const parts = (['severity', 'tags', 'hosts', 'files'] as const).flatMap((key) => (filter[key]?.length ? [`${key}: ${filter[key]!.join(', ')}`] : []));
  return parts.join('; ');
}

interface KindItem extends vscode.QuickPickItem {
  key?: keyof TimelineFilter;
  clear?: boolean;
}

/** Asks which filter to set and its values, from what the timeline holds; undefined when cancelled. */
export async function askFilter(current: TimelineFilter, data: TimelineResult | undefined): Promise<TimelineFilter | undefined> {
  const values: Record<keyof TimelineFilter, string[]> = {
    severity: ['error', 'warning', 'information', 'hint'],
    tags: [...new Set(data?.annotations.flatMap((a) => a.tags) ?? [])].sort(),
    hosts: [...new Set([...(data?.findings.map((f) => f.host) ?? []), ...(data?.annotations.map((a) => a.host) ?? [])].filter(Boolean))].sort(),
    files: [...new Set([...(data?.findings.map((f) => f.file) ?? []), ...(data?.annotations.map((a) => a.file) ?? [])])].sort(),
  };
  const kinds: KindItem[] = [
    { label: 'Severity', description: current.severity?.join(', '), key: 'severity' },
    { label: 'Tag', description: current.tags?.join(', '), key: 'tags' },
    { label: 'Host', description: current.hosts?.join(', '), key: 'hosts' },
    { label: 'File', description: current.files?.join(', '), key: 'files' },
    { label: '$(clear-all) Clear all filters', clear: true },
  ];
  const kind = await vscode.window.showQuickPick(kinds, { title: 'Filter the incident timeline', placeHolder: 'Filter by…' });
  if (!kind) return undefined;
  if (kind.clear || !kind.key) return {};
  const key = kind.key;
  const chosen = await vscode.window.showQuickPick(
    values[key].map((value) => ({ label: value, picked: current[key]?.includes(value) ?? false })),
    { canPickMany: true, title: `Show only these (${kind.label.toLowerCase()})`, placeHolder: 'None picked: no filter on this' },
  );
  if (!chosen) return undefined;
  return { ...current, [key]: chosen.map((item) => item.label) };
}
