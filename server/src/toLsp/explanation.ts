import { PLACEHOLDER } from '../analysis/rules/placeholders';
import { escapeMarkdown, inlineCode } from './markdown';

/** A line's values by group name, as a finding carries them. */
export type GroupValues = Readonly<Record<string, string | undefined>>;

/**
 * Values shown as they are inside a code span: no space, quote, bracket, backtick, backslash or
 * control character, and no URL. A code span never becomes a link or markup in any Markdown reader,
 * but a value outside this set is shown as escaped text instead, so that even a reader of the raw
 * Markdown sees nothing that looks like a link.
 */
const PLAIN_VALUE = /^[\w.@%+=,/:-]{1,160}$/;

function isPlain(value: string): boolean {
  return PLAIN_VALUE.test(value) && !value.includes('://');
}

/** The parts of a Markdown text: code spans (backtick runs of equal length, CommonMark) and the text between them. */
function splitCode(markdown: string): { text: string; code: boolean }[] {
  const parts: { text: string; code: boolean }[] = [];
  let from = 0;
  let searchFrom = 0;
  const runs = /`+/g;
  for (;;) {
    runs.lastIndex = searchFrom;
    const open = runs.exec(markdown);
    if (!open) break;
    const fence = open[0];
    let close: RegExpExecArray | null;
    do close = runs.exec(markdown);
    while (close && close[0].length !== fence.length);
    if (!close) {
      // An unmatched run is literal text; a shorter run after it may still open a span.
      searchFrom = open.index + fence.length;
      continue;
    }
    if (open.index > from) parts.push({ text: markdown.slice(from, open.index), code: false });
    parts.push({ text: markdown.slice(open.index, close.index + fence.length), code: true });
    from = searchFrom = close.index + fence.length;
  }
  if (from < markdown.length) parts.push({ text: markdown.slice(from), code: false });
  return parts;
}

/**
 * Fills the `{name}` placeholders of an explanation (`names`: the rule's groups) with the line's
 * values. In running text a value is shown as code, or as escaped text when it is not plain; a
 * group the line did not capture is shown as its name, in code. Inside a code span (a command to
 * run) a plain value is put in place and anything else leaves the group's name there. A
 * placeholder naming no group of the rule stays as written.
 */
export function fillPlaceholders(markdown: string, names: ReadonlySet<string>, values: GroupValues | undefined): string {
  return splitCode(markdown)
    .map((part) =>
      part.text.replace(PLACEHOLDER, (whole, name: string) => {
        if (!names.has(name)) return whole;
        const value = values?.[name];
        if (part.code) return value && isPlain(value) ? value : name;
        if (!value) return inlineCode(name);
        return isPlain(value) ? inlineCode(value) : escapeMarkdown(value);
      }),
    )
    .join('');
}

/** Words whose full stop does not end a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:e\.g|i\.e|etc|cf|vs|approx|resp)\.$/i;

/** The first sentence or `;`-separated item of a paragraph, outside code spans and brackets. */
function firstSentence(paragraph: string): string {
  let depth = 0;
  let offset = 0;
  for (const part of splitCode(paragraph)) {
    const start = offset;
    offset += part.text.length;
    if (part.code) continue;
    for (let at = start; at < offset; at++) {
      const ch = paragraph[at];
      if (ch === '(' || ch === '[') depth++;
      else if ((ch === ')' || ch === ']') && depth > 0) depth--;
      else if (depth > 0) continue;
      else if (ch === ';') return paragraph.slice(0, at).trim();
      else if ('.?!'.includes(ch) && (at + 1 === paragraph.length || paragraph[at + 1] === ' ') && !ABBREVIATION.test(paragraph.slice(0, at + 1))) return paragraph.slice(0, at + 1).trim();
    }
  }
  return paragraph.trim();
}

/** Where an explanation says how to confirm the finding: its `**How to confirm.**` paragraph. */
const HOW_TO_CONFIRM = /\*\*How to confirm\.?\*\*:?\s*([\s\S]*?)(?:\n\s*\n|\n\s*\*\*[^*\n]+\.\*\*|$)/i;

/**
 * The first thing to check or run: the first sentence (or `;`-separated command) of the
 * explanation's *How to confirm* section, or undefined when it has none.
 */
export function firstCheck(explanation: string): string | undefined {
  const section = HOW_TO_CONFIRM.exec(explanation);
  if (!section) return undefined;
  const paragraph = section[1].replace(/\s+/g, ' ').trim();
  return paragraph ? firstSentence(paragraph) : undefined;
}
