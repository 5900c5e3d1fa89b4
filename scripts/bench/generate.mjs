// Generates a realistic mixed syslog + mail log with known bad lines, deterministically.
// The bad lines are the shipped rules' own single-line samples, re-stamped into the stream; their
// line numbers go to a sidecar `.expected.json` so the benchmark can check every one was found.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** A small deterministic PRNG (mulberry32), so every run benchmarks the same bytes. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx';

/** Reads the single-line `samples.match` lines of every shipped rule, with their message part. */
function badLines(rulesDir) {
  const lines = [];
  for (const name of fs.readdirSync(rulesDir).filter((n) => n.endsWith('.yaml')).sort()) {
    const doc = parse(fs.readFileSync(path.join(rulesDir, name), 'utf8'));
    for (const rule of doc.rules ?? []) {
      if (rule.silence || rule.burst) continue;
      for (const sample of rule.samples?.match ?? []) {
        if (sample.includes('\n')) continue;
        // Keep what follows a classic stamp; other formats are injected as they are.
        const match = /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) (.*)$/.exec(sample);
        if (match) lines.push({ rule: rule.id, rest: match[2] });
      }
    }
  }
  return lines;
}

/** Bump when the output for a given seed and count changes, so cached files are not reused. */
export const GENERATOR_VERSION = 3;

/**
 * Writes `count` lines to `file` and the expected bad lines to `file.expected.json`; returns them.
 * Bad lines come every `badEvery` lines; by default often enough that every usable sample of the
 * catalogue appears at least once (and at most every 5,000 lines, about 0.03 %).
 */
export function generate(file, count, { seed = 42, badEvery, rulesDir = 'rules' } = {}) {
  const next = random(seed);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const int = (low, high) => low + Math.floor(next() * (high - low + 1));
  const hosts = Array.from({ length: 12 }, (_, i) => `mx${i + 1}`);
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy'];
  const ip = () => `${pick(['192.0.2', '198.51.100', '203.0.113'])}.${int(1, 254)}`;
  const domains = ['example.com', 'example.net', 'example.org'];
  const mail = () => `${pick(users)}@${pick(domains)}`;
  const postfixId = () => Array.from({ length: 10 }, () => '0123456789ABCDEF'[int(0, 15)]).join('');
  const sendmailId = () => `o${'ABCDEFGHIJKL'[int(0, 11)]}${ALNUM[int(1, 28)]}${ALNUM[int(0, 23)]}${Array.from({ length: 4 }, () => ALNUM[int(0, 59)]).join('')}${String(int(0, 999999)).padStart(6, '0')}`;
  const bad = badLines(rulesDir);
  badEvery ??= Math.max(20, Math.min(5000, Math.floor(count / Math.max(bad.length, 1))));
  const expected = [];
  let clock = Date.UTC(2010, 0, 1, 0, 0, 0);
  const out = fs.openSync(file, 'w');
  let buffer = [];
  const flush = () => {
    fs.writeSync(out, buffer.join(''));
    buffer = [];
  };
  for (let line = 0; line < count; line++) {
    clock += int(0, 180); // ~10 lines a second on average, as a busy gateway writes
    const d = new Date(clock);
    const stamp = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
    const host = pick(hosts);
    let text;
    if (line % badEvery === badEvery - 1 && bad.length > 0) {
      const sample = bad[(line / badEvery) % bad.length | 0];
      expected.push({ line: line + 1, rule: sample.rule });
      text = `${stamp} ${host} ${sample.rest}`;
    } else {
      const pid = int(1000, 65000);
      const kind = next();
      if (kind < 0.3) {
        const id = postfixId();
        text = pick([
          `${stamp} ${host} postfix/smtpd[${pid}]: connect from unknown[${ip()}]`,
          `${stamp} ${host} postfix/smtpd[${pid}]: ${id}: client=mail.${pick(domains)}[${ip()}]`,
          `${stamp} ${host} postfix/cleanup[${pid}]: ${id}: message-id=<${int(1e8, 9e8)}.${int(1e3, 9e3)}@${pick(domains)}>`,
          `${stamp} ${host} postfix/qmgr[${pid}]: ${id}: from=<${mail()}>, size=${int(500, 90000)}, nrcpt=1 (queue active)`,
          `${stamp} ${host} postfix/smtp[${pid}]: ${id}: to=<${mail()}>, relay=mx.${pick(domains)}[${ip()}]:25, delay=${(next() * 3).toFixed(2)}, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${postfixId()})`,
          `${stamp} ${host} postfix/qmgr[${pid}]: ${id}: removed`,
          `${stamp} ${host} postfix/smtpd[${pid}]: disconnect from unknown[${ip()}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`,
        ]);
      } else if (kind < 0.5) {
        const id = sendmailId();
        text = pick([
          `${stamp} ${host} sendmail[${pid}]: ${id}: from=<${mail()}>, size=${int(500, 90000)}, class=0, nrcpts=1, msgid=<${int(1e8, 9e8)}@${pick(domains)}>, proto=ESMTP, daemon=MTA, relay=mail.${pick(domains)} [${ip()}]`,
          `${stamp} ${host} sendmail[${pid}]: ${id}: to=<${mail()}>, delay=00:00:0${int(0, 9)}, xdelay=00:00:01, mailer=esmtp, pri=${int(30000, 120000)}, relay=mx.${pick(domains)}. [${ip()}], dsn=2.0.0, stat=Sent (ok ${int(1e6, 9e6)})`,
        ]);
      } else if (kind < 0.65) {
        text = pick([
          `${stamp} ${host} dovecot: imap-login: Login: user=<${pick(users)}>, method=PLAIN, rip=${ip()}, lip=192.0.2.10, mpid=${pid}, TLS, session=<${Array.from({ length: 16 }, () => ALNUM[int(0, 59)]).join('')}>`,
          `${stamp} ${host} dovecot: imap(${pick(users)})<${pid}>: Disconnected: Logged out in=${int(10, 900)} out=${int(100, 90000)}`,
        ]);
      } else if (kind < 0.8) {
        text = pick([
          `${stamp} ${host} sshd[${pid}]: Accepted publickey for ${pick(users)} from ${ip()} port ${int(1024, 65535)} ssh2: RSA SHA256:${Array.from({ length: 20 }, () => ALNUM[int(0, 59)]).join('')}`,
          `${stamp} ${host} sshd[${pid}]: pam_unix(sshd:session): session opened for user ${pick(users)} by (uid=0)`,
          `${stamp} ${host} sshd[${pid}]: Received disconnect from ${ip()} port ${int(1024, 65535)}:11: disconnected by user`,
          `${stamp} ${host} systemd[1]: Started Session ${int(1, 9999)} of user ${pick(users)}.`,
        ]);
      } else if (kind < 0.92) {
        text = `${stamp} ${host} CRON[${pid}]: (root) CMD (${pick(['/usr/lib64/sa/sa1 1 1', 'run-parts /etc/cron.hourly', '/usr/local/bin/backup --quiet', 'test -x /usr/sbin/anacron'])})`;
      } else {
        text = pick([
          `${stamp} ${host} kernel: [${int(1000, 9999999)}.${String(int(0, 999999)).padStart(6, '0')}] audit: type=1400 audit(${int(1e9, 2e9)}.${int(100, 999)}:${int(1, 9999)}): apparmor="STATUS" operation="profile_replace" info="same as current profile, skipping" profile="unconfined" name="/usr/sbin/named" pid=${pid} comm="apparmor_parser"`,
          `${stamp} ${host} ntpd[${pid}]: adjusting local clock by ${(next() * 0.1).toFixed(6)}s`,
          `${stamp} ${host} named[${pid}]: client @0x7f${int(100000, 999999)} ${ip()}#${int(1024, 65535)} (www.${pick(domains)}): query: www.${pick(domains)} IN A + (192.0.2.53)`,
        ]);
      }
    }
    buffer.push(`${text}\n`);
    if (buffer.length >= 10_000) flush();
  }
  flush();
  fs.closeSync(out);
  fs.writeFileSync(`${file}.expected.json`, JSON.stringify(expected));
  return expected;
}
