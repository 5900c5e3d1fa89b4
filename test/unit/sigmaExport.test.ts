import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import Ajv2020 from 'ajv/dist/2020';
import { parseAllDocuments } from 'yaml';
import { buildCatalogue } from '../../server/src/analysis/rules/catalogue';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { RuleDefinition } from '../../server/src/analysis/rules/types';
import { exportSigma, timespanOf } from '../../server/src/analysis/rules/sigma/export';
import { sigmaRegexOf } from '../../server/src/analysis/rules/sigma/exportRegex';
import { descriptionOf, listParagraphOf } from '../../server/src/analysis/rules/sigma/exportText';
import { PLACEHOLDER } from '../../server/src/analysis/rules/placeholders';
import { sigmaUuidOf } from '../../server/src/cli/rulesExport';
import { regexTest } from '../../server/src/analysis/rules/sigma/values';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';
import { FIXED_TIME, builtIn } from '../support/catalogue';

const definitions = builtIn().catalogue.rules.map((rule) => rule.definition);
const exported = exportSigma(definitions, { uuidOf: sigmaUuidOf, date: '2010-12-31', author: 'test' });
const exportedCatalogue = buildCatalogue(exported.files.map((file) => ({ source: file.fileName, text: file.yamlText, format: 'sigma' as const })));
const matcher = new RuleMatcher(exportedCatalogue.rules);
const leftOutIds = new Set(exported.leftOut.map((entry) => entry.ruleId));
const exportedDefinitions = definitions.filter((definition) => !leftOutIds.has(definition.id));

/** The id our Sigma loader gives the exported document named `name`. */
const loadedId = (name: string) => `sigma/${sigmaUuidOf(name)}`;

function findingsOf(text: string): { ruleId: string; members?: number[] }[] {
  return analyzeLog(text, FIXED_TIME, matcher).findings;
}

test('every catalogue rule is either exported or left out with a reason', () => {
  assert.equal(exportedDefinitions.length + exported.leftOut.length, definitions.length);
  assert.equal(exported.exported.line + exported.exported.burst + exported.exported.paired, exported.files.length);
  assert.equal(new Set(exported.files.map((file) => file.fileName)).size, exported.files.length);
  for (const entry of exported.leftOut) assert.ok(entry.reason.length > 10, entry.ruleId);
  // The kinds Sigma cannot express are all left out, whatever their patterns.
  for (const definition of definitions) {
    if (definition.silence || definition.declared || definition.rare || definition.fallback) assert.ok(leftOutIds.has(definition.id), definition.id);
  }
});

test('the exported rules load through our own Sigma loader without a problem', () => {
  assert.deepEqual(exportedCatalogue.problems.map((problem) => `${problem.source}:${problem.line + 1}: ${problem.message}`), []);
  const documents = exported.files.reduce((sum, file) => sum + parseAllDocuments(file.yamlText).length, 0);
  assert.equal(exportedCatalogue.rules.length, documents);
});

test('each exported rule matches its catalogue rule\'s own match samples', () => {
  const failures: string[] = [];
  for (const definition of exportedDefinitions) {
    for (const sample of definition.samples.match) {
      if (!findingsOf(sample).some((finding) => finding.ruleId === loadedId(definition.id))) failures.push(`${definition.id} misses: ${sample}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('no exported rule matches its catalogue rule\'s noMatch samples', () => {
  const failures: string[] = [];
  for (const definition of exportedDefinitions) {
    for (const sample of definition.samples.noMatch ?? []) {
      if (findingsOf(sample).some((finding) => finding.ruleId === loadedId(definition.id))) failures.push(`${definition.id} wrongly flags: ${sample}`);
    }
  }
  assert.deepEqual(failures, []);
});

const SYSLOG_STAMP = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d /;

/** `line` (a single-line sample with a classic syslog stamp) at `seconds` after 2010-03-02 00:00:00. */
function restamped(line: string, seconds: number): string {
  const time = new Date(Date.UTC(2010, 2, 2) + seconds * 1000);
  const stamp = `Mar ${String(time.getUTCDate()).padStart(2)} ${time.toISOString().slice(11, 19)} `;
  return line.replace(SYSLOG_STAMP, stamp);
}

/** The first single-line match sample written with a classic syslog stamp. */
function stampedSample(definition: RuleDefinition): string | undefined {
  return definition.samples.match.find((sample) => !sample.includes('\n') && SYSLOG_STAMP.test(sample));
}

test('a burst\'s event_count correlation fires on count matches within its timespan, not on one fewer', () => {
  let tested = 0;
  for (const definition of exportedDefinitions.filter((rule) => rule.burst)) {
    const sample = stampedSample(definition);
    if (!sample) continue;
    const { count, withinSeconds } = definition.burst!;
    const burstId = loadedId(`${definition.id}#burst`);
    const run = (n: number, gap: number) => findingsOf(Array.from({ length: n }, (_, k) => restamped(sample, k * gap)).join('\n')).filter((finding) => finding.ruleId === burstId);
    // count matches each withinSeconds apart: a burst in the catalogue, and in Sigma's window.
    const fired = run(count, withinSeconds);
    assert.equal(fired.length, 1, `${definition.id}: ${count} matches ${withinSeconds}s apart`);
    assert.equal(fired[0].members?.length, count, definition.id);
    assert.equal(run(count - 1, withinSeconds).length, 0, `${definition.id}: ${count - 1} matches`);
    // Spread wider than the catalogue's burst, they do not fire either.
    assert.equal(run(count, withinSeconds + 1).length, 0, `${definition.id}: ${count} matches ${withinSeconds + 1}s apart`);
    tested++;
  }
  assert.ok(tested >= exported.exported.burst / 2, `only ${tested} of ${exported.exported.burst} bursts had a sample to test`);
});

test('a paired rule\'s temporal_ordered correlation fires on its start then its end, not the other way round', () => {
  let tested = 0;
  for (const definition of exportedDefinitions.filter((rule) => rule.end)) {
    const start = stampedSample(definition);
    // The end line: a noMatch sample of the start that the exported end rule flags.
    const end = (definition.samples.noMatch ?? []).find((sample) => SYSLOG_STAMP.test(sample) && findingsOf(sample).some((finding) => finding.ruleId === loadedId(`${definition.id}#end`)));
    assert.ok(start && end, `${definition.id} has no start and end samples`);
    const pairId = loadedId(`${definition.id}#pair`);
    const pairs = (lines: string[]) => findingsOf(lines.join('\n')).filter((finding) => finding.ruleId === pairId).length;
    assert.equal(pairs([restamped(start, 0), restamped(end, 60)]), 1, definition.id);
    assert.equal(pairs([restamped(end, 0), restamped(start, 60)]), 0, definition.id);
    assert.equal(pairs([restamped(start, 0), restamped(end, definition.end!.withinSeconds! + 1)]), 0, `${definition.id}: end after the timespan`);
    tested++;
  }
  assert.equal(tested, exported.exported.paired);
});

test('every exported document validates against the Sigma JSON schemas', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const schemas = path.join(folder, 'schemas', 'sigma-specification', 'json-schema');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  const load = (name: string) => {
    const schema = JSON.parse(fs.readFileSync(path.join(schemas, name), 'utf8')) as Record<string, unknown>;
    delete schema.$schema;
    return ajv.compile(schema);
  };
  const detection = load('sigma-detection-rule-schema.json');
  const correlation = load('sigma-correlation-rules-schema.json');
  // The schemas do refuse: a rule without detection, an event_count without group-by and condition.
  assert.equal(detection({ title: 'x', logsource: { product: 'linux' } }), false);
  assert.equal(correlation({ title: 'x', correlation: { type: 'event_count', rules: ['a-rule'], timespan: '1m' } }), false);
  const failures: string[] = [];
  let checked = 0;
  for (const file of exported.files) {
    for (const document of parseAllDocuments(file.yamlText)) {
      const data = document.toJS() as Record<string, unknown>;
      const title = String(data.title);
      const validate = data.correlation !== undefined ? correlation : detection;
      if (!validate(data)) failures.push(`${file.fileName} "${title}": ${ajv.errorsText(validate.errors)}`);
      checked++;
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked > exported.files.length);
});

test('regular expressions are rewritten into Sigma\'s subset, or refused with a reason', () => {
  const cases: [string, string | RegExp][] = [
    ['Failed (?<method>password|none) for (?:invalid user )?(?<user>.*?) from', 'Failed (password|none) for (invalid user )?(.*) from'],
    ['port \\d+ \\S+ [\\w.-]+', 'port [0-9]+ [^ \t]+ [A-Za-z0-9_.-]+'],
    ['a{2,3}? b\\{x\\} c{d', 'a{2,3} b\\{x\\} c\\{d'],
    ['\\/var\\/log\\: \\[x\\]', '/var/log: \\[x\\]'],
    ['\\x41\\u002e', 'A\\.'],
    ['Failed publickey for (?!invalid user )', /look-around/],
    ['(?<=from )x', /look-around/],
    ['(a)\\1', /back-reference/],
    ['line\\nnext', /control/],
    ['[^\\S]', /negated shorthand/],
    ['\\p{L}', /Unicode property/],
  ];
  for (const [source, expected] of cases) {
    const result = sigmaRegexOf(source);
    if (typeof expected === 'string') assert.deepEqual(result, { pattern: expected }, source);
    else assert.match('reason' in result ? result.reason : `rewritten as ${result.pattern}`, expected, source);
  }
});

/** Every exported document, as data. */
const exportedDocuments = exported.files.flatMap((file) => parseAllDocuments(file.yamlText).map((document) => document.toJS() as Record<string, unknown>));

/** The strings of a document outside its detection (whose values are patterns, not prose). */
function proseOf(value: unknown, key = ''): string[] {
  if (key === 'detection') return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((item) => proseOf(item));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([name, item]) => proseOf(item, name));
  return [];
}

test('no exported text holds a {name} placeholder: each is written as its group\'s name', () => {
  // The catalogue does put placeholders in the paragraphs the export takes.
  assert.ok(exportedDefinitions.some((definition) => /\{peer\}/.test(definition.explanation.split(/\n\s*\n/)[0])));
  const found = exportedDocuments.flatMap((document) => proseOf(document).filter((text) => new RegExp(PLACEHOLDER.source).test(text)).map((text) => `${String(document.name)}: ${text}`));
  assert.deepEqual(found, []);
  const greeting = exportedDocuments.find((document) => document.name === 'sendmail/timeout-greeting');
  assert.match(String(greeting?.description), /connected to \(or accepted a connection from\) peer and waited/);
});

test('falsepositives is a list of plain-text items, one per bullet of the explanation\'s usual causes', () => {
  const bulleted = exportedDefinitions.filter((definition) => /\*\*Usual causes\.\*\*\s*\n\s*- /.test(definition.explanation));
  assert.ok(bulleted.length > 0);
  for (const definition of bulleted) {
    const causes = definition.explanation.split(/\n\s*\n/).find((text) => text.trim().startsWith('**Usual causes.**'))!;
    const document = exportedDocuments.find((candidate) => candidate.name === definition.id)!;
    assert.equal((document.falsepositives as string[]).length, causes.split('\n').filter((line) => /^\s*- /.test(line)).length, definition.id);
  }
  for (const document of exportedDocuments) {
    if (document.falsepositives === undefined) continue;
    assert.ok(Array.isArray(document.falsepositives), String(document.name));
    for (const item of document.falsepositives as unknown[]) {
      assert.equal(typeof item, 'string');
      assert.doesNotMatch(String(item), /^- |\*\*|`|\n/, `${String(document.name)}: ${String(item)}`);
    }
  }
});

test('explanation prose becomes plain text: bullets split, code spans and emphasis unwrapped, placeholders named', () => {
  const explanation = [
    '**What it means.** The *client* {peer} sent `*** x` and **gave up**',
    'on port {port}; `${HOME}` stays.',
    '',
    '**Usual causes.** Either of:',
    '- A **reverse DNS lookup** of',
    '  the client\'s address.',
    '* A milter (`RefuseLA`).',
    '',
    '**How to confirm.** Look.',
  ].join('\n');
  assert.equal(descriptionOf(explanation), 'The client peer sent *** x and gave up on port port; ${HOME} stays.');
  assert.deepEqual(listParagraphOf(explanation, /^\*\*Usual causes\.\*\*/), ['Either of:', 'A reverse DNS lookup of the client\'s address.', 'A milter (RefuseLA).']);
  assert.deepEqual(listParagraphOf('**Usual causes.** Routine; a *high* value.', /^\*\*Usual causes\.\*\*/), ['Routine; a high value.']);
  assert.equal(listParagraphOf('**What it means.** x', /^\*\*Usual causes\.\*\*/), undefined);
});

const NOT_WORD = '[^A-Za-z0-9_]';

test('word boundaries are rewritten where a line matches the same with and without them', () => {
  // [catalogue pattern, case-blind, Sigma pattern, lines with whether they match]
  const cases: [string, boolean, string, [string, boolean][]][] = [
    ['\\beth0\\b', false, `(^|${NOT_WORD})eth0(${NOT_WORD}|$)`, [['eth0', true], ['up eth0: link', true], ['veth0 up', false], ['eth01', false], ['eth0_1', false]]],
    ['err=49\\b(?: text=(?<text>.*))?', false, `err=49(${NOT_WORD}|$)( text=(.*))?`, [['err=49', true], ['err=49 text=bad', true], ['err=490', false], ['err=49_', false]]],
    ['(?:rejected|deferred)\\b: x', false, '(rejected|deferred): x', [['deferred: x', true], ['deferredx: x', false]]],
    ['(?:^|\\s)\\bfoo', false, '(^|[ \t])foo', [['foo', true], ['a foo', true], ['afoo', false]]],
    ['^x|\\bALERT - ', false, `^x|(^|${NOT_WORD})ALERT - `, [['ALERT - a', true], ['[ALERT - a', true], ['zALERT - a', false], ['x', true]]],
    ['(?:\\*\\*\\* )?\\bFrozen', false, `(\\*\\*\\* )?(^|${NOT_WORD})Frozen`, [['*** Frozen', true], ['Frozen', true], ['unFrozen', false], ['*** unFrozen', false]]],
    ['\\b-x', false, '[A-Za-z0-9_]-x', [['a-x', true], ['-x', false], [' -x', false]]],
    ['\\b(?:failed login)\\b', true, `(^|${NOT_WORD})(failed login)(${NOT_WORD}|$)`, [['FAILED LOGIN for x', true], ['xFailed login', false], ['failed logins', false]]],
    ['[a-z]+\\b:|foo\\Bbar|\\Bing', false, '[a-z]+:|foobar|[A-Za-z0-9_]ing', [['abc:', true], ['foobar', true], ['sing', true], ['ing', false], ['AB:', false]]],
  ];
  for (const [source, ignoreCase, rewritten, lines] of cases) {
    assert.deepEqual(sigmaRegexOf(source, ignoreCase), { pattern: rewritten }, source);
    const sigma = regexTest(rewritten, ignoreCase ? 'i' : '');
    assert.ok(typeof sigma !== 'string', sigma as string);
    for (const [line, matches] of lines) {
      assert.equal(new RegExp(source, ignoreCase ? 'i' : '').test(line), matches, `${source} on ${line}`);
      assert.equal(sigma(line, line.toLowerCase()) !== null, matches, `${rewritten} on ${line}`);
    }
  }
});

test('each catalogue pattern exported without its word boundaries agrees with the original on its samples and every one-character edit of them', () => {
  let rewritten = 0;
  const failures: string[] = [];
  for (const definition of exportedDefinitions) {
    for (const source of [definition.match, definition.end?.match]) {
      if (source === undefined || !/\\[bB]/.test(source)) continue;
      const result = sigmaRegexOf(source, definition.ignoreCase);
      assert.ok('pattern' in result, definition.id);
      const flags = definition.ignoreCase ? 'i' : '';
      const native = new RegExp(source, flags);
      const sigma = regexTest(result.pattern, flags);
      assert.ok(typeof sigma !== 'string', sigma as string);
      rewritten++;
      for (const line of [...definition.samples.match, ...(definition.samples.noMatch ?? [])].flatMap((sample) => sample.split('\n'))) {
        const edits = [line];
        for (let at = 0; at <= line.length; at++) {
          for (const ch of ['a', '_', ' ', '-']) edits.push(line.slice(0, at) + ch + line.slice(at));
          edits.push(line.slice(0, at) + line.slice(at + 1));
        }
        for (const text of edits) if (native.test(text) !== (sigma(text, text.toLowerCase()) !== null)) failures.push(`${definition.id}: ${text}`);
      }
    }
  }
  assert.ok(rewritten > 20, `only ${rewritten} patterns with word boundaries were exported`);
  assert.deepEqual(failures.slice(0, 10), []);
});

test('a word boundary whose sides are not both known, or that never holds, leaves the rule out', () => {
  const cases: [string, RegExp][] = [
    ['SRC=\\S+ .*?\\bPROTO=TCP', /may or may not be a word character/],
    ['error: \\{ [^}]*\\bUNC\\b', /may or may not be a word character/],
    ['(?:\\bx )+y', /may or may not be a word character/],
    ['(?:a|-)\\bx', /may or may not be a word character/],
    ['code\\b\\d+', /never holds/],
    ['\\b', /all the pattern/],
    ['[\\b]', /control/],
  ];
  for (const [source, reason] of cases) {
    const result = sigmaRegexOf(source);
    assert.match('reason' in result ? result.reason : `rewritten as ${result.pattern}`, reason, source);
  }
});

test('timespans take the largest unit that divides them', () => {
  assert.deepEqual([240, 60, 86_400, 90, 7_200, 2_400].map(timespanOf), ['4m', '1m', '1d', '90s', '2h', '40m']);
});

test('ids are stable name-based UUIDs, distinct for each document', () => {
  assert.equal(sigmaUuidOf('sshd/failed-password'), sigmaUuidOf('sshd/failed-password'));
  assert.notEqual(sigmaUuidOf('sshd/failed-password'), sigmaUuidOf('sshd/failed-password#burst'));
  assert.match(sigmaUuidOf('x'), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const ids = exportedCatalogue.rules.map((rule) => rule.definition.id);
  assert.equal(new Set(ids).size, ids.length);
});
