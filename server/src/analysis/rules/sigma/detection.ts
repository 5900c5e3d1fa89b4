import { ConditionNode, parseCondition, searchesMatching } from './condition';
import { LineView, Target, auditTargetOf, targetOf } from './fields';
import { Span, TextTest, ValueKind, regexTest, valueTest } from './values';

/** What a search found in a line: the span within the message when it found one there. */
export interface Hit {
  span?: Span;
}

/** A hit with no span, shared: most hits are on fields outside the message. */
const HIT: Hit = Object.freeze({});

/** A search that needs every part to hit; its span is the first part's that has one. */
function allOf(parts: Search[]): Search {
  return (view) => {
    let first: Hit = HIT;
    for (const part of parts) {
      const hit = part(view);
      if (!hit) return null;
      if (!first.span && hit.span) first = hit;
    }
    return first;
  };
}

/** A compiled search (or a whole condition) tested on one line. */
export type Search = (view: LineView) => Hit | null;

/** A path into the rule's YAML (`['detection', 'selection', 'message|contains']`). */
export type YamlPath = (string | number)[];

/** A construct that keeps the rule from loading; `atKey` places it on the key, `offset` within a condition. */
export interface DetectionProblem {
  path: YamlPath;
  atKey?: boolean;
  offset?: number;
  message: string;
}

type Report = (problem: DetectionProblem) => void;

/** How a rule's fields are read: `auditd` rules name the fields of audit records. */
export interface DetectionOptions {
  auditd?: boolean;
}

const NOT_FOR_SYSLOG: Record<string, string> = {
  base64: 'encodes values for Windows event data',
  base64offset: 'encodes values for Windows event data',
  wide: 'encodes values for Windows event data',
  utf16: 'encodes values for Windows event data',
  utf16le: 'encodes values for Windows event data',
  utf16be: 'encodes values for Windows event data',
  windash: 'expands Windows command-line dashes',
  cidr: 'needs a field holding one IP address, which syslog lines do not have',
  lt: 'compares numbers, and syslog lines offer no numeric fields',
  lte: 'compares numbers, and syslog lines offer no numeric fields',
  gt: 'compares numbers, and syslog lines offer no numeric fields',
  gte: 'compares numbers, and syslog lines offer no numeric fields',
  expand: 'needs placeholder values from a pipeline configuration',
  fieldref: 'compares two fields, and syslog lines have no fields worth comparing',
  minute: 'reads time parts of an event timestamp field',
  hour: 'reads time parts of an event timestamp field',
  day: 'reads time parts of an event timestamp field',
  week: 'reads time parts of an event timestamp field',
  month: 'reads time parts of an event timestamp field',
  year: 'reads time parts of an event timestamp field',
};

interface Modifiers {
  kind: ValueKind | 're';
  all: boolean;
  cased: boolean;
  exists: boolean;
  reFlags: string;
}

function parseModifiers(names: string[], defaultKind: ValueKind): Modifiers | string {
  const mods: Modifiers = { kind: defaultKind, all: false, cased: false, exists: false, reFlags: '' };
  let kindSet = false;
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (name === 'contains' || name === 'startswith' || name === 'endswith' || name === 're') {
      if (kindSet) return `modifiers \`${mods.kind}\` and \`${name}\` cannot be combined`;
      mods.kind = name;
      kindSet = true;
    } else if (mods.kind === 're' && (name === 'i' || name === 'm' || name === 's')) mods.reFlags += name;
    else if (name === 'all') mods.all = true;
    else if (name === 'cased') mods.cased = true;
    else if (name === 'exists') mods.exists = true;
    else if (Object.hasOwn(NOT_FOR_SYSLOG, name)) return `modifier \`${raw}\` is not supported: it ${NOT_FOR_SYSLOG[name]}`;
    else return `unknown modifier \`${raw}\``;
  }
  if (mods.exists && (kindSet || mods.all || mods.cased)) return 'modifier `exists` cannot be combined with other modifiers';
  return mods;
}

/** Tests the values of one field (or of the whole line, for keywords) on a line. */
function textSearch(target: Target, tests: TextTest[], all: boolean, nullMatches: boolean): Search {
  const probe = (view: LineView, test: TextTest): Hit | null => {
    const text = view.text(target);
    if (text === undefined) return null;
    const span = test(text, view.lower(target));
    if (!span) return null;
    if (target === 'message') return { span };
    // Keywords search the whole line; the span is only known when the keyword is in the message.
    const inMessage = target === 'line' || target === 'event' ? test(view.fields.message, view.lower('message')) : null;
    return inMessage ? { span: inMessage } : HIT;
  };
  return (view) => {
    if (nullMatches && !view.text(target)) return HIT;
    let first: Hit | null = null;
    for (const test of tests) {
      const hit = probe(view, test);
      if (all && !hit) return null;
      if (hit && !all) return hit;
      if (hit && (!first || (!first.span && hit.span))) first = hit;
    }
    return first;
  };
}

/** Compiles one field of a selection (`message|contains|all: [...]`) or a keyword list. */
function compileValues(field: string, target: Target, value: unknown, path: YamlPath, report: Report): Search | undefined {
  const [, ...modifierNames] = field.split('|');
  const keywords = target === 'line' || target === 'event';
  const mods = parseModifiers(modifierNames, keywords ? 'contains' : 'exact');
  if (typeof mods === 'string') {
    report({ path, atKey: true, message: mods });
    return undefined;
  }
  if (mods.exists) {
    if (typeof value !== 'boolean') {
      report({ path, message: '`exists` needs true or false' });
      return undefined;
    }
    return (view) => ((view.text(target) !== undefined) === value ? HIT : null);
  }
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) {
    report({ path, message: 'an empty list of values matches nothing' });
    return undefined;
  }
  const tests: TextTest[] = [];
  let nullMatches = false;
  let ok = true;
  values.forEach((item, index) => {
    const itemPath = Array.isArray(value) ? [...path, index] : path;
    if (item === null) {
      if (mods.kind === 're' || keywords) {
        report({ path: itemPath, message: keywords ? 'a keyword cannot be null' : 'a regular expression cannot be null' });
        ok = false;
      }
      nullMatches = true;
      return;
    }
    if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') {
      report({ path: itemPath, message: 'a value must be a string, a number, a boolean or null; nested lists and maps are not Sigma' });
      ok = false;
      return;
    }
    if (mods.kind !== 're') {
      tests.push(valueTest(String(item), mods.kind, mods.cased));
      return;
    }
    const compiled = regexTest(String(item), mods.reFlags);
    if (typeof compiled === 'string') {
      report({ path: itemPath, message: compiled });
      ok = false;
    } else tests.push(compiled);
  });
  if (!ok) return undefined;
  if (mods.all && nullMatches) {
    report({ path, message: '`all` with a null value can never match' });
    return undefined;
  }
  return textSearch(target, tests, mods.all, nullMatches);
}

/** A selection map: every field must match (AND). */
function compileMap(map: Record<string, unknown>, path: YamlPath, report: Report, options: DetectionOptions): Search | undefined {
  const keys = Object.keys(map);
  if (keys.length === 0) {
    report({ path, message: 'an empty selection matches nothing' });
    return undefined;
  }
  const parts: Search[] = [];
  let ok = true;
  for (const key of keys) {
    const field = key.split('|')[0];
    const target = field === '' ? (options.auditd ? 'event' : 'line') : options.auditd ? auditTargetOf(field) : targetOf(field);
    if (!target) {
      const known = options.auditd ? 'an audit record field is a name such as exe, a0 or SYSCALL' : 'known: message, host, program, pid';
      report({ path: [...path, key], atKey: true, message: `field "${field}" is not in a ${options.auditd ? 'audit record' : 'syslog line'} (${known}); the rule is not loaded` });
      ok = false;
      continue;
    }
    const search = compileValues(key, target, map[key], [...path, key], report);
    if (search) parts.push(search);
    else ok = false;
  }
  if (!ok) return undefined;
  const every = allOf(parts);
  return options.auditd ? inSomeRecord(every) : every;
}

/** An auditd selection holds when one record of the line's event has every field it names. */
function inSomeRecord(search: Search): Search {
  return (view) => {
    const records = view.fields.audit?.records;
    if (!records) return null;
    try {
      for (const record of records) {
        view.record = record;
        if (search(view)) return HIT;
      }
      return null;
    } finally {
      view.record = undefined;
    }
  };
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles one search identifier's definition: a map, a list of maps (OR) or keywords. */
export function compileSearch(value: unknown, path: YamlPath, report: Report, options: DetectionOptions = {}): Search | undefined {
  if (isMap(value)) return compileMap(value, path, report, options);
  const list = Array.isArray(value) ? value : [value];
  if (list.length > 0 && list.every(isMap)) {
    const alternatives = list.map((item, index) => compileMap(item, [...path, index], report, options));
    if (alternatives.some((search) => !search)) return undefined;
    const searches = alternatives as Search[];
    return (view) => {
      for (const search of searches) {
        const hit = search(view);
        if (hit) return hit;
      }
      return null;
    };
  }
  const mapIndex = list.findIndex(isMap);
  if (mapIndex >= 0) {
    report({ path: [...path, mapIndex], message: 'a search mixes keywords and field maps; write them as separate searches' });
    return undefined;
  }
  return compileValues('', options.auditd ? 'event' : 'line', value, path, report);
}

/** Turns a parsed condition into one search over the compiled identifiers. */
function combine(node: ConditionNode, searches: Map<string, Search>, path: YamlPath, report: Report): Search | undefined {
  switch (node.kind) {
    case 'search': {
      const search = searches.get(node.name);
      if (!search) report({ path, offset: node.offset, message: `the condition names "${node.name}", which the detection does not define` });
      return search;
    }
    case 'not': {
      const inner = combine(node.item, searches, path, report);
      return inner && ((view) => (inner(view) ? null : HIT));
    }
    case 'of': {
      const names = searchesMatching(node.pattern, [...searches.keys()]);
      if (names.length === 0) {
        report({ path, offset: node.offset, message: `"${node.pattern}" names no search of the detection` });
        return undefined;
      }
      return combine({ kind: node.quantifier === 'one' ? 'or' : 'and', items: names.map((name) => ({ kind: 'search', name, offset: node.offset })) }, searches, path, report);
    }
    default: {
      const items = node.items.map((item) => combine(item, searches, path, report));
      if (items.some((item) => !item)) return undefined;
      const parts = items as Search[];
      if (node.kind === 'or') {
        return (view) => {
          for (const part of parts) {
            const hit = part(view);
            if (hit) return hit;
          }
          return null;
        };
      }
      return allOf(parts);
    }
  }
}

/**
 * Compiles a rule's `detection`: its searches and its condition (a string, or a list of strings
 * taken as alternatives). Returns undefined, having reported why, when any part cannot be used.
 */
export function compileDetection(detection: unknown, report: Report, options: DetectionOptions = {}): Search | undefined {
  if (!isMap(detection)) {
    report({ path: ['detection'], message: '`detection` must be a mapping of searches and a `condition`' });
    return undefined;
  }
  const searches = new Map<string, Search>();
  let ok = true;
  for (const [name, value] of Object.entries(detection)) {
    if (name === 'condition') continue;
    if (name === 'timeframe') {
      report({ path: ['detection', name], atKey: true, message: '`timeframe` is not supported: it belongs to aggregations over several lines' });
      ok = false;
      continue;
    }
    const search = compileSearch(value, ['detection', name], report, options);
    if (search) searches.set(name, search);
    else ok = false;
  }
  const condition = detection.condition;
  if (condition === undefined) {
    report({ path: ['detection'], atKey: true, message: '`detection` has no `condition`' });
    return undefined;
  }
  const conditions = Array.isArray(condition) ? condition : [condition];
  // A search that failed to compile (already reported) still counts as defined for the condition.
  const known = new Map<string, Search>();
  for (const name of Object.keys(detection)) if (name !== 'condition' && name !== 'timeframe') known.set(name, searches.get(name) ?? (() => null));
  const combined: Search[] = [];
  conditions.forEach((text, index) => {
    const path = Array.isArray(condition) ? ['detection', 'condition', index] : ['detection', 'condition'];
    if (typeof text !== 'string') {
      report({ path, message: 'a condition must be a string' });
      ok = false;
      return;
    }
    const parsed = parseCondition(text);
    if ('problem' in parsed) {
      report({ path, offset: parsed.problem.offset, message: parsed.problem.message });
      ok = false;
      return;
    }
    const search = combine(parsed.node, known, path, report);
    if (search) combined.push(search);
    else ok = false;
  });
  if (!ok || combined.length === 0) return undefined;
  if (combined.length === 1) return combined[0];
  return (view) => {
    for (const search of combined) {
      const hit = search(view);
      if (hit) return hit;
    }
    return null;
  };
}
