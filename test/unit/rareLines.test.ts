import { test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalyzedLog, LogAnalysis } from '../../server/src/analysis/service';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { Finding } from '../../server/src/analysis/rules/types';
import { RARE_LIMITS } from '../../server/src/analysis/templates/rare';
import { scanInParallel } from '../../server/src/files/parallelScan';
import { readRuleFolder, builtInRulesFolder } from '../../server/src/rulesOnDisk';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { insertAt, routineDay, secondsOf, stampAt } from '../support/routineLog';

const RARE = 'rare/line';
const recipe = () => ({ sources: readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const })), disabled: [] });

function rareOf(log: AnalyzedLog): Finding[] {
  return log.findings.filter((finding) => finding.ruleId === RARE);
}

/** The text of the lines flagged rare. */
function rareLines(lines: readonly string[]): string[] {
  return rareOf(analyzeText(lines.join('\n'))).map((finding) => lines[finding.line]);
}

const DAY = routineDay({ seed: 11, hours: 24 });
const NOON = 12 * 3600;

/** What is inserted into a day of routine lines at noon, and which of the inserted lines must be found rare. */
const CASES: { name: string; insert: string[]; rare: number[] }[] = [
  {
    name: 'a one-off kernel line in a day of routine is rare',
    insert: [`${stampAt(NOON)} mx1 kernel: [302400.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`],
    rare: [0],
  },
  {
    name: 'a one-off postfix line with no signature is rare',
    insert: [`${stampAt(NOON)} mx1 postfix/smtpd[9001]: discarding EHLO keywords: CHUNKING`],
    rare: [0],
  },
  {
    name: 'a line a signature flags is not rare as well',
    insert: [`${stampAt(NOON)} mx1 postfix/smtpd[9001]: SSL_accept error from mail3.example.net[192.0.2.77]: -1`],
    rare: [],
  },
  {
    name: 'a line stating its own error level keeps only the declared finding',
    insert: [`${stampAt(NOON)} mx1 postfix/smtpd[9001]: error: open database /etc/postfix/helo_checks.lmdb: No such file or directory`],
    rare: [],
  },
  {
    name: 'a burst of one template within seconds is not rare',
    insert: Array.from({ length: 6 }, (_, k) => `${stampAt(NOON + k)} mx1 kernel: [${302400 + k}.000100] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`),
    rare: [],
  },
  {
    name: 'a boot sequence is not rare: lines within two minutes of "Linux version", kernel lines of low uptime',
    insert: [
      `${stampAt(NOON)} mx1 kernel: [    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)`,
      `${stampAt(NOON)} mx1 kernel: [    0.412000] ACPI: Core revision 20220331`,
      `${stampAt(NOON + 50)} mx1 postfix/smtpd[9001]: discarding EHLO keywords: CHUNKING`,
      `${stampAt(NOON + 100)} mx1 kernel: [   96.004000] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`,
    ],
    rare: [],
  },
];

for (const { name, insert, rare } of CASES) {
  test(name, () => {
    const lines = insertAt(DAY, NOON, insert);
    assert.deepEqual(rareLines(lines), rare.map((k) => insert[k]));
  });
}

test('routine repeated templates of a day are not rare', () => {
  assert.deepEqual(rareLines(DAY), []);
});

test('a program with few lines has no routine to stand out from', () => {
  const lines = insertAt(DAY, NOON, [`${stampAt(NOON)} mx1 ntpd[700]: Listen normally on 3 eth0 192.0.2.10:123`]);
  assert.deepEqual(rareLines(lines), []);
});

/** The same day with the kernel silent: no firewall logging, as on most servers. */
const QUIET_KERNEL_DAY = DAY.filter((line) => !line.includes(' kernel: '));
const EXT4 = (seconds: number, uptime = 302_400 + seconds) => `${stampAt(seconds)} mx1 kernel: [${uptime}.118402] EXT4-fs (sda1): Delayed block allocation failed for inode 2625538 at logical offset 41 with max blocks 2 with error 117`;

const QUIET_CASES: { name: string; lines: () => string[]; rare: (lines: readonly string[]) => string[] }[] = [
  {
    name: 'a kernel silent all day writing one line in a busy log is rare, judged against the log',
    lines: () => insertAt(QUIET_KERNEL_DAY, NOON, [EXT4(NOON)]),
    rare: () => [EXT4(NOON)],
  },
  {
    name: 'a quiet kernel writing the same template three times is not rare',
    lines: () => insertAt(insertAt(insertAt(QUIET_KERNEL_DAY, 9 * 3600, [EXT4(9 * 3600)]), NOON, [EXT4(NOON)]), 15 * 3600, [EXT4(15 * 3600)]),
    rare: () => [],
  },
  {
    name: "a quiet kernel's boot sequence is not rare",
    lines: () =>
      insertAt(QUIET_KERNEL_DAY, NOON, [
        `${stampAt(NOON)} mx1 kernel: [    0.000000] Linux version 6.1.0-18-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)`,
        `${stampAt(NOON + 40)} mx1 kernel: [   40.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`,
      ]),
    rare: () => [],
  },
  {
    name: 'in a short log a quiet kernel has no routine to stand out from',
    lines: () => [...QUIET_KERNEL_DAY.slice(0, 60), EXT4(secondsOf(QUIET_KERNEL_DAY[59]))],
    rare: () => [],
  },
];

for (const { name, lines, rare } of QUIET_CASES) {
  test(name, () => {
    const log = lines();
    assert.deepEqual(rareLines(log), rare(log));
  });
}

test('a quiet kernel\'s rare line says it was judged against the log', () => {
  const lines = insertAt(QUIET_KERNEL_DAY, NOON, [EXT4(NOON)]);
  const [finding] = rareOf(analyzeText(lines.join('\n')));
  assert.ok(finding, 'one rare finding');
  assert.equal(finding.message, `rare for kernel: this template 1× in the log's ${lines.length.toLocaleString('en-US')} lines (kernel wrote 1)`);
});

test('the message says how rare, the usual template and how long the program was quiet', () => {
  const line = `${stampAt(NOON + 30)} mx1 kernel: [302430.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`;
  const lines = insertAt(DAY, NOON + 30, [line]);
  const [finding] = rareOf(analyzeText(lines.join('\n')));
  assert.ok(finding, 'one rare finding');
  assert.equal(finding.severity, 'information');
  const kernelLines = lines.filter((l) => l.includes(' kernel: ')).length;
  assert.match(finding.message, new RegExp(`^rare for kernel: this template 1× in ${kernelLines.toLocaleString('en-US')} lines; usually "\\[<NUM>\\] \\[UFW BLOCK\\] IN=<\\*> .*"; kernel last heard \\d+ (?:s|min \\d+ s) before$`));
});

test('rare findings are capped per log, the rarest kept', () => {
  // Words of letters only, all different: each line is a template of its own.
  const word = (k: number, j: number) => `q${String.fromCharCode(97 + (k % 26), 97 + (Math.floor(k / 26) % 26), 97 + j)}`;
  const odd = Array.from({ length: RARE_LIMITS.maxFindings + 50 }, (_, k) => `${stampAt(NOON + k * 2)} mx1 postfix/smtpd[9001]: ${word(k, 0)} ${word(k, 1)} ${word(k, 2)}`);
  const found = rareOf(analyzeText(insertAt(DAY, NOON, odd).join('\n')));
  assert.equal(found.length, RARE_LIMITS.maxFindings);
  assert.deepEqual([...found].sort((a, b) => a.line - b.line), found, 'in line order');
});

test('rare findings are the same read whole, a chunk at a time, as parts and on threads', async () => {
  const lines = insertAt(insertAt(DAY, NOON, [`${stampAt(NOON)} mx1 kernel: [302400.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`]), 18 * 3600, [`${stampAt(18 * 3600)} mx1 postfix/smtpd[9001]: discarding EHLO keywords: CHUNKING`]);
  const text = lines.join('\n');
  const whole = rareOf(analyzeText(text));
  assert.equal(whole.length, 2);
  const cuts = [Math.floor(lines.length / 3), Math.floor((2 * lines.length) / 3)];

  const chunked = new LogAnalysis(builtIn().matcher);
  let at = 0;
  for (const cut of [...cuts, lines.length]) {
    chunked.add(lines.slice(at, cut));
    at = cut;
    chunked.result(FIXED_TIME, new LinesInMemory(lines.slice(0, at)));
  }
  assert.deepEqual(rareOf(chunked.result(FIXED_TIME, new LinesInMemory(lines))), whole, 'chunked');

  const joined = new LogAnalysis(builtIn().matcher);
  for (const [from, to] of [[0, cuts[0]], [cuts[0], cuts[1]], [cuts[1], lines.length]]) {
    const part = new LogAnalysis(builtIn().matcher, { part: true });
    part.add(lines.slice(from, to));
    joined.append(structuredClone(part.part()));
  }
  assert.deepEqual(rareOf(joined.result(FIXED_TIME, new LinesInMemory(splitLines(text)))), whole, 'parts');

  const file = path.join(tempDir('lf-rare-'), 'maillog');
  fs.writeFileSync(file, `${text}\n`);
  const scan = await scanInParallel(file, builtIn().matcher, recipe(), 3, { minBytes: 0, headStart: 0 });
  assert.deepEqual(rareOf(scan.result(FIXED_TIME)), whole, 'threads');
  scan.close();
});

test('only an analysis made for a part gives its part away', () => {
  const analysis = new LogAnalysis(builtIn().matcher);
  analysis.add(['Mar  5 10:00:00 gw cron[1]: (root) CMD (true)']);
  assert.throws(() => analysis.part(), /option `part`/);
});
