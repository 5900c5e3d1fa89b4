import { LineFields } from '../patterns';

/** The parts of a line a Sigma search can look at; `line` is the whole line, for keywords. */
export type Target = 'message' | 'host' | 'program' | 'pid' | 'line';

/**
 * Sigma field names we can answer from a syslog line, lower-cased. Everything else (auditd's
 * `type`, `exe`, `a0`; process creation's `Image`, `CommandLine`, `User`…) is not in a syslog
 * line, so a rule naming it is refused rather than run half-blind.
 */
const FIELD_TARGETS: Record<string, Target> = {
  message: 'message',
  msg: 'message',
  host: 'host',
  hostname: 'host',
  program: 'program',
  process: 'program',
  processname: 'program',
  pid: 'pid',
  processid: 'pid',
};

/** The line field a Sigma field name stands for, or undefined when a syslog line has no such field. */
export function targetOf(field: string): Target | undefined {
  return Object.hasOwn(FIELD_TARGETS, field.toLowerCase()) ? FIELD_TARGETS[field.toLowerCase()] : undefined;
}

/** A line as Sigma searches see it: each field's text and its lower-cased form, computed once per line. */
export class LineView {
  private readonly lowered = new Map<Target, string>();

  constructor(readonly fields: LineFields) {}

  /** The field's text; undefined when the line does not have it (no host, no pid…). */
  text(target: Target): string | undefined {
    return this.fields[target];
  }

  /** The field's text lower-cased, for Sigma's case-insensitive comparisons. */
  lower(target: Target): string {
    let lower = this.lowered.get(target);
    if (lower === undefined) {
      lower = (this.fields[target] ?? '').toLowerCase();
      this.lowered.set(target, lower);
    }
    return lower;
  }
}

// findings.ts builds one LineFields per line and hands the same object to every rule, so every
// Sigma rule of a catalogue shares one view (and its lower-cased fields) per line.
const views = new WeakMap<LineFields, LineView>();

/** The shared view of a line. */
export function viewOf(fields: LineFields): LineView {
  let view = views.get(fields);
  if (!view) {
    view = new LineView(fields);
    views.set(fields, view);
  }
  return view;
}
