import { RE2JS } from 're2js';
import type { AuditEvent } from './auditEvents';

/** One match of a rule in a line. */
export interface PatternMatch {
  /** Offset of the match within the message. */
  index: number;
  length: number;
  groups?: Record<string, string | undefined>;
}

/** What a line offers to a pattern: its message, and the header fields Sigma selections name. */
export interface LineFields {
  message: string;
  host?: string;
  program?: string;
  pid?: string;
  /** The whole line as written. */
  line: string;
  /** When the line is an audit record: its event, the records of the same serial read so far. */
  audit?: AuditEvent;
}

/** Finds a rule's evidence in a line; returns null when the line does not match. */
export interface LinePattern {
  exec(fields: LineFields): PatternMatch | null;
  /** The source, for messages. */
  readonly source: string;
}

/**
 * Which engine runs a rule file's regular expressions. `native` (V8, backtracking, full syntax)
 * is for the shipped catalogue, whose patterns are reviewed and tested; `linear` (RE2 semantics,
 * time linear in the input, no look-around or back-references) is for anything a workspace or a
 * Sigma folder brings, so a hostile or careless pattern cannot hang the server.
 */
export type RegexEngine = 'native' | 'linear';

/** Wraps a V8 RegExp as a pattern over the message. */
export function nativePattern(regex: RegExp): LinePattern {
  return {
    source: regex.source,
    exec(fields) {
      const match = regex.exec(fields.message);
      return match ? { index: match.index, length: match[0].length, groups: match.groups } : null;
    },
  };
}

/** Wraps an RE2 pattern as a pattern over the message. */
export function linearPattern(compiled: RE2JS, names: string[]): LinePattern {
  return {
    source: compiled.pattern(),
    exec(fields) {
      const matcher = compiled.matcher(fields.message);
      if (!matcher.find()) return null;
      const start = matcher.start();
      let groups: Record<string, string | undefined> | undefined;
      if (names.length > 0) {
        groups = {};
        for (const name of names) groups[name] = matcher.group(name) ?? undefined;
      }
      return { index: start, length: matcher.end() - start, groups };
    },
  };
}

const NAMED_GROUP = /\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g;

/** The names of a regular expression's named groups, in order. */
export function namedGroupsOf(pattern: string): string[] {
  return [...pattern.matchAll(NAMED_GROUP)].map((m) => m[1]);
}

/** Compiles a rule's regular expression with the chosen engine; returns the problem text instead of throwing. */
export function compilePattern(pattern: string, ignoreCase: boolean | undefined, engine: RegexEngine): LinePattern | string {
  if (engine === 'native') {
    try {
      return nativePattern(new RegExp(pattern, ignoreCase ? 'i' : ''));
    } catch (error) {
      return `invalid regular expression: ${(error as Error).message}`;
    }
  }
  try {
    const compiled = RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    const names = namedGroupsOf(pattern);
    return linearPattern(compiled, names);
  } catch (error) {
    const reason = (error as Error).message;
    const hint = /\(\?<?[=!]|\\[1-9]/.test(pattern) ? ' (look-around and back-references are not available to workspace and Sigma rules, which run in linear time)' : '';
    return `invalid regular expression: ${reason}${hint}`;
  }
}
