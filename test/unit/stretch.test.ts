import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyseStretch, decidedByItsLine } from '../../server/src/analysis/stretch';
import { splitLines } from '../../server/src/analysis/parse/text';
import { Finding } from '../../server/src/analysis/rules/types';
import { SuppressionSet } from '../../server/src/analysis/rules/suppress';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { corpusFolder, CORPUS_SKIP, repoPath } from '../support/paths';

/** What a diagnostic shows of a finding. */
function shown(finding: Finding): string {
  return `${finding.line}:${finding.start}-${finding.end} ${finding.ruleId} ${finding.severity} ${finding.message}`;
}

const byId = new Map(builtIn().catalogue.rules.map((rule) => [rule.definition.id, rule]));

/**
 * Every stretch of `text` from `first` to `last` finds what the read of the whole text finds of
 * line rules on the lines it speaks for, and nothing else. Returns how many findings were compared.
 */
function checkStretches(name: string, text: string, stretches: number): number {
  const lines = splitLines(text);
  const whole = analyzeText(text);
  const size = Math.max(1, Math.floor(lines.length / stretches));
  let compared = 0;
  for (let first = 0; first < lines.length; first += size) {
    const last = Math.min(lines.length, first + size + 37);
    const stretch = analyseStretch(lines.slice(first, last), first, FIXED_TIME, builtIn().matcher);
    assert.ok(stretch.from >= first && stretch.to === last, `${name} ${first}-${last}: speaks for ${stretch.from}-${stretch.to}`);
    const expected = whole.findings.filter((f) => f.line >= stretch.from && f.line < stretch.to && decidedByItsLine(byId.get(f.ruleId)!)).map(shown);
    assert.deepEqual(stretch.findings.map(shown), expected, `${name}, lines ${first}-${last}`);
    compared += expected.length;
  }
  return compared;
}

const SAMPLES = ['mailgw-incident/drjmailgw/maillog', 'mailgw-incident/drjmailgw/messages', 'mailgw-incident/relay/maillog', 'imapd-crash/northuist/imap'];

for (const sample of SAMPLES) {
  test(`stretches of ${sample} find what the whole read finds of its line rules there`, () => {
    assert.ok(checkStretches(sample, fs.readFileSync(repoPath('samples', sample), 'utf8'), 7) > 0, 'no line rule\'s finding to compare');
  });
}

test('stretches of real logs find what the whole read finds of their line rules there', (t) => {
  const corpus = corpusFolder();
  if (!corpus) return t.skip(CORPUS_SKIP);
  const logs = ['postfix-logsums/mail.log.2023-03-14T06-13', 'kernelci-logspec/test_baseline_003.log', 'satyr/gdb_stacktraces/rhbz-621492'].map((name) => path.join(corpus, name)).filter((file) => fs.existsSync(file));
  if (logs.length === 0) return t.skip(`none of the chosen logs is in ${corpus}`);
  const compared = logs.reduce((sum, file) => sum + checkStretches(file, fs.readFileSync(file, 'utf8').slice(0, 2_000_000), 11), 0);
  assert.ok(compared > 0, 'no line rule\'s finding to compare');
});

test('lines at the top of a stretch that continue an entry begun above it are left out', () => {
  const text = [
    'Nov  8 16:49:42 drjmailgw kernel: a stack follows',
    '    do_IRQ: 1.221 No irq handler for vector (irq -1)',
    'Nov  8 16:49:43 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
  ];
  const stretch = analyseStretch(text.slice(1), 1, FIXED_TIME, builtIn().matcher);
  assert.equal(stretch.from, 2);
  assert.deepEqual(stretch.findings.map((f) => [f.line, f.ruleId]), [[2, 'kernel/irq-no-handler']]);
});

test('a burst, which a stretch cannot count, is left to the whole read', () => {
  const burstRule = builtIn().matcher.all.find((rule) => rule.definition.burst && rule.definition.samples.match.length > 0);
  assert.ok(burstRule, 'the catalogue has a burst rule with samples');
  assert.equal(decidedByItsLine(burstRule), false);
  const line = burstRule.definition.samples.match[0];
  const lines = Array.from({ length: 3 * burstRule.definition.burst!.count }, () => line);
  const stretch = analyseStretch(lines, 100, FIXED_TIME, builtIn().matcher);
  assert.ok(!stretch.findings.some((f) => f.ruleId === burstRule.definition.id), JSON.stringify(stretch.findings.map(shown)));
});

test('lines marked as expected stay hidden in a stretch', () => {
  const line = 'Nov  8 16:49:43 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)';
  const suppressions = new SuppressionSet([{ file: 'messages', ruleId: 'kernel/irq-no-handler', text: line }]);
  assert.equal(analyseStretch([line], 5, FIXED_TIME, builtIn().matcher).findings.length, 1);
  assert.equal(analyseStretch([line], 5, FIXED_TIME, builtIn().matcher, suppressions, 'messages').findings.length, 0);
});
