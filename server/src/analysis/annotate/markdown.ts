/**
 * Markdown building blocks for reports. Text from a log is hostile: a user name in `Failed
 * password for <name>` may be Markdown, HTML or terminal escapes. Everything here shows such text
 * as the characters it is, never as a link, an image, markup or a broken table.
 */

/** Control characters (terminal escapes among them) and bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;

/** Replaces characters that would act rather than show with U+FFFD. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE_CHARS, '\uFFFD');
}

/**
 * Escapes text for Markdown prose or a table cell: every punctuation character that could start
 * markup is backslash-escaped (`:` too, so no `http:`/`command:` autolink forms), and `<`, `>`,
 * `&` become entities, so no HTML survives.
 */
export function escapeText(text: string): string {
  return visibleText(text).replace(/[\\`*_{}[\]()#+\-.!|<>~&:@]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/**
 * Wraps text as inline code that no backtick inside it can close. Inside a table (`inTable`),
 * pipes are written `\|`, which GitHub-flavoured Markdown and markdown-it turn back into `|`
 * within the cell. Inline code is never linkified and shows HTML as text.
 */
export function codeSpan(text: string, inTable = false): string {
  const clean = visibleText(text);
  if (clean.length === 0) return '';
  const runs = clean.match(/`+/g) ?? [];
  const fence = '`'.repeat(runs.reduce((longest, run) => Math.max(longest, run.length), 0) + 1);
  const body = inTable ? clean.replace(/\|/g, '\\|') : clean;
  return `${fence} ${body} ${fence}`;
}

/**
 * A relative path as a link destination: each segment percent-encoded (spaces, parentheses,
 * `#`, `?`, `<`, `>` and non-ASCII included), `/` kept, so the link works in VS Code, on forges
 * and in plain viewers.
 */
export function encodeHref(relativePath: string): string {
  return relativePath
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/**
 * A link to a 1-based line: `[label:line](href#Lline)`. `#L123` is the fragment VS Code (editor and
 * Markdown preview) and the common forges open at that line; plain viewers open the file.
 */
export function lineLink(label: string, href: string, line: number): string {
  return `[${escapeText(`${label}:${line}`)}](${encodeHref(href)}#L${line})`;
}

/** A table row from already-escaped cells. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((cell) => cell.replace(/\n/g, ' ')).join(' | ')} |`;
}

/** Shortens text to `max` characters, marking the cut with an ellipsis. */
export function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
