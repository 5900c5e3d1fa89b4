import { LineFieldsView } from '../parse/lineTable';
import { normaliseHost } from './tokens';
import { scanMessageIds, scanQueueIds } from './mail';
import { scanPeers } from './peers';
import { scanUsers } from './users';
import { IdentityKey } from './types';
import { KeyScan, addKey } from './scan';

export type { IdentityKey, IdentityKind } from './types';
export { IDENTITY_KINDS } from './types';

/**
 * The identity keys of one line, in the order they stand. Precision comes before recall: a key
 * is only taken where its context says what it is (after `msgid=`, inside `[...]` after a host,
 * at the start of a mail program's message), because one false key joins unrelated lines.
 */
export function extractKeys(text: string, line: LineFieldsView): IdentityKey[] {
  if (line.kind === 'blank') return [];
  const program = line.program ? text.slice(line.program.start, line.program.end) : '';
  const exim = line.format === 'exim';
  const scan: KeyScan = { text, from: exim ? eximMessageStart(text, line) : line.message.start, program, exim, out: [] };
  // An exim log has no syslog header; whatever the parser took for one is message text.
  const host = line.host && !exim ? normaliseHost(text.slice(line.host.start, line.host.end)) : undefined;
  if (host !== undefined && line.host) {
    addKey(scan, 'host', host, line.host.start, line.host.end);
    if (program && line.pid) {
      const pid = text.slice(line.pid.start, line.pid.end);
      addKey(scan, 'process', `${host}/${program}[${pid}]`, line.pid.start, line.pid.end);
    }
  }
  scanQueueIds(scan);
  scanMessageIds(scan);
  scanPeers(scan);
  scanUsers(scan);
  return orderKeys(scan.out);
}

/** Where an exim log line's message starts: after the stamp and an optional `[pid]`. */
function eximMessageStart(text: string, line: LineFieldsView): number {
  let p = line.stamp ? line.stamp.end : 0;
  while (text.charCodeAt(p) === 32) p++;
  const pid = /^\[\d+\] /.exec(text.slice(p, p + 16));
  return pid ? p + pid[0].length : p;
}

/** Sorts keys by position and drops repeats (two scanners may find the same token). */
function orderKeys(keys: IdentityKey[]): IdentityKey[] {
  keys.sort((a, b) => a.start - b.start || a.end - b.end || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0));
  return keys.filter((key, i) => {
    const prev = keys[i - 1];
    return !prev || prev.start !== key.start || prev.end !== key.end || prev.kind !== key.kind;
  });
}
