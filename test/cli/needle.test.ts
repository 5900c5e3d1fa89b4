import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

/** Runs the built CLI with TZ pinned; standard output parsed as JSON. */
function cliJson(...args: string[]): unknown {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(result.status, 0, `${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

interface TriageRow {
  rank: number;
  ruleId: string;
  title: string;
  file: string;
  line: number;
  text: string;
}

interface ScanRow {
  file: string;
  line: number;
  ruleId: string;
}

/** A stamp (RFC 3339 or classic) and the host after it, at the start of a syslog line. */
const HEADER = /^(\d{4}-\d\d-\d\dT\S+|[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d) (\S+) /;

/**
 * Real logs of one host, and a kernel line that no signature names, plausible on that host and
 * absent from its log: inserted halfway, it must rank among the first 20 of the triage.
 */
const HAYSTACKS: { name: string; file: string; base: string; message: string }[] = [
  {
    name: "a real Postfix server's 7 hours (postfix-logsums, RFC 3339 stamps)",
    file: 'postfix-logsums/mail.log.2023-03-14T06-13',
    base: 'mail.log',
    message: 'kernel: [8126395.117204] EXT4-fs (md2): Delayed block allocation failed for inode 2625538 at logical offset 41 with max blocks 2 with error 117',
  },
  {
    name: "a real desktop's messages around an Xorg crash (abrt-examples, classic stamps)",
    file: 'abrt-examples/xorg_journal_crash1.test',
    base: 'messages',
    message: 'kernel: sd 2:0:0:0: [sdb] Synchronize Cache(10) failed: Result: hostbyte=DID_BAD_TARGET driverbyte=DRIVER_OK',
  },
];

/** The lines with `message` inserted after the middle entry, under its stamp and host; and the inserted line's 1-based number. */
function insertHalfway(lines: readonly string[], message: string): { lines: string[]; line: number; text: string } {
  let at = Math.floor(lines.length / 2);
  while (at < lines.length && !HEADER.test(lines[at])) at++;
  const [, stamp, host] = HEADER.exec(lines[at])!;
  const text = `${stamp} ${host} ${message}`;
  return { lines: [...lines.slice(0, at + 1), text, ...lines.slice(at + 1)], line: at + 2, text };
}

const corpus = corpusFolder();
const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-needle-'));
after(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('a rare kernel line inserted into a real log ranks in the top 20 of triage', { skip: corpus ? false : CORPUS_SKIP }, () => {
  for (const { name, file, base, message } of HAYSTACKS) {
    test(name, (t) => {
      const original = fs.readFileSync(path.join(corpus!, file), 'utf8');
      assert.ok(!original.includes(message.replace(/^kernel: (?:\[[\d. ]+\] )?/, '')), 'the real log does not hold the line already');
      const lines = original.replace(/\n$/, '').split('\n');
      const needle = insertHalfway(lines, message);
      const dir = fs.mkdtempSync(path.join(folder, 'log-'));
      const withNeedle = path.join(dir, base);
      fs.writeFileSync(withNeedle, `${needle.lines.join('\n')}\n`);
      const without = path.join(dir, `${base}.orig`);
      fs.writeFileSync(without, original);

      const flagged = (cliJson('scan', '--format', 'json', withNeedle) as ScanRow[]).filter((row) => row.line === needle.line).map((row) => row.ruleId);
      assert.deepEqual(flagged, ['rare/line'], 'no signature names the line; only its rarity flags it');

      const all = cliJson('triage', '--json', withNeedle) as TriageRow[];
      const found = all.find((row) => row.file === withNeedle && row.line === needle.line);
      t.diagnostic(`${path.basename(file)}: ${lines.length} lines, needle at line ${needle.line}: ${found ? `rank ${found.rank} of ${all.length} groups` : `not ranked (${all.length} groups)`}`);
      const top = cliJson('triage', '--json', '--top', '20', withNeedle) as TriageRow[];
      const inTop = top.find((row) => row.file === withNeedle && row.line === needle.line);
      assert.ok(inTop, `the inserted line is in the top 20 (${found ? `rank ${found.rank}` : 'not ranked'})`);
      assert.equal(inTop.text, needle.text);
      assert.equal(inTop.ruleId, 'rare/line');

      const plain = cliJson('triage', '--json', without) as TriageRow[];
      assert.ok(plain.length > 0, 'the real log alone has findings to rank');
      assert.equal(plain.filter((row) => row.line === needle.line && row.text === needle.text).length, 0, 'without the insertion no group points at that line with that text');
      assert.equal(plain.filter((row) => row.title.startsWith('kernel: ')).length, 0, 'nor at any kernel line');
    });
  }
});
