import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { builtIn } from '../support/catalogue';

const rules = () => builtIn().catalogue.rules;

test('a matcher given the prefilters another matcher of the same rules chose selects exactly as one that chose them itself', () => {
  const own = builtIn().matcher;
  const choice = structuredClone(own.prefilterChoice());
  assert.ok(choice.starts.filter(Boolean).length > 100, 'few rules have a prefilter');
  const given = new RuleMatcher(rules(), { prefilters: choice });
  assert.deepEqual(given.prefilterChoice(), own.prefilterChoice());
  const samples = rules().flatMap((rule) => rule.definition.samples.match.map((line) => ({ program: rule.programs?.[0], line })));
  for (const { program, line } of samples) {
    const a = own.select(own.scope(program), line);
    const picked = [...a.starts.subarray(0, a.startCount)];
    const b = given.select(given.scope(program), line);
    assert.deepEqual([...b.starts.subarray(0, b.startCount)], picked, line);
  }
});

test('a matcher takes a choice made for its very rules, and chooses again for any other', () => {
  const own = builtIn().matcher.prefilterChoice();
  // A choice no matcher would make, to see whether it is taken.
  const marked = { ...own, starts: own.starts.map(() => ({ literals: ['never-in-a-sample'], ignoreCase: false })) };
  const taken = new RuleMatcher(rules(), { prefilters: marked });
  assert.ok(taken.prefilterChoice().starts.every((prefilter) => prefilter?.literals[0] === 'never-in-a-sample'));
  // The same choice said to be for rules with one pattern changed is not taken.
  const changed = rules().map((rule, i) => (i === 0 ? { ...rule, definition: { ...rule.definition, match: `${rule.definition.match}x` } } : rule));
  const firstPatterned = changed.findIndex((rule) => rule.pattern);
  assert.equal(firstPatterned, 0, 'the first rule has a pattern');
  const refused = new RuleMatcher(changed, { prefilters: marked });
  assert.ok(refused.prefilterChoice().starts.every((prefilter) => prefilter?.literals[0] !== 'never-in-a-sample'));
  // Nor is one for fewer rules.
  const fewer = new RuleMatcher(rules().slice(1), { prefilters: marked });
  assert.ok(fewer.prefilterChoice().starts.every((prefilter) => prefilter?.literals[0] !== 'never-in-a-sample'));
});
