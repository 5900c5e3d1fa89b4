/** Whether every `{` of a glob is closed by a `}` after it, so braces can be read as alternatives. */
function bracesBalance(glob: string): boolean {
  let depth = 0;
  for (const ch of glob) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/**
 * A small glob matcher for settings that name files (`**\/relay/*`, `maillog*`): `**` spans
 * folders, `*` and `?` stay within one path segment, `{a,b}` is either (braces that do not
 * pair are taken as they are). Paths use `/`. A pattern without a `/` matches the file name in
 * any folder, as users expect of `maillog*`.
 */
export function globToRegExp(glob: string): RegExp {
  const braces = bracesBalance(glob);
  let depth = 0;
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') source += '[^/]*';
    else if (ch === '?') source += '[^/]';
    else if (braces && ch === '{') {
      source += '(?:';
      depth++;
    } else if (braces && ch === '}') {
      source += ')';
      depth--;
    } else if (depth > 0 && ch === ',') source += '|';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(glob.includes('/') ? `^${source}$` : `(?:^|/)${source}$`);
}

/** The first entry of `table` whose glob matches `path`, as `[glob, value]`. */
export function firstGlobMatch<T>(table: Record<string, T>, path: string): [string, T] | undefined {
  for (const [glob, value] of Object.entries(table)) if (globToRegExp(glob).test(path)) return [glob, value];
  return undefined;
}
