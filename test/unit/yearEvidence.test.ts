import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { LogParser, parseLog } from '../../server/src/analysis/parse/document';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { LineTable } from '../../server/src/analysis/parse/lineTable';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LogAnalysis } from '../../server/src/analysis/service';
import { YearEvidence, yearFromEvidence } from '../../server/src/analysis/time/yearEvidence';
import { CalendarDate, datedClues, embeddedDates, eximIdDate, fitClue, messageIdDate, postfixQueueIdDate, sendmailQueueIdDate } from '../../server/src/analysis/time/yearClues';
import { chooseYearReference } from '../../server/src/analysis/time/yearChoice';
import { builtIn } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

// Encoders written from the rules the daemons' sources state, to make ids for chosen instants.
const BASE60 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE52 = '0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz';

function inBase(value: number, alphabet: string, width: number): string {
  let out = '';
  for (let v = Math.floor(value); v > 0; v = Math.floor(v / alphabet.length)) out = alphabet[v % alphabet.length] + out;
  return out.padStart(width, alphabet[0]);
}

/** sendmail 8.12+: year since 1900 mod 60, month from 0, day, hour, minute, second (UTC), two sequence chars, six-digit pid. */
function sendmailId(utcMs: number, pid: number, sequence = 0): string {
  const d = new Date(utcMs);
  const fields = [(d.getUTCFullYear() - 1900) % 60, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), Math.floor(sequence / 60), sequence % 60];
  return fields.map((n) => BASE60[n]).join('') + String(pid).padStart(6, '0');
}

/** postfix long id: epoch seconds in base 52 (six chars or more), four chars of microseconds, `z`, the inode in base 51. */
function postfixLongId(utcMs: number, inode: number): string {
  return `${inBase(utcMs / 1000, BASE52, 6)}${inBase(123_456, BASE52, 4)}z${inBase(inode, BASE52.slice(0, 51), 1)}`;
}

/** exim: epoch seconds, pid, fraction, base 62 in 6-6-2 groups. */
function eximId(utcMs: number, pid: number): string {
  return `${inBase(utcMs / 1000, BASE62, 6)}-${inBase(pid, BASE62, 6)}-${inBase(7, BASE62, 2)}`;
}

function evidenceOf(lines: string[], sampleEntries?: number): YearEvidence {
  const parser = new LogParser();
  parser.add(lines);
  return yearFromEvidence(parser.columns, new LinesInMemory(lines), { sampleEntries });
}

const NOV_8_2011 = Date.UTC(2011, 10, 8, 21, 49, 34);
const mailLine = (stamp: string, pid: number, id: string, rest = 'to=<a@example.com>, stat=Sent'): string => `${stamp} gw sendmail[${pid}]: ${id}: ${rest}`;

test('the queue id rule reproduces the id the sample incident decodes (2010-11-08 21:49:34 UTC, pid 21929)', () => {
  const id = sendmailId(Date.UTC(2010, 10, 8, 21, 49, 34), 21929);
  assert.equal(id.slice(0, 6), 'oA8LnY');
  assert.ok(id.endsWith('021929'));
  assert.deepEqual(sendmailQueueIdDate('oA8LnYiw021929'), { year: 2010, month: 11, day: 8 });
});

test('sendmail queue ids that encode their lines\' day give the log its year', () => {
  const lines = [0, 1, 2].map((k) => mailLine(`Nov  8 16:49:4${k}`, 100 + k, sendmailId(NOV_8_2011 + k * 1000, 100 + k)));
  const evidence = evidenceOf(lines);
  assert.equal(evidence.year, 2011);
  assert.equal(evidence.source, '2011: 3 sendmail queue ids');
  assert.deepEqual([evidence.month, evidence.day], [11, 8]);
  assert.deepEqual(evidence.conflicts, []);
});

test('the same queue id on many lines counts once', () => {
  const id = sendmailId(NOV_8_2011, 100);
  const evidence = evidenceOf([mailLine('Nov  8 16:49:40', 100, id, 'from=<b@example.com>'), mailLine('Nov  8 16:49:41', 101, id), mailLine('Nov  8 16:49:42', 101, id)]);
  assert.equal(evidence.source, '2011: a sendmail queue id');
});

test('postfix long queue ids and exim ids carry their epoch seconds', () => {
  const at = Date.UTC(2023, 2, 14, 5, 7, 18);
  assert.deepEqual(postfixQueueIdDate(postfixLongId(at, 987_654)), { year: 2023, month: 3, day: 14 });
  assert.deepEqual(eximIdDate(eximId(at, 4242)), { year: 2023, month: 3, day: 14 });
  const evidence = evidenceOf([`Mar 14 06:07:18 mx postfix/cleanup[9]: ${postfixLongId(at, 5)}: message-id=<x@y>`, `Mar 14 06:07:19 mx postfix/smtp[8]: ${postfixLongId(at + 1000, 6)}: to=<a@b>, status=sent (250 OK id=${eximId(at, 77)})`]);
  assert.equal(evidence.year, 2023);
  assert.equal(evidence.source, '2023: 2 postfix queue ids and an exim message id');
});

test('message-ids name their date in the forms mail programs write', () => {
  const nov8 = { year: 2011, month: 11, day: 8 };
  for (const id of ['20111108214934.4F3A21C0B2@mx.example.com', '20111108214934.GA1234@host.example.com', `201111082149.${sendmailId(NOV_8_2011, 4321)}@host.example.com`, `E${eximId(NOV_8_2011, 99)}@host.example.com`, `123.45.${NOV_8_2011}.JavaMail.app@host.example.com`, `${NOV_8_2011 / 1000}.7@webmail.example.com`, 'pe20111108214934_1.F.abc@news.example.com']) {
    assert.deepEqual(messageIdDate(id), nov8, id);
  }
  for (const id of ['5E796573B0E8C803EBDB033F5EABE1C2@mailhub.example.com', '20111399214934.x@host', '12345678901234.x@host']) assert.equal(messageIdDate(id), undefined, id);
});

test('message-ids after msgid=, message-id= and a Message-ID: header count, dates inside them once', () => {
  const lines = [
    `Nov  8 16:49:40 gw sendmail[1]: ${sendmailId(NOV_8_2011, 1)}: from=<a@b>, msgid=<20111108214930.GA1@host.example.com>`,
    'Nov  8 16:49:41 mx postfix/cleanup[2]: 4F3A21C0B2: message-id=<20111108214931.4F3A21C0B2@mx.example.com>',
    'Nov  8 16:49:42 mx amavis[3]: (03-01) Passed CLEAN, Message-ID: <20111108214932.GA2@host.example.com>, mail_id: x',
  ];
  assert.equal(evidenceOf(lines).source, '2011: a sendmail queue id and 3 message-ids');
});

test('dates written in a message are read in the ISO, RFC 2822, ctime, dashed and spelt-out forms', () => {
  const found = embeddedDates('seen 2011-11-08T10:00, Date: Tue, 8 Nov 2011 10:00:00 +0100; logon Tue Nov  8 10:00:00 2011 [8/Nov/2011:10:00] on November 8, 2011');
  assert.deepEqual(found.map((f) => f.date), Array(5).fill({ year: 2011, month: 11, day: 8 }));
  assert.deepEqual(embeddedDates('version 1.2011-11-08, 2011-13-01, 2011-02-30, 31 Apr 2011'), []);
  assert.equal(evidenceOf(['Nov  8 10:00:01 gw app[1]: job of 2011-11-08 done', 'Nov  8 10:00:02 gw app[1]: Date: Tue, 8 Nov 2011 10:00:00']).source, '2011: 2 dates in messages');
});

test('a date far from its line\'s day is ignored; one a few days before it counts for a quarter', () => {
  const far = evidenceOf(['Nov  8 10:00:01 gw app[1]: certificate valid until 2011-06-01']);
  assert.equal(far.year, undefined);
  assert.equal(far.ignored, 1);
  assert.deepEqual(far.votes, []);
  const before = evidenceOf(['Nov  8 10:00:01 gw sendmail[1]: x: msgid=<20111104090000.GA7@host.example.com>']);
  assert.equal(before.year, 2011);
  assert.equal(before.votes[0].score, 0.25);
  assert.deepEqual(fitClue({ year: 2011, month: 11, day: 10 }, 11, 8), undefined, 'a clue after its line is no fit');
  assert.deepEqual(fitClue({ year: 2011, month: 12, day: 31 }, 1, 1), { year: 2012, strength: 'strong' }, 'a UTC id of 31 December fits a 1 January line of the year after');
});

test('one same-day clue outweighs one from days before; two equal clues for two years name no year', () => {
  const lines = [`Nov  8 10:00:01 gw sendmail[1]: ${sendmailId(NOV_8_2011, 1)}: from=<a@b>`, `Nov  9 10:00:01 gw sendmail[2]: x: msgid=<20101105090000.GA7@host.example.com>`];
  const weakOther = evidenceOf(lines);
  assert.equal(weakOther.year, 2011);
  assert.match(weakOther.conflicts[0], /a message-id says 2010 \(line 2\)/);
  const split = evidenceOf([lines[0], `Nov  9 10:00:01 gw sendmail[2]: ${sendmailId(Date.UTC(2010, 10, 9, 15), 2)}: from=<a@b>`]);
  assert.equal(split.year, undefined);
  assert.deepEqual(split.conflicts, ['the log\'s lines disagree: 2011 (a sendmail queue id) against 2010 (a sendmail queue id)']);
});

test('three clues for one year against one for another take the three, and say so', () => {
  const lines = [0, 1, 2].map((k) => mailLine(`Nov  8 16:49:4${k}`, 10 + k, sendmailId(NOV_8_2011 + k * 1000, 10 + k)));
  lines.push(mailLine('Nov  9 10:00:00', 20, sendmailId(Date.UTC(2010, 10, 9, 15), 20)));
  const evidence = evidenceOf(lines);
  assert.equal(evidence.year, 2011);
  assert.deepEqual(evidence.conflicts, ['a sendmail queue id says 2010 (line 4)']);
});

test('a log without dated clues has no year from evidence', () => {
  const evidence = evidenceOf(['Nov  8 16:49:42 gw CRON[1]: (root) CMD (run-parts /etc/cron.hourly)', 'Nov  8 16:50:01 gw sshd[2]: Accepted publickey for admin from 192.0.2.4 port 5 ssh2']);
  assert.equal(evidence.year, undefined);
  assert.deepEqual(evidence.votes, []);
  assert.equal(evidenceOf(['2011-11-08T16:49:42Z gw app: x']).month, 0, 'no yearless stamp, nothing to decide');
});

test('a kernel\'s build date bounds the year from below and never names it', () => {
  const kernel = (stamp: string): string => `${stamp} gw kernel: [    0.000000] Linux version 2.6.32 (builder@host) (gcc version 4.3.4 20100101) #1 SMP Tue Mar 1 10:00:00 UTC 2011`;
  const after = evidenceOf([kernel('Nov  8 16:49:42')]);
  assert.equal(after.year, undefined);
  assert.equal(after.atLeast, 2011);
  assert.deepEqual(after.votes, [], 'the build date is not a date of the line');
  assert.equal(evidenceOf([kernel('Feb 20 08:00:00')]).atLeast, 2012, 'a boot on 20 February comes after a 1 March build only the year after');
  assert.equal(evidenceOf(['Nov  8 16:49:42 gw kernel: Linux version 6.1.0-9-amd64 (debian-kernel@lists.debian.org) #1 SMP PREEMPT_DYNAMIC Debian 6.1.27-1 (2023-05-08)']).atLeast, 2023);
  const ruledOut = evidenceOf([kernel('Nov  8 16:49:42'), `Nov  8 16:50:00 gw sendmail[1]: ${sendmailId(Date.UTC(2010, 10, 8, 21), 1)}: from=<a@b>`]);
  assert.equal(ruledOut.year, undefined);
  assert.match(ruledOut.conflicts[0], /says 2010, before the kernel was built \(2011-03-01\)/);
});

test('a 29 February takes a leap year: the clue\'s own, and no year that would put it in another', () => {
  const leap = evidenceOf([mailLine('Feb 29 10:00:00', 1, sendmailId(Date.UTC(2012, 1, 29, 10), 1))]);
  assert.equal(leap.year, 2012);
  const leapless = evidenceOf([mailLine('Feb 28 10:00:00', 1, sendmailId(Date.UTC(2011, 1, 28, 10), 1)), 'Feb 29 10:00:00 gw CRON[2]: tick']);
  assert.equal(leapless.year, undefined);
  assert.match(leapless.conflicts[0], /29 February of the log in 2011, no leap year/);
  assert.equal(fitClue({ year: 2011, month: 3, day: 1 }, 2, 29), undefined, 'a 1 March 2011 clue does not make a 29 February line 2011 (no such day)');
  assert.deepEqual(fitClue({ year: 2012, month: 3, day: 1 }, 2, 29), { year: 2012, strength: 'strong' });
});

test('a clue before a new-year rollover names the year of the log\'s end', () => {
  const lines = [mailLine('Dec 31 23:59:00', 1, sendmailId(Date.UTC(2010, 11, 31, 23, 59), 1)), 'Jan  1 00:01:00 gw CRON[2]: tick'];
  const evidence = evidenceOf(lines);
  assert.equal(evidence.year, 2011);
  const choice = chooseYearReference({ evidence, now: Date.UTC(2030, 0, 1), zone: 'UTC' });
  const parsed = parseLog(lines.join('\n'), { zone: 'UTC', yearReference: choice.reference });
  assert.deepEqual([...parsed.times].map((ms) => new Date(ms).getUTCFullYear()), [2010, 2011]);
});

test('a line stamped with its year vouches for yearless lines nearby on the same day', () => {
  const evidence = evidenceOf(['2011-11-08T16:49:40Z gw app[1]: switched to classic stamps', 'Nov  8 16:49:42 gw app[1]: x', 'Nov  8 16:49:43 gw app[1]: y', '2011-11-08T16:49:44Z gw app[1]: z']);
  assert.equal(evidence.source, '2011: 2 lines nearby stamped with their year');
  assert.equal(evidenceOf(['2011-06-01T00:00:00Z gw app[1]: old', 'Nov  8 16:49:42 gw app[1]: x']).year, undefined, 'a stamp of another day says nothing of the yearless line');
});

test('only the first and last stamped lines are read', () => {
  const filler = Array.from({ length: 3000 }, (_, k) => `Nov  8 16:${String(Math.floor(k / 60) % 60).padStart(2, '0')}:${String(k % 60).padStart(2, '0')} gw CRON[${k}]: tick`);
  const clue = mailLine('Nov  8 16:59:59', 1, sendmailId(NOV_8_2011, 1));
  assert.equal(evidenceOf([...filler.slice(0, 1500), clue, ...filler.slice(1500)], 500).year, undefined);
  assert.equal(evidenceOf([...filler, clue], 500).year, 2011);
  assert.equal(evidenceOf([clue, ...filler], 500).year, 2011);
});

test('an analysis gives the evidence of the lines it read, before its result', () => {
  const lines = [mailLine('Nov  8 16:49:42', 1, sendmailId(NOV_8_2011, 1))];
  const analysis = new LogAnalysis(builtIn().matcher);
  analysis.add(lines);
  assert.equal(analysis.yearEvidence(new LinesInMemory(lines)).year, 2011);
});

const MTIME_2026 = { ms: Date.UTC(2026, 11, 2, 12), fromGzip: false };
const NOW = Date.UTC(2027, 5, 1);

test('the year is chosen from the setting, else the log\'s lines, else the file time, else the clock', () => {
  const evidence = evidenceOf([0, 1, 2].map((k) => `Nov  8 16:49:4${k} gw sendmail[${k}]: x: msgid=<2011110821493${k}.GA${k}@host.example.com>`).concat(mailLine('Nov  8 16:49:45', 9, sendmailId(NOV_8_2011, 9))));
  const fromSetting = chooseYearReference({ setting: 2009, evidence, mtime: MTIME_2026, now: NOW, zone: 'UTC' });
  assert.deepEqual([fromSetting.reference.year, fromSetting.reference.source], [2009, 'setting']);
  assert.deepEqual(fromSetting.conflicts, ['the log\'s lines say 2011 (a sendmail queue id and 3 message-ids)']);
  const fromLines = chooseYearReference({ evidence, mtime: MTIME_2026, now: NOW, zone: 'UTC' });
  assert.deepEqual([fromLines.reference.year, fromLines.reference.month, fromLines.reference.day, fromLines.reference.source], [2011, 11, 8, 'log contents']);
  assert.equal(fromLines.explanation, '2011: a sendmail queue id and 3 message-ids; the file\'s modification time says 2026');
  assert.equal(fromLines.reference.explanation, fromLines.explanation);
  const fromFile = chooseYearReference({ mtime: { ms: Date.UTC(2026, 2, 2, 12), fromGzip: true }, now: NOW, zone: 'UTC' });
  assert.deepEqual([fromFile.reference.year, fromFile.reference.source], [2026, 'gzip member time']);
  const fromClock = chooseYearReference({ now: NOW, zone: 'UTC' });
  assert.deepEqual([fromClock.reference.year, fromClock.reference.month, fromClock.reference.source], [2027, 6, 'current clock']);
});

test('a file time that agrees is said to, across the new year too', () => {
  const evidence = evidenceOf([mailLine('Dec 31 20:00:00', 1, sendmailId(Date.UTC(2011, 11, 31, 20), 1))]);
  const choice = chooseYearReference({ evidence, mtime: { ms: Date.UTC(2012, 0, 3), fromGzip: false }, now: NOW, zone: 'UTC' });
  assert.equal(choice.explanation, '2011: a sendmail queue id; the file\'s modification time agrees');
  assert.deepEqual(choice.conflicts, []);
});

test('a kernel build date lifts a file time that lies before it, and leaves a later one', () => {
  const evidence = evidenceOf(['Nov  8 16:49:42 gw kernel: Linux version 2.6.32 (b@h) #1 SMP Tue Mar 1 10:00:00 UTC 2011']);
  const early = chooseYearReference({ evidence, mtime: { ms: Date.UTC(2009, 11, 1), fromGzip: false }, now: NOW, zone: 'UTC' });
  assert.deepEqual([early.reference.year, early.reference.source], [2011, 'log contents']);
  assert.match(early.explanation, /^2011 at the earliest: the kernel was built on 2011-03-01; the file's modification time says 2009, before that/);
  const later = chooseYearReference({ evidence, mtime: MTIME_2026, now: NOW, zone: 'UTC' });
  assert.deepEqual([later.reference.year, later.reference.source], [2026, 'file modification time']);
});

test('evidence of a year after today is not taken', () => {
  const evidence = evidenceOf([mailLine('Nov  8 16:49:42', 1, sendmailId(Date.UTC(2031, 10, 8, 21), 1))]);
  assert.equal(evidence.year, 2031);
  const choice = chooseYearReference({ evidence, mtime: MTIME_2026, now: NOW, zone: 'UTC' });
  assert.deepEqual([choice.reference.year, choice.reference.source], [2026, 'file modification time']);
  assert.deepEqual(choice.conflicts, ['the log\'s lines say 2031 (a sendmail queue id), after the current date']);
});

test('a file time is read as a date in the log\'s zone', () => {
  // 2011-01-01 03:00 UTC is still New Year's Eve in New York.
  const choice = chooseYearReference({ mtime: { ms: Date.UTC(2011, 0, 1, 3), fromGzip: false }, now: NOW, zone: 'America/New_York' });
  assert.deepEqual([choice.reference.year, choice.reference.month, choice.reference.day], [2010, 12, 31]);
});

test('the sample incidents\' mail logs give the year their README states (8 Nov 2010)', () => {
  for (const file of [['mailgw-incident', 'drjmailgw', 'maillog'], ['mailgw-incident', 'relay', 'maillog']]) {
    const lines = splitLines(fs.readFileSync(repoPath('samples', ...file), 'utf8'));
    const evidence = evidenceOf(lines);
    assert.equal(evidence.year, 2010, file.join('/'));
    assert.match(evidence.source, /^2010: \d+ sendmail queue ids and \d+ message-ids$/);
    assert.deepEqual(evidence.conflicts, []);
  }
});

/** Every file under a folder. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  }).sort();
}

function parsedLines(file: string): { lines: string[]; parser: LogParser } | undefined {
  const buffer = fs.readFileSync(file);
  if (buffer.length > 5_000_000) return undefined;
  const lines = splitLines(buffer.toString('utf8'));
  const parser = new LogParser();
  parser.add(lines);
  return { lines, parser };
}

test('the posts the sample incidents were modelled on name no year for their quoted lines', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const seeds = path.join(folder, '..', 'seeds');
  if (!fs.existsSync(seeds)) return t.skip('no seeds folder beside the corpus');
  for (const file of filesUnder(seeds)) {
    const read = parsedLines(file)!;
    const evidence = yearFromEvidence(read.parser.columns, new LinesInMemory(read.lines));
    // Prose ("since 1994", "Feb 22 update", "February 17, 2006" in a byline) is no evidence for a stamped line.
    assert.equal(evidence.year, undefined, file);
    assert.deepEqual(evidence.votes, [], file);
  }
});

test('in real logs stamped with their year, every dated clue that fits its line names that year', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const counts = new Map<string, { right: number; wrong: string[] }>();
  for (const file of filesUnder(folder)) {
    const read = parsedLines(file);
    if (!read) continue;
    const { flags, year, month, day } = read.parser.columns.civil;
    const table = new LineTable(read.parser.columns, new LinesInMemory(read.lines));
    for (let i = 0; i < read.lines.length; i++) {
      if ((flags[i] & 3) !== 3 || year[i] < 1990) continue;
      for (const clue of datedClues(read.lines[i], table.fields(i))) {
        const fit = fitClue(clue, month[i], day[i]);
        if (!fit) continue;
        const count = counts.get(clue.kind) ?? { right: 0, wrong: [] };
        if (fit.year === year[i]) count.right++;
        else count.wrong.push(`${path.relative(folder, file)}:${i + 1} ${clue.token} -> ${fit.year}, stamped ${year[i]}`);
        counts.set(clue.kind, count);
      }
    }
  }
  for (const [kind, count] of counts) t.diagnostic(`${kind}: ${count.right} fit their line's year, ${count.wrong.length} do not`);
  const wrong = [...counts.values()].flatMap((count) => count.wrong);
  assert.deepEqual(wrong.slice(0, 10), []);
  // postfix-logsums holds a real server's long queue ids and message-ids with RFC 3339 stamps.
  assert.ok((counts.get('postfix queue id')?.right ?? 0) >= 100, 'postfix long queue ids were checked');
  assert.ok((counts.get('message-id')?.right ?? 0) >= 10, 'message-ids were checked');
});

test('real logs with yearless stamps get a year that the dates they contain agree with', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const bySource = new Map<string, number>();
  const sources = new Map<string, string>();
  let yearless = 0;
  for (const file of filesUnder(folder)) {
    const read = parsedLines(file);
    if (!read) continue;
    const { flags, year, month, day } = read.parser.columns.civil;
    if (!flags.subarray(0, read.lines.length).some((f) => (f & 3) === 1)) continue;
    yearless++;
    const text = new LinesInMemory(read.lines);
    const evidence = yearFromEvidence(read.parser.columns, text);
    const choice = chooseYearReference({ evidence, now: Date.UTC(2026, 0, 1), zone: 'UTC' });
    const name = path.relative(folder, file);
    if (choice.reference.source !== 'log contents') {
      if (evidence.year !== undefined) t.diagnostic(`${name}: not taken: ${choice.conflicts[0]}`);
      continue;
    }
    sources.set(name, evidence.source);
    const kinds = Object.keys(evidence.votes[0].kinds).join(', ');
    bySource.set(kinds, (bySource.get(kinds) ?? 0) + 1);
    t.diagnostic(`${name}: ${choice.explanation}`);
    // Read end to end: the year each line ends up with, in UTC, against the full dates on it.
    const parsed = parseLog(read.lines.join('\n'), { zone: 'UTC', yearReference: choice.reference });
    const table = new LineTable(read.parser.columns, text);
    let agree = 0;
    const disagree: string[] = [];
    for (let i = 0; i < read.lines.length; i++) {
      if ((flags[i] & 3) !== 1 || Number.isNaN(parsed.times[i])) continue;
      const lineYear = new Date(parsed.times[i]).getUTCFullYear();
      // The dated tokens on the line, and the lines next to it stamped with their year.
      const dates: { date: CalendarDate; what: string }[] = datedClues(read.lines[i], table.fields(i)).map((clue) => ({ date: clue, what: clue.token }));
      for (const j of [i - 1, i + 1]) if ((flags[j] & 3) === 3) dates.push({ date: { year: year[j], month: month[j], day: day[j] }, what: `line ${j + 1}` });
      for (const { date, what } of dates) {
        const fit = fitClue(date, month[i], day[i]);
        if (fit?.strength !== 'strong') continue;
        if (fit.year === lineYear) agree++;
        else disagree.push(`${name}:${i + 1} ${what} says ${fit.year}, read as ${lineYear}`);
      }
    }
    if (evidence.conflicts.length === 0) assert.deepEqual(disagree, [], name);
    else {
      // A collage of sample lines from many years (fail2ban's test files) fits no one timeline;
      // the year taken must still be the one most of its dates agree with.
      t.diagnostic(`${name}: ${disagree.length} of ${agree + disagree.length} dated lines are from other years; ${evidence.conflicts.join('; ')}`);
      assert.ok(agree > disagree.length, name);
    }
  }
  t.diagnostic(`logs with yearless stamps: ${yearless}; with a year from their lines: ${[...bySource.values()].reduce((a, b) => a + b, 0)} (${[...bySource].map(([k, n]) => `${n} from ${k}`).join('; ')})`);
  assert.ok(yearless >= 50, `only ${yearless} corpus logs with yearless stamps`);
  for (const sendmail of ['fail2ban/sendmail-auth', 'fail2ban/sendmail-reject']) assert.match(sources.get(sendmail) ?? 'no year', /^\d{4}: \d+ sendmail queue ids$/, sendmail);
});
