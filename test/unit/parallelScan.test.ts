import { test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { entryCuts, scanInParallel, startWorkerReads } from '../../server/src/files/parallelScan';
import { LogFileScan } from '../../server/src/files/logFileScan';
import { readRuleFolder, builtInRulesFolder } from '../../server/src/rulesOnDisk';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { rulesOf } from '../../server/src/analysis/rules/catalogue';
import { builtIn, FIXED_TIME } from '../support/catalogue';
import { summary } from '../support/analysisSummary';
import { repoPath } from '../support/paths';

const recipe = () => ({ sources: readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const })), disabled: [] });

/** Both incidents and a stack dump, repeated so that cuts fall inside stack traces too. */
function incidentLog(): string {
  const dir = tempDir('lf-parallel-');
  const file = path.join(dir, 'messages');
  const parts = [
    fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'mailgw-incident', 'relay', 'maillog'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'imapd-crash', 'northuist', 'imap'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'imapd-crash', 'northuist', 'imapd.pstack'), 'utf8'),
  ];
  fs.writeFileSync(file, parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('').repeat(3));
  return file;
}

test('a log read on several threads gives exactly what one thread gives', async () => {
  const file = incidentLog();
  const alone = new LogFileScan(file, builtIn().matcher);
  alone.readAll();
  const expected = summary(alone.result(FIXED_TIME));
  for (const jobs of [2, 3, 5]) {
    const scan = await scanInParallel(file, builtIn().matcher, recipe(), jobs, { minBytes: 0, headStart: 0 });
    assert.deepEqual(summary(scan.result(FIXED_TIME)), expected, `${jobs} threads`);
  }
});

test('rules switched off stay off on every thread', async () => {
  const file = incidentLog();
  const rules = { ...recipe(), disabled: ['kernel/irq-no-handler', 'sendmail/timeout-greeting'] };
  const matcher = new RuleMatcher(rulesOf(rules));
  const alone = new LogFileScan(file, matcher);
  alone.readAll();
  const expected = alone.result(FIXED_TIME);
  assert.ok(expected.findings.length > 0 && !expected.findings.some((f) => rules.disabled.includes(f.ruleId)));
  const scan = await scanInParallel(file, matcher, rules, 3, { minBytes: 0, headStart: 0 });
  assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(expected));
});

test('cuts fall on the first line of an entry, never inside a stack trace', () => {
  const file = incidentLog();
  const text = fs.readFileSync(file);
  const cuts = entryCuts(file, 9);
  assert.ok(cuts.length >= 4, `cuts: ${cuts}`);
  for (const cut of cuts) {
    assert.ok(cut === 0 || text[cut - 1] === 10, `cut ${cut} starts a line`);
    const line = text.subarray(cut, text.indexOf(10, cut)).toString('utf8');
    assert.equal(parseLogLine(line, 0).kind, 'entry', line);
  }
  assert.deepEqual([...cuts].sort((a, b) => a - b), cuts, 'in file order');
});

test('a small file is read on this thread alone', async () => {
  const file = incidentLog();
  assert.equal(startWorkerReads(file, recipe(), 2), undefined, 'no worker for a file under 16 MiB');
  const forced = startWorkerReads(file, recipe(), 2, { minBytes: 0, headStart: 0 });
  assert.ok(forced && forced.firstCut > 0, 'a worker when the size bound is lifted');
  forced.stop();
  const scan = await scanInParallel(file, builtIn().matcher, recipe(), 2);
  assert.equal(scan.bytesRead, fs.statSync(file).size);
  assert.ok(scan.result(FIXED_TIME).findings.length > 0);
});
