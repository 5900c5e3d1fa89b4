import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addDisabledRule, parseDisabledRules } from '../../server/src/analysis/rules/disabledRules';

test('a well-formed file gives its ids, trimmed and once each, and no problems', () => {
  const { file, problems } = parseDisabledRules('{"version":1,"disabled":["a/b"," c/d ","a/b"]}');
  assert.deepEqual(problems, []);
  assert.deepEqual(file.disabled, ['a/b', 'c/d']);
});

test('broken JSON is a problem at the place JSON stopped, with nothing disabled', () => {
  const { file, problems } = parseDisabledRules('{"version":1,\n "disabled": [\n');
  assert.deepEqual(file.disabled, []);
  assert.equal(problems.length, 1);
  assert.match(problems[0].message, /^not valid JSON/);
  assert.ok(problems[0].line >= 1, JSON.stringify(problems[0]));
});

test('wrong shapes are named and what is good still counts', () => {
  assert.match(parseDisabledRules('[]').problems[0].message, /expected an object/);
  assert.match(parseDisabledRules('{"version":1}').problems[0].message, /"disabled" list/);
  assert.match(parseDisabledRules('{"version":2,"disabled":[]}').problems[0].message, /"version" must be 1, not 2/);
  const mixed = parseDisabledRules('{"version":1,"disabled":["a/b",7,""]}');
  assert.deepEqual(mixed.file.disabled, ['a/b']);
  assert.deepEqual(mixed.problems.map((p) => p.message), ['"disabled" entry 2 must be a rule id (a non-empty string), not 7', '"disabled" entry 3 must be a rule id (a non-empty string), not ""']);
});

test('adding an id keeps the others and never repeats one', () => {
  const once = JSON.parse(addDisabledRule({ version: 1, disabled: ['a/b'] }, 'c/d')) as unknown;
  assert.deepEqual(once, { version: 1, disabled: ['a/b', 'c/d'] });
  assert.deepEqual(JSON.parse(addDisabledRule({ version: 1, disabled: ['a/b'] }, 'a/b')), { version: 1, disabled: ['a/b'] });
});
