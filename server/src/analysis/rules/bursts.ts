import { Finding } from './types';
import { RuleMatcher } from './matcher';
import { formatDuration } from '../time/duration';

/** The groups every member of a burst shares: its key groups; the others differ from line to line. */
function sharedGroups(first: Finding, key: readonly string[] | undefined): Finding['groups'] {
  if (!first.groups || !key?.length) return undefined;
  const shared: Record<string, string | undefined> = {};
  for (const name of key) shared[name] = first.groups[name];
  return shared;
}

/**
 * Folds the findings of burst rules into one finding per burst: a run of matches of the same
 * rule and key on the same host, each within `withinSeconds` of the previous one, holding at
 * least `count` matches. Shorter runs keep their single findings. `keys` gives each burst-rule
 * finding its host-and-key string; other findings pass through untouched, in order.
 */
export function gatherBursts(findings: Finding[], keys: Map<Finding, string>, matcher: RuleMatcher): Finding[] {
  const rules = new Map(matcher.all.map((rule) => [rule.definition.id, rule.definition]));
  const groups = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = keys.get(finding);
    if (key === undefined) continue;
    const group = groups.get(`${finding.ruleId}\u0000${key}`) ?? [];
    group.push(finding);
    groups.set(`${finding.ruleId}\u0000${key}`, group);
  }
  const replaced = new Map<Finding, Finding | null>();
  for (const group of groups.values()) {
    const burst = rules.get(group[0].ruleId)!.burst!;
    const gapMs = burst.withinSeconds * 1000;
    let run: Finding[] = [];
    const close = (): void => {
      if (run.length >= burst.count) {
        const first = run[0];
        const sharedKey = (keys.get(first) ?? '').split('\u0000').slice(1).filter((part) => part !== '').join(', ');
        const last = run[run.length - 1];
        const span = last.time - first.time;
        const summary: Finding = {
          ...first,
          // Members differ in detail (user names, ports); the shared key is what the burst is about.
          message: `${run.length} × ${first.title}${sharedKey ? ` [${sharedKey}]` : ''}${Number.isNaN(span) ? '' : ` in ${formatDuration(span)}`} (lines ${first.line + 1}–${last.line + 1})`,
          members: run.map((f) => f.line),
          groups: sharedGroups(first, rules.get(first.ruleId)!.key),
        };
        replaced.set(first, summary);
        for (const other of run.slice(1)) replaced.set(other, null);
      }
      run = [];
    };
    for (const finding of group) {
      const previous = run[run.length - 1];
      // Without times, consecutive matches of the same key count as one run.
      if (previous && !(finding.time - previous.time <= gapMs) && !(Number.isNaN(finding.time) && Number.isNaN(previous.time))) close();
      run.push(finding);
    }
    close();
  }
  if (replaced.size === 0) return findings;
  const out: Finding[] = [];
  for (const finding of findings) {
    const replacement = replaced.get(finding);
    if (replacement === undefined) out.push(finding);
    else if (replacement !== null) out.push(replacement);
  }
  return out;
}
