import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText, builtIn } from '../support/catalogue';

test('the built-in catalogue loads without problems', () => {
  const { catalogue } = builtIn();
  assert.deepEqual(catalogue.problems.map((p) => `${p.source}:${p.line + 1}: ${p.message}`), []);
  assert.ok(catalogue.rules.length >= 6, `only ${catalogue.rules.length} rules`);
});

test('every rule flags each of its own match samples', () => {
  const failures: string[] = [];
  for (const rule of builtIn().catalogue.rules) {
    for (const sample of rule.definition.samples.match) {
      const found = analyzeText(sample).findings.map((f) => f.ruleId);
      if (!found.includes(rule.definition.id)) failures.push(`${rule.definition.id} misses: ${sample} (found: ${found.join(', ') || 'nothing'})`);
    }
  }
  assert.deepEqual(failures, []);
});

test('no rule flags its own noMatch samples', () => {
  const failures: string[] = [];
  for (const rule of builtIn().catalogue.rules) {
    for (const sample of rule.definition.samples.noMatch ?? []) {
      const found = analyzeText(sample).findings.map((f) => f.ruleId);
      if (found.includes(rule.definition.id)) failures.push(`${rule.definition.id} wrongly flags: ${sample}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('rule ids are unique across all rule files', () => {
  const ids = builtIn().catalogue.rules.map((r) => r.definition.id);
  assert.equal(new Set(ids).size, ids.length);
});
