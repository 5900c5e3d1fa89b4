import Ajv, { ErrorObject } from 'ajv';
import { isMap, isSeq, parseDocument, Document, isScalar } from 'yaml';
import schema from '../../../../rules/rule.schema.json';
import { CompiledRule, RuleDefinition, RuleProblem } from './types';
import { RegexEngine, compilePattern } from './patterns';
import { positionsIn } from './filePositions';
import { loadSigmaFile } from './sigma/loader';
import { groupNamesOf, unknownPlaceholders } from './placeholders';

/** A set of compiled rules, with everything that went wrong loading them. */
export interface Catalogue {
  rules: CompiledRule[];
  byId: Map<string, CompiledRule>;
  problems: RuleProblem[];
}

/** One rule file's text and a name for it (a path or URI), as read by the caller. */
export interface RuleSource {
  source: string;
  text: string;
  /** `native` only for the shipped catalogue; anything else runs in linear time. */
  engine?: RegexEngine;
  /** `sigma`: a Sigma rule file (always linear), loaded by `loadSigmaFile`; default: our rule format. */
  format?: 'rules' | 'sigma';
  /** What `parseRuleFile` makes of `text`, when known already (our format only): the text is then not parsed again. */
  parsed?: ParsedRuleFile;
}

/** What a set of rules is built from, as data: the files, and the rule ids switched off. */
export interface RuleRecipe {
  sources: RuleSource[];
  disabled: string[];
}

/** The rules a recipe makes, in catalogue order. */
export function rulesOf(recipe: RuleRecipe): CompiledRule[] {
  const disabled = new Set(recipe.disabled);
  return buildCatalogue(recipe.sources).rules.filter((rule) => !disabled.has(rule.definition.id));
}

let compiledSchema: ReturnType<Ajv['compile']> | undefined;

/** The schema's validator, compiled when first needed: compiling it costs a tenth of a second, and a shipped catalogue read from its snapshot never needs it. */
function schemaValidator(): ReturnType<Ajv['compile']> {
  compiledSchema ??= new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);
  return compiledSchema;
}


function positionOf(doc: Document, position: (offset: number) => { line: number; column: number }, path: (string | number)[]): { line: number; column: number } {
  // Walk up the path until a node with a known position is found.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) return position(range[0]);
  }
  return { line: 0, column: 0 };
}

/** The position of the key that ends `path` in its mapping, when there is one. */
function keyPositionOf(doc: Document, position: (offset: number) => { line: number; column: number }, path: (string | number)[]): { line: number; column: number } | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === path[path.length - 1]);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? position(range[0]) : undefined;
}

function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath || '(file)';
  if (error.keyword === 'additionalProperties') return `${where}: unknown property "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where}: must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
  return `${where}: ${error.message ?? 'is not valid'}`;
}

function pathOf(error: ErrorObject): (string | number)[] {
  const parts = error.instancePath.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? Number(part) : part.replace(/~1/g, '/').replace(/~0/g, '~')));
  if (error.keyword === 'additionalProperties') parts.push(String(error.params.additionalProperty));
  return parts;
}

/**
 * Placeholders in a rule's message or explanation that name none of its groups: shown as written,
 * they are most likely a misspelt group, so the author hears of it (the rule still loads).
 */
function placeholderProblems(definition: RuleDefinition, at: (field: 'message' | 'explanation') => { source: string; line: number; column: number }): RuleProblem[] {
  const names = groupNamesOf(definition);
  const known = names.size > 0 ? `its groups are ${[...names].join(', ')}` : 'it captures no named group';
  const problems: RuleProblem[] = [];
  for (const field of ['message', 'explanation'] as const) {
    for (const unknown of unknownPlaceholders(definition[field] ?? '', names)) {
      problems.push({ ...at(field), severity: 'warning', message: `${definition.id}: the ${field}'s placeholder {${unknown.name}} names no group of the rule's pattern (${known})` });
    }
  }
  return problems;
}

/** Where a field of a rule file is, for a problem found in it. */
type Position = { line: number; column: number };

/** A rule file's data, valid against the schema, and where each of its fields is. */
interface ReadRuleFile {
  data: { rules: RuleDefinition[] };
  at: (path: (string | number)[]) => Position;
}

/**
 * A rule file as `loadRuleFile` reads it before compiling its patterns: its data and the
 * positions problems are reported at (`rules/<index>/<field>` keys, `REPORTED_FIELDS`). Plain
 * data, so that it can be stored, and sent to a worker thread, instead of reading the YAML again.
 */
export interface ParsedRuleFile {
  data: { rules: RuleDefinition[] };
  positions: Record<string, Position>;
}

/** The fields of each rule whose position a problem may be reported at. */
const REPORTED_FIELDS = [['id'], ['match'], ['end', 'match'], ['message'], ['explanation']] as const;

/** Reads one rule file's text (YAML or JSON) and validates it against the schema; the problems come with their positions in the file. */
function readRuleFile(file: RuleSource): { read?: ReadRuleFile; problems: RuleProblem[] } {
  const position = positionsIn(file.text);
  const doc = parseDocument(file.text, { prettyErrors: false });
  const problems: RuleProblem[] = [];
  for (const error of doc.errors) problems.push({ source: file.source, ...position(error.pos[0]), message: error.message });
  if (problems.length > 0) return { problems };
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // The YAML library throws, rather than reports, an unresolved alias or an alias bomb.
    return { problems: [{ source: file.source, line: 0, column: 0, message: (error as Error).message }] };
  }
  const validate = schemaValidator();
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const path = pathOf(error);
      // An unknown property is best shown at its key, not its value.
      const pos = (error.keyword === 'additionalProperties' && keyPositionOf(doc, position, path)) || positionOf(doc, position, path);
      problems.push({ source: file.source, ...pos, message: describeSchemaError(error) });
    }
    return { problems };
  }
  if (isSeq(doc.get('rules', true)) === false && !isMap(doc.contents)) problems.push({ source: file.source, line: 0, column: 0, message: 'expected a mapping with a `rules` list' });
  return { read: { data: data as ReadRuleFile['data'], at: (path) => positionOf(doc, position, path) }, problems };
}

/** What `loadRuleFile` reads of a rule file before compiling it, as plain data (undefined: the file has problems). */
export function parseRuleFile(file: RuleSource): ParsedRuleFile | undefined {
  const { read, problems } = readRuleFile(file);
  if (!read || problems.length > 0) return undefined;
  const positions: Record<string, Position> = {};
  read.data.rules.forEach((_, index) => {
    for (const field of REPORTED_FIELDS) positions[['rules', index, ...field].join('/')] = read.at(['rules', index, ...field]);
  });
  return { data: read.data, positions };
}

/**
 * Reads one rule file (YAML or JSON, or `file.parsed` when the caller has it already), validates
 * it against the schema and compiles its rules. Never throws: every problem comes back with its
 * position in the file.
 */
export function loadRuleFile(file: RuleSource): { rules: CompiledRule[]; problems: RuleProblem[] } {
  const parsed = file.parsed;
  const { read, problems } = parsed ? { read: { data: parsed.data, at: (path: (string | number)[]) => parsed.positions[path.join('/')] }, problems: [] } : readRuleFile(file);
  if (!read) return { rules: [], problems };
  const at = (index: number, ...field: string[]): { source: string } & Position => ({ source: file.source, ...read.at(['rules', index, ...field]) });
  const engine = file.engine ?? 'linear';
  const rules: CompiledRule[] = [];
  const compileProblems: RuleProblem[] = [];
  read.data.rules.forEach((definition, index) => {
    const origin = at(index, 'id');
    const pattern = definition.match === undefined ? undefined : compilePattern(definition.match, definition.ignoreCase, engine);
    const endPattern = definition.end ? compilePattern(definition.end.match, definition.ignoreCase, engine) : undefined;
    for (const [compiled, field] of [[pattern, ['match']], [endPattern, ['end', 'match']]] as const) {
      if (typeof compiled === 'string') compileProblems.push({ ...at(index, ...field), message: `${definition.id}: ${compiled}` });
    }
    if (typeof pattern === 'string' || typeof endPattern === 'string') return;
    compileProblems.push(...placeholderProblems(definition, (field) => at(index, field)));
    rules.push({
      definition,
      origin: { source: origin.source, line: origin.line },
      pattern,
      endPattern,
      programs: definition.programs?.includes('*') ? undefined : definition.programs?.map((p) => p.toLowerCase()),
    });
  });
  // The one problem `readRuleFile` may find in a file it could read comes after the rules' own.
  return { rules, problems: [...compileProblems, ...problems] };
}

/** Compiled rule files by source, so a reload recompiles only the files whose text changed. */
export type CompiledFileCache = Map<string, { text: string; engine?: RegexEngine; format?: RuleSource['format']; loaded: ReturnType<typeof loadRuleFile> }>;

function compileFile(file: RuleSource, cache: CompiledFileCache | undefined): ReturnType<typeof loadRuleFile> {
  const hit = cache?.get(file.source);
  if (hit && hit.text === file.text && hit.engine === file.engine && hit.format === file.format) return hit.loaded;
  const loaded = file.format === 'sigma' ? loadSigmaFile(file) : loadRuleFile(file);
  cache?.set(file.source, { text: file.text, engine: file.engine, format: file.format, loaded });
  return loaded;
}

/**
 * Loads several rule files (ours and Sigma's, by `RuleSource.format`) into one catalogue; a later
 * file's rule replaces an earlier one with the same id.
 */
export function buildCatalogue(files: RuleSource[], cache?: CompiledFileCache): Catalogue {
  const byId = new Map<string, CompiledRule>();
  const problems: RuleProblem[] = [];
  for (const file of files) {
    const loaded = compileFile(file, cache);
    problems.push(...loaded.problems);
    for (const rule of loaded.rules) {
      const previous = byId.get(rule.definition.id);
      if (previous && previous.origin.source === rule.origin.source) {
        problems.push({ source: file.source, line: rule.origin.line, column: 0, message: `duplicate rule id ${rule.definition.id} (first defined at line ${previous.origin.line + 1})` });
        continue;
      }
      byId.set(rule.definition.id, rule);
    }
  }
  const rules = [...byId.values()];
  problems.push(...unresolvedCorrelations(rules));
  return { rules, byId, problems };
}

/** A correlation naming a rule that no file defines cannot run as written: say which. */
function unresolvedCorrelations(rules: CompiledRule[]): RuleProblem[] {
  const names = new Set(rules.filter((rule) => rule.pattern).flatMap((rule) => rule.sigma?.names ?? []));
  return rules
    .filter((rule) => rule.correlation?.rules.some((name) => !names.has(name)))
    .map((rule) => ({
      source: rule.origin.source,
      line: rule.origin.line,
      column: 0,
      message: `"${rule.definition.title}": the correlation names ${rule.correlation!.rules.filter((name) => !names.has(name)).map((name) => JSON.stringify(name)).join(', ')}, which no loaded Sigma rule has as id or name; that part never matches`,
      severity: 'warning' as const,
    }));
}
