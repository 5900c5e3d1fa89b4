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
  private lowerMessage?: string;
  private lowerLine?: string;
  private lowerHeader?: Partial<Record<'host' | 'program' | 'pid', string>>;

  constructor(readonly fields: LineFields) {}

  /** The field's text; undefined when the line does not have it (no host, no pid…). */
  text(target: Target): string | undefined {
    return this.fields[target];
  }

  /** The field's text lower-cased, for Sigma's case-insensitive comparisons. */
  lower(target: Target): string {
    if (target === 'message') return (this.lowerMessage ??= this.fields.message.toLowerCase());
    if (target === 'line') return (this.lowerLine ??= this.fields.line.toLowerCase());
    const header = (this.lowerHeader ??= {});
    return (header[target] ??= (this.fields[target] ?? '').toLowerCase());
  }
}

// findings.ts builds one LineFields per line and hands the same object to every rule in turn, so
// remembering the last line's view lets every Sigma rule share its lower-cased fields.
let last: LineView | undefined;

/** The shared view of a line. */
export function viewOf(fields: LineFields): LineView {
  if (last?.fields !== fields) last = new LineView(fields);
  return last;
}
