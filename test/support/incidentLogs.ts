import { randomSource, stampAt, secondsOf } from './routineLog';

export { randomSource };

/** A line at `at` seconds after midnight of 4 March, written by `text` for its stamp and its number in the stream. */
export interface TimedLine {
  at: number;
  line: string;
}

/**
 * `count` lines at random instants, evenly likely over `[from, to)` seconds (a steady random
 * rate, as a Poisson stream has), in time order; `write(k, random)` gives the k-th line's text
 * after its stamp.
 */
export function steadyStream(count: number, from: number, to: number, seed: number, write: (k: number, random: () => number) => string): TimedLine[] {
  const random = randomSource(seed);
  const instants = Array.from({ length: count }, () => from + Math.floor(random() * (to - from))).sort((a, b) => a - b);
  return instants.map((at, k) => ({ at, line: `${stampAt(at)} ${write(k, random)}` }));
}

/** Lines at the given instants (seconds after midnight of 4 March), in that order. */
export function linesAt(instants: readonly number[], write: (k: number) => string): TimedLine[] {
  return instants.map((at, k) => ({ at, line: `${stampAt(at)} ${write(k)}` }));
}

/** Classic-syslog lines already stamped (as `routineDay` writes them), as timed lines. */
export function timed(lines: readonly string[]): TimedLine[] {
  return lines.map((line) => ({ at: secondsOf(line) + 86_400 * (Number(line.slice(4, 6)) - 4), line }));
}

/** The text of a log holding all the streams, in time order (a stable sort: lines of one instant keep their stream's order). */
export function logText(...streams: readonly TimedLine[][]): string {
  return streams
    .flat()
    .map((entry, order) => ({ ...entry, order }))
    .sort((a, b) => a.at - b.at || a.order - b.order)
    .map((entry) => entry.line)
    .join('\n');
}

const int = (random: () => number, lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));

/** sshd password guessing from many documentation addresses, at a steady rate: the background of any host on the internet. */
export function sshGuessing(count: number, from: number, to: number, seed: number, host = 'mx1'): TimedLine[] {
  const users = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'git', 'postgres', 'user'];
  return steadyStream(count, from, to, seed, (k, random) => {
    const user = users[int(random, 0, users.length - 1)];
    return `${host} sshd[${10_000 + k}]: Failed password for ${user === 'root' ? '' : 'invalid user '}${user} from 203.0.113.${int(random, 1, 254)} port ${int(random, 1024, 65_535)} ssh2`;
  });
}

/** Postfix rejecting clients listed on a block list, at a steady rate. */
export function rblRejects(count: number, from: number, to: number, seed: number, host = 'mx1'): TimedLine[] {
  return steadyStream(count, from, to, seed, (k, random) => {
    const ip = `198.51.100.${int(random, 1, 254)}`;
    return `${host} postfix/smtpd[${30_000 + k}]: NOQUEUE: reject: RCPT from unknown[${ip}]: 554 5.7.1 Service unavailable; Client host [${ip}] blocked using zen.example.org; from=<spam${k}@example.net> to=<alice@example.com> proto=ESMTP helo=<bot${k}.example.net>`;
  });
}

/** The kernel finding no handler for an interrupt vector (the shape of the line that took a mail gateway's NIC down). */
export function irqNoHandler(at: number, host = 'mx1'): TimedLine {
  return { at, line: `${stampAt(at)} ${host} kernel: [3018172.820223] do_IRQ: 0.169 No irq handler for vector (irq -1)` };
}

/** An upstream relay giving up on a host that no longer answers its greeting. */
export function greetingTimeouts(instants: readonly number[], host = 'relay1', peer = 'mx1'): TimedLine[] {
  return linesAt(instants, (k) => `${host} sendmail[${21_000 + k}]: oA8GngTk0${21_000 + k}: timeout waiting for input from ${peer} during client greeting`);
}

/** A relay's routine sendmail lines (a message in, sent on), at a steady rate. */
export function sendmailRelaying(count: number, from: number, to: number, seed: number, host = 'relay1'): TimedLine[] {
  return steadyStream(count, from, to, seed, (k, random) => {
    const qid = `oA8G${String(k).padStart(4, '0')}${int(random, 100_000, 999_999)}`;
    return random() < 0.5
      ? `${host} sendmail[${40_000 + k}]: ${qid}: from=<user${int(random, 1, 40)}@example.net>, size=${int(random, 900, 90_000)}, class=0, nrcpts=1, msgid=<${int(random, 100_000, 999_999)}@example.net>, proto=ESMTP, daemon=MTA, relay=mail${int(random, 1, 9)}.example.net [192.0.2.${int(random, 20, 200)}]`
      : `${host} sendmail[${40_000 + k}]: ${qid}: to=<user${int(random, 1, 40)}@example.com>, delay=00:00:0${int(random, 1, 9)}, xdelay=00:00:01, mailer=esmtp, pri=${int(random, 30_000, 120_000)}, relay=gw.example.com. [192.0.2.9], dsn=2.0.0, stat=Sent (ok)`;
  });
}

/** cron's routine every `everySeconds` over `[from, to)`, on a host whose log says little else. */
export function cronRoutine(from: number, to: number, everySeconds: number, host: string): TimedLine[] {
  const lines: TimedLine[] = [];
  for (let at = from, k = 0; at < to; at += everySeconds, k++) {
    lines.push({ at, line: `${stampAt(at)} ${host} CRON[${5_000 + k}]: (root) CMD (/usr/lib64/sa/sa1 1 1)` });
  }
  return lines;
}
