import { LineFields } from '../patterns';
import { AuditRecord } from '../../parse/auditFields';

/**
 * The parts of a line a Sigma search can look at: `line` is the whole line, for keywords; `event`
 * the lines of the audit event the line belongs to (keywords of auditd rules); `audit:NAME` a
 * field of an audit record.
 */
export type Target = 'message' | 'host' | 'program' | 'pid' | 'line' | 'event' | `audit:${string}`;

const AUDIT_FIELD = /^[A-Za-z][A-Za-z0-9_-]*(?:\[\d+\])?$/;

/**
 * The audit record field a field name of an auditd rule stands for. Names are compared as auditd
 * writes them: `SYSCALL` (the enriched format's name) is not `syscall` (the number).
 */
export function auditTargetOf(field: string): Target | undefined {
  return AUDIT_FIELD.test(field) ? `audit:${field}` : undefined;
}

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
  private eventText?: string;
  private lowerEvent?: string;
  /** The audit record a selection is being tried on; set while a selection walks the event's records. */
  record?: AuditRecord;

  constructor(readonly fields: LineFields) {}

  /** The field's text; undefined when the line does not have it (no host, no pid…). */
  text(target: Target): string | undefined {
    if (target.startsWith('audit:')) return this.record?.fields.get(target.slice(6));
    if (target === 'event') return (this.eventText ??= this.fields.audit ? this.fields.audit.lines.join('\n') : this.fields.line);
    return this.fields[target as 'message' | 'host' | 'program' | 'pid' | 'line'];
  }

  /** The field's text lower-cased, for Sigma's case-insensitive comparisons. */
  lower(target: Target): string {
    if (target === 'message') return (this.lowerMessage ??= this.fields.message.toLowerCase());
    if (target === 'line') return (this.lowerLine ??= this.fields.line.toLowerCase());
    if (target === 'event') return (this.lowerEvent ??= (this.text('event') ?? '').toLowerCase());
    if (target.startsWith('audit:')) return (this.text(target) ?? '').toLowerCase();
    const header = (this.lowerHeader ??= {});
    const field = target as 'host' | 'program' | 'pid';
    return (header[field] ??= (this.fields[field] ?? '').toLowerCase());
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
