import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';
import { splitLines } from '../../server/src/analysis/parse/text';

/*
 * Recall and false warnings per daemon, on real lines of the corpus that an admin labelled
 * failure or routine (test/fixtures/labels/corpus.tsv names each by file and line: no log text is
 * kept in the repository). Each line is analysed on its own, as the first line of a file, the way
 * a line pasted from a report is read; a line is flagged when a finding on it is a warning or an
 * error. Information and hints on a failure do not count as recall, and are not false warnings on
 * a routine line.
 */

/** `policy`: a mail server refusing a client by its policy; reported, neither recall nor a false warning. */
type Verdict = 'failure' | 'routine' | 'policy';

interface Label {
  file: string;
  line: number;
  verdict: Verdict;
  daemon: string;
}

/** Reads the label rows, skipping comments; a malformed row fails the test with its number. */
function readLabels(text: string): Label[] {
  const labels: Label[] = [];
  text.split('\n').forEach((row, index) => {
    if (row.trim() === '' || row.startsWith('#')) return;
    const [file, line, label, daemon] = row.split('\t');
    const number = Number(line);
    assert.ok(file && Number.isInteger(number) && number > 0 && (label === 'failure' || label === 'routine' || label === 'policy') && daemon, `label row ${index + 1} is malformed: ${row}`);
    labels.push({ file, line: number, verdict: label as Verdict, daemon });
  });
  return labels;
}

interface Tally {
  failures: number;
  flagged: number;
  routine: number;
  falseWarnings: number;
  policy: number;
  policyFlagged: number;
}

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`);

/** What the catalogue must reach on the labelled corpus lines. */
const RECALL = 0.9;
const FALSE_WARNINGS = 0.03;

const LABELS = repoPath('test', 'fixtures', 'labels', 'corpus.tsv');

test('per daemon, real failures draw a warning and routine lines do not', (t) => {
  const corpus = corpusFolder();
  if (!corpus) return t.skip(CORPUS_SKIP);
  if (!fs.existsSync(LABELS)) return t.skip(`no labels at ${LABELS}`);
  const labels = readLabels(fs.readFileSync(LABELS, 'utf8'));
  const files = new Map<string, string[]>();
  const byDaemon = new Map<string, Tally>();
  const missing: string[] = [];
  for (const label of labels) {
    const full = path.join(corpus, label.file);
    if (!files.has(label.file)) files.set(label.file, fs.existsSync(full) ? splitLines(fs.readFileSync(full, 'utf8')) : []);
    const text = files.get(label.file)![label.line - 1];
    if (text === undefined || text.trim() === '') {
      missing.push(`${label.file}:${label.line}`);
      continue;
    }
    const flagged = analyzeText(text).findings.some((f) => f.line === 0 && (f.severity === 'error' || f.severity === 'warning'));
    const tally = byDaemon.get(label.daemon) ?? { failures: 0, flagged: 0, routine: 0, falseWarnings: 0, policy: 0, policyFlagged: 0 };
    byDaemon.set(label.daemon, tally);
    if (label.verdict === 'failure') {
      tally.failures++;
      if (flagged) tally.flagged++;
    } else if (label.verdict === 'routine') {
      tally.routine++;
      if (flagged) tally.falseWarnings++;
    } else {
      tally.policy++;
      if (flagged) tally.policyFlagged++;
    }
  }
  assert.deepEqual(missing, [], 'every labelled line exists in the corpus and is not blank');
  const all: Tally = { failures: 0, flagged: 0, routine: 0, falseWarnings: 0, policy: 0, policyFlagged: 0 };
  t.diagnostic('daemon: recall (flagged/failures) | false warnings (flagged/routine) | policy lines flagged');
  for (const [daemon, tally] of [...byDaemon].sort(([a], [b]) => a.localeCompare(b))) {
    t.diagnostic(`${daemon}: ${tally.flagged}/${tally.failures} ${percent(tally.flagged, tally.failures)} | ${tally.falseWarnings}/${tally.routine} ${percent(tally.falseWarnings, tally.routine)} | ${tally.policyFlagged}/${tally.policy}`);
    for (const key of Object.keys(all) as (keyof Tally)[]) all[key] += tally[key];
  }
  t.diagnostic(`all: ${all.flagged}/${all.failures} ${percent(all.flagged, all.failures)} | ${all.falseWarnings}/${all.routine} ${percent(all.falseWarnings, all.routine)} | ${all.policyFlagged}/${all.policy}`);
  assert.ok(all.failures >= 100 && all.routine >= 100, 'the labels hold at least 100 failures and 100 routine lines');
  assert.ok(all.flagged / all.failures >= RECALL, `recall ${percent(all.flagged, all.failures)} is below ${RECALL * 100} %`);
  assert.ok(all.falseWarnings / all.routine <= FALSE_WARNINGS, `false warnings ${percent(all.falseWarnings, all.routine)} are above ${FALSE_WARNINGS * 100} %`);
});
