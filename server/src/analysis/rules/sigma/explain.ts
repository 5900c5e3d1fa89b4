/**
 * Escapes third-party text (a Sigma rule's description, author, references) for Markdown, so it
 * shows as the characters it is: no links, images or HTML, and no autolinks (`:` is escaped).
 */
export function escapeText(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\uFFFD')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/** Escapes text for one line of Markdown: line breaks become spaces. */
function escapeLine(text: string): string {
  return escapeText(text.replace(/\s*[\r\n]+\s*/g, ' ').trim());
}

function stringsOf(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.filter((item) => item !== null && item !== undefined && typeof item !== 'object').map((item) => String(item));
}

/** The parts of a Sigma rule the hover shows. */
export interface SigmaMetadata {
  description?: unknown;
  falsepositives?: unknown;
  references?: unknown;
  author?: unknown;
  status?: unknown;
  date?: unknown;
  modified?: unknown;
  tags?: unknown;
  level?: unknown;
}

/**
 * Builds a rule's explanation, in Markdown, from a Sigma rule's description, false positives,
 * references, author, status and dates. Every piece of text is escaped: it comes from a rule
 * someone else wrote.
 */
export function explainSigma(rule: SigmaMetadata, source: string): string {
  const sections: string[] = [];
  const description = stringsOf(rule.description).join(' ');
  // Paragraph breaks in the description are kept; other line breaks are folded.
  if (description) sections.push(description.split(/\r?\n\s*\r?\n/).map(escapeLine).filter(Boolean).join('\n\n'));
  const falsePositives = stringsOf(rule.falsepositives);
  if (falsePositives.length) sections.push(`**False positives:**\n${falsePositives.map((item) => `- ${escapeLine(item)}`).join('\n')}`);
  const references = stringsOf(rule.references);
  if (references.length) sections.push(`**References:**\n${references.map((item) => `- ${escapeLine(item)}`).join('\n')}`);
  const facts: string[] = [];
  const author = stringsOf(rule.author).join(', ');
  if (author) facts.push(`**Author:** ${escapeLine(author)}`);
  for (const [label, value] of [['Status', rule.status], ['Level', rule.level], ['Date', rule.date], ['Modified', rule.modified]] as const) {
    const text = stringsOf(value instanceof Date ? value.toISOString().slice(0, 10) : value).join(', ');
    if (text) facts.push(`**${label}:** ${escapeLine(text)}`);
  }
  if (facts.length) sections.push(facts.join(' · '));
  const tags = stringsOf(rule.tags);
  if (tags.length) sections.push(`**Tags:** ${tags.map(escapeLine).join(', ')}`);
  sections.push(`_Sigma rule from ${escapeLine(source)}._`);
  return sections.join('\n\n');
}
