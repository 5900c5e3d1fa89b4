import { describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { TimeContext } from '../../server/src/analysis/parse/document';
import { rhythmOf, RhythmKind } from '../../server/src/analysis/triage/rhythm';
import { TriageGroup, TriageLog, triage } from '../../server/src/analysis/triage/triage';
import { formatTriage } from '../../server/src/cli/triage';
import { analyzeText, builtIn } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';
import { routineDay, stampAt } from '../support/routineLog';
import {
  TimedLine, cronRoutine, greetingTimeouts, irqNoHandler, linesAt, logText, randomSource, rblRejects, sendmailRelaying, sshGuessing, steadyStream, timed,
} from '../support/incidentLogs';
import { seedLines, seedText, seedsFolder } from '../support/seeds';

const HOUR = 3600;
const DAY = 24 * HOUR;

function log(id: string, text: string, context?: TimeContext): TriageLog {
  return { id, file: `${id}.log`, analyzed: analyzeText(text, context) };
}

function run(logs: TriageLog[]): TriageGroup[] {
  return triage(logs, builtIn().catalogue.byId, { windowSeconds: 60 });
}

function groupOf(groups: readonly TriageGroup[], ruleId: string): TriageGroup {
  const found = groups.filter((group) => group.ruleId === ruleId);
  assert.equal(found.length, 1, `one group of ${ruleId}, found ${found.length}: ${groups.map((g) => g.ruleId).join(', ')}`);
  return found[0];
}

/** The routine day of a host, its name changed. */
function routineOf(host: string, seed: number): TimedLine[] {
  return timed(routineDay({ seed, hours: 24 }).map((line) => line.replace(' mx1 ', ` ${host} `)));
}

describe('rhythm', () => {
  const MS = 1000;
  const span = { from: 0, to: DAY * MS };
  /** `count` instants at a steady random rate over `[from, to)` seconds, in ms. */
  const steady = (count: number, from: number, to: number, seed: number): number[] => steadyStream(count, from, to, seed, () => '').map((line) => line.at * MS);
  const cases: { name: string; times: number[]; kind: RhythmKind }[] = [
    { name: 'a steady random stream over the day is steady', times: steady(3000, 0, DAY, 1), kind: 'steady' },
    { name: 'a sparse steady stream (30 lines a day) is steady', times: steady(30, 0, DAY, 2), kind: 'steady' },
    { name: 'a health check every five minutes is steady', times: Array.from({ length: 288 }, (_, k) => k * 300 * MS), kind: 'steady' },
    { name: 'one line is once', times: [40_000 * MS], kind: 'once' },
    { name: 'a handful of lines is few', times: [40_000, 40_060, 40_120].map((s) => s * MS), kind: 'few' },
    { name: '200 lines within 5 minutes after hours of quiet is a burst', times: [...steady(12, 0, 20 * HOUR, 3), ...steady(200, 20 * HOUR, 20 * HOUR + 300, 4), ...steady(12, 20 * HOUR + 300, DAY, 5)], kind: 'burst' },
    { name: 'a stream that starts halfway is starts', times: steady(500, 12 * HOUR, DAY, 6), kind: 'starts' },
    { name: 'a stream that stops halfway is stops', times: steady(500, 0, 12 * HOUR, 7), kind: 'stops' },
    { name: 'a rate that goes from 20 to 200 an hour rises', times: [...steady(240, 0, 12 * HOUR, 8), ...steady(2400, 12 * HOUR, DAY, 9)], kind: 'rises' },
  ];
  for (const { name, times, kind } of cases) {
    it(name, () => {
      const sorted = Float64Array.from(times).sort();
      assert.equal(rhythmOf(sorted, span.from, span.to).kind, kind);
    });
  }
});

describe('the outage line and its company rank above a day of brute force and spam rejects', () => {
  const IRQ = 14 * HOUR + 49 * 60 + 42;
  const mx1 = log('mx1-syslog', logText(routineOf('mx1', 5), sshGuessing(3000, 0, DAY, 1), rblRejects(600, 0, DAY, 2), [irqNoHandler(IRQ)]));
  const relay = log('relay-maillog', logText(routineOf('relay1', 6), greetingTimeouts([IRQ + 55, IRQ + 118, IRQ + 181, IRQ + 240])));
  const groups = run([mx1, relay]);

  test('the interrupt line and the relay\'s timeouts rank first and second, above every background group', () => {
    const irq = groupOf(groups, 'kernel/irq-no-handler');
    const timeouts = groupOf(groups, 'sendmail/timeout-greeting');
    assert.deepEqual([irq.rank, timeouts.rank].sort(), [1, 2]);
    assert.equal(irq.file, 'mx1-syslog.log');
    assert.equal(timeouts.count, 4);
  });

  test('3,000 failures from many addresses are one group, below the needles, and called steady background', () => {
    const guessing = groupOf(groups, 'sshd/failed-password');
    assert.equal(guessing.count, 3000);
    assert.ok(guessing.rank > 2);
    assert.equal(guessing.rhythm.kind, 'steady');
    assert.ok(guessing.reasons.some((reason) => /steady/.test(reason) && /background/.test(reason)), guessing.reasons.join('; '));
    assert.equal(groupOf(groups, 'postfix/reject-rbl').rhythm.kind, 'steady');
  });

  test('the interrupt line is said to have company in the relay\'s log, and to come late in the span', () => {
    const irq = groupOf(groups, 'kernel/irq-no-handler');
    assert.ok(irq.reasons.some((reason) => /relay-maillog\.log within 60 s/.test(reason)), irq.reasons.join('; '));
    assert.ok(irq.reasons.some((reason) => /^starts .*14:49:42, 14 h 49 min into the span/.test(reason)), irq.reasons.join('; '));
    assert.equal(irq.line, mx1.analyzed.findings.find((f) => f.ruleId === 'kernel/irq-no-handler')!.line + 1);
  });

  test('background lines nearby are not company: without the relay the interrupt line has none', () => {
    const alone = groupOf(run([mx1]), 'kernel/irq-no-handler');
    assert.ok(!alone.reasons.some((reason) => /flagged line/.test(reason)), alone.reasons.join('; '));
    assert.ok(alone.score < groupOf(groups, 'kernel/irq-no-handler').score);
  });
});

describe('a burst outranks the same rule firing steadily', () => {
  const quietThenBurst = [...rblRejects(12, 0, 20 * HOUR, 3), ...rblRejects(200, 20 * HOUR, 20 * HOUR + 300, 4), ...rblRejects(12, 20 * HOUR + 300, DAY, 5)];
  const burstLog = log('burst', logText(routineOf('mx1', 7), quietThenBurst));
  const steadyLog = log('steady', logText(routineOf('mx1', 8), rblRejects(224, 0, DAY, 6)));

  test('the burst scores above the steady stream of the same rule and count, and says where it is', () => {
    const burst = groupOf(run([burstLog]), 'postfix/reject-rbl');
    const steady = groupOf(run([steadyLog]), 'postfix/reject-rbl');
    assert.equal(burst.count, steady.count);
    assert.equal(burst.rhythm.kind, 'burst');
    assert.equal(steady.rhythm.kind, 'steady');
    assert.ok(burst.score > steady.score, `${burst.score} > ${steady.score}`);
    assert.ok(burst.reasons.some((reason) => /^burst: 2\d\d within [0-5] min .* from .*20:0/.test(reason)), burst.reasons.join('; '));
  });

  test('the rate profile counts every line of the group, the burst in the buckets of 20:00', () => {
    const burst = groupOf(run([burstLog]), 'postfix/reject-rbl');
    const profile = burst.profile!;
    assert.equal(profile.counts.reduce((a, b) => a + b, 0), burst.count);
    const busiest = profile.counts.indexOf(Math.max(...profile.counts));
    const start = new Date(profile.from + busiest * profile.bucketMs).toISOString();
    assert.ok(start >= '2010-03-04T19:45' && start <= '2010-03-04T20:05', start);
    assert.ok(profile.counts[busiest] + (profile.counts[busiest + 1] ?? 0) >= 200);
  });

  test('in one triage, a burst of one rule ranks above a steady stream of another of the same severity and size', () => {
    const sshBurst = [...sshGuessing(12, 0, 20 * HOUR, 9), ...sshGuessing(200, 20 * HOUR, 20 * HOUR + 300, 10), ...sshGuessing(12, 20 * HOUR + 300, DAY, 11)];
    const groups = run([log('mixed', logText(routineOf('mx1', 9), sshBurst, rblRejects(224, 0, DAY, 12)))]);
    assert.ok(groupOf(groups, 'sshd/failed-password').rank < groupOf(groups, 'postfix/reject-rbl').rank);
  });
});

describe('grouping and output', () => {
  test('rare lines group by template, and each group points at its earliest line', () => {
    const routine = routineOf('mx1', 11);
    const odd = linesAt([9 * HOUR, 15 * HOUR], () => 'mx1 postfix/smtpd[9001]: discarding EHLO keywords: CHUNKING');
    const other = linesAt([12 * HOUR], () => 'mx1 kernel: [302400.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro');
    const text = logText(routine, odd, other);
    const groups = run([log('mx1', text)]).filter((group) => group.kind === 'rare');
    assert.equal(groups.length, 2, groups.map((g) => g.title).join(' | '));
    const ehlo = groups.find((group) => group.title.startsWith('postfix/smtpd: '))!;
    assert.equal(ehlo.count, 2);
    assert.equal(ehlo.time, new Date(Date.UTC(2010, 2, 4, 9)).toISOString());
    assert.equal(text.split('\n')[ehlo.line - 1], ehlo.text);
  });

  test('--json prints the ranked fields only; the text form shows rank, severity, title, count, place and reasons', () => {
    const groups = run([log('mx1', logText(routineOf('mx1', 12), [irqNoHandler(10 * HOUR)]))]);
    const printed = JSON.parse(formatTriage(groups, { json: true }));
    assert.deepEqual(Object.keys(printed[0]), ['rank', 'kind', 'ruleId', 'severity', 'title', 'count', 'file', 'line', 'time', 'text', 'score', 'reasons']);
    const first = groups[0];
    const [head, reasons] = formatTriage(groups, { json: false }).split('\n');
    assert.equal(head, `1. [${first.severity}] ${first.title} ×${first.count}  ${first.file}:${first.line}  ${first.time}`);
    assert.equal(reasons, `    ${first.reasons.join('; ')}`);
  });

  test('top keeps the first groups', () => {
    const logs = [log('mx1', logText(routineOf('mx1', 13), sshGuessing(300, 0, DAY, 1), [irqNoHandler(10 * HOUR)]))];
    const all = triage(logs, builtIn().catalogue.byId);
    const top = triage(logs, builtIn().catalogue.byId, { top: 1 });
    assert.ok(all.length > 1);
    assert.deepEqual(top.map((g) => g.key), [all[0].key]);
  });
});

/** The seconds after midnight of 4 March (the helpers' origin) of 14 March, the day of the real mail log. */
const MAR14 = 10 * DAY;
/** The real mail server's log is stamped at +01:00: the planted logs are read in the same zone. */
const BERLIN: TimeContext = { zone: 'Europe/Berlin', yearReference: { year: 2023, month: 3, day: 15, source: 'setting' } };
/** The real log covers 06:00-12:59 local time. */
const HAY_FROM = MAR14 + 6 * HOUR;
const HAY_TO = MAR14 + 13 * HOUR;

/** A quoted syslog line with its stamp moved to `at` (seconds after midnight of 4 March). */
function restamped(line: string, at: number): string {
  return line.replace(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d/, stampAt(at));
}

/** The fail2ban sshd excerpts (real attack lines from many hosts and years), spread at a steady rate over the span: a busy auth log. */
function realAuthLog(corpus: string): TimedLine[] {
  const lines = fs
    .readFileSync(path.join(corpus, 'fail2ban', 'sshd'), 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ sshd(?:-session)?\[\d+\]: /.test(line));
  // Each line at its own random instant: the file groups its examples by kind, which would read as bursts if kept in order.
  const random = randomSource(21);
  return lines.map((line) => {
    const at = HAY_FROM + Math.floor(random() * (HAY_TO - HAY_FROM));
    return { at, line: restamped(line, at) };
  });
}

const corpus = corpusFolder();
const seeds = seedsFolder();
const skip = !corpus ? CORPUS_SKIP : !seeds ? 'the seeds folder beside the corpus is absent; seed tests skipped' : false;

describe('real logs: the lines the seeds name as the cause rank in the top 5, above brute force and spam', { skip }, () => {
  const hay = () => log('helga-mail', fs.readFileSync(path.join(corpus!, 'postfix-logsums', 'mail.log.2023-03-14T06-13'), 'utf8'), BERLIN);
  const auth = () => log('auth', logText(realAuthLog(corpus!)), BERLIN);
  const BRUTE = ['sshd/failed-password', 'sshd/invalid-user', 'postfix/postscreen-dnsbl', 'postfix/reject-rbl'];

  function report(t: { diagnostic(message: string): void }, groups: readonly TriageGroup[], needles: readonly string[]): void {
    for (const group of groups.slice(0, process.env.TRIAGE_ALL ? groups.length : 8)) t.diagnostic(`${group.rank}. ${group.score} [${group.severity}] ${group.ruleId} ×${group.count} ${group.rhythm.kind}: ${group.reasons.join('; ')}`);
    const brute = groups.filter((g) => BRUTE.includes(g.ruleId));
    t.diagnostic(`needles ${needles.map((id) => `${id} #${groupOf(groups, id).rank}`).join(', ')}; brute force and spam ${brute.map((g) => `${g.ruleId} #${g.rank}`).join(', ')} of ${groups.length}`);
  }

  function assertRanked(groups: readonly TriageGroup[], needles: readonly string[]): void {
    const ranks = needles.map((id) => groupOf(groups, id).rank);
    for (const rank of ranks) assert.ok(rank <= 5, `needle ranks ${ranks.join(', ')}`);
    const brute = groups.filter((g) => BRUTE.includes(g.ruleId));
    assert.ok(brute.length > 0);
    for (const group of brute) assert.ok(group.rank > Math.max(...ranks), `${group.ruleId} at ${group.rank}, needles at ${ranks.join(', ')}`);
  }

  test('each seed read as it is: its quoted lines rank first', (t) => {
    const irq = run([log('seed-000', seedText(seeds!, '000_31f142d9a5120129.txt'))]);
    const store = run([log('seed-002', seedText(seeds!, '002_9990120173d4ba08.txt'))]);
    t.diagnostic(`seed 000: kernel/irq-no-handler #${groupOf(irq, 'kernel/irq-no-handler').rank} of ${irq.length}; seed 002: messaging/store-critical #${groupOf(store, 'messaging/store-critical').rank} of ${store.length}`);
    assert.equal(groupOf(irq, 'kernel/irq-no-handler').rank, 1);
    assert.ok(groupOf(store, 'messaging/store-critical').rank <= 2);
  });

  test('seed 000: the do_IRQ line and the relay\'s greeting timeouts, planted in a real mail server\'s 7 hours and a busy auth log', (t) => {
    const text = seedText(seeds!, '000_31f142d9a5120129.txt');
    const [irqLine] = seedLines(text, /do_IRQ: .* No irq handler for vector/);
    const [timeout] = seedLines(text, /^Timeout waiting for input from drjmailgw during client greeting$/);
    assert.ok(irqLine && timeout, 'the seed quotes the kernel line and the relay\'s timeout');
    const IRQ = MAR14 + 9 * HOUR + 49 * 60 + 42;
    const messages = log('drjmailgw-messages', logText(cronRoutine(HAY_FROM, HAY_TO, 600, 'drjmailgw'), [{ at: IRQ, line: restamped(irqLine, IRQ) }]), BERLIN);
    // From the interrupt on, every message the relay hands over waits a minute for the greeting (TO_HELO) and gives up.
    const write = (k: number) => `relay1 sendmail[${52_000 + k}]: oA8GngTk0${52_000 + k}: ${timeout}`;
    const timeouts = [...linesAt([IRQ + 60], write), ...steadyStream(60, IRQ + 120, HAY_TO, 22, (k) => write(k + 1))];
    const relay = log('relay-maillog', logText(sendmailRelaying(400, HAY_FROM, HAY_TO, 23), timeouts), BERLIN);
    const groups = run([hay(), auth(), messages, relay]);
    report(t, groups, ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
    assertRanked(groups, ['kernel/irq-no-handler', 'sendmail/timeout-greeting']);
  });

  test('seed 002: the imapd "Store Critical" lines before each crash, planted in the same real logs', (t) => {
    const quoted = seedLines(seedText(seeds!, '002_9990120173d4ba08.txt'), /northuist imapd\[\d+\]: /);
    assert.ok(quoted.some((line) => /Store Critical/.test(line)), 'the seed quotes the imapd lines');
    // The seed's two crashes were 2 h 2 min apart; the first is put at 07:05:59 of the real log's day.
    const shift = (line: string): string =>
      line.replace(/^\[?\d\d\/Feb\/2006:(\d\d):(\d\d:\d\d) -0500\]/, (_, hour: string, rest: string) => `[14/Mar/2023:${String(Number(hour) - 7).padStart(2, '0')}:${rest} +0100]`);
    const routine = steadyStream(300, HAY_FROM, HAY_TO, 25, (k, random) => `northuist imapd[${30_000 + k}]: Account Information: login [192.0.2.${1 + Math.floor(random() * 200)}] user${k % 40} plaintext`)
      .map((entry) => ({ at: entry.at, line: `[14/Mar/2023:${stampAt(entry.at).slice(7)} +0100] ${entry.line.slice(16)}` }));
    const imap = log('northuist-imap', [...routine.map((entry) => entry.line), ...quoted.map(shift)].sort((a, b) => a.slice(13, 21).localeCompare(b.slice(13, 21))).join('\n'), BERLIN);
    const groups = run([hay(), auth(), imap]);
    report(t, groups, ['messaging/store-critical']);
    assertRanked(groups, ['messaging/store-critical']);
  });
});
