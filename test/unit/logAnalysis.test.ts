import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { LogAnalysis, AnalyzedLog } from '../../server/src/analysis/service';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { summary } from '../support/analysisSummary';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() && !entry.name.endsWith('.md') && !entry.name.endsWith('.gz') && !entry.name.endsWith('.json') ? [full] : [];
  }).sort();
}

/** Analyses `text` in chunks cut at `cuts` (line counts), taking a result after every chunk. */
function analyzeInChunks(text: string, cuts: number[]): AnalyzedLog {
  const lines = splitLines(text);
  const analysis = new LogAnalysis(builtIn().matcher);
  analysis.checkStart(text);
  let at = 0;
  let result: AnalyzedLog | undefined;
  for (const cut of [...cuts, lines.length]) {
    const end = Math.min(lines.length, Math.max(at, cut));
    analysis.add(lines.slice(at, end));
    at = end;
    // A result taken midway must not disturb what comes after (a growing log is read again).
    result = analysis.result(FIXED_TIME, new LinesInMemory(lines.slice(0, at)));
    assert.equal(result.parsed.lines.length, at);
  }
  return result!;
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
