/** A small deterministic random source (xorshift32), so a generated log is the same on every run. */
export function randomSource(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** A classic syslog stamp for `seconds` after midnight of 4 March (`Mar  4 10:02:11`). */
export function stampAt(seconds: number, day = 4): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `Mar ${String(day + Math.floor(seconds / 86_400)).padStart(2, ' ')} ${two(Math.floor(seconds / 3600) % 24)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** Seconds after midnight of the line's classic stamp (same day). */
export function secondsOf(line: string): number {
  const [h, m, s] = line.slice(7, 15).split(':').map(Number);
  return h * 3600 + m * 60 + s;
}

const QUEUE = '0123456789ABCDEF';

/**
 * `hours` of routine lines of a small mail host, `mx1`: postfix receiving and relaying mail
 * (connect, client, message-id, queue active, sent, removed, disconnect), cron's hourly jobs and
 * firewall lines from the kernel (uptime well past boot). Lines written for tests, in the daemons'
 * shape, with example names and documentation addresses.
 */
export function routineDay(options: { seed: number; hours: number }): string[] {
  const next = randomSource(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const queueId = () => Array.from({ length: 10 }, () => QUEUE[int(0, 15)]).join('');
  const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const lines: string[] = [];
  const end = options.hours * 3600;
  let clock = 0;
  let pid = 2000;
  let nextCron = 0;
  while (clock < end) {
    const at = stampAt(clock);
    if (clock >= nextCron) {
      const cron = pid++;
      lines.push(`${at} mx1 CRON[${cron}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`);
      lines.push(`${at} mx1 CRON[${cron}]: (root) CMD (${pick(['run-parts /etc/cron.hourly', '/usr/lib/sysstat/sa1 1 1', 'test -x /usr/sbin/anacron'])})`);
      lines.push(`${at} mx1 CRON[${cron}]: pam_unix(cron:session): session closed for user root`);
      nextCron += 600;
    } else if (next() < 0.25) {
      const uptime = 259_200 + clock;
      lines.push(`${at} mx1 kernel: [${uptime}.${String(int(0, 999_999)).padStart(6, '0')}] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.${int(1, 254)} DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=${int(40, 250)} ID=${int(1, 65_535)} PROTO=TCP SPT=${int(1024, 65_535)} DPT=${pick([23, 445, 3389, 8080])} WINDOW=1024 RES=0x00 SYN URGP=0`);
    } else {
      const smtpd = pid++;
      const client = `mail${int(1, 9)}.example.net[192.0.2.${int(20, 200)}]`;
      const id = queueId();
      const user = pick(users);
      lines.push(`${at} mx1 postfix/smtpd[${smtpd}]: connect from ${client}`);
      lines.push(`${at} mx1 postfix/smtpd[${smtpd}]: ${id}: client=${client}`);
      lines.push(`${at} mx1 postfix/cleanup[${pid++}]: ${id}: message-id=<${int(100_000, 999_999)}.${int(1000, 9999)}@example.net>`);
      lines.push(`${at} mx1 postfix/qmgr[1500]: ${id}: from=<${user}@example.net>, size=${int(900, 90_000)}, nrcpt=1 (queue active)`);
      lines.push(`${at} mx1 postfix/smtpd[${smtpd}]: disconnect from ${client} ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5`);
      lines.push(`${at} mx1 postfix/smtp[${pid++}]: ${id}: to=<${pick(users)}@example.org>, relay=mx.example.org[198.51.100.25]:25, delay=${(next() * 2).toFixed(1)}, delays=0.1/0/0.${int(1, 9)}/0.${int(1, 9)}, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${queueId()})`);
      lines.push(`${at} mx1 postfix/qmgr[1500]: ${id}: removed`);
    }
    clock += int(20, 90);
  }
  return lines;
}

/** `lines` with `extra` inserted before the first line stamped at or after `seconds`. */
export function insertAt(lines: readonly string[], seconds: number, extra: readonly string[]): string[] {
  let at = lines.findIndex((line) => secondsOf(line) >= seconds);
  if (at < 0) at = lines.length;
  return [...lines.slice(0, at), ...extra, ...lines.slice(at)];
}
