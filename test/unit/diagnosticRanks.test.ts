import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { RANKED_FINDINGS } from '../../server/src/logs/registry';
import { diagnosticsFor } from '../../server/src/toLsp/diagnostics';
import { triage } from '../../server/src/analysis/triage/triage';
import { analyzeText, builtIn } from '../support/catalogue';
import { repoPath } from '../support/paths';
import { WORKSPACE, pipelineRig } from '../support/pipelineHost';

const SAMPLE = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8').split('\n').filter(Boolean);

/** `count` lines, three hours apart, each one of the sample's flagged lines in turn: as many findings as lines. */
function flaggedLog(count: number): string {
  const sample = analyzeText(`${SAMPLE.join('\n')}\n`);
  const flagged = [...new Set(sample.findings.map((finding) => finding.line))].map((line) => SAMPLE[line].slice(16));
  const lines: string[] = [];
  for (let k = 0; k < count; k++) {
    const at = new Date(Date.UTC(2010, 10, 1) + k * 3 * 3_600_000);
    const stamp = `${at.toUTCString().slice(8, 11)} ${String(at.getUTCDate()).padStart(2, ' ')} ${at.toISOString().slice(11, 19)}`;
    lines.push(`${stamp} ${flagged[k % flagged.length]}`);
  }
  return `${lines.join('\n')}\n`;
}

async function read(text: string) {
  const rig = pipelineRig();
  const file = `${WORKSPACE}/messages`;
  rig.fs.write(file, text, Date.UTC(2011, 0, 1));
  await rig.logs.holdFile(`file://${file}`, file, 'workspace');
  return rig.published.get(`file://${file}`)!;
}

test('a log with more findings than its diagnostics can show has its groups ranked with its result, as its diagnostics would rank them', async () => {
  const log = await read(flaggedLog(1300));
  const rules = builtIn().catalogue.byId;
  assert.ok(log.findings.length > 1000, `${log.findings.length} findings`);
  assert.ok(log.ranks, 'ranked with the result');
  const fresh = new Map(triage([{ id: log.uri, file: log.uri, analyzed: log }], rules).map((group) => [group.key, group.rank]));
  assert.ok(fresh.size >= 3);
  assert.deepEqual([...log.ranks].sort(), [...fresh].sort());
  const shown = diagnosticsFor(log, rules);
  assert.ok(shown.some((diagnostic) => diagnostic.code === 'more-findings'));
  assert.deepEqual(shown, diagnosticsFor({ ...log, ranks: undefined }, rules));
});

test('a log with few findings is not ranked with its result', async () => {
  const log = await read(flaggedLog(RANKED_FINDINGS - 10));
  assert.ok(log.findings.length > 0 && log.findings.length <= RANKED_FINDINGS, `${log.findings.length} findings`);
  assert.equal(log.ranks, undefined);
});
