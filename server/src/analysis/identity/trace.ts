import { IdentityIndex, Occurrence } from './index';
import { IdentityKind } from './types';
import { TraceRole, classifyRole } from './roles';

/** The line a trace starts from. */
export interface TraceStart {
  logId: string;
  line: number;
}

/** A key a trace followed. */
export interface TraceLink {
  kind: IdentityKind;
  value: string;
}

/** One line of a message's life. `via` is the key that joined it (absent on the start line); `hop` how many keys away from the start it was found. */
export interface TraceItem {
  logId: string;
  line: number;
  time: number;
  role: TraceRole;
  via?: TraceLink;
  hop: number;
}

/** How far a trace may go. */
export interface TraceLimits {
  maxHops: number;
  maxLines: number;
}

/** The default bounds: enough for any real relay chain, small enough to answer at once. */
export const DEFAULT_TRACE_LIMITS: TraceLimits = { maxHops: 10, maxLines: 5000 };

/** A message's life as one list, in time order, and why it stops where it does. */
export interface MessageTrace {
  items: TraceItem[];
  /** Every queue id and message id followed, in the order they were. */
  keys: TraceLink[];
  /** Set when a bound stopped the trace; the list is then incomplete. */
  cut?: { reason: 'hops' | 'lines'; message: string };
  /** Set when the start line names no message (no queue id, no message id). */
  problem?: string;
}

interface Pending {
  link: TraceLink;
  hop: number;
  from: Occurrence;
}

/**
 * Follows one message through the indexed logs from a line naming it: its queue id to every line
 * of that queue id (postfix smtpd → cleanup → qmgr → smtp/local → removed; sendmail's from= and
 * to= lines), the message id to the same message on other hosts, and the ids a next hop gave it
 * (`queued as X`, `X Message accepted for delivery`, exim's `id=X`). Only queue ids and message
 * ids are followed: a host, address or process is shared by many messages.
 */
export function traceMessage(index: IdentityIndex, start: TraceStart, limits: TraceLimits = DEFAULT_TRACE_LIMITS): MessageTrace {
  const log = index.log(start.logId);
  const seeds = index.keysOnLine(start.logId, start.line).filter((key) => key.kind === 'queue-id' || key.kind === 'message-id');
  if (!log || seeds.length === 0) return { items: [], keys: [], problem: 'This line names no queue id or message id to follow.' };

  const startOccurrence: Occurrence = { logId: start.logId, line: start.line, start: 0, end: 0, time: log.times[log.entryStart[start.line]] };
  const items: TraceItem[] = [];
  const keys: TraceLink[] = [];
  const seenLines = new Set<string>();
  const seenKeys = new Set<string>();
  const queue: Pending[] = [];
  let cut: MessageTrace['cut'];

  const addLine = (occurrence: Occurrence, hop: number, via?: TraceLink): boolean => {
    const id = `${occurrence.logId}\n${occurrence.line}`;
    if (seenLines.has(id)) return true;
    if (items.length >= limits.maxLines) {
      cut = { reason: 'lines', message: `The trace stopped after ${limits.maxLines} lines.` };
      return false;
    }
    seenLines.add(id);
    const parsed = index.log(occurrence.logId);
    const role = parsed ? classifyRole(parsed.text.line(occurrence.line), parsed.lines.fields(occurrence.line)) : 'other';
    items.push({ logId: occurrence.logId, line: occurrence.line, time: occurrence.time, role, via, hop });
    for (const key of index.keysOnLine(occurrence.logId, occurrence.line)) {
      if (key.kind !== 'queue-id' && key.kind !== 'message-id') continue;
      const name = `${key.kind}\n${key.value}`;
      if (seenKeys.has(name)) continue;
      seenKeys.add(name);
      queue.push({ link: { kind: key.kind, value: key.value }, hop: via ? hop + 1 : 0, from: occurrence });
    }
    return true;
  };

  addLine(startOccurrence, 0);
  for (let next = 0; next < queue.length && !cut; next++) {
    const { link, hop, from } = queue[next];
    if (hop >= limits.maxHops) {
      cut = { reason: 'hops', message: `The trace stopped after ${limits.maxHops} hops; ${link.kind} ${link.value} was not followed.` };
      break;
    }
    keys.push(link);
    let occurrences = index.occurrences(link.kind, link.value);
    if (link.kind === 'queue-id') occurrences = sameLife(index, occurrences, link.value, from);
    for (const occurrence of occurrences) if (!addLine(occurrence, hop, link)) break;
  }

  // Equal stamps (whole seconds) are common along a chain; the log reached first comes first,
  // and within one log the file order stands.
  const reached = new Map<string, number>();
  for (const item of items) if (!reached.has(item.logId)) reached.set(item.logId, reached.size);
  const timeOf = (item: TraceItem) => (Number.isNaN(item.time) ? Infinity : item.time);
  items.sort((a, b) => timeOf(a) - timeOf(b) || (reached.get(a.logId) ?? 0) - (reached.get(b.logId) ?? 0) || a.line - b.line);
  return { items, keys, cut, problem: undefined };
}

/**
 * Postfix reuses short queue ids once a message is `removed`, so within one log the occurrences
 * of an id are cut into lives at each `ID: removed` line and only one life is kept: the one
 * holding the line that led here, else (a next hop's id, met in another log) the one that starts
 * nearest in time to that line.
 */
function sameLife(index: IdentityIndex, occurrences: Occurrence[], id: string, from: Occurrence): Occurrence[] {
  const byLog = new Map<string, Occurrence[][]>();
  for (const occurrence of occurrences) {
    const lives = byLog.get(occurrence.logId) ?? [[]];
    byLog.set(occurrence.logId, lives);
    lives[lives.length - 1].push(occurrence);
    const text = index.log(occurrence.logId)?.text.line(occurrence.line) ?? '';
    if (text.endsWith(`${id}: removed`)) lives.push([]);
  }
  const kept: Occurrence[] = [];
  for (const [logId, allLives] of byLog) {
    const lives = allLives.filter((life) => life.length > 0);
    let chosen = logId === from.logId ? lives.find((life) => life.some((o) => o.line === from.line)) : undefined;
    if (!chosen) {
      const distance = (life: Occurrence[]) => (Number.isNaN(from.time) || Number.isNaN(life[0].time) ? Infinity : Math.abs(life[0].time - from.time));
      chosen = lives.reduce((best, life) => (distance(life) < distance(best) ? life : best), lives[0]);
    }
    kept.push(...chosen);
  }
  return kept;
}
