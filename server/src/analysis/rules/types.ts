import type { Correlation } from './sigma/correlation';
/** How serious a finding is; the names are those of LSP and SARIF-friendly JSON output. */
export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** The levels a `declared` rule may claim: a program's own level word or syslog priority. */
export type DeclaredLevelName = 'emergency' | 'error' | 'warning' | 'notice';

/** A signature as written in a rule file (after schema validation). */
export interface RuleDefinition {
  id: string;
  title: string;
  severity: Severity;
  programs?: string[];
  /** Absent for silence, declared and rare rules, which look at gaps, level words or templates rather than a pattern. */
  match?: string;
  /** Fires only where no rule without it matched the line. */
  fallback?: boolean;
  /** Flags lines by the level the program states itself, instead of a pattern (always a fallback). */
  declared?: DeclaredLevelName[];
  ignoreCase?: boolean;
  message?: string;
  key?: string[];
  end?: { match: string; withinSeconds?: number };
  burst?: { count: number; withinSeconds: number };
  silence?: { minutes: number; busyEntries?: number };
  /**
   * Flags lines whose message template occurs at most `maxCount` times in a program that wrote at
   * least `minProgramLines` lines, where no other rule flagged the line (see `templates/rare.ts`).
   * `quietPrograms` (lower case) are judged against the whole log while they wrote fewer.
   */
  rare?: { maxCount: number; minProgramLines: number; quietPrograms?: string[] };
  explanation: string;
  references?: string[];
  tags?: string[];
  samples: { match: string[]; noMatch?: string[] };
}

/** Where a rule was defined, so editors can open it and report problems at the right line. */
export interface RuleOrigin {
  source: string;
  /** 0-based line of the rule's `id` in its file. */
  line: number;
}

import { LinePattern } from './patterns';

/** A rule ready to run. */
export interface CompiledRule {
  definition: RuleDefinition;
  origin: RuleOrigin;
  /** Undefined for silence, declared and rare rules. */
  pattern?: LinePattern;
  endPattern?: LinePattern;
  /** Lower-cased program names this rule is scoped to; undefined means every line. */
  programs?: string[];
  /** The pattern reads the audit event a line belongs to (`LineFields.audit`): Sigma's auditd rules. */
  readsAuditEvents?: boolean;
  /** A Sigma rule: the names a correlation may call it by (its Sigma `id` and `name`), and the fields its matches keep for correlations. */
  sigma?: { names: string[]; captures: Set<string> };
  /** A Sigma correlation rule: no pattern, it runs over the findings of the rules it names. */
  correlation?: Correlation;
}

/** A problem found while loading a rule file; never thrown, always reported. */
export interface RuleProblem {
  source: string;
  /** 0-based position in the rule file. */
  line: number;
  column: number;
  message: string;
  /**
   * How much it matters; undefined means `error` (the file or rule could not be loaded as
   * written). `information` is for rules deliberately skipped, such as a Sigma rule for Windows.
   */
  severity?: Severity;
}

/** What a line matched: one finding, ready to show. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  /** 0-based first and last line of the entry the finding is about. */
  line: number;
  endLine: number;
  /** The matched characters within `line`. */
  start: number;
  end: number;
  /** UTC ms, NaN when the line has no usable time. */
  time: number;
  /** For paired rules: the line that ended it, and how long it lasted. */
  endedAt?: { line: number; durationMs: number };
  /** For bursts: every line the burst gathers (the first is `line`). */
  members?: number[];
  /**
   * The match's named groups (for a burst, only its key groups, which all members share), to fill
   * the `{name}` placeholders of the rule's explanation with the line's own values.
   */
  groups?: Readonly<Record<string, string | undefined>>;
}
