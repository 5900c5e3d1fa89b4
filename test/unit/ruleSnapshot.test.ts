import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RuleSource, buildCatalogue, loadRuleFile, parseRuleFile } from '../../server/src/analysis/rules/catalogue';
import { CompiledRule, RuleProblem } from '../../server/src/analysis/rules/types';
import { builtInRulesFolder, readRuleFolder } from '../../server/src/rulesOnDisk';
import { SNAPSHOT_FILE, catalogueSnapshot, readCatalogueSnapshot, withSnapshot } from '../../server/src/ruleSnapshot';
import { repoPath } from '../support/paths';

const shippedFiles = (): RuleSource[] => readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const }));

/** What loading a file yields, with the compiled patterns as their source and flags. */
function outcome(loaded: { rules: CompiledRule[]; problems: RuleProblem[] }): unknown {
  const pattern = (compiled: CompiledRule['pattern']) => compiled && compiled.source;
  return {
    rules: loaded.rules.map((rule) => ({ ...rule, pattern: pattern(rule.pattern), endPattern: pattern(rule.endPattern) })),
    problems: loaded.problems,
  };
}

/** The snapshot as the build writes it and the CLI reads it back: through JSON. */
function snapshotOf(sources: RuleSource[]) {
  return JSON.parse(JSON.stringify(catalogueSnapshot(sources))) as ReturnType<typeof catalogueSnapshot>;
}

test('every shipped rule file loads from the snapshot exactly as from its YAML: rules, positions and problems', () => {
  const sources = shippedFiles();
  const snapshot = snapshotOf(sources);
  assert.equal(snapshot.files.length, sources.length, 'a shipped file has problems and was left out of the snapshot');
  const snapped = withSnapshot(sources, snapshot);
  let rules = 0;
  sources.forEach((source, k) => {
    assert.ok(snapped[k].parsed, `${source.source} was not taken from the snapshot`);
    const fromYaml = loadRuleFile(source);
    rules += fromYaml.rules.length;
    assert.deepEqual(outcome(loadRuleFile(snapped[k])), outcome(fromYaml), source.source);
  });
  assert.ok(rules > 300, `only ${rules} rules`);
  assert.deepEqual(outcome(buildCatalogue(snapped)), outcome(buildCatalogue(sources)));
});

test('problems are told at the same lines and columns from the snapshot as from the YAML', () => {
  // An unknown placeholder in the message and, for a linear engine, a pattern it cannot run: both reported at their fields.
  const source: RuleSource = {
    source: 'bad.yaml',
    engine: 'linear',
    text: [
      'rules:',
      '  - id: demo/placeholder',
      '    title: Demo',
      '    severity: information',
      '    match: "user (?<user>\\\\S+) failed"',
      '    message: "{usr} failed"',
      '    explanation: "{usr} is the user who tried to log in."',
      '    samples:',
      '      match: ["user bob failed"]',
      '  - id: demo/backreference',
      '    title: Demo',
      '    severity: information',
      '    match: "(a)\\\\1"',
      '    explanation: A letter written twice in a row.',
      '    samples:',
      '      match: ["aa"]',
      '',
    ].join('\n'),
  };
  const fromYaml = loadRuleFile(source);
  assert.equal(fromYaml.problems.length, 3, JSON.stringify(fromYaml.problems));
  assert.ok(fromYaml.problems.every((problem) => problem.line > 0));
  const [snapped] = withSnapshot([source], snapshotOf([source]));
  assert.ok(snapped.parsed);
  assert.deepEqual(outcome(loadRuleFile(snapped)), outcome(fromYaml));
});

test('a rule file whose text is not the one the snapshot was made from is read from its text', () => {
  const [first, ...rest] = shippedFiles();
  const snapshot = snapshotOf([first, ...rest]);
  const edited = { ...first, text: first.text.replace(/^(\s*- id: )(\S+)/m, '$1$2.edited') };
  assert.notEqual(edited.text, first.text);
  const [taken] = withSnapshot([edited], snapshot);
  assert.equal(taken.parsed, undefined);
  const ids = loadRuleFile(taken).rules.map((rule) => rule.definition.id);
  assert.ok(ids.some((id) => id.endsWith('.edited')), ids.slice(0, 3).join());
});

test('a rule file with problems is left out of the snapshot, so its problems are still told when it loads', () => {
  const broken: RuleSource = { source: 'broken.yaml', text: 'rules:\n  - id: [unclosed\n' };
  assert.equal(parseRuleFile(broken), undefined);
  const snapshot = snapshotOf([broken]);
  assert.deepEqual(snapshot.files, []);
  const [taken] = withSnapshot([broken], snapshot);
  assert.ok(loadRuleFile(taken).problems.length > 0);
});

test('a missing or unreadable snapshot file means no snapshot', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-snapshot-'));
  try {
    assert.equal(readCatalogueSnapshot(folder), undefined);
    fs.writeFileSync(path.join(folder, SNAPSHOT_FILE), '{"files": ');
    assert.equal(readCatalogueSnapshot(folder), undefined);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test('the built snapshot (dist/), where present, equals what reading the current YAML gives', (t) => {
  const built = readCatalogueSnapshot(repoPath('dist'));
  if (!built) return t.skip('dist/ has no snapshot: run node scripts/build.mjs');
  const sources = shippedFiles();
  const current = withSnapshot(sources, built);
  // A file edited since the build is read from its YAML, which the first test covers.
  for (const source of current) if (source.parsed) assert.deepEqual(source.parsed, parseRuleFile(source), source.source);
});
