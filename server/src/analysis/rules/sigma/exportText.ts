import { withPlaceholderNames } from '../placeholders';

/**
 * The prose a Sigma rule takes from a catalogue explanation. A SIEM shows it as plain text with
 * no line to fill placeholders from, so `{peer}` becomes `peer` (as SARIF's help does), and
 * Markdown emphasis and code spans become their words.
 */

/** A paragraph's bold lead-in: `**What it means.**`. */
const LEAD = /^\*\*[^*]+\*\*\s*/;
/** A Markdown bullet at the start of a line. */
const BULLET = /^\s*[-*+]\s+/;

/** The explanation's paragraphs, each with its line breaks. */
function paragraphsOf(explanation: string): string[] {
  return explanation.split(/\n\s*\n/).map((text) => text.trim()).filter((text) => text !== '');
}

/** Markdown text as plain words: code spans lose their backticks, emphasis its asterisks, placeholders their braces. */
export function plainTextOf(markdown: string): string {
  const joined = markdown.replace(/\s*\n\s*/g, ' ').trim();
  // Odd parts are code spans: their asterisks are the program's own (`*** Frozen`), not emphasis.
  const parts = joined.split(/(`[^`]*`)/);
  const plain = parts.map((part, index) => (index % 2 === 1 ? part.slice(1, -1) : part.replace(/\*\*(.+?)\*\*/g, '$1').replace(/(^|[^\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, '$1$2')));
  return withPlaceholderNames(plain.join(''));
}

/** The first paragraph of an explanation as plain text, without its lead-in. */
export function descriptionOf(explanation: string): string | undefined {
  const first = paragraphsOf(explanation)[0];
  const text = first === undefined ? '' : plainTextOf(first.replace(LEAD, ''));
  return text === '' ? undefined : text;
}

/**
 * The paragraph led by `lead` (`**Usual causes.**`) as a list: one item per Markdown bullet (with
 * the lines it continues on), the text before the first bullet an item of its own, each plain text.
 */
export function listParagraphOf(explanation: string, lead: RegExp): string[] | undefined {
  const found = paragraphsOf(explanation).find((text) => lead.test(text));
  if (found === undefined) return undefined;
  const items: string[] = [''];
  for (const line of found.replace(LEAD, '').split('\n')) {
    if (BULLET.test(line)) items.push(line.replace(BULLET, ''));
    else items[items.length - 1] += `\n${line}`;
  }
  const plain = items.map(plainTextOf).filter((text) => text !== '');
  return plain.length > 0 ? plain : undefined;
}
