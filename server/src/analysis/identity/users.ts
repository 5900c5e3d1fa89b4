import { KeyScan, addKey, startsWord, tokenEnd } from './scan';
import { forEachLiteral } from './mail';
import { normaliseIp } from './tokens';

/** `Failed password for [invalid user ]NAME from`, `Accepted publickey for NAME from` (sshd). */
const SSH_LOGIN = /(?:Failed|Accepted) [\w/-]{1,40} for (invalid user )?(\S{1,64}) from /g;
/** `Invalid user NAME from`, PAM's `Authentication failure for NAME from`, pam_unix's `session opened for user NAME`. */
const OTHER_LOGIN = /(?:Invalid user |[Aa]uthentication failure for |session (?:opened|closed) for user )([^\s(]{1,64})/g;
/** imapd's `Account Information: login [ip] NAME` and `Protocol Information: NAME created mbox`. */
const IMAPD_USER = /Account \w{1,16}: log(?:in|out) \[[^\]\s]{1,64}\] (\S{1,64})|Protocol Information: (\S{1,64}) (?:created|deleted|renamed|subscribed|unsubscribed) /y;
/** dovecot's passdb lookups: `pam(NAME,ip)`, `sql(NAME,ip,<session>)`. */
const PASSDB = /\b(?:pam|passwd-file|passwd|shadow|sql|ldap|checkpassword|bsdauth|static|lua|oauth2)\(([^,()\s]{1,128}),([0-9A-Fa-f.:]{2,45})(?:,<([^>\s]{1,64})>)?\)/g;

function addUser(scan: KeyScan, value: string, start: number): void {
  // `<invalid username>` and `<>` are placeholders, not names.
  if (value.length > 0 && !value.startsWith('<')) addKey(scan, 'user', value, start, start + value.length);
}

/**
 * User names: `user=<x>` / `user=x` (dovecot, pam), `sasl_username=x` (postfix), sshd's and
 * PAM's login phrases, imapd's account lines, dovecot's passdb lookups (which also give the client
 * address and session). Mail addresses in `from=`/`to=` are not users: `to=<>` is no one.
 */
export function scanUsers(scan: KeyScan): void {
  const { text, from } = scan;
  for (const literal of ['user=', 'sasl_username=']) {
    forEachLiteral(text, from, literal, (at) => {
      if (!startsWord(text, at - literal.length)) return;
      const bracketed = text.charCodeAt(at) === 60;
      const start = bracketed ? at + 1 : at;
      addUser(scan, text.slice(start, tokenEnd(text, start, 128)), start);
    });
  }
  eachMatch(SSH_LOGIN, text, from, (m, at) => addUser(scan, m[2], at + m[0].length - ' from '.length - m[2].length));
  eachMatch(OTHER_LOGIN, text, from, (m, at) => addUser(scan, m[1], at + m[0].length - m[1].length));
  if (scan.program === 'imapd' || scan.program === 'popd') {
    IMAPD_USER.lastIndex = from;
    const m = IMAPD_USER.exec(text);
    if (m) {
      const name = m[1] ?? m[2];
      const at = m[1] !== undefined ? from + m[0].length - name.length : from + 'Protocol Information: '.length;
      addUser(scan, name, at);
    }
  }
  eachMatch(PASSDB, text, from, (m, at) => {
    const userAt = at + m[0].indexOf('(') + 1;
    addUser(scan, m[1], userAt);
    const ipAt = userAt + m[1].length + 1;
    const ip = normaliseIp(m[2]);
    if (ip !== undefined) addKey(scan, 'ip', ip, ipAt, ipAt + m[2].length);
    if (m[3] !== undefined) addKey(scan, 'session', m[3], ipAt + m[2].length + 2, ipAt + m[2].length + 2 + m[3].length);
  });
}

function eachMatch(pattern: RegExp, text: string, from: number, found: (m: RegExpExecArray, at: number) => void): void {
  pattern.lastIndex = from;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) found(m, m.index);
}
