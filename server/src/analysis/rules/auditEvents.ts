import { AuditRecord, readAuditFields } from '../parse/auditFields';

/** The records of one audit event read so far (SYSCALL, EXECVE, CWD, PATH…, PROCTITLE), in file order. */
export interface AuditEvent {
  records: AuditRecord[];
  /** The whole lines of those records, each followed by its hex values decoded, for Sigma keywords. */
  lines: string[];
  /** Rules that already flagged this event, so that one event gives one finding per rule. */
  flagged: Set<object>;
}

/**
 * Syscall names by number for the two architectures audit logs mostly come from, limited to the
 * calls Sigma rules name: a raw log has `syscall=59`, the enriched format adds `SYSCALL=execve`.
 */
const SYSCALLS: Record<string, Record<string, string>> = {
  c000003e: {
    2: 'open', 41: 'socket', 42: 'connect', 49: 'bind', 59: 'execve', 62: 'kill', 99: 'sysinfo', 101: 'ptrace', 103: 'syslog', 105: 'setuid',
    133: 'mknod', 135: 'personality', 175: 'init_module', 176: 'delete_module', 257: 'openat', 259: 'mknodat', 313: 'finit_module',
    319: 'memfd_create', 321: 'bpf', 322: 'execveat',
  },
  c00000b7: {
    33: 'mknodat', 56: 'openat', 92: 'personality', 105: 'init_module', 106: 'delete_module', 116: 'syslog', 117: 'ptrace', 129: 'kill',
    146: 'setuid', 179: 'sysinfo', 198: 'socket', 200: 'bind', 203: 'connect', 221: 'execve', 273: 'finit_module', 279: 'memfd_create',
    280: 'bpf', 281: 'execveat',
  },
};

/** Adds the interpreted `SYSCALL` name to a raw SYSCALL record that lacks it. */
function nameSyscall(record: AuditRecord): void {
  const fields = record.fields;
  if (record.type !== 'SYSCALL' || fields.has('SYSCALL')) return;
  const arch = fields.get('arch')?.toLowerCase();
  const number = fields.get('syscall');
  const name = arch && number ? SYSCALLS[arch]?.[number] : undefined;
  if (name) fields.set('SYSCALL', name);
}

/** How many events stay open: records of one event are written together, a few events apart at most. */
const OPEN_EVENTS = 32;
/** An event's records beyond this many (a corrupt log repeating one serial) are not kept. */
const MAX_RECORDS = 256;

/**
 * Joins a log's audit records into events by their `msg=audit(STAMP:SERIAL)` (and node), as the
 * parser reads them. One per log: the state is the log's, never a rule's.
 */
export class AuditEvents {
  private readonly open = new Map<string, AuditEvent>();

  /** The event this message's record belongs to, with the record added; undefined when the message is not an audit record. */
  add(message: string, line: string, host: string | undefined): AuditEvent | undefined {
    const record = readAuditFields(message);
    if (!record) return undefined;
    nameSyscall(record);
    const id = `${record.node ?? host ?? ''} ${record.event}`;
    let event = this.open.get(id);
    if (!event) {
      event = { records: [], lines: [], flagged: new Set() };
      this.open.set(id, event);
      if (this.open.size > OPEN_EVENTS) this.open.delete(this.open.keys().next().value as string);
    }
    if (event.records.length >= MAX_RECORDS) return event;
    event.records.push(record);
    event.lines.push(record.decoded.length > 0 ? `${line} ${record.decoded.join(' ')}` : line);
    return event;
  }
}
