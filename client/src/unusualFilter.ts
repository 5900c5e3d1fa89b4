import type { TriageGroupDto } from '../../server/src/protocol';

/** How many groups the view lists when the filter names no number. */
export const DEFAULT_TOP = 100;

/** The severities, most severe first. */
export const SEVERITIES: readonly TriageGroupDto['severity'][] = ['error', 'warning', 'information', 'hint'];

/** What the What's Unusual view shows; an absent field lets everything through. */
export interface UnusualFilter {
  /** Only findings of rules, or only rare lines. */
  kind?: TriageGroupDto['kind'];
  /** Only groups at least this severe. */
  minSeverity?: TriageGroupDto['severity'];
  /** Leave out background: groups firing at a steady rate over their logs' span. */
  hideBackground?: boolean;
  /** Keep the first this many groups that pass, in rank order; `DEFAULT_TOP` when absent. */
  top?: number;
}

/** Whether a ranked group passes the filter (the count limit aside). */
export function groupPasses(filter: UnusualFilter, group: TriageGroupDto): boolean {
  if (filter.kind && group.kind !== filter.kind) return false;
  if (filter.minSeverity && SEVERITIES.indexOf(group.severity) > SEVERITIES.indexOf(filter.minSeverity)) return false;
  return !(filter.hideBackground && group.rhythm === 'steady');
}

/** The groups to list: those passing the filter, in rank order, at most `top` of them. */
export function visibleGroups(filter: UnusualFilter, groups: readonly TriageGroupDto[]): TriageGroupDto[] {
  return groups.filter((group) => groupPasses(filter, group)).slice(0, filter.top ?? DEFAULT_TOP);
}

/** The active filter in a few words, for the view's description; empty when none. */
export function describeUnusualFilter(filter: UnusualFilter): string {
  const parts: string[] = [];
  if (filter.kind) parts.push(filter.kind === 'rare' ? 'rare lines' : 'findings');
  if (filter.minSeverity && filter.minSeverity !== 'hint') parts.push(`${filter.minSeverity} or worse`);
  if (filter.hideBackground) parts.push('no background');
  if (filter.top !== undefined && filter.top !== DEFAULT_TOP) parts.push(`top ${filter.top}`);
  return parts.join('; ');
}

/**
 * A filter from a command's argument, keeping only fields of the right shape: the command can be
 * run from anywhere with anything.
 */
export function cleanUnusualFilter(value: unknown): UnusualFilter | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const given = value as Record<string, unknown>;
  const filter: UnusualFilter = {};
  if (given.kind === 'finding' || given.kind === 'rare') filter.kind = given.kind;
  if (SEVERITIES.includes(given.minSeverity as TriageGroupDto['severity'])) filter.minSeverity = given.minSeverity as TriageGroupDto['severity'];
  if (given.hideBackground === true) filter.hideBackground = true;
  if (typeof given.top === 'number' && Number.isInteger(given.top) && given.top >= 1) filter.top = given.top;
  return filter;
}
