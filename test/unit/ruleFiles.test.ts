import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCatalogue, loadRuleFile } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME } from '../support/catalogue';

const rule = (id: string, match: string, extra = '') => `  - id: ${id}
    title: A test rule
    severity: warning
    match: '${match}'
    explanation: Something a test needs to explain in a few words.${extra}
    samples:
      match: ['x']
`;

/** Loads one rule file and returns its problems as `line:column message` (1-based). */
function problems(text: string, engine: 'native' | 'linear' = 'linear'): string[] {
  return loadRuleFile({ source: 'rules.yaml', text, engine }).problems.map((p) => `${p.line + 1}:${p.column + 1} ${p.message}`);
}

test('schema problems are reported at the line of the offending value', () => {
  const text = `rules:\n${rule('test/ok', 'ok')}  - id: test/bad\n    title: Bad\n    severity: fatal\n    match: 'x'\n    explanation: Something a test needs to explain in a few words.\n    samples:\n      match: ['x']\n`;
  const found = problems(text);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^11:15 \/rules\/1\/severity: must be one of error, warning, information, hint$/);
});

test('unknown properties are named and placed', () => {
  const found = problems(`rules:\n${rule('test/ok', 'ok', '\n    colour: red')}`);
  assert.deepEqual(found, ['7:5 /rules/0: unknown property "colour"']);
});

test('YAML syntax errors are reported with a position and no rules are loaded', () => {
  const loaded = loadRuleFile({ source: 'r.yaml', text: 'rules:\n  - id: [unclosed\n' });
  assert.equal(loaded.rules.length, 0);
  assert.ok(loaded.problems.length > 0);
  assert.ok(loaded.problems.every((p) => p.line >= 0 && p.line <= 2));
});

test('an invalid regular expression is reported at its match line', () => {
  const found = problems(`rules:\n${rule('test/broken', '(unclosed')}`);
  assert.equal(found.length, 1);
  assert.match(found[0], /^5:12 test\/broken: invalid regular expression/);
});

test('workspace rules run in linear time: a catastrophic pattern finishes on a hostile line', () => {
  const catalogue = buildCatalogue([{ source: 'user.yaml', text: `rules:\n${rule('test/redos', '^(a+)+$')}` }]);
  assert.deepEqual(catalogue.problems, []);
  const hostile = `Nov  8 16:49:42 gw prog: ${'a'.repeat(4000)}!`;
  const { findings } = analyzeLog(hostile, FIXED_TIME, new RuleMatcher(catalogue.rules));
  assert.deepEqual(findings, []);
  const benign = analyzeLog('Nov  8 16:49:42 gw prog: aaaa', FIXED_TIME, new RuleMatcher(catalogue.rules));
  assert.deepEqual(benign.findings.map((f) => f.ruleId), ['test/redos']);
});

test('look-behind is refused in workspace rules with the reason, and allowed in the shipped catalogue', () => {
  const text = `rules:\n${rule('test/lookbehind', '(?<=user )root')}`;
  const [problem] = problems(text, 'linear');
  assert.match(problem, /look-around and back-references are not available/);
  assert.deepEqual(problems(text, 'native'), []);
});

test('named groups work the same in both engines', () => {
  for (const engine of ['native', 'linear'] as const) {
    const text = `rules:\n${rule('test/named', 'from (?<ip>[0-9.]+)', "\n    message: 'seen {ip}'")}`;
    const catalogue = buildCatalogue([{ source: 'r.yaml', text, engine }]);
    const { findings } = analyzeLog('Nov  8 16:49:42 gw prog: connect from 192.0.2.7 ok', FIXED_TIME, new RuleMatcher(catalogue.rules));
    assert.equal(findings[0]?.message, 'seen 192.0.2.7', engine);
    assert.equal(findings[0].end - findings[0].start, 'from 192.0.2.7'.length, engine);
  }
});

test('a later file replaces a rule of the same id from an earlier file', () => {
  const catalogue = buildCatalogue([
    { source: 'a.yaml', text: `rules:\n${rule('test/same', 'first')}` },
    { source: 'b.yaml', text: `rules:\n${rule('test/same', 'second')}` },
  ]);
  assert.equal(catalogue.rules.length, 1);
  assert.equal(catalogue.byId.get('test/same')?.origin.source, 'b.yaml');
});

test('a reload with a compile cache compiles again only the files whose text changed', () => {
  const cache = new Map();
  const a = { source: 'a.yaml', text: `rules:\n${rule('test/a', 'first')}` };
  const b = { source: 'b.yaml', text: `rules:\n${rule('test/b', 'second')}` };
  const first = buildCatalogue([a, b], cache);
  const edited = { ...b, text: `rules:\n${rule('test/b', 'changed')}` };
  const second = buildCatalogue([a, edited], cache);
  assert.equal(second.byId.get('test/a'), first.byId.get('test/a'), 'unchanged file must not be compiled again');
  assert.notEqual(second.byId.get('test/b'), first.byId.get('test/b'));
  assert.equal(second.byId.get('test/b')?.definition.match, 'changed');
});

test('an explanation placeholder naming no group of the pattern is reported, and the rule still loads', () => {
  const text = `rules:\n${rule('test/typo', 'from (?<peer>\\\\S+)').replace('explanation: Something a test needs to explain in a few words.', 'explanation: Connect to {peer} or {peeer}, as in ${HOME}, {300} and { read }.')}`;
  const loaded = loadRuleFile({ source: 'rules.yaml', text });
  assert.equal(loaded.rules.length, 1);
  assert.deepEqual(
    loaded.problems.map((p) => [p.line + 1, p.severity, p.message]),
    [[6, 'warning', "test/typo: the explanation's placeholder {peeer} names no group of the rule's pattern (its groups are peer)"]],
  );
});
