import { namedGroupsOf } from './patterns';
import { RuleDefinition } from './types';

/**
 * A `{name}` placeholder in a rule's message or explanation. `${name}` is left alone: that is a
 * shell or exim variable an explanation quotes, not a placeholder.
 */
export const PLACEHOLDER = /(?<!\$)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The groups a rule's findings carry: its patterns' named groups, or a declared rule's level and text. */
export function groupNamesOf(definition: RuleDefinition): Set<string> {
  const names = new Set<string>();
  for (const pattern of [definition.match, definition.end?.match]) if (pattern !== undefined) for (const name of namedGroupsOf(pattern)) names.add(name);
  if (definition.declared) names.add('level').add('text');
  return names;
}

/** A placeholder that names none of the rule's groups, with its offset in the text. */
export interface UnknownPlaceholder {
  name: string;
  index: number;
}

/** The placeholders of `text` that name no group in `names`: most likely a misspelt group. */
export function unknownPlaceholders(text: string, names: ReadonlySet<string>): UnknownPlaceholder[] {
  return [...text.matchAll(PLACEHOLDER)].filter((m) => !names.has(m[1])).map((m) => ({ name: m[1], index: m.index }));
}
