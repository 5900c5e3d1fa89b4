import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { summary } from '../support/analysisSummary';
import { analyzeText, FIXED_TIME } from '../support/catalogue';
import { analyzeInChunks, analyzeInParts } from '../support/analysisParts';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !entry.name.endsWith('.md') && !entry.name.endsWith('.gz') && !entry.name.endsWith('.json') ? [full] : [];
  }).sort();
}


test('a log analysed a chunk at a time gives what the whole text gives, for every sample log', () => {
  const files = filesUnder(repoPath('samples'));
  assert.ok(files.length >= 5);
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const count = splitLines(text).length;
    const whole = analyzeText(text);
    assert.deepEqual(summary(analyzeInChunks(text, [1, 2, Math.floor(count / 3), Math.floor(count / 2) + 1])), summary(whole), file);
  }
});

test('chunked analysis equals the whole for the incidents with findings cut anywhere', () => {
  const text = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8');
  const whole = summary(analyzeText(text));
  const count = splitLines(text).length;
  fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: count }), { maxLength: 6 }), (cuts) => {
    assert.deepEqual(summary(analyzeInChunks(text, cuts.sort((a, b) => a - b))), whole);
  }), { numRuns: 25 });
});

test('chunked analysis equals the whole over the real-log corpus', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const files = filesUnder(folder).filter((file) => fs.statSync(file).size < 2_000_000);
  assert.ok(files.length > 100);
  let withFindings = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    const whole = analyzeText(text);
    if (whole.findings.length > 0) withFindings++;
    const count = splitLines(text).length;
    assert.deepEqual(summary(analyzeInChunks(text, [Math.floor(count / 2)])), summary(whole), file);
  }
  assert.ok(withFindings > 50, `only ${withFindings} corpus files had findings`);
});


/** Line numbers where an entry starts, so a part never begins inside one. */
function entryStarts(text: string): number[] {
  const parsed = analyzeText(text).parsed;
  const starts: number[] = [];
  for (let i = 1; i < parsed.lines.length; i++) if (parsed.entryStart[i] === i && parsed.lines.kind(i) === 'entry') starts.push(i);
  return starts;
}

test('parts read separately and joined give what the whole text gives, and the joined log reads on', () => {
  for (const file of filesUnder(repoPath('samples'))) {
    const text = fs.readFileSync(file, 'utf8');
    const starts = entryStarts(text);
    if (starts.length < 4) continue;
    const cuts = [starts[Math.floor(starts.length / 3)], starts[Math.floor((2 * starts.length) / 3)]];
    const lines = splitLines(text);
    const joined = analyzeInParts(text, cuts);
    assert.deepEqual(summary(joined.result(FIXED_TIME, new LinesInMemory(lines))), summary(analyzeText(text)), file);
    // Reading on after the joined parts: the last entry's continuation lines still find their entry.
    const more = ['    continued line of the last entry', 'Nov 30 23:59:59 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down'];
    joined.add(more);
    assert.deepEqual(summary(joined.result(FIXED_TIME, new LinesInMemory([...lines, ...more]))), summary(analyzeText([...lines, ...more].join('\n'))), `${file}, read on`);
  }
});

test('joined parts over the real-log corpus equal the whole', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  let joinedFiles = 0;
  for (const file of filesUnder(folder).filter((f) => fs.statSync(f).size < 2_000_000)) {
    const text = fs.readFileSync(file, 'utf8');
    const starts = entryStarts(text);
    if (starts.length < 2) continue;
    joinedFiles++;
    const joined = analyzeInParts(text, [starts[starts.length >> 1]]);
    assert.deepEqual(summary(joined.result(FIXED_TIME, new LinesInMemory(splitLines(text)))), summary(analyzeText(text)), file);
  }
  assert.ok(joinedFiles > 100, `only ${joinedFiles} corpus files could be cut`);
});
