import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { GrowingTexts } from '../../server/src/growingTexts';
import { linesOf } from '../../server/src/analysis/parse/logText';
import { splitLines } from '../../server/src/analysis/parse/text';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { summary } from '../support/analysisSummary';
import { repoPath } from '../support/paths';

/** The built-in rules, counting the lines they are asked to look at. */
class CountingMatcher extends RuleMatcher {
  looked = 0;
  override scope(program: string | undefined): ReturnType<RuleMatcher['scope']> {
    this.looked++;
    return super.scope(program);
  }
}

const GATEWAY = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8');
/** Over the size below which texts are simply analysed again. */
const BIG = GATEWAY.repeat(Math.ceil((1.2 * 1024 * 1024) / GATEWAY.length));
const MORE = 'Nov 30 23:59:59 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down\nNov 30 23:59:59 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)\n';

test('a large text that grew at its end is read on from where it was, with the result of reading it whole', () => {
  const matcher = new CountingMatcher(builtIn().catalogue.rules);
  const texts = new GrowingTexts();
  const first = texts.analysis('file:///m', BIG, matcher)(FIXED_TIME);
  assert.deepEqual(summary(first), summary(analyzeText(BIG)));
  const before = matcher.looked;
  const grown = texts.analysis('file:///m', BIG + MORE, matcher)(FIXED_TIME);
  assert.equal(matcher.looked - before, 2, 'only the two new lines were matched');
  assert.deepEqual(summary(grown), summary(analyzeText(BIG + MORE)));
  // The earlier result still shows what it showed, line for line.
  assert.deepEqual(linesOf(first.parsed.text), splitLines(BIG));
});

test('a text changed before its end, or analysed in two steps, gives the same as reading it whole', () => {
  const matcher = new CountingMatcher(builtIn().catalogue.rules);
  const texts = new GrowingTexts();
  texts.analysis('file:///m', BIG, matcher)(FIXED_TIME);
  const edited = `x${BIG.slice(1)}${MORE}`;
  const before = matcher.looked;
  assert.deepEqual(summary(texts.analysis('file:///m', edited, matcher)(FIXED_TIME)), summary(analyzeText(edited)));
  assert.ok(matcher.looked - before > 1000, 'read again from the start');

  const staged = new GrowingTexts();
  const early = staged.analysis('file:///s', BIG, matcher, 4096)(FIXED_TIME);
  assert.ok(early.parsed.lines.length > 10 && early.parsed.lines.length < 100, `${early.parsed.lines.length} lines first`);
  assert.deepEqual(summary(staged.analysis('file:///s', BIG, matcher)(FIXED_TIME)), summary(analyzeText(BIG)));
});

test('a last line without its line end is read again when it grows', () => {
  const matcher = new CountingMatcher(builtIn().catalogue.rules);
  const texts = new GrowingTexts();
  const cut = `${BIG}Nov 30 23:59:59 drjmailgw kernel: bnx2: eth0 NIC Copper Li`;
  texts.analysis('file:///m', cut, matcher)(FIXED_TIME);
  const whole = `${cut}nk is Down\n`;
  const result = texts.analysis('file:///m', whole, matcher)(FIXED_TIME);
  assert.deepEqual(summary(result), summary(analyzeText(whole)));
  assert.ok(result.findings.some((f) => f.ruleId === 'kernel/nic-link-down' && f.line === result.parsed.lines.length - 1));
});
