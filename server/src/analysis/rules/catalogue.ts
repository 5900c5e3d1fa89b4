import Ajv, { ErrorObject } from 'ajv';
import { LineCounter, isMap, isSeq, parseDocument, Document } from 'yaml';
import schema from '../../../../rules/rule.schema.json';
import { CompiledRule, RuleDefinition, RuleProblem } from './types';

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
}

const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

function positionOf(doc: Document, counter: LineCounter, path: (string | number)[]): { line: number; column: number } {
  // Walk up the path until a node with a known position is found.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
    if (range) {
      const pos = counter.linePos(range[0]);
      return { line: pos.line - 1, column: pos.col - 1 };
    }
  }
  return { line: 0, column: 0 };
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

/** Compiles a rule's pattern; returns the problem text instead of throwing. */
export function compilePattern(pattern: string, ignoreCase: boolean | undefined): RegExp | string {
  try {
    return new RegExp(pattern, ignoreCase ? 'i' : '');
  } catch (error) {
    return `invalid regular expression: ${(error as Error).message}`;
  }
}

/**
 * Reads one rule file (YAML or JSON), validates it against the schema and compiles its rules.
 * Never throws: every problem comes back with its position in the file.
 */
export function loadRuleFile(file: RuleSource): { rules: CompiledRule[]; problems: RuleProblem[] } {
  const counter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter: counter, prettyErrors: false });
  const problems: RuleProblem[] = [];
  for (const error of doc.errors) {
    const pos = counter.linePos(error.pos[0]);
    problems.push({ source: file.source, line: pos.line - 1, column: pos.col - 1, message: error.message });
  }
  if (problems.length > 0) return { rules: [], problems };
  const data: unknown = doc.toJS();
  if (!validate(data)) {
    for (const error of validate.errors ?? []) {
      const pos = positionOf(doc, counter, pathOf(error));
      problems.push({ source: file.source, ...pos, message: describeSchemaError(error) });
    }
    return { rules: [], problems };
  }
  const rules: CompiledRule[] = [];
  const list = doc.get('rules', true);
  (data as { rules: RuleDefinition[] }).rules.forEach((definition, index) => {
    const origin = { source: file.source, ...positionOf(doc, counter, ['rules', index, 'id']) };
    const pattern = definition.match === undefined ? undefined : compilePattern(definition.match, definition.ignoreCase);
    const endPattern = definition.end ? compilePattern(definition.end.match, definition.ignoreCase) : undefined;
    for (const [compiled, field] of [[pattern, 'match'], [endPattern, 'end']] as const) {
      if (typeof compiled === 'string') {
        const pos = positionOf(doc, counter, field === 'match' ? ['rules', index, 'match'] : ['rules', index, 'end', 'match']);
        problems.push({ source: file.source, ...pos, message: `${definition.id}: ${compiled}` });
      }
    }
    if (typeof pattern === 'string' || typeof endPattern === 'string') return;
    rules.push({
      definition,
      origin: { source: origin.source, line: origin.line },
      pattern,
      endPattern,
      programs: definition.programs?.includes('*') ? undefined : definition.programs?.map((p) => p.toLowerCase()),
    });
  });
  if (isSeq(list) === false && !isMap(doc.contents)) problems.push({ source: file.source, line: 0, column: 0, message: 'expected a mapping with a `rules` list' });
  return { rules, problems };
}

/** Loads several rule files into one catalogue; a later file's rule replaces an earlier one with the same id. */
export function buildCatalogue(files: RuleSource[]): Catalogue {
  const byId = new Map<string, CompiledRule>();
  const problems: RuleProblem[] = [];
  for (const file of files) {
    const loaded = loadRuleFile(file);
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
  return { rules: [...byId.values()], byId, problems };
}
