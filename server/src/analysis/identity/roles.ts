import { LineFieldsView } from '../parse/lineTable';

/** What a line means in a message's life. */
export type TraceRole = 'received' | 'queued' | 'delivered' | 'relayed' | 'deferred' | 'bounced' | 'rejected' | 'removed' | 'other';

/** sendmail mailers that hand the message to another host (the rest deliver locally). */
const REMOTE_MAILERS = /\bmailer=(?:esmtp|smtp|smtp8|dsmtp|relay)\b/;
/** exim's delivery-log flags after the message id. */
const EXIM_FLAGS: Record<string, TraceRole> = { '<=': 'received', '=>': 'delivered', '->': 'delivered', '==': 'deferred', '**': 'bounced' };

/**
 * Names the step a mail line records: postfix's smtpd/pickup (`client=`, `uid=`: received),
 * cleanup/qmgr (`message-id=`, `from=<..>, size=`: queued), delivery agents (`status=`), `removed`;
 * sendmail's `from=` (received) and `to=` with `stat=`; exim's `<=`, `=>`, `==`, `**` and
 * `Completed`. A delivery that hands the message to another host is `relayed`.
 */
export function classifyRole(text: string, line: LineFieldsView): TraceRole {
  const message = text.slice(line.message.start);
  const program = line.program ? text.slice(line.program.start, line.program.end) : '';
  const exim = /^[0-9A-Za-z]{6}-[0-9A-Za-z]{6,11}-[0-9A-Za-z]{2,4} (<=|=>|->|==|\*\*|Completed)/.exec(message);
  if (exim) {
    if (exim[1] === 'Completed') return 'removed';
    const role = EXIM_FLAGS[exim[1]];
    return role === 'delivered' && / H=/.test(message) ? 'relayed' : role;
  }
  if (/\b(?:milter-)?reject(?:=|:)/.test(message)) return 'rejected';
  const status = /\bstat(?:us)?=(\w+)/.exec(message);
  if (status) {
    const value = status[1].toLowerCase();
    if (value === 'sent') {
      const remote = program.startsWith('postfix') ? /\/smtp$/.test(program) : REMOTE_MAILERS.test(message);
      return remote ? 'relayed' : 'delivered';
    }
    if (value === 'deferred') return 'deferred';
    if (value === 'queued') return 'queued';
    return 'bounced';
  }
  if (/^\S+: removed\s*$/.test(message)) return 'removed';
  if (/^\S+: \S+: DSN: /.test(message)) return 'bounced';
  if (/^\S+: (?:client=|uid=\d)/.test(message)) return 'received';
  if (/^\S+: (?:message-id=|resent-message-id=)/.test(message)) return 'queued';
  if (/^\S+: from=/.test(message)) return program.startsWith('postfix') ? 'queued' : 'received';
  return 'other';
}
