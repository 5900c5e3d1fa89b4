import { LogLine } from './types';
import { SPACE } from './chars';
import { civilFromEpochMs, readEpochSeconds } from './stamps';

const AUDIT_CALL = 'msg=audit(';

/**
 * Reads a record of the Linux audit log (`/var/log/audit/audit.log`):
 * `[node=HOST ]type=USER_AUTH msg=audit(1364481363.243:24287): pid=… res=failed`. The time is
 * seconds since the epoch (UTC) with milliseconds; the program is the `audit` of `msg=audit(`,
 * so rules scoped to `audit` apply; the message starts at `type=` so a rule can read the record
 * type. Records of one event share the serial after the colon and stay one entry each.
 * The enriched format's GS/RS separated fields (`…res=failed` GS `UID="root"`) stay in the message.
 */
export function readAuditRecord(text: string, lineNo: number): LogLine | undefined {
  let typeAt = 0;
  let host: LogLine['host'];
  if (text.startsWith('node=')) {
    let p = 5;
    while (p < text.length && text.charCodeAt(p) !== SPACE) p++;
    if (p === 5 || p - 5 > 255) return undefined;
    host = { start: 5, end: p };
    typeAt = p + 1;
  }
  if (!text.startsWith('type=', typeAt)) return undefined;
  let p = typeAt + 5;
  while (p < text.length && text.charCodeAt(p) !== SPACE) p++;
  if (p - typeAt > 64 || !text.startsWith(AUDIT_CALL, p + 1)) return undefined;
  const stampAt = p + 1 + AUDIT_CALL.length;
  const epoch = readEpochSeconds(text, stampAt, 9);
  if (!epoch || text.charCodeAt(epoch.end) !== 58 /* : */) return undefined;
  const programAt = p + 5; // the `audit` of `msg=audit(`
  const line: LogLine = {
    line: lineNo,
    kind: 'entry',
    format: 'audit',
    stamp: { start: stampAt, end: epoch.end },
    civil: civilFromEpochMs(epoch.ms),
    program: { start: programAt, end: programAt + 5 },
    message: { start: typeAt, end: text.length },
  };
  if (host) line.host = host;
  return line;
}

/** The serial of an audit record (`24287` in `msg=audit(1364481363.243:24287):`), or -1. */
export function auditSerial(text: string): number {
  const at = text.indexOf(AUDIT_CALL);
  if (at < 0) return -1;
  const colon = text.indexOf(':', at + AUDIT_CALL.length);
  if (colon < 0) return -1;
  const close = text.indexOf(')', colon);
  const serial = close > colon + 1 ? Number(text.slice(colon + 1, close)) : NaN;
  return Number.isInteger(serial) ? serial : -1;
}
