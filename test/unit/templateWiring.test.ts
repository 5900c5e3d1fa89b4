import { test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisOptions, AnalyzedLog, LogAnalysis } from '../../server/src/analysis/service';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { TemplateMiner } from '../../server/src/analysis/templates/miner';
import { NO_TEMPLATE } from '../../server/src/analysis/templates/scanner';
import { scanInParallel } from '../../server/src/files/parallelScan';
import { readRuleFolder, builtInRulesFolder } from '../../server/src/rulesOnDisk';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { analyzeInChunks, analyzeInParts } from '../support/analysisParts';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';
import { insertAt, routineDay, stampAt } from '../support/routineLog';

const recipe = () => ({ sources: readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const })), disabled: [] });

/** What the templates of an analysis are, in comparable form: every template and each line's template. */
function templatesOf(log: AnalyzedLog): unknown {
  const { miner, lineTemplates } = log.templates;
  return {
    templates: miner.templates().map((t) => ({ id: t.id, program: t.program, text: t.text, count: t.count, firstLine: t.firstLine, firstTime: t.firstTime, lastTime: t.lastTime, hosts: t.hosts })),
    lines: [...lineTemplates],
    programs: [...miner.programCounts()],
  };
}



/** Lines where an entry starts (a part must begin with one). */
function entryStarts(log: AnalyzedLog): number[] {
  const starts: number[] = [];
  for (let i = 1; i < log.parsed.lines.length; i++) if (log.parsed.entryStart[i] === i && log.parsed.lines.kind(i) === 'entry') starts.push(i);
  return starts;
}

function checkEqualWays(text: string, name: string): void {
  const whole = analyzeText(text);
  const expected = templatesOf(whole);
  const starts = entryStarts(whole);
  if (starts.length < 3) return;
  const cuts = [starts[Math.floor(starts.length / 3)], starts[Math.floor((2 * starts.length) / 3)]];
  assert.deepEqual(templatesOf(analyzeInChunks(text, cuts)), expected, `${name}: chunked`);
  const parts = analyzeInParts(text, cuts).result(FIXED_TIME, new LinesInMemory(splitLines(text)));
  assert.deepEqual(templatesOf(parts), expected, `${name}: parts`);
  assert.deepEqual(parts.findings, whole.findings, `${name}: findings of the parts`);
}

test('an analysis exposes each line\'s template and the rarity statistics', () => {
  const text = routineDay({ seed: 3, hours: 2 }).join('\n');
  const log = analyzeText(text);
  const { miner, lineTemplates, stats } = log.templates;
  assert.equal(lineTemplates.length, log.parsed.lines.length);
  const texts = new Set(miner.templates().map((t) => `${t.program}: ${t.text}`));
  assert.ok(texts.has('postfix/smtpd: connect from <HOST>[<IP>]'), [...texts].join('\n'));
  const first = lineTemplates[0];
  assert.ok(first >= 0 && stats.share(first) > 0 && stats.share(first) <= 1);
  assert.ok(stats.programLineCount('cron') > 0);
});

test('templates are the same read whole, a chunk at a time, or as parts joined (generated day)', () => {
  for (const seed of [1, 2]) checkEqualWays(routineDay({ seed, hours: 24 }).join('\n'), `seed ${seed}`);
});

test('templates are the same read whole or as parts joined, over the real-log corpus', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const files = fs
    .readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !/\.(md|gz|json|tsv)$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => fs.statSync(file).size < 1_000_000)
    .sort();
  assert.ok(files.length > 100);
  for (const file of files) checkEqualWays(fs.readFileSync(file, 'utf8'), file);
});

test('a log read on two and three threads has the templates of one pass (generated and real lines)', async () => {
  const dir = tempDir('lf-templates-');
  const file = path.join(dir, 'messages');
  const folder = corpusFolder();
  const real = folder
    ? ['lnav', 'logcheck']
        .map((name) => path.join(folder, name))
        .filter((sub) => fs.existsSync(sub))
        .flatMap((sub) => fs.readdirSync(sub, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile() && !/\.(md|gz|json)$/.test(entry.name)).map((entry) => path.join(entry.parentPath, entry.name)))
        .slice(0, 40)
        .map((name) => fs.readFileSync(name, 'utf8'))
    : [];
  fs.writeFileSync(file, [...routineDay({ seed: 5, hours: 12 }), ...real.flatMap((text) => splitLines(text))].join('\n') + '\n');
  const expected = analyzeText(fs.readFileSync(file, 'utf8'));
  for (const jobs of [2, 3]) {
    const scan = await scanInParallel(file, builtIn().matcher, recipe(), jobs, { minBytes: 0, headStart: 0 });
    const log = scan.result(FIXED_TIME);
    scan.close();
    assert.deepEqual(templatesOf(log), templatesOf(expected), `${jobs} threads`);
    assert.deepEqual(log.findings, expected.findings, `${jobs} threads: findings`);
  }
});

test('a miner rebuilt from its data reads on exactly as the original does', () => {
  const lines = routineDay({ seed: 9, hours: 6 });
  const half = lines.length >> 1;
  const feed = (miner: TemplateMiner, from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const colon = lines[i].indexOf(': ', 16);
      miner.add(lines[i].slice(20, colon).split(' ').pop(), lines[i].slice(colon + 2), i);
    }
  };
  const original = new TemplateMiner();
  feed(original, 0, half);
  const copy = TemplateMiner.fromData(structuredClone(original.data()));
  feed(original, half, lines.length);
  feed(copy, half, lines.length);
  assert.deepEqual(copy.templates(), original.templates());
});

test('with template learning off (the benchmark\'s switch) the findings are the same but for the rare lines, and no line has a template', () => {
  const day = routineDay({ seed: 5, hours: 24 });
  const lines = insertAt(day, 12 * 3600, [`${stampAt(12 * 3600)} mx1 kernel: [302400.118402] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro`]);
  const text = new LinesInMemory(lines);
  const analyse = (options?: AnalysisOptions) => {
    const analysis = new LogAnalysis(builtIn().matcher, options);
    analysis.add(lines);
    return analysis.result(FIXED_TIME, text);
  };
  const on = analyse();
  const off = analyse({ templates: false });
  assert.ok(on.findings.some((finding) => finding.ruleId === 'rare/line'), 'mining finds the rare line');
  assert.deepEqual(off.findings, on.findings.filter((finding) => finding.ruleId !== 'rare/line'));
  assert.equal(off.templates.miner.templates().length, 0);
  assert.equal(off.templates.lineTemplates.length, lines.length);
  assert.ok(off.templates.lineTemplates.every((id) => id === NO_TEMPLATE));
});
