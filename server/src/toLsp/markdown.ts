/**
 * Escapes text from a log for Markdown, so that a line written by an attacker (a user name in
 * `Failed password for <name>`) shows as the characters it is, never as links, images or HTML.
 */
export function escapeMarkdown(text: string): string {
  // `:` is escaped too, so no autolink (`http://`, `command:`) can form; control characters
  // (terminal escapes among them) are shown as replacement marks.
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, '\uFFFD')
    .replace(/[\\`*_{}[\]()#+\-.!|<>~&:]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : ch === '&' ? '&amp;' : `\\${ch}`));
}

/** Wraps log text as inline code that no backtick inside it can close. */
export function inlineCode(text: string): string {
  // Control characters (terminal escapes among them) are shown as replacement marks.
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, '\uFFFD');
  const runs = clean.match(/`+/g) ?? [];
  const fence = '`'.repeat(runs.reduce((longest, run) => Math.max(longest, run.length), 0) + 1);
  return `${fence} ${clean} ${fence}`;
}
