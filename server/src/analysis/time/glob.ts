/**
 * File globs of settings (`**\/relay/*`, `maillog*`, `*.{txt,out}`): `**` spans folders, `*` and
 * `?` stay within one path segment, `{a,b}` is either (braces that do not pair are taken as they
 * are). Paths use `/`. A pattern without a `/` matches the file name in any folder, as users
 * expect of `maillog*`.
 *
 * Globs come from workspace settings, so they are matched without regular expressions: a glob
 * such as `*a*a*a*a*a*b` turned into one backtracks for seconds on a single file name. Here a
 * match walks the path once, keeping the set of glob positions it can be at: time linear in the
 * path's length times the glob's.
 */

/**
 * One step of a glob: a character, `?`, `*`, `**` (anything), or `maybe`, which reads nothing and
 * makes the two steps after it optional: `**\/` is `maybe`, `any`, `/` (nothing, or anything
 * up to a `/`).
 */
type Step = number | 'one' | 'star' | 'any' | 'maybe';

const SLASH = 47;

/** Most alternatives a glob's braces expand to; those beyond are dropped. */
const MAX_ALTERNATIVES = 64;

/** Longer globs match nothing: no setting needs one, and the matcher's recursion stays shallow. */
const MAX_GLOB_CHARS = 1000;

/** Whether every `{` of a glob is closed by a `}` after it, so braces can be read as alternatives. */
function bracesBalance(glob: string): boolean {
  let depth = 0;
  for (const ch of glob) {
    if (ch === '{') depth++;
    else if (ch === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** A brace's opening, separator and closing, as read before alternatives are expanded. */
type Brace = '{' | ',' | '}';

/** Reads a glob into steps, with its braces marked where they pair. */
function tokensOf(glob: string, anywhere: boolean): (Step | Brace)[] {
  const braces = bracesBalance(glob);
  const tokens: (Step | Brace)[] = anywhere ? ['maybe', 'any', SLASH] : [];
  let depth = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      if (slash) tokens.push('maybe', 'any', SLASH);
      else tokens.push('any');
      i += slash ? 2 : 1;
    } else if (ch === '*') tokens.push('star');
    else if (ch === '?') tokens.push('one');
    else if (braces && ch === '{') {
      tokens.push('{');
      depth++;
    } else if (braces && ch === '}') {
      tokens.push('}');
      depth--;
    } else if (depth > 0 && ch === ',') tokens.push(',');
    else tokens.push(glob.charCodeAt(i));
  }
  return tokens;
}

/** The step lists without braces that `tokens` stand for (`a.{txt,out}` → `a.txt`, `a.out`). */
function expandBraces(tokens: readonly (Step | Brace)[]): Step[][] {
  const open = tokens.indexOf('{');
  if (open < 0) return [tokens as Step[]];
  let depth = 0;
  let close = -1;
  const cuts: number[] = [];
  for (let i = open; i < tokens.length && close < 0; i++) {
    const token = tokens[i];
    if (token === '{') depth++;
    else if (token === '}' && --depth === 0) close = i;
    else if (token === ',' && depth === 1) cuts.push(i);
  }
  const options: (Step | Brace)[][] = [];
  let from = open + 1;
  for (const cut of [...cuts, close]) {
    options.push(tokens.slice(from, cut));
    from = cut + 1;
  }
  const head = tokens.slice(0, open) as Step[];
  const out: Step[][] = [];
  for (const tail of expandBraces(tokens.slice(close + 1))) {
    for (const option of options) {
      for (const inner of expandBraces(option)) {
        if (out.length >= MAX_ALTERNATIVES) return out;
        out.push([...head, ...inner, ...tail]);
      }
    }
  }
  return out;
}

/** Adds `j` and the positions reachable from it without reading a character. */
function reach(steps: readonly Step[], set: Uint8Array, j: number): void {
  if (j > steps.length || set[j] === 1) return;
  set[j] = 1;
  const step = steps[j];
  // A wildcard may match nothing; what `maybe` guards may be skipped.
  if (step === 'star' || step === 'any') reach(steps, set, j + 1);
  else if (step === 'maybe') {
    reach(steps, set, j + 1);
    reach(steps, set, j + 3);
  }
}

function matches(steps: readonly Step[], path: string): boolean {
  let now = new Uint8Array(steps.length + 1);
  let next = new Uint8Array(steps.length + 1);
  reach(steps, now, 0);
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    next.fill(0);
    for (let j = 0; j < steps.length; j++) {
      if (now[j] === 0) continue;
      const step = steps[j];
      if (step === 'star') {
        if (code !== SLASH) reach(steps, next, j);
      } else if (step === 'any') reach(steps, next, j);
      else if (step === 'maybe') continue;
      else if (step === 'one' ? code !== SLASH : step === code) reach(steps, next, j + 1);
    }
    if (!next.includes(1)) return false;
    [now, next] = [next, now];
  }
  return now[steps.length] === 1;
}

/** A compiled glob. */
export interface GlobMatcher {
  /** Whether a `/`-separated path (relative to the workspace folder) matches. */
  test(path: string): boolean;
}

/** Compiles a glob of settings; never throws. */
export function compileGlob(glob: string): GlobMatcher {
  if (glob.length > MAX_GLOB_CHARS) return { test: () => false };
  const alternatives = expandBraces(tokensOf(glob, !glob.includes('/')));
  return { test: (path) => alternatives.some((steps) => matches(steps, path)) };
}

/** The first entry of `table` whose glob matches `path`, as `[glob, value]`. */
export function firstGlobMatch<T>(table: Record<string, T>, path: string): [string, T] | undefined {
  for (const [glob, value] of Object.entries(table)) if (compileGlob(glob).test(path)) return [glob, value];
  return undefined;
}
