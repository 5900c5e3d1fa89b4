import { KeyScan, addKey, isPostfixProgram, startsWord, tokenEnd } from './scan';
import { isEximId, isPostfixLongQueueId, isPostfixShortQueueId, isSendmailQueueId } from './tokens';

function isPostfixQueueId(s: string): boolean {
  return isPostfixShortQueueId(s) || isPostfixLongQueueId(s);
}

/** Reads `ID:` at `at` (the colon followed by a blank or the end); the id's end, or -1. */
function colonToken(text: string, at: number): number {
  let p = at;
  const stop = Math.min(text.length, at + 40);
  while (p < stop) {
    const code = text.charCodeAt(p);
    if (code === 58) break;
    if (code === 32 || code === 9) return -1;
    p++;
  }
  if (p === at || text.charCodeAt(p) !== 58) return -1;
  const after = text.charCodeAt(p + 1);
  return Number.isNaN(after) || after === 32 ? p : -1;
}

/**
 * Queue ids: the one a mail program puts first in its message (postfix `1D8CC1CA0A7F:` and
 * `4Lq3Yx0Jm5z9sR:` from postfix programs only, sendmail `oA8H048F012220:`, exim
 * `1cNc9F-0000zy-9N `), sendmail's second id on a bounce (`ID: NEWID: DSN: ...`), and the ids a
 * next hop gave the message (`queued as X`, `(X Message accepted for delivery)`, postfix
 * `notification: X`). A next-hop id is the same message under another name, so tracing follows it.
 */
export function scanQueueIds(scan: KeyScan): void {
  const { text, from } = scan;
  const postfix = isPostfixProgram(scan.program);
  const end = colonToken(text, from);
  if (end > 0) {
    const id = text.slice(from, end);
    if (postfix ? isPostfixQueueId(id) : isSendmailQueueId(id)) {
      addKey(scan, 'queue-id', id, from, end);
      const second = end + 2;
      const secondEnd = postfix ? -1 : colonToken(text, second);
      if (secondEnd > 0 && isSendmailQueueId(text.slice(second, secondEnd))) addKey(scan, 'queue-id', text.slice(second, secondEnd), second, secondEnd);
    }
  } else if (!postfix) {
    const idEnd = tokenEnd(text, from, 24);
    const next = text.charCodeAt(idEnd);
    if ((next === 32 || Number.isNaN(next)) && isEximId(text.slice(from, idEnd))) addKey(scan, 'queue-id', text.slice(from, idEnd), from, idEnd);
  }
  forEachLiteral(text, from, 'queued as ', (at) => {
    const idEnd = tokenEnd(text, at, 40);
    const id = text.slice(at, idEnd);
    if (isPostfixQueueId(id)) addKey(scan, 'queue-id', id, at, idEnd);
  });
  forEachLiteral(text, from, ' Message accepted for delivery', (at) => {
    const idEnd = at - ' Message accepted for delivery'.length;
    let idStart = idEnd;
    while (idStart > from && idEnd - idStart < 20 && !' \t('.includes(text[idStart - 1])) idStart--;
    const id = text.slice(idStart, idEnd);
    if (isSendmailQueueId(id)) addKey(scan, 'queue-id', id, idStart, idEnd);
  });
  if (postfix) {
    forEachLiteral(text, from, 'notification: ', (at) => {
      const idEnd = tokenEnd(text, at, 40);
      if (isPostfixQueueId(text.slice(at, idEnd))) addKey(scan, 'queue-id', text.slice(at, idEnd), at, idEnd);
    });
  }
}

/** Calls `found` with the position just after each occurrence of `literal` from `from` on. */
export function forEachLiteral(text: string, from: number, literal: string, found: (after: number) => void): void {
  for (let at = text.indexOf(literal, from); at >= 0; at = text.indexOf(literal, at + literal.length)) found(at + literal.length);
}

/** The words that may stand before `id=` and make it a message id (`msgid=`, `message-id=`, exim's bare `id=`). */
const ID_PREFIXES = new Set(['', 'msg', 'message-']);

/**
 * Message ids: `msgid=<...>` (sendmail), `message-id=<...>` (postfix cleanup), `id=<...>`, and
 * exim's unbracketed `id=local@domain` on `<=` lines. An exim id after `id=` (a remote exim's
 * `250 OK id=1cNc9F-0000zy-9N`) is that hop's queue id instead. Empty ids (`message-id=<>`) are
 * no key: they would join every message that lacks one.
 */
export function scanMessageIds(scan: KeyScan): void {
  const { text, from } = scan;
  forEachLiteral(text, from, 'id=', (at) => {
    let word = at - 3;
    while (word > from && /[A-Za-z-]/.test(text[word - 1]) && at - 3 - word < 10) word--;
    const prefix = text.slice(word, at - 3).toLowerCase();
    if (!ID_PREFIXES.has(prefix) || !startsWord(text, word)) return;
    if (text.charCodeAt(at) === 60) {
      const close = text.indexOf('>', at + 1);
      if (close <= at + 1 || close - at > 998) return;
      const value = text.slice(at + 1, close);
      if (!/\s/.test(value)) addKey(scan, 'message-id', value, at + 1, close);
      return;
    }
    const end = tokenEnd(text, at, 998);
    const value = text.slice(at, end);
    if (value.length === 0) return;
    if (prefix === '' && isEximId(value)) addKey(scan, 'queue-id', value, at, end);
    else if (prefix !== '' || value.includes('@')) addKey(scan, 'message-id', value, at, end);
  });
}
