import { CompiledRule, Finding } from '../types';
import { formatDuration } from '../../time/duration';

/** A Sigma 2.x correlation rule as it runs: over the findings of the rules it names. */
export interface Correlation {
  type: 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';
  /** The names of `correlation.rules`: Sigma ids or `name`s of base rules. */
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  /** Every comparison must hold (`gte: 3` and `lt: 10` is a range). */
  condition: { op: 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq'; value: number }[];
  /** value_count: the field whose distinct values are counted. */
  field?: string;
  /** Whether the base rules' own findings are shown too. */
  generate: boolean;
}

/** The group name under which a Sigma finding keeps a field a correlation reads. */
export function capturedField(field: string): string {
  return `sigma:${field}`;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30s`, `5m`, `1h`, `2d`, `1w` in milliseconds; undefined for anything else. */
export function parseTimespan(text: unknown): number | undefined {
  const match = typeof text === 'string' ? /^(\d{1,9})([smhdw])$/.exec(text.trim()) : null;
  return match ? Number(match[1]) * UNITS[match[2]] : undefined;
}

const OPS = new Set(['gt', 'gte', 'lt', 'lte', 'eq', 'neq']);

/** Reads `correlation:`; returns the correlation, or the reason it cannot run. */
export function parseCorrelation(value: unknown, generate: unknown): Correlation | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '`correlation` must be a mapping';
  const data = value as Record<string, unknown>;
  const type = data.type;
  if (type === 'value_sum' || type === 'value_avg' || type === 'value_percentile') return `correlation type ${type} is not supported: audit and syslog fields are text, not measures`;
  if (type !== 'event_count' && type !== 'value_count' && type !== 'temporal' && type !== 'temporal_ordered') return `unknown correlation type ${JSON.stringify(type)}`;
  if (data.aliases !== undefined) return '`aliases` are not supported';
  const rules = Array.isArray(data.rules) ? data.rules : typeof data.rules === 'string' ? [data.rules] : [];
  if (rules.length === 0 || !rules.every((rule) => typeof rule === 'string' && rule.length > 0)) return '`rules` must list the ids or names of the rules to correlate';
  const groupBy = data['group-by'] === undefined ? [] : data['group-by'];
  if (!Array.isArray(groupBy) || !groupBy.every((field) => typeof field === 'string')) return '`group-by` must be a list of field names';
  const timespanMs = parseTimespan(data.timespan);
  if (timespanMs === undefined) return '`timespan` must be a number and a unit (s, m, h, d, w), such as 5m';
  const condition: Correlation['condition'] = [];
  let field: string | undefined;
  const raw = data.condition;
  if (raw !== undefined) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return '`condition` must be a mapping such as {gte: 10}';
    for (const [key, limit] of Object.entries(raw as Record<string, unknown>)) {
      if (key === 'field') {
        if (typeof limit !== 'string') return '`condition.field` must be one field name';
        field = limit;
      } else if (OPS.has(key) && typeof limit === 'number' && Number.isFinite(limit)) condition.push({ op: key as Correlation['condition'][number]['op'], value: limit });
      else return `condition \`${key}: ${JSON.stringify(limit)}\` is not a comparison (gt, gte, lt, lte, eq, neq with a number)`;
    }
  }
  if ((type === 'event_count' || type === 'value_count') && condition.length === 0) return `a ${type} correlation needs a condition such as {gte: 10}`;
  if (type === 'value_count' && field === undefined) return 'a value_count correlation needs `condition.field`';
  return { type, rules: rules as string[], groupBy: groupBy as string[], timespanMs, condition, field, generate: generate === true };
}

function holds(condition: Correlation['condition'], count: number): boolean {
  return condition.every(({ op, value }) =>
    op === 'gt' ? count > value : op === 'gte' ? count >= value : op === 'lt' ? count < value : op === 'lte' ? count <= value : op === 'eq' ? count === value : count !== value,
  );
}

/** A base finding with which of the correlation's rules it came from. */
interface Event {
  finding: Finding;
  rule: number;
}

/** Whether the events of one window satisfy the correlation. */
function windowMatch(correlation: Correlation, window: Event[]): boolean {
  switch (correlation.type) {
    case 'event_count':
      return holds(correlation.condition, window.length);
    case 'value_count': {
      const values = new Set(window.map((event) => event.finding.groups?.[capturedField(correlation.field!)] ?? ''));
      return holds(correlation.condition, values.size);
    }
    case 'temporal': {
      const seen = new Set(window.map((event) => event.rule));
      return seen.size === correlation.rules.length && (correlation.condition.length === 0 || holds(correlation.condition, seen.size));
    }
    case 'temporal_ordered': {
      let next = 0;
      for (const event of window) if (event.rule === next) next++;
      return next === correlation.rules.length;
    }
  }
}

/** The result of one correlation in one group: the findings it gathers. */
export interface CorrelationMatch {
  members: Finding[];
  group: Record<string, string>;
}

/**
 * Runs a correlation over base findings, each tagged with the position of its rule in
 * `correlation.rules`. Per group-by value, windows of `timespan` start at an event not yet used;
 * a window that satisfies the correlation is one match, and its events are used up.
 * Findings without a time cannot be placed in a window and are left out.
 */
export function runCorrelation(correlation: Correlation, base: { finding: Finding; rule: number }[]): CorrelationMatch[] {
  const groups = new Map<string, Event[]>();
  for (const event of base) {
    if (Number.isNaN(event.finding.time)) continue;
    const key = correlation.groupBy.map((field) => event.finding.groups?.[capturedField(field)] ?? '').join('\u0000');
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(event);
  }
  const matches: CorrelationMatch[] = [];
  // "At least" conditions look for the densest stretch, a window starting at each event in turn;
  // one with an upper bound (lt, lte, eq) would then always hold on the last few events, so its
  // windows follow one another instead.
  const bounded = correlation.condition.some(({ op }) => op === 'lt' || op === 'lte' || op === 'eq');
  for (const events of groups.values()) {
    events.sort((a, b) => a.finding.time - b.finding.time || a.finding.line - b.finding.line);
    let start = 0;
    while (start < events.length) {
      let end = start;
      while (end < events.length && events[end].finding.time - events[start].finding.time <= correlation.timespanMs) end++;
      const window = events.slice(start, end);
      if (windowMatch(correlation, window)) {
        const group: Record<string, string> = {};
        for (const field of correlation.groupBy) group[field] = window[0].finding.groups?.[capturedField(field)] ?? '';
        matches.push({ members: window.map((event) => event.finding), group });
        start = end;
      } else start = bounded ? end : start + 1;
    }
  }
  return matches.sort((a, b) => a.members[0].line - b.members[0].line);
}

/** A correlation rule with the rules it names, in its order (see `RuleMatcher.correlations`). */
export interface LinkedCorrelation {
  rule: CompiledRule;
  bases: CompiledRule[][];
}

function describe(correlation: Correlation, match: CorrelationMatch): string {
  const group = Object.entries(match.group).map(([field, value]) => `${field}=${value}`).join(', ');
  const within = `within ${formatDuration(correlation.timespanMs)}`;
  const what =
    correlation.type === 'event_count' ? `${match.members.length} matches ${within}`
      : correlation.type === 'value_count' ? `${new Set(match.members.map((finding) => finding.groups?.[capturedField(correlation.field!)] ?? '')).size} values of ${correlation.field} ${within}`
        : correlation.type === 'temporal' ? `all ${correlation.rules.length} rules matched ${within}`
          : `${correlation.rules.length} rules matched in order ${within}`;
  return group ? `${what} (${group})` : what;
}

/**
 * The findings of a log's correlation rules, from the findings of the rules they name, and the
 * rules whose own findings are hidden: those named only by correlations that do not `generate`.
 */
export function correlate(linked: readonly LinkedCorrelation[], findings: readonly Finding[]): { added: Finding[]; hidden: Set<string> } {
  const added: Finding[] = [];
  const shown = new Set<string>();
  const named = new Set<string>();
  for (const { rule, bases } of linked) {
    const correlation = rule.correlation!;
    const position = new Map<string, number>();
    bases.forEach((list, index) => {
      for (const base of list) {
        if (!position.has(base.definition.id)) position.set(base.definition.id, index);
        named.add(base.definition.id);
        if (correlation.generate) shown.add(base.definition.id);
      }
    });
    const events = findings.flatMap((finding) => (position.has(finding.ruleId) ? [{ finding, rule: position.get(finding.ruleId)! }] : []));
    for (const match of runCorrelation(correlation, events)) {
      const first = match.members[0];
      const lines = [...new Set(match.members.map((finding) => finding.line))].sort((a, b) => a - b);
      added.push({
        ruleId: rule.definition.id,
        severity: rule.definition.severity,
        title: rule.definition.title,
        message: `${rule.definition.title}: ${describe(correlation, match)}`,
        line: first.line,
        endLine: first.endLine,
        start: first.start,
        end: first.end,
        time: first.time,
        members: lines,
        groups: Object.fromEntries(Object.entries(match.group).map(([field, value]) => [capturedField(field), value])),
      });
    }
  }
  const hidden = new Set([...named].filter((id) => !shown.has(id)));
  return { added, hidden };
}
