import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';
import { LINE_TIME_LIMIT_MS, loadGrammar, tokenizeLines } from './engine';

/*
 * The grammar on whole files: the project's own samples and, when LOG_FORENSICS_CORPUS points at
 * it, the corpus of real third-party logs (read in place, never copied). For every line:
 * tokenizing finishes, the tokens cover the line without gaps, and no rule runs on into the next
 * line. Lines that begin with a classic syslog stamp must get a timestamp scope on that stamp.
 * Lines the engine gave up on (time limit) are reported, not failed: a slow line is a finding to
 * look at, and machine speed varies.
 */

/**
 * Share of classic-syslog lines per file whose stamp must be scoped as a timestamp. The stamp rule
 * is anchored at the line start and takes nothing else to match, so anything below every line
 * means a regression; the corpus measures 100 %.
 */
const MIN_STAMP_RATIO = 1;

/**
 * Share of a folder's classic-syslog lines whose `program[pid]:` tag must be recognised. Some
 * daemons write no tag at all (Horde, RouterOS, a few fail2ban examples), so this is not every
 * line; the corpus measures 98.4 % and the samples 100 %.
 */
const MIN_PROGRAM_RATIO = 0.95;

/**
 * A classic syslog stamp at the start of a line, written independently of the grammar's own rule
 * (any capitalised three-letter month, optional <PRI>), so a month the grammar misses shows up.
 */
const CLASSIC_STAMP = /^(?:<\d{1,3}>)?([A-Z][a-z]{2} [ \d]?\d \d\d:\d\d:\d\d)/;

/** Files larger than this are not tokenized whole (the editor stops tokenizing huge files too). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** What one file showed. */
interface FileReport {
  file: string;
  lines: number;
  stoppedEarly: number;
  uncovered: number[];
  leaking: number[];
  classic: number;
  stamped: number;
  withProgram: number;
}

/** Every regular file under a folder, depth first, in a stable order. */
function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) return filesUnder(full);
      return entry.isFile() ? [full] : [];
    });
}

async function checkFile(file: string): Promise<FileReport | undefined> {
  const bytes = fs.readFileSync(file);
  if (bytes.length > MAX_FILE_BYTES || bytes.includes(0)) return undefined;
  const lines = bytes.toString('utf8').split(/\r?\n/);
  const results = tokenizeLines(await loadGrammar(), lines);
  const report: FileReport = { file, lines: lines.length, stoppedEarly: 0, uncovered: [], leaking: [], classic: 0, stamped: 0, withProgram: 0 };
  results.forEach((result, index) => {
    if (result.stoppedEarly) report.stoppedEarly++;
    else if (!result.coversLine) report.uncovered.push(index + 1);
    if (!result.endsAtRoot) report.leaking.push(index + 1);
    const stamp = CLASSIC_STAMP.exec(lines[index]);
    if (!stamp) return;
    report.classic++;
    const start = stamp[0].length - stamp[1].length;
    const end = stamp[0].length - 1;
    const isDate = (offset: number) => result.scopesAt(offset).some((scope) => scope.startsWith('constant.numeric.date.'));
    if (isDate(start) && isDate(end)) report.stamped++;
    const isProgram = (offset: number) => result.scopesAt(offset).some((scope) => scope.startsWith('entity.name.function.program.'));
    for (let offset = end + 1; offset < Math.min(lines[index].length, end + 80); offset++) {
      if (isProgram(offset)) {
        report.withProgram++;
        break;
      }
    }
  });
  return report;
}

const percent = (part: number, whole: number) => (whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)} %`);

/** Tokenizes every file under `folder`, reports what it saw and asserts the per-line guarantees. */
async function checkFolder(t: TestContext, folder: string): Promise<void> {
  const reports = (await Promise.all(filesUnder(folder).map(checkFile))).filter((report) => report !== undefined);
  const relative = (file: string) => path.relative(folder, file);
  const sum = (pick: (report: FileReport) => number) => reports.reduce((total, report) => total + pick(report), 0);
  const lines = sum((report) => report.lines);
  const classic = sum((report) => report.classic);
  t.diagnostic(`${reports.length} files, ${lines} lines; ${classic} classic-syslog lines, stamp scoped on ${percent(sum((r) => r.stamped), classic)}, program[pid]: recognised on ${percent(sum((r) => r.withProgram), classic)}`);
  const slow = reports.filter((report) => report.stoppedEarly > 0);
  t.diagnostic(slow.length === 0
    ? `no line hit the ${LINE_TIME_LIMIT_MS} ms time limit`
    : `lines that hit the ${LINE_TIME_LIMIT_MS} ms time limit: ${slow.map((report) => `${relative(report.file)} (${report.stoppedEarly})`).join(', ')}`);
  for (const report of reports.filter((r) => r.classic > 0 && r.withProgram < r.classic)) {
    t.diagnostic(`program tag not recognised on ${report.classic - report.withProgram} of ${report.classic} classic lines in ${relative(report.file)}`);
  }

  assert.deepEqual(reports.filter((r) => r.uncovered.length > 0).map((r) => `${relative(r.file)}: lines ${r.uncovered.slice(0, 5).join(', ')}`), [], 'tokens leave part of a line uncovered');
  assert.deepEqual(reports.filter((r) => r.leaking.length > 0).map((r) => `${relative(r.file)}: lines ${r.leaking.slice(0, 5).join(', ')}`), [], 'a rule runs on past the end of its line');
  assert.deepEqual(
    reports.filter((r) => r.classic > 0 && r.stamped / r.classic < MIN_STAMP_RATIO).map((r) => `${relative(r.file)}: ${r.stamped}/${r.classic}`),
    [],
    `classic-syslog stamps scoped as timestamps on fewer than ${percent(MIN_STAMP_RATIO, 1)} of a file's lines`,
  );
  if (classic > 0) {
    const withProgram = sum((report) => report.withProgram);
    assert.ok(withProgram / classic >= MIN_PROGRAM_RATIO, `program tag recognised on ${percent(withProgram, classic)} of classic-syslog lines, below ${percent(MIN_PROGRAM_RATIO, 1)}`);
  }
}

test('every line of the samples tokenizes completely, within its line, with its syslog stamp scoped', async (t) => {
  const folder = repoPath('samples');
  if (!fs.existsSync(folder) || filesUnder(folder).length === 0) {
    t.skip('samples/ has no files yet');
    return;
  }
  await checkFolder(t, folder);
});

test('every line of the real-log corpus tokenizes completely, within its line, with its syslog stamp scoped', async (t) => {
  const folder = corpusFolder();
  if (!folder) {
    t.skip(CORPUS_SKIP);
    return;
  }
  await checkFolder(t, folder);
});
