import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskMessage, normaliseProgram } from '../../server/src/analysis/templates/mask';
import { Template, TemplateMiner } from '../../server/src/analysis/templates/miner';
import { TemplateScanner } from '../../server/src/analysis/templates/scanner';
import { TemplateStats, templateSimilarity } from '../../server/src/analysis/templates/stats';
import { LogParser } from '../../server/src/analysis/parse/document';

const MASKING: [string, string][] = [
  ['connect from unknown[192.0.2.7]', 'connect from unknown[<IP>]'],
  ['connect from mail.example.com[2001:db8::25]:25', 'connect from <HOST>[<IP>]:<NUM>'],
  ['Accepted password for alice from 198.51.100.4 port 50122 ssh2', 'Accepted password for alice from <IP> port <NUM> ssh2'],
  ['3F1A2B4C5D: client=unknown[203.0.113.9]', '<ID>: client=unknown[<IP>]'],
  ['ADAEBDAEEC: client=unknown[203.0.113.9]', '<ID>: client=unknown[<IP>]'],
  ['oA8LnYiw021929: to=<bob@example.org>, delay=00:00:01, stat=Sent', '<ID>: to=<<EMAIL>>, delay=<TIME>, stat=Sent'],
  ['1VxPit-000MMd-U4 <= alice@example.net H=mx.example.net [192.0.2.1]:41234', '<ID> <= <EMAIL> H=<HOST> [<IP>]:<NUM>'],
  ['session 0x1f3a closed after 250ms', 'session <HEX> closed after <DUR>'],
  ['uuid 123e4567-e89b-12d3-a456-426614174000 mounted on /srv/data', 'uuid <UUID> mounted on <PATH>'],
  ['Failed to start "Daily apt upgrade and clean activities".', 'Failed to start "<STR>".'],
  ['uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.5', 'uid=<NUM> euid=<NUM> tty=ssh ruser= rhost=<IP>'],
  ['sshd[4242]: reading /etc/ssh/sshd_config line 12', 'sshd[<NUM>]: reading <PATH> line <NUM>'],
  ['inode deadbeef0123 hash d41d8cd98f00b204e9800998ecf8427e', 'inode <HEX> hash <HEX>'],
  ['eth0: link up at 2024-03-05T10:11:12Z, MAC 00:1a:2b:3c:4d:5e', 'eth0: link up at <DATE>, MAC <MAC>'],
  ['reloading main.cf and dfs.DataNode settings', 'reloading main.cf and dfs.DataNode settings'],
  ['', ''],
];

test('masking replaces each kind of variable with its placeholder and keeps the words', () => {
  for (const [message, expected] of MASKING) assert.equal(maskMessage(message).join(' '), expected, message);
});

test('syslog tags are normalised to the program', () => {
  const cases: [string | undefined, string][] = [['postfix/smtpd[123]', 'postfix/smtpd'], ['Postfix/SMTPD[9]:', 'postfix/smtpd'], ['sshd', 'sshd'], [undefined, ''], ['sshd(pam_unix)[77]', 'sshd(pam_unix)']];
  for (const [tag, expected] of cases) assert.equal(normaliseProgram(tag), expected);
});

/** The templates of `lines` (`program: message`), by text, with their counts. */
function mine(lines: string[], miner = new TemplateMiner()): Map<string, number> {
  lines.forEach((line, i) => {
    const colon = line.indexOf(': ');
    miner.add(line.slice(0, colon), line.slice(colon + 2), i, 1_000 * i, 'gw.example.com');
  });
  return new Map(miner.templates().map((t) => [`${t.program}: ${t.text}`, t.count]));
}

const GROUPING: { name: string; lines: string[]; expected: Record<string, number> }[] = [
  {
    name: 'variants of one message share a template',
    lines: [
      'sshd[10]: Invalid user admin from 192.0.2.1 port 4022',
      'sshd[11]: Invalid user oracle from 198.51.100.2 port 5133',
      'sshd[12]: Invalid user test from 203.0.113.3 port 6244',
    ],
    expected: { 'sshd: Invalid user <*> from <IP> port <NUM>': 3 },
  },
  {
    name: 'different messages of one program stay apart',
    lines: [
      'sshd[1]: Failed password for root from 192.0.2.1 port 22 ssh2',
      'sshd[2]: Accepted password for root from 192.0.2.1 port 22 ssh2',
      'sshd[3]: Failed none for root from 192.0.2.1 port 22 ssh2',
      'sshd[4]: Received disconnect from 192.0.2.1: 11: Bye Bye',
      'sshd[5]: Received disconnect from 192.0.2.1: 11: disconnected by user',
    ],
    expected: {
      'sshd: Failed password for root from <IP> port <NUM> ssh2': 1,
      'sshd: Accepted password for root from <IP> port <NUM> ssh2': 1,
      'sshd: Failed none for root from <IP> port <NUM> ssh2': 1,
      'sshd: Received disconnect from <IP>: <NUM>: Bye Bye': 1,
      'sshd: Received disconnect from <IP>: <NUM>: disconnected by user': 1,
    },
  },
  {
    name: 'the same words from two programs are two templates',
    lines: ['su[1]: session closed for user root', 'sshd[2]: session closed for user root'],
    expected: { 'su: session closed for user root': 1, 'sshd: session closed for user root': 1 },
  },
  {
    name: 'a variable first word still joins its template',
    lines: [
      'cron: job-backup_daily: told to run; the start time is in 30 seconds, ignoring',
      'cron: job-cleanup_hourly: told to run; the start time is in 12 seconds, ignoring',
    ],
    expected: { 'cron: <*> told to run; the start time is in <NUM> seconds, ignoring': 2 },
  },
  {
    name: 'a field that varies stays named in the template',
    lines: [
      'sshd(pam_unix)[1]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1',
      'sshd(pam_unix)[2]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=mail.example.net',
      'sshd(pam_unix)[3]: authentication failure; logname= uid=0 euid=0 tty=pts/2 ruser= rhost=198.51.100.7',
    ],
    expected: { 'sshd(pam_unix): authentication failure; logname= uid=<NUM> euid=<NUM> tty=<*> ruser= rhost=<*>': 3 },
  },
  {
    name: 'a field left empty is another message than the field set, in either order',
    lines: [
      'sshd(pam_unix)[1]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=192.0.2.1',
      'sshd(pam_unix)[2]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=mail.example.net',
      'sshd(pam_unix)[3]: authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=',
      'login(pam_unix)[4]: authentication failure; logname= uid=0 euid=0 tty=console ruser= rhost=',
      'login(pam_unix)[5]: authentication failure; logname= uid=0 euid=0 tty=console ruser= rhost=192.0.2.9',
    ],
    expected: {
      'sshd(pam_unix): authentication failure; logname= uid=<NUM> euid=<NUM> tty=ssh ruser= rhost=<*>': 2,
      'sshd(pam_unix): authentication failure; logname= uid=<NUM> euid=<NUM> tty=ssh ruser= rhost=': 1,
      'login(pam_unix): authentication failure; logname= uid=<NUM> euid=<NUM> tty=console ruser= rhost=': 1,
      'login(pam_unix): authentication failure; logname= uid=<NUM> euid=<NUM> tty=console ruser= rhost=<IP>': 1,
    },
  },
];

for (const { name, lines, expected } of GROUPING) {
  test(`grouping: ${name}`, () => assert.deepEqual(Object.fromEntries(mine(lines)), expected));
}

/** A few hundred lines of several programs, written for these tests. */
function sampleLines(count: number): [string, string, string][] {
  const users = ['alice', 'bob', 'carol', 'dave', 'erin', 'mallory'];
  const out: [string, string, string][] = [];
  for (let i = 0; i < count; i++) {
    const ip = `192.0.2.${i % 250}`;
    const user = users[(i * 7) % users.length];
    const host = i % 3 === 0 ? 'mx1.example.com' : 'mx2.example.com';
    switch (i % 7) {
      case 0: out.push(['sshd[100]', `Failed password for ${user} from ${ip} port ${1000 + i} ssh2`, host]); break;
      case 1: out.push(['postfix/smtpd[200]', `connect from unknown[${ip}]`, host]); break;
      case 2: out.push(['postfix/smtpd[201]', `${(0x3f1a2b00 + i).toString(16).toUpperCase()}: client=unknown[${ip}]`, host]); break;
      case 3: out.push(['postfix/qmgr[300]', `${(0x4a000000 + i).toString(16).toUpperCase()}: from=<${user}@example.org>, size=${i * 13}, nrcpt=1 (queue active)`, host]); break;
      case 4: out.push(['kernel', `eth${i % 2}: link ${i % 5 === 0 ? 'down' : 'up'} ${i}`, host]); break;
      case 5: out.push(['cron[400]', `(${user}) CMD (run-parts /etc/cron.${i % 2 ? 'hourly' : 'daily'})`, host]); break;
      default: out.push(['sshd[101]', i % 11 === 0 ? `error: kex_exchange_identification: Connection closed by remote host` : `Invalid user ${user}${i % 13} from ${ip} port ${i}`, host]);
    }
  }
  return out;
}

/** What a miner learnt, comparable across runs (hosts and files as sets). */
function summary(miner: TemplateMiner): unknown[] {
  return miner.templates().map((t: Template) => ({ ...t, hosts: [...t.hosts].sort(), files: [...t.files].sort() }));
}

test('lines added in several batches give the same templates as one batch', () => {
  const lines = sampleLines(700);
  const whole = new TemplateMiner();
  lines.forEach(([p, m, h], i) => whole.add(p, m, i, i * 1000, h));
  for (const size of [1, 7, 100, 333]) {
    const chunked = new TemplateMiner();
    for (let start = 0; start < lines.length; start += size) {
      lines.slice(start, start + size).forEach(([p, m, h], k) => chunked.add(p, m, start + k, (start + k) * 1000, h));
    }
    assert.deepEqual(summary(chunked), summary(whole), `chunks of ${size}`);
  }
});

test('two halves merged give the same templates, counts, times and ids as one pass', () => {
  const lines = sampleLines(900);
  for (const cut of [0, 1, 300, 451, 899, 900]) {
    const whole = new TemplateMiner();
    lines.forEach(([p, m, h], i) => whole.add(p, m, i, i * 1000, h, i < cut ? 1 : 2));
    const first = new TemplateMiner();
    const second = new TemplateMiner();
    lines.slice(0, cut).forEach(([p, m, h], i) => first.add(p, m, i, i * 1000, h, 1));
    lines.slice(cut).forEach(([p, m, h], i) => second.add(p, m, i, (cut + i) * 1000, h, 2));
    first.merge(second, cut);
    assert.deepEqual(summary(first), summary(whole), `cut at ${cut}`);
  }
});

test('a miner without sequence tallies learns the same templates, takes merges in, and refuses to be merged', () => {
  const lines = sampleLines(900);
  const cut = 451;
  const fill = (miner: TemplateMiner, from: number, to: number): TemplateMiner => {
    lines.slice(from, to).forEach(([p, m, h], i) => miner.add(p, m, from + i, (from + i) * 1000, h, from === 0 ? 1 : 2));
    return miner;
  };
  // Lines counted relative to the stretch, as a worker counts them.
  const stretch = (miner: TemplateMiner): TemplateMiner => {
    lines.slice(cut).forEach(([p, m, h], i) => miner.add(p, m, i, (cut + i) * 1000, h, 2));
    return miner;
  };
  const whole = fill(new TemplateMiner(), 0, cut);
  fill(whole, cut, lines.length);
  const lean = fill(new TemplateMiner({ sequenceTallies: false }), 0, cut);
  fill(lean, cut, lines.length);
  assert.deepEqual(summary(lean), summary(whole));
  const joined = fill(new TemplateMiner({ sequenceTallies: false }), 0, cut);
  joined.merge(stretch(new TemplateMiner()), cut);
  assert.deepEqual(summary(joined), summary(whole));
  assert.throws(() => new TemplateMiner().merge(stretch(new TemplateMiner({ sequenceTallies: false })), cut), /without sequence tallies cannot be merged/);
});

test('scanners reading two stretches of a log and appended give every line the template of one pass', () => {
  const text = sampleLines(400).map(([p, m, h], i) => `Mar  5 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ${h} ${p}: ${m}`);
  const one = new TemplateScanner();
  new LogParser(one).add(text);
  const first = new TemplateScanner();
  const second = new TemplateScanner();
  new LogParser(first).add(text.slice(0, 170));
  new LogParser(second).add(text.slice(170));
  first.append(second);
  assert.deepEqual([...first.lineTemplates()], [...one.lineTemplates()]);
  assert.deepEqual(summary(first.miner), summary(one.miner));
});

test('room reserved for lines too few or too many, then given back, keeps the template of every line', () => {
  const text = sampleLines(3000).map(([p, m, h], i) => `Mar  5 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} ${h} ${p}: ${m}`);
  const one = new TemplateScanner();
  new LogParser(one).add(text);
  for (const reserved of [1500, 3000, 9000]) {
    const scanner = new TemplateScanner();
    scanner.reserve(1200);
    const parser = new LogParser(scanner);
    parser.add(text.slice(0, 1000));
    // Reserved again once lines are held: they move with the room.
    scanner.reserve(reserved);
    parser.add(text.slice(1000));
    scanner.trim();
    assert.equal(scanner.length, 3000, `reserved ${reserved}`);
    assert.deepEqual([...scanner.lineTemplates()], [...one.lineTemplates()], `reserved ${reserved}`);
    assert.equal(scanner.templateOfLine(3000), -1, `reserved ${reserved}: no line beyond the last`);
  }
});

test('a program never holds more templates than its cap, and folded ids name its overflow template', () => {
  const miner = new TemplateMiner({ maxTemplatesPerProgram: 20 });
  const ids: number[] = [];
  for (let i = 0; i < 500; i++) ids.push(miner.add('app', `word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26) % 26)} happened`, i));
  const live = miner.templates().filter((t) => t.program === 'app');
  assert.ok(live.length <= 21, `${live.length} templates`);
  assert.equal(live.reduce((sum, t) => sum + t.count, 0), 500);
  const overflow = live.find((t) => t.overflow);
  assert.ok(overflow);
  assert.equal(miner.templateOf(ids[0])?.id, overflow.id);
});

test('the memory of distinct messages is capped, and repeats still find their template', () => {
  const miner = new TemplateMiner({ maxSequences: 10 });
  const ids = Array.from({ length: 200 }, (_, i) => miner.add('sshd', `Invalid user u${String.fromCharCode(97 + (i % 26))}x from 192.0.2.1`, i));
  assert.equal(new Set(ids).size, 1);
  assert.equal(miner.templates()[0].count, 200);
});

test('a message repeated word for word counts as its first occurrence did, under its own program only', () => {
  const miner = new TemplateMiner();
  const cron = miner.add('CRON[100]', '(root) CMD (run-parts /etc/cron.hourly)', 0);
  const cronSequence = miner.lastSequence;
  let line = 1;
  // Enough repeats to open the program's lookups, with the same words from another program between them.
  for (let round = 0; round < 50; round++) {
    assert.equal(miner.add('CRON[101]', '(root) CMD (run-parts /etc/cron.hourly)', line++), cron);
    assert.equal(miner.lastSequence, cronSequence);
    const other = miner.add('anacron[7]', '(root) CMD (run-parts /etc/cron.hourly)', line++);
    assert.notEqual(other, cron);
    assert.equal(miner.templateOf(other)?.program, 'anacron');
  }
  // Many distinct messages later, past what is kept of the recent ones, a repeat still finds its template.
  for (let i = 0; i < 40_000; i++) miner.add('app', `request ${i} served`, line++);
  assert.equal(miner.add('cron', '(root) CMD (run-parts /etc/cron.hourly)', line), cron);
  const byProgram = Object.fromEntries(miner.templates().filter((t) => t.program !== 'app').map((t) => [t.program, t.count]));
  assert.deepEqual(byProgram, { cron: 52, anacron: 50 });
});

test('lines beyond the messages a miner remembers still name their live template, folded ones their overflow', () => {
  const scanner = new TemplateScanner(new TemplateMiner({ maxSequences: 5, maxTemplatesPerProgram: 4 }));
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const text = Array.from({ length: 400 }, (_, i) => `Mar  5 10:00:${String(i % 60).padStart(2, '0')} host app[${i}]: ${words[i % 8]} ${words[(i >> 3) % 8]} step ${i}`);
  new LogParser(scanner).add(text);
  const live = new Map(scanner.miner.templates().map((t) => [t.id, t.count]));
  const counted = new Map<number, number>();
  for (const id of scanner.lineTemplates()) counted.set(id, (counted.get(id) ?? 0) + 1);
  assert.ok(!counted.has(-1), 'every line has a template');
  assert.deepEqual(new Map([...counted].sort((a, b) => a[0] - b[0])), new Map([...live].filter(([, count]) => count > 0).sort((a, b) => a[0] - b[0])));
  assert.ok(scanner.miner.templates().some((t) => t.overflow), 'some templates were folded away');
});

test('times that are NaN or absent leave a template without a time, and never break its range', () => {
  const miner = new TemplateMiner();
  const id = miner.add('cron', 'job started', 0, NaN);
  assert.ok(Number.isNaN(miner.templateOf(id)!.firstTime));
  miner.add('cron', 'job started', 1, 5000);
  miner.add('cron', 'job started', 2, NaN);
  miner.add('cron', 'job started', 3, 2000);
  const t = miner.templateOf(id)!;
  assert.deepEqual([t.firstTime, t.lastTime, t.count, t.firstLine], [2000, 5000, 4, 0]);
});

test('empty, huge and odd messages never throw', () => {
  const miner = new TemplateMiner();
  const odd = ['', '    ', '\t\t', '"', '""', '"unclosed quote and more', '=', 'a=', '=b', '[[[]]]', '<*> <NUM>', '\u0000\u0001', '🙂 emoji 🙂', 'x'.repeat(100_000), 'a '.repeat(50_000), '0x', '::', '1.2.3.4.5', '999.1.1.1'];
  for (const [i, message] of odd.entries()) assert.equal(typeof miner.add(i % 2 ? undefined : 'odd', message, i), 'number');
  assert.ok(miner.templates().length > 0);
});

test('stats give a rare template its share, its nearest common template and when its program was last heard', () => {
  const miner = new TemplateMiner();
  const lineTemplates: number[] = [];
  const times: number[] = [];
  for (let i = 0; i < 99; i++) {
    lineTemplates.push(miner.add('postfix/smtp', `${(0x3f1a2b00 + i).toString(16).toUpperCase()}: to=<u${i}@example.org>, relay=mx.example.org[192.0.2.9]:25, delay=0.${i}, status=sent (250 ok)`, i));
    times.push(i * 1000);
  }
  const rare = miner.add('postfix/smtp', '4A0B1C2D3E: to=<u@example.org>, relay=none, delay=30, status=deferred (connect to mx.example.org[192.0.2.9]:25: Connection timed out)', 99);
  lineTemplates.push(rare);
  times.push(150_000);
  const stats = new TemplateStats(miner, Int32Array.from(lineTemplates), Float64Array.from(times));
  assert.equal(stats.share(rare), 0.01);
  const [near] = stats.nearest(rare);
  assert.equal(near.template.count, 99);
  assert.ok(near.similarity > 0.2 && near.similarity < 1);
  assert.equal(stats.lastHeardBefore('postfix/smtp', 150_000), 98_000);
  assert.equal(stats.lastHeardBefore('postfix/smtp', 0), undefined);
  assert.equal(stats.lastHeardBefore('sshd', 150_000), undefined);
  assert.equal(templateSimilarity(['a', 'b'], ['a', 'b']), 1);
});
