import { stringify } from 'yaml';
import { RuleDefinition, Severity } from '../types';
import { sigmaRegexOf } from './exportRegex';
import { descriptionOf, listParagraphOf } from './exportText';
import { SERVICE_PROGRAMS } from './services';

/** One Sigma rule file: a catalogue rule's documents (its base rules, then their correlation). */
export interface SigmaFile {
  fileName: string;
  yamlText: string;
}

/** A catalogue rule with no Sigma form, and why. */
export interface LeftOut {
  ruleId: string;
  reason: string;
}

/** How a catalogue rule was exported: a line rule, a burst (event_count) or a pair (temporal_ordered). */
export type ExportedKind = 'line' | 'burst' | 'paired';

/** What the exporter needs from outside: ids, and the metadata every rule carries. */
export interface SigmaExportOptions {
  /** A stable UUID for a name (the caller derives it, so the core needs no hashing). */
  uuidOf(name: string): string;
  /** `date` of every rule, YYYY-MM-DD. */
  date: string;
  author: string;
}

/** The Sigma rules of a catalogue, what was left out, and how many of each kind were exported. */
export interface SigmaExport {
  files: SigmaFile[];
  leftOut: LeftOut[];
  exported: Record<ExportedKind, number>;
}

/**
 * Our severities as Sigma levels, so the loader's reading (`loader.ts`) gives each back: an
 * error is worth a prompt review (high, not critical, which Sigma keeps for near certainty), a
 * hint is only enrichment (informational).
 */
const LEVEL_OF: Record<Severity, string> = { error: 'high', warning: 'medium', information: 'low', hint: 'informational' };

/** What no Sigma rule can express, by the kind of rule. */
const KIND_REASONS = {
  silence: 'silence rule: it flags a gap between lines, not a line',
  declared: 'declared-level rule: it reads the level word a program writes, which differs by program and format',
  rare: 'rare-line rule: it needs the message templates learnt from the whole log',
  fallback: 'fallback rule: it fires only where no other rule matched, which Sigma cannot say',
  noEnd: 'paired rule without end.withinSeconds: a Sigma correlation needs a timespan',
} as const;

/** Sigma tags are `namespace.value`; ours are plain words, so they take the catalogue's namespace. */
function tagsOf(definition: RuleDefinition): string[] | undefined {
  const tags = (definition.tags ?? []).map((tag) => `log-forensics.${tag.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`);
  return tags.length > 0 ? [...new Set(tags)] : undefined;
}

/** The SigmaHQ service that covers every program of the rule, else `syslog` (the detection names the programs). */
function serviceOf(programs: string[] | undefined): string {
  if (!programs) return 'syslog';
  for (const [service, covered] of Object.entries(SERVICE_PROGRAMS)) {
    if (covered && programs.every((program) => covered.includes(program))) return service;
  }
  return 'syslog';
}

/**
 * The search on the line's program, as the matcher scopes a rule (`matcher.ts`): the name itself,
 * the first or last part of `postfix/smtpd`, or a line that names no program at all.
 */
function programSearch(programs: string[]): Record<string, unknown>[] {
  return [
    { program: programs },
    { 'program|startswith': programs.map((program) => `${program}/`) },
    { 'program|endswith': programs.map((program) => `/${program}`) },
    { 'program|exists': false },
  ];
}

/** A `timespan` in the largest unit that divides it: `4m`, `1d`, `90s`. */
export function timespanOf(seconds: number): string {
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

interface Parts {
  definition: RuleDefinition;
  options: SigmaExportOptions;
  programs: string[] | undefined;
}

/** The fields every document of a catalogue rule shares. */
function header(parts: Parts, name: string, title: string, description: string | undefined): Record<string, unknown> {
  const { definition, options } = parts;
  return {
    title,
    id: options.uuidOf(name),
    name,
    status: 'experimental',
    description,
    references: definition.references?.length ? [...new Set(definition.references)] : undefined,
    author: options.author,
    date: options.date,
    tags: tagsOf(definition),
  };
}

/** A detection rule over the message (`pattern`, already in Sigma's regex subset). */
function baseRule(parts: Parts, name: string, title: string, pattern: string, level: string, description: string | undefined, withCauses = true): Record<string, unknown> {
  const { definition, programs } = parts;
  const message = { [`message|re${definition.ignoreCase ? '|i' : ''}`]: pattern };
  const detection: Record<string, unknown> = programs ? { program: programSearch(programs), message, condition: 'program and message' } : { message, condition: 'message' };
  const causes = withCauses ? listParagraphOf(definition.explanation, /^\*\*Usual causes\.\*\*/) : undefined;
  return {
    ...header(parts, name, title, description),
    logsource: { product: 'linux', service: serviceOf(programs) },
    detection,
    falsepositives: causes,
    level,
  };
}

/** Drops absent fields, so the YAML holds only what the rule says. */
function present(document: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(document).filter(([, value]) => value !== undefined));
}

function yamlOf(documents: Record<string, unknown>[]): string {
  return documents.map((document) => stringify(present(document), { lineWidth: 0 })).join('---\n');
}

/** `sshd/failed-password` as a file name: `sshd_failed-password.yml`. */
function fileNameOf(ruleId: string): string {
  return `${ruleId.replace(/[^A-Za-z0-9._-]+/g, '_')}.yml`;
}

/** One catalogue rule as Sigma documents, or why it has none. */
function exportRule(definition: RuleDefinition, options: SigmaExportOptions): { kind: ExportedKind; documents: Record<string, unknown>[] } | { reason: string } {
  if (definition.silence) return { reason: KIND_REASONS.silence };
  if (definition.declared) return { reason: KIND_REASONS.declared };
  if (definition.rare) return { reason: KIND_REASONS.rare };
  if (definition.fallback) return { reason: KIND_REASONS.fallback };
  if (definition.match === undefined) return { reason: KIND_REASONS.silence };
  const start = sigmaRegexOf(definition.match, definition.ignoreCase);
  if ('reason' in start) return start;
  const end = definition.end ? sigmaRegexOf(definition.end.match, definition.ignoreCase) : undefined;
  if (end && 'reason' in end) return end;
  if (definition.end && definition.end.withinSeconds === undefined) return { reason: KIND_REASONS.noEnd };

  const programs = definition.programs?.includes('*') ? undefined : definition.programs?.map((program) => program.toLowerCase());
  const parts: Parts = { definition, options, programs };
  const level = LEVEL_OF[definition.severity];
  const description = descriptionOf(definition.explanation);
  const base = baseRule(parts, definition.id, definition.title, start.pattern, level, description);
  // Every match is a finding in the catalogue (a burst only folds them), so the base rules alert too.
  const correlation = (title: string, suffix: string, body: Record<string, unknown>, what: string, correlationLevel: string) => ({
    ...header(parts, `${definition.id}${suffix}`, title, what),
    correlation: body,
    generate: true,
    level: correlationLevel,
  });

  if (definition.burst) {
    const { count, withinSeconds } = definition.burst;
    // A burst chains matches each within withinSeconds of the last; the longest that count of them
    // can last is (count - 1) × withinSeconds, the window in which Sigma counts them.
    const timespan = timespanOf((count - 1) * withinSeconds);
    const what = `${count} or more matches of "${definition.title}" on one host within ${timespan}. ${description ?? ''}`.trim();
    return {
      kind: 'burst',
      documents: [base, correlation(`${definition.title} (${count} or more within ${timespan})`, '#burst', { type: 'event_count', rules: [definition.id], 'group-by': ['host'], timespan, condition: { gte: count } }, what, level)],
    };
  }
  if (definition.end && end) {
    const endName = `${definition.id}#end`;
    const endRule = baseRule(parts, endName, `${definition.title}: ended`, end.pattern, 'informational', `What ends "${definition.title}".`, false);
    const timespan = timespanOf(definition.end.withinSeconds!);
    const what = `"${definition.title}" and then its end on the same host within ${timespan}.`;
    return {
      kind: 'paired',
      documents: [base, endRule, correlation(`${definition.title}, then ended within ${timespan}`, '#pair', { type: 'temporal_ordered', rules: [definition.id, endName], 'group-by': ['host'], timespan }, what, 'informational')],
    };
  }
  return { kind: 'line', documents: [base] };
}

/**
 * Writes catalogue rules as Sigma 2 rules: each line rule as a detection over the program and
 * the message (`message|re`), a burst with an `event_count` correlation, a paired rule with its
 * end and a `temporal_ordered` correlation. Rules Sigma cannot express are left out, each with
 * its reason. Pure: the caller writes the files.
 */
export function exportSigma(definitions: readonly RuleDefinition[], options: SigmaExportOptions): SigmaExport {
  const files: SigmaFile[] = [];
  const leftOut: LeftOut[] = [];
  const exported: Record<ExportedKind, number> = { line: 0, burst: 0, paired: 0 };
  for (const definition of definitions) {
    const result = exportRule(definition, options);
    if ('reason' in result) {
      leftOut.push({ ruleId: definition.id, reason: result.reason });
      continue;
    }
    exported[result.kind]++;
    files.push({ fileName: fileNameOf(definition.id), yamlText: yamlOf(result.documents) });
  }
  return { files, leftOut, exported };
}
