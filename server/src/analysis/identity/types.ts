/** What an identity key names. */
export type IdentityKind = 'queue-id' | 'message-id' | 'process' | 'ip' | 'host' | 'user' | 'session';

/** Every kind, in a fixed order (the index stores a kind as its position here). */
export const IDENTITY_KINDS: readonly IdentityKind[] = ['queue-id', 'message-id', 'process', 'ip', 'host', 'user', 'session'];

/**
 * A token in a line that names something other lines can name too: a queue id, a message id, a
 * process, an address, a host, a user, a session. `value` is normalised so equal things compare
 * equal (message ids without `<>`, host names lower-cased, IPv6 in RFC 5952 form, a process as
 * `host/program[pid]`); `start`/`end` are the token's span in the line (for a process, its pid).
 */
export interface IdentityKey {
  kind: IdentityKind;
  value: string;
  start: number;
  end: number;
}
