import type { LinkedCorrelation } from './sigma/correlation';
import { CompiledRule } from './types';
import { Prefilter, prefilterFor, prepareCorpus } from './prefilter';
import { detached } from '../parse/text';
import { RuleSelector, Selection } from './selection';

/**
 * The rules worth testing on lines of one program, with what a message must contain first:
 * `prefilters[i]` for `rules[i]` (undefined: always run it).
 */
export interface RuleScope {
  rules: CompiledRule[];
  prefilters: (Prefilter | undefined)[];
  /** Positions in `rules` of the rules without a prefilter, tried on every line. */
  unfiltered: number[];
  /** For each rule of the whole matcher (`RuleMatcher.all` order), its position in `rules`, or -1. */
  position: Int32Array;
  /** Rules that flag a line by the level it states itself, the most closely scoped first. */
  declared: CompiledRule[];
}

/**
 * The prefilters a matcher chose, as plain data, for a matcher of the same rules (a worker
 * thread's) to take rather than choose them again: choosing reads every pattern and the samples.
 */
export interface PrefilterChoice {
  /** What each rule with a pattern is (`ruleIdentity`), in `RuleMatcher.all` order: a choice for other rules is not taken. */
  rules: string[];
  starts: (Prefilter | undefined)[];
  /** In `RuleMatcher.withEnd` order. */
  ends: (Prefilter | undefined)[];
}

/** Switches for measuring, and a choice already made; the defaults are what the product runs. */
export interface MatcherOptions {
  /** Test required literals before running a rule's regular expression (default true). */
  prefilter?: boolean;
  /** The prefilters another matcher of the same rules chose (`RuleMatcher.prefilterChoice`). */
  prefilters?: PrefilterChoice;
}

/** What a rule's prefilters are chosen from. */
function ruleIdentity(rule: CompiledRule): string {
  const { id, match, end, ignoreCase } = rule.definition;
  return JSON.stringify([id, match, end?.match, ignoreCase === true]);
}

/** Whether `choice` was made for exactly these rules. */
function madeFor(choice: PrefilterChoice, rules: readonly CompiledRule[], withEnd: readonly CompiledRule[]): boolean {
  return choice.rules.length === rules.length && choice.starts.length === rules.length && choice.ends.length === withEnd.length && rules.every((rule, i) => choice.rules[i] === ruleIdentity(rule));
}

/**
 * Finds the rules each correlation names (by Sigma id or name; a name may stand for several rules)
 * and has their matches keep the fields the correlation groups by and counts.
 */
function linkCorrelations(rules: CompiledRule[], patterned: CompiledRule[]): LinkedCorrelation[] {
  const byName = new Map<string, CompiledRule[]>();
  for (const rule of patterned) for (const name of rule.sigma?.names ?? []) byName.set(name, [...(byName.get(name) ?? []), rule]);
  return rules.filter((rule) => rule.correlation).map((rule) => {
    const correlation = rule.correlation!;
    const bases = correlation.rules.map((name) => byName.get(name) ?? []);
    for (const base of bases.flat()) {
      for (const field of correlation.groupBy) base.sigma!.captures.add(field);
      if (correlation.field) base.sigma!.captures.add(correlation.field);
    }
    return { rule, bases };
  });
}

/**
 * Picks the rules worth testing on a line from its program name, so that a postfix line is never
 * tried against kernel signatures. Lines with no program are tried against every rule: quoted or
 * continuation lines must still be recognised.
 */
export class RuleMatcher {
  private readonly unscoped: CompiledRule[] = [];
  private readonly scoped = new Map<string, CompiledRule[]>();
  private readonly cache = new Map<string, RuleScope>();
  private readonly prefilters = new Map<CompiledRule, Prefilter | undefined>();
  private readonly everyRule: RuleScope;
  readonly all: CompiledRule[];
  /** Each rule's position in `all`. */
  private readonly allIndex: Map<CompiledRule, number>;
  readonly withEnd: CompiledRule[];
  /** The prefilter of each rule's end pattern, in `withEnd` order. */
  readonly endPrefilters: (Prefilter | undefined)[];
  /** Which rules' literals a message holds, found in one pass over it. */
  private readonly selector: RuleSelector;

  /** Rules that look at gaps between entries instead of lines. */
  readonly silence: CompiledRule[];

  /** Rules that flag lines whose message template is rare in their program, once templates are known. */
  readonly rare: CompiledRule[];

  /** Rules that flag lines by their own level word or priority instead of a pattern. */
  readonly declared: CompiledRule[];
  /** The same, by program (`''`: any program). */
  private readonly declaredBy = new Map<string, CompiledRule[]>();

  /** Sigma correlation rules, with the rules each names (in its order), which they run over once a log's findings are known. */
  readonly correlations: LinkedCorrelation[];

  constructor(rules: CompiledRule[], options: MatcherOptions = {}) {
    this.all = rules.filter((rule) => rule.pattern);
    this.allIndex = new Map(this.all.map((rule, i) => [rule, i]));
    this.correlations = linkCorrelations(rules, this.all);
    this.withEnd = this.all.filter((rule) => rule.endPattern);
    this.silence = rules.filter((rule) => rule.definition.silence);
    this.rare = rules.filter((rule) => rule.definition.rare && !rule.pattern);
    this.declared = rules.filter((rule) => rule.definition.declared && !rule.pattern);
    for (const rule of this.declared) {
      for (const program of rule.programs ?? ['']) this.declaredBy.set(program, [...(this.declaredBy.get(program) ?? []), rule]);
    }
    const usePrefilter = options.prefilter !== false;
    const given = usePrefilter && options.prefilters && madeFor(options.prefilters, this.all, this.withEnd) ? options.prefilters : undefined;
    const chosen = given ?? this.choosePrefilters(rules, usePrefilter);
    this.all.forEach((rule, i) => this.prefilters.set(rule, chosen.starts[i]));
    this.endPrefilters = chosen.ends;
    this.selector = new RuleSelector(
      this.all.map((rule) => this.prefilters.get(rule)),
      this.endPrefilters,
    );
    for (const rule of this.all) {
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
    this.everyRule = this.scopeOf(this.all, this.declaredBy.get('') ?? []);
  }

  /** Reads each rule's patterns for the literals a message must hold. */
  private choosePrefilters(rules: CompiledRule[], usePrefilter: boolean): Omit<PrefilterChoice, 'rules'> {
    // The catalogue's sample lines stand for real logs when choosing which literal to look for.
    const corpus = usePrefilter ? rules.flatMap((rule) => [...rule.definition.samples.match, ...(rule.definition.samples.noMatch ?? [])]) : [];
    if (usePrefilter) {
      prepareCorpus(
        this.all.flatMap((rule) => [rule.definition.match, rule.definition.end?.match].filter((pattern): pattern is string => pattern !== undefined)),
        corpus,
      );
    }
    // A rule's pattern is compiled from its `match` over the message; Sigma rules, which test
    // other fields, have no `match` and so no prefilter.
    const starts = this.all.map((rule) => {
      const match = rule.definition.match;
      return usePrefilter && match !== undefined ? prefilterFor(match, rule.definition.ignoreCase, corpus) : undefined;
    });
    const ends = this.withEnd.map((rule) => {
      const end = rule.definition.end?.match;
      return usePrefilter && end !== undefined ? prefilterFor(end, rule.definition.ignoreCase, corpus) : undefined;
    });
    return { starts, ends };
  }

  /** The prefilters this matcher chose, for a matcher of the same rules on another thread. */
  prefilterChoice(): PrefilterChoice {
    return { rules: this.all.map(ruleIdentity), starts: this.all.map((rule) => this.prefilters.get(rule)), ends: this.endPrefilters };
  }

  /**
   * The rules worth running on `message` in `scope`: those whose literals it holds and those
   * without literals, specific before fallback, each in catalogue order.
   */
  select(scope: RuleScope, message: string): Selection {
    return this.selector.select(scope, message);
  }

  /** The rules to test on a line from `program` (undefined: the line names no program). */
  candidates(program: string | undefined): CompiledRule[] {
    return this.scope(program).rules;
  }

  /** The rules to test on a line from `program`, with their prefilters. */
  scope(program: string | undefined): RuleScope {
    if (program === undefined) return this.everyRule;
    // Keyed by the name as written: most logs spell a program the same way on every line.
    let scope = this.cache.get(program);
    if (!scope) {
      const key = program.toLowerCase();
      // `postfix/smtpd` is covered by rules for `postfix` and for `smtpd`; a multi-instance
      // `postfix-smo/submission/smtpd` by `postfix-smo`, `postfix` and `smtpd`; `/usr/sbin/cron` by `cron`.
      const parts = key.split('/').filter((part) => part !== '');
      const names = new Set([key, ...(parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts)]);
      const dash = parts[0]?.indexOf('-') ?? -1;
      if (parts.length > 1 && dash > 0) names.add(parts[0].slice(0, dash));
      const found = new Set<CompiledRule>(this.unscoped);
      for (const name of names) for (const rule of this.scoped.get(name) ?? []) found.add(rule);
      // `postfix/sendmail` is postfix's command, not sendmail: the whole name, then the family
      // (first part, `postfix-smo`'s `postfix`), then the last part, then rules for any program.
      const closest = [key, parts[0], parts.length > 1 && dash > 0 ? parts[0].slice(0, dash) : undefined, parts[parts.length - 1], ''];
      const declared = [...new Set(closest.flatMap((name) => (name === undefined ? [] : (this.declaredBy.get(name) ?? []))))];
      scope = this.scopeOf(this.all.filter((rule) => found.has(rule)), declared);
      if (this.cache.size > 10_000) this.cache.clear();
      // The name was cut from a line: copied, so the cache does not keep that line's text alive.
      this.cache.set(detached(program), scope);
    }
    return scope;
  }

  private scopeOf(rules: CompiledRule[], declared: CompiledRule[]): RuleScope {
    const prefilters = rules.map((rule) => this.prefilters.get(rule));
    const unfiltered = prefilters.flatMap((prefilter, index) => (prefilter ? [] : [index]));
    const position = new Int32Array(this.all.length).fill(-1);
    rules.forEach((rule, i) => (position[this.allIndex.get(rule)!] = i));
    return { rules, prefilters, unfiltered, position, declared };
  }
}
