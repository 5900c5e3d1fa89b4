import { CompiledRule } from './types';

/**
 * Picks the rules worth testing on a line from its program name, so that a postfix line is never
 * tried against kernel signatures. Lines with no program are tried against every rule: quoted or
 * continuation lines must still be recognised.
 */
export class RuleMatcher {
  private readonly unscoped: CompiledRule[] = [];
  private readonly scoped = new Map<string, CompiledRule[]>();
  private readonly cache = new Map<string, CompiledRule[]>();
  readonly all: CompiledRule[];
  readonly withEnd: CompiledRule[];

  /** Rules that look at gaps between entries instead of lines. */
  readonly silence: CompiledRule[];

  constructor(rules: CompiledRule[]) {
    this.all = rules.filter((rule) => rule.pattern);
    this.withEnd = this.all.filter((rule) => rule.endPattern);
    this.silence = rules.filter((rule) => rule.definition.silence);
    rules = this.all;
    for (const rule of rules) {
      if (!rule.programs) {
        this.unscoped.push(rule);
        continue;
      }
      for (const program of rule.programs) {
        const list = this.scoped.get(program) ?? [];
        list.push(rule);
        this.scoped.set(program, list);
      }
    }
  }

  /** The rules to test on a line from `program` (undefined: the line names no program). */
  candidates(program: string | undefined): CompiledRule[] {
    if (program === undefined) return this.all;
    const key = program.toLowerCase();
    let list = this.cache.get(key);
    if (!list) {
      // `postfix/smtpd` is covered by rules for `postfix` and for `smtpd`; a multi-instance
      // `postfix-smo/submission/smtpd` by `postfix-smo`, `postfix` and `smtpd`; `/usr/sbin/cron` by `cron`.
      const parts = key.split('/').filter((part) => part !== '');
      const names = new Set([key, ...(parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts)]);
      const dash = parts[0]?.indexOf('-') ?? -1;
      if (parts.length > 1 && dash > 0) names.add(parts[0].slice(0, dash));
      const found = new Set<CompiledRule>(this.unscoped);
      for (const name of names) for (const rule of this.scoped.get(name) ?? []) found.add(rule);
      list = this.all.filter((rule) => found.has(rule));
      if (this.cache.size > 10_000) this.cache.clear();
      this.cache.set(key, list);
    }
    return list;
  }
}
