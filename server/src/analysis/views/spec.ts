/**
 * What a focused view of a log shows. A view is for reading the part of a log that matters: a
 * window of time, the findings with the lines around them, one program or one host, or the log
 * without its runs of routine lines.
 */
export type ViewSpec =
  | { kind: 'time'; from: string; to: string }
  | { kind: 'findings'; context: number }
  | { kind: 'program'; program: string }
  | { kind: 'host'; host: string }
  | { kind: 'routineHidden' };

export type ViewKind = ViewSpec['kind'];

export const VIEW_KINDS: readonly ViewKind[] = ['time', 'findings', 'program', 'host', 'routineHidden'];

/** The most lines of context a findings view takes either side of a finding. */
export const MAX_CONTEXT_LINES = 1_000;

/** A spec as a client may send it: `context` may be left to the setting. */
export type ViewSpecInput = Exclude<ViewSpec, { kind: 'findings' }> | { kind: 'findings'; context?: number };

/** Reads a spec from whatever a client sent; a message naming the field when it is wrong. */
export function readViewSpec(value: unknown, defaultContext: number): ViewSpec | string {
  if (typeof value !== 'object' || value === null) return 'view must be an object with a kind.';
  const given = value as Record<string, unknown>;
  const text = (field: string): string | undefined => (typeof given[field] === 'string' && (given[field] as string).length > 0 ? (given[field] as string) : undefined);
  switch (given.kind) {
    case 'time': {
      const from = text('from');
      const to = text('to');
      return from && to ? { kind: 'time', from, to } : 'view.from and view.to are required for a time view.';
    }
    case 'findings': {
      const context = given.context ?? defaultContext;
      if (typeof context !== 'number' || !Number.isInteger(context) || context < 0 || context > MAX_CONTEXT_LINES) return `view.context must be a whole number of lines from 0 to ${MAX_CONTEXT_LINES}, not ${String(given.context)}.`;
      return { kind: 'findings', context };
    }
    case 'program': {
      const program = text('program');
      return program ? { kind: 'program', program } : 'view.program is required for a program view.';
    }
    case 'host': {
      const host = text('host');
      return host ? { kind: 'host', host } : 'view.host is required for a host view.';
    }
    case 'routineHidden':
      return { kind: 'routineHidden' };
    default:
      return `view.kind must be one of ${VIEW_KINDS.join(', ')}, not ${String(given.kind)}.`;
  }
}

/** The spec as the query fields of a view's URI, and back: the URI alone says what the view shows. */
export function specFields(spec: ViewSpec): Record<string, string> {
  switch (spec.kind) {
    case 'time':
      return { from: spec.from, to: spec.to };
    case 'findings':
      return { kind: 'findings', context: String(spec.context) };
    case 'program':
      return { kind: 'program', program: spec.program };
    case 'host':
      return { kind: 'host', host: spec.host };
    case 'routineHidden':
      return { kind: 'routineHidden' };
  }
}

export function specOfFields(fields: (name: string) => string | null): ViewSpec | undefined {
  // A URI without a kind is a time window: the form views had before they had kinds.
  const kind = fields('kind') ?? 'time';
  const spec = readViewSpec({ kind, from: fields('from'), to: fields('to'), context: kind === 'findings' ? Number(fields('context')) : undefined, program: fields('program'), host: fields('host') }, 0);
  return typeof spec === 'string' ? undefined : spec;
}
