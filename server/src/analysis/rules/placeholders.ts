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

/**
 * A rule's text with no line to fill it from (a SARIF rule's help, a rule listing): each
 * placeholder becomes its group's name, as the hover shows a group the line did not capture.
 */
export function withPlaceholderNames(text: string): string {
  return text.replace(PLACEHOLDER, (_, name: string) => name);
}
