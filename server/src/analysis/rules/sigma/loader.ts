import { Document, parseAllDocuments } from 'yaml';
import type { RuleSource } from '../catalogue';
import { CompiledRule, RuleDefinition, RuleProblem, Severity } from '../types';
import { DetectionProblem, Search, compileDetection } from './detection';
import { explainSigma } from './explain';
import { LineView, targetOf, viewOf } from './fields';
import { LineFields, LinePattern } from '../patterns';
import { capturedField, parseCorrelation } from './correlation';
import { offsetOf, positionsIn } from './positions';
import { SERVICE_PROGRAMS } from './services';

/** Sigma levels as severities; the exporter writes the reverse (`export.ts`). */
const LEVELS: Record<string, Severity> = { critical: 'error', high: 'error', medium: 'warning', low: 'information', informational: 'hint' };

/** The YAML's own parse, or the merge of an `action: global` document into a rule's document. */
type Data = Record<string, unknown>;

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

/** Sigma's `action: global`: maps merge key by key, anything else in the rule's document wins. */
function merge(global: Data, own: Data): Data {
  const merged: Data = { ...global };
  for (const [key, value] of Object.entries(own)) merged[key] = isData(merged[key]) && isData(value) ? merge(merged[key] as Data, value) : value;
  return merged;
}

const ID = /^[a-z0-9]+(?:[-.][a-z0-9]+)*$/;

/** `sigma/<id>` from the Sigma id (usually a UUID) or, failing that, a kebab-case slug of the title. */
function ruleIdOf(data: Data): string | undefined {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80).replace(/-+$/, '');
  const own = typeof data.id === 'string' ? data.id.trim().toLowerCase() : '';
  if (ID.test(own)) return `sigma/${own}`;
  const fromTitle = typeof data.title === 'string' ? slug(data.title) : '';
  if (fromTitle) return `sigma/${fromTitle}`;
  const fromId = slug(own);
  return fromId ? `sigma/${fromId}` : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The values of the fields correlations group by, from the line or from the first record of its event that has them. */
function captured(fields: LineFields, captures: Set<string>, auditd: boolean): Record<string, string | undefined> | undefined {
  if (captures.size === 0) return undefined;
  const groups: Record<string, string | undefined> = {};
  for (const field of captures) {
    let value: string | undefined;
    if (auditd) value = fields.audit?.records.find((record) => record.fields.has(field))?.fields.get(field);
    else {
      const target = targetOf(field);
      value = target ? new LineView(fields).text(target) : undefined;
    }
    groups[capturedField(field)] = value;
  }
  return groups;
}

/** Wraps a compiled condition as a rule's pattern: the span is the first match in the message, or the whole message. */
function sigmaPattern(search: Search, source: string, captures: Set<string>): LinePattern {
  return {
    source,
    exec(fields) {
      const hit = search(viewOf(fields));
      if (!hit) return null;
      return { ...(hit.span ?? { index: 0, length: fields.message.length }), groups: captured(fields, captures, false) };
    },
  };
}

/**
 * An auditd rule's pattern: it runs on audit records only, over the event each belongs to, and
 * flags an event once, on the record that completed the match.
 */
function auditPattern(search: Search, source: string, captures: Set<string>): LinePattern {
  const pattern: LinePattern = {
    source,
    exec(fields) {
      const event = fields.audit;
      if (!event || event.flagged.has(pattern)) return null;
      const hit = search(viewOf(fields));
      if (!hit) return null;
      event.flagged.add(pattern);
      return { ...(hit.span ?? { index: 0, length: fields.message.length }), groups: captured(fields, captures, true) };
    },
  };
  return pattern;
}

interface Context {
  file: RuleSource;
  position: (offset: number) => { line: number; column: number };
  problems: RuleProblem[];
}

/** Loads one Sigma document (already merged with its global document); returns the rule, or undefined having said why. */
function loadRule(context: Context, data: Data, docs: Document[]): CompiledRule | undefined {
  const { file, position, problems } = context;
  const where = (path: (string | number)[], options?: { atKey?: boolean; within?: number }) => position(offsetOf(docs, path, options));
  const title = stringOf(data.title)?.trim();
  const name = title ? `"${title}"` : 'Sigma rule';
  const report = (path: (string | number)[], message: string, severity: Severity = 'warning', options?: { atKey?: boolean; within?: number }) =>
    problems.push({ source: file.source, ...where(path, options), message: `${name}: ${message}`, severity });

  if (data.filter !== undefined) {
    report(['filter'], 'skipped: Sigma filter rules are not supported', 'warning', { atKey: true });
    return undefined;
  }
  if (!title) {
    report(['title'], 'not loaded: a Sigma rule needs a `title`');
    return undefined;
  }
  if (data.correlation !== undefined) return loadCorrelation(context, data, docs, name);
  const logsource = isData(data.logsource) ? data.logsource : {};
  if (!isData(data.logsource)) {
    report(['logsource'], 'skipped: no `logsource`, so it cannot be known to be for linux', 'information');
    return undefined;
  }
  const product = stringOf(logsource.product)?.toLowerCase();
  if (product !== 'linux') {
    report(['logsource', 'product'], `skipped: logsource product ${product ?? '(none)'} is not linux`, 'information');
    return undefined;
  }
  const category = stringOf(logsource.category);
  if (category !== undefined) {
    report(['logsource', 'category'], `skipped: logsource category ${category} describes process, file or network events (auditd, Sysmon for Linux), not syslog lines`, 'information');
    return undefined;
  }
  const service = stringOf(logsource.service)?.toLowerCase();
  let programs: string[] | undefined;
  if (service !== undefined) {
    const known = Object.hasOwn(SERVICE_PROGRAMS, service) ? SERVICE_PROGRAMS[service] : undefined;
    if (known === undefined) report(['logsource', 'service'], `logsource service ${service} names no program we know; the rule runs on every line`, 'information');
    programs = known ? [...known] : undefined;
  }

  let severity: Severity = 'warning';
  const level = stringOf(data.level)?.toLowerCase();
  if (data.level !== undefined) {
    if (level !== undefined && Object.hasOwn(LEVELS, level)) severity = LEVELS[level];
    else report(['level'], `unknown level ${JSON.stringify(data.level)} (expected informational, low, medium, high or critical); shown as a warning`);
  }

  const id = ruleIdOf(data);
  if (!id) {
    report(['id'], 'not loaded: no usable `id` or `title` to name the rule');
    return undefined;
  }

  let failed = false;
  const auditd = service === 'auditd';
  const search = compileDetection(data.detection, (problem: DetectionProblem) => {
    failed = true;
    report(problem.path, problem.message, 'warning', { atKey: problem.atKey, within: problem.offset });
  }, { auditd });
  if (!search || failed) return undefined;

  const definition: RuleDefinition = {
    id,
    title,
    severity,
    programs,
    explanation: explainSigma(data, file.source),
    tags: Array.isArray(data.tags) ? data.tags.filter((tag): tag is string => typeof tag === 'string') : undefined,
    samples: { match: [] },
  };
  const origin = where(data.id !== undefined ? ['id'] : ['title']);
  const condition = Array.isArray((data.detection as Data).condition) ? ((data.detection as Data).condition as unknown[]).join(' | ') : String((data.detection as Data).condition);
  const captures = new Set<string>();
  const pattern = auditd ? auditPattern(search, condition, captures) : sigmaPattern(search, condition, captures);
  return { definition, origin: { source: file.source, line: origin.line }, pattern, programs, readsAuditEvents: auditd || undefined, sigma: { names: sigmaNames(data), captures } };
}

/** The names a correlation may use for a rule: its Sigma `id` and its `name`. */
function sigmaNames(data: Data): string[] {
  return [data.id, data.name].filter((name): name is string => typeof name === 'string' && name.length > 0).map((name) => name.trim());
}

/** Loads a correlation rule: no detection of its own, it runs over the findings of the rules it names. */
function loadCorrelation(context: Context, data: Data, docs: Document[], name: string): CompiledRule | undefined {
  const { file, position, problems } = context;
  const origin = position(offsetOf(docs, data.id !== undefined ? ['id'] : ['title']));
  const correlation = parseCorrelation(data.correlation, data.generate);
  if (typeof correlation === 'string') {
    problems.push({ source: file.source, ...position(offsetOf(docs, ['correlation'], { atKey: true })), message: `${name}: not loaded: ${correlation}`, severity: 'warning' });
    return undefined;
  }
  const id = ruleIdOf(data);
  if (!id) return undefined;
  const level = stringOf(data.level)?.toLowerCase();
  const definition: RuleDefinition = {
    id,
    title: stringOf(data.title)!.trim(),
    severity: level !== undefined && Object.hasOwn(LEVELS, level) ? LEVELS[level] : 'warning',
    explanation: explainSigma(data, file.source),
    tags: Array.isArray(data.tags) ? data.tags.filter((tag): tag is string => typeof tag === 'string') : undefined,
    samples: { match: [] },
  };
  return { definition, origin: { source: file.source, line: origin.line }, correlation, sigma: { names: sigmaNames(data), captures: new Set() } };
}

/**
 * Reads one Sigma rule file (one rule, or several as YAML documents, with `action: global`
 * documents merged into the ones after them) and compiles the rules for `product: linux`
 * syslog lines. Never throws: what it cannot run is reported with its position, and regular
 * expressions always run in linear time, whatever `file.engine` says.
 */
export function loadSigmaFile(file: RuleSource): { rules: CompiledRule[]; problems: RuleProblem[] } {
  const position = positionsIn(file.text);
  const context: Context = { file, position, problems: [] };
  const docs = parseAllDocuments(file.text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) for (const error of doc.errors) context.problems.push({ source: file.source, ...position(error.pos[0]), message: error.message, severity: 'error' });
  if (context.problems.length > 0) return { rules: [], problems: context.problems };

  const rules: CompiledRule[] = [];
  let global: { data: Data; doc: Document } | undefined;
  for (const doc of list) {
    let data: unknown;
    try {
      data = doc.toJS();
    } catch (error) {
      // The YAML library throws, rather than reports, an unresolved alias or an alias bomb.
      const start = (doc.contents as { range?: number[] } | null)?.range?.[0] ?? 0;
      context.problems.push({ source: file.source, ...position(start), message: (error as Error).message, severity: 'error' });
      continue;
    }
    if (data === null || data === undefined) continue;
    if (!isData(data)) {
      context.problems.push({ source: file.source, ...position(offsetOf([doc], [])), message: 'expected a Sigma rule (a mapping with title, logsource and detection)', severity: 'error' });
      continue;
    }
    const action = data.action;
    if (action === 'global') {
      global = { data: Object.fromEntries(Object.entries(data).filter(([key]) => key !== 'action')), doc };
      continue;
    }
    if (action === 'reset') {
      global = undefined;
      continue;
    }
    if (action !== undefined) {
      const where = position(offsetOf([doc], ['action']));
      context.problems.push({ source: file.source, ...where, message: `action ${JSON.stringify(action)} is not supported (only global and reset); this document is skipped`, severity: 'warning' });
      continue;
    }
    const merged = global ? merge(global.data, data) : data;
    const rule = loadRule(context, merged, global ? [doc, global.doc] : [doc]);
    if (rule) rules.push(rule);
  }
  return { rules, problems: context.problems };
}
