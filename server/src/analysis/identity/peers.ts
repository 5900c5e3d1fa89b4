import { KeyScan, addKey, startsWord, tokenEnd } from './scan';
import { forEachLiteral } from './mail';
import { normaliseHost, normaliseIp } from './tokens';

function isHostChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 45 || code === 46 || code === 95;
}

/** Names that stand where a host would but name none (postfix writes `unknown[1.2.3.4]`). */
const NOT_HOSTS = new Set(['unknown', 'localhost']);

/**
 * Addresses and host names. An address is taken inside `[...]` in the message (`host[1.2.3.4]`,
 * `relay=host [1.2.3.4]`, `login [1.2.3.4]`, `[IPv6:...]`) and after `rip=`, `lip=`, `rhost=`
 * and `from `; anywhere else a dotted quad may be a version or a setting. A host name is taken
 * right before such an address (`name[ip]`, or `relay=name [ip]` / `H=name [ip]`), after exim's
 * `H=`, and after `rhost=` or `from ` when it has a dot. Sessions: dovecot's `session=<...>`.
 */
export function scanPeers(scan: KeyScan): void {
  const { text, from } = scan;
  forEachLiteral(text, from, '[', (at) => {
    const close = text.indexOf(']', at);
    if (close < 0 || close - at > 52) return;
    const prefixed = text.startsWith('IPv6:', at);
    const start = prefixed ? at + 5 : at;
    const ip = normaliseIp(text.slice(start, close));
    if (ip === undefined) return;
    addKey(scan, 'ip', ip, start, close);
    hostBefore(scan, at - 2);
  });
  for (const literal of ['rip=', 'lip=', 'rhost=', 'from ', 'FROM ']) {
    forEachLiteral(text, from, literal, (at) => {
      if (!startsWord(text, at - literal.length)) return;
      let end = tokenEnd(text, at, 64);
      if (text.charCodeAt(end - 1) === 58) end--;
      const token = text.slice(at, end);
      const ip = normaliseIp(token);
      if (ip !== undefined) addKey(scan, 'ip', ip, at, end);
      else if ((literal === 'rhost=' || literal === 'from ') && token.includes('.')) {
        const host = normaliseHost(token);
        if (host !== undefined) addKey(scan, 'host', host, at, end);
      }
    });
  }
  forEachLiteral(text, from, ' H=', (at) => {
    let end = at;
    while (end < text.length && isHostChar(text.charCodeAt(end))) end++;
    const next = text.charCodeAt(end);
    if (end === at || !(next === 32 || Number.isNaN(next))) return;
    const host = normaliseHost(text.slice(at, end));
    if (host !== undefined && !NOT_HOSTS.has(host)) addKey(scan, 'host', host, at, end);
  });
  forEachLiteral(text, from, 'session=<', (at) => {
    const close = text.indexOf('>', at);
    if (close <= at || close - at > 64) return;
    const value = text.slice(at, close);
    if (!/[\s<]/.test(value)) addKey(scan, 'session', value, at, close);
  });
}

/**
 * The host name that ends at `last` (inclusive) in front of an address: `name[ip]` directly, or
 * `key=name [ip]` with one blank, which is how sendmail's `relay=` and exim's `H=` write it.
 */
function hostBefore(scan: KeyScan, last: number): void {
  const { text, from } = scan;
  let end = last + 1;
  const spaced = text.charCodeAt(last) === 32;
  if (spaced) end--;
  let start = end;
  while (start > from && isHostChar(text.charCodeAt(start - 1))) start--;
  if (start === end) return;
  if (spaced && text.charCodeAt(start - 1) !== 61) return;
  const host = normaliseHost(text.slice(start, end));
  if (host !== undefined && !NOT_HOSTS.has(host)) addKey(scan, 'host', host, start, end);
}
