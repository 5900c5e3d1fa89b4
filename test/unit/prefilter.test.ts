import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { admits, prefilterFor } from '../../server/src/analysis/rules/prefilter';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { CompiledRule } from '../../server/src/analysis/rules/types';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { analyzeLog } from '../../server/src/analysis/service';
import { FIXED_TIME, builtIn } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

/** Checks the literals read from a pattern (undefined: no prefilter). */
function check(pattern: string, expected: string[] | undefined, ignoreCase = false): void {
  assert.deepEqual(prefilterFor(pattern, ignoreCase)?.literals, expected, pattern);
}

test('required literals are read from sequences, groups and alternations', () => {
  check('Out of memory: Killed process', ['Out of memory: Killed process']);
  check('reject: \\S+ from (?<client>\\S+?): \\d{3} [\\d.]+ <(?<rcpt>[^>]*)>: Relay access denied', ['>: Relay access denied']);
  check('No space left on device|Disk quota exceeded', ['No space left on device', 'Disk quota exceeded']);
  check('(?:Process|process) \\d+ dumped core', [' dumped core']);
  check('lost (?:connection|link) after (?<cmd>\\w+)', [' after ']);
  check('a(?:bc)def', ['abcdef']);
  check('stack smashing detected \\*\\*\\*', ['stack smashing detected ***']);
  check('kernel: \\[\\s*\\d+\\.\\d+\\] Out', ['kernel: [']);
  check('^warning: \\S+ blocked$', ['warning: ']);
  check('\\bdeferred\\b', ['deferred']);
  check('tab\\there', ['tab\there']);
  check('a{2}', undefined);
  check('x\\{2\\}yz', ['x{2}yz']);
});

test('optional and repeated parts never join a literal', () => {
  check('colou?r blind', ['r blind']);
  check('abc+def', ['abc']);
  check('abx*def', ['def']);
  check('abc{1}def', ['abcdef']);
  check('abc{1,3}def', ['abc']);
  check('abc{0,3}defg', ['defg']);
  check('status=(?:sent )?deferred', ['deferred']);
  check('(?:foo|bar)+baz', ['baz']);
  check('(?:fooo|barr)+', ['fooo', 'barr']);
  check('lazy a+?bcd', ['lazy a']);
});

test('an alternative without a literal leaves the whole pattern without one', () => {
  check('foobar|\\d+', undefined);
  check('foobar|', undefined);
  check('(?:fooo|\\d)ba', undefined);
  check('(?:fooo|\\d)barr', ['barr']);
});

test('look-around, back-references and classes are never taken as literals', () => {
  check('(?<=user )root login', ['root login']);
  check('(?!abc)defg', ['defg']);
  check('(?<word>abc)\\k<word>', undefined);
  check('(a)bcd\\1efg', ['abcd']);
  check('[abc]def', ['def']);
  check('[]abc]', undefined);
  check('[\\]]abc', ['abc']);
});

test('syntax the reader does not trust gives no prefilter', () => {
  check('(?i)login failed', undefined);
  check('(?P<user>\\S+) failed login', undefined);
  check('\\Qa.b\\E', undefined);
  check('[[:alpha:]]+ failed', undefined);
  check('\\p{L}+ failed', undefined);
  check('\\u0041BCD', undefined);
  check('(unclosed', undefined);
  check('extra)', undefined);
});

test('case-insensitive rules compare lower-cased ASCII literals with the lower-cased message', () => {
  check('Login FAILED', ['login failed'], true);
  check('Straße failed', undefined, true);
  const prefilter = prefilterFor('Login FAILED', true)!;
  const message = 'LOGIN failed for root';
  assert.equal(admits(prefilter, message, message.toLowerCase()), true);
  assert.equal(new RegExp('Login FAILED', 'i').test(message), true);
});

/** Every shipped rule with its regular expression and prefilter, and the messages of its samples. */
function shippedRules(): { rule: CompiledRule; regex: RegExp; messages: string[] }[] {
  return builtIn()
    .catalogue.rules.filter((rule) => rule.definition.match !== undefined)
    .map((rule) => ({
      rule,
      regex: new RegExp(rule.definition.match!, rule.definition.ignoreCase ? 'i' : ''),
      messages: rule.definition.samples.match.map((sample) => {
        const first = sample.split(/\r?\n/)[0];
        const line = parseLogLine(first, 0);
        return first.slice(line.message.start);
      }),
    }));
}

test('every shipped rule has a prefilter, and it admits each of its own samples', () => {
  const failures: string[] = [];
  for (const { rule, regex, messages } of shippedRules()) {
    const prefilter = prefilterFor(rule.definition.match!, rule.definition.ignoreCase);
    if (!prefilter) {
      failures.push(`${rule.definition.id}: no prefilter`);
      continue;
    }
    for (const message of messages) {
      assert.ok(!regex.global && !regex.sticky, `${rule.definition.id}: a stateful regex would carry lastIndex between samples`);
      if (!regex.test(message)) failures.push(`${rule.definition.id} regex misses its own sample: ${message}`);
      else if (!admits(prefilter, message, message.toLowerCase())) failures.push(`${rule.definition.id} turns away its sample: ${message}`);
    }
  }
  assert.deepEqual(failures, []);
});

/** A message changed a little: characters dropped, doubled, inserted, or their case swapped. */
const variant = (message: string) =>
  fc
    .array(fc.tuple(fc.constantFrom('drop', 'double', 'insert', 'case', 'prefix'), fc.nat(), fc.constantFrom('a', 'Z', '0', ' ', ':', '[', ']', '.', '=', '\u00e9', 'x y')), { maxLength: 4 })
    .map((edits) => {
      let text = message;
      for (const [edit, at, what] of edits) {
        const p = text.length === 0 ? 0 : at % text.length;
        if (edit === 'drop') text = text.slice(0, p) + text.slice(p + 1);
        else if (edit === 'double') text = text.slice(0, p + 1) + text.slice(p);
        else if (edit === 'insert') text = text.slice(0, p) + what + text.slice(p);
        else if (edit === 'case') text = text.slice(0, p) + (text[p] === text[p]?.toUpperCase() ? text[p]?.toLowerCase() ?? '' : text[p].toUpperCase()) + text.slice(p + 1);
        else text = what + text;
      }
      return text;
    });

test('no prefilter turns away a message its rule matches, over generated variants of the samples', () => {
  for (const { rule, regex, messages } of shippedRules()) {
    const prefilter = prefilterFor(rule.definition.match!, rule.definition.ignoreCase);
    if (!prefilter || messages.length === 0) continue;
    fc.assert(
      fc.property(fc.constantFrom(...messages).chain(variant), (message) => {
        if (!regex.test(message)) return true;
        return admits(prefilter, message, message.toLowerCase());
      }),
      { numRuns: 60, seed: 42 },
    );
  }
});

/** A log's findings as comparable text. */
const summary = (text: string, matcher: RuleMatcher): string[] => analyzeLog(text, FIXED_TIME, matcher).findings.map((f) => `${f.line}:${f.start}-${f.end} ${f.ruleId} ${f.message}`);

test('the catalogue finds the same with and without prefilters', () => {
  const { catalogue, matcher } = builtIn();
  const plain = new RuleMatcher(catalogue.rules, { prefilter: false });
  const samples = catalogue.rules.flatMap((rule) => [...rule.definition.samples.match, ...(rule.definition.samples.noMatch ?? [])]);
  const text = [...samples, 'Nov  8 16:49:42 gw postfix/smtpd[1]: disconnect from unknown[192.0.2.1] ehlo=1 quit=1 commands=2', ''].join('\n');
  const expected = summary(text, plain);
  assert.ok(expected.length > 200, `only ${expected.length} findings`);
  assert.deepEqual(summary(text, matcher), expected);
});

/** Every plain-text file under a folder (compressed and metadata files left out). */
function textFiles(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(folder, entry.name);
    if (entry.isDirectory()) return textFiles(file);
    return entry.isFile() && !/\.(gz|bz2|xz|zip|json|md|tsv)$/.test(entry.name) ? [file] : [];
  });
}

const corpus = corpusFolder();

test('over the real-log corpus, the catalogue finds the same with and without prefilters', { skip: corpus ? false : CORPUS_SKIP }, () => {
  const { catalogue, matcher } = builtIn();
  const plain = new RuleMatcher(catalogue.rules, { prefilter: false });
  const differing: string[] = [];
  let findings = 0;
  for (const file of textFiles(corpus!)) {
    const text = fs.readFileSync(file, 'latin1');
    const expected = summary(text, plain);
    findings += expected.length;
    if (summary(text, matcher).join('\n') !== expected.join('\n')) differing.push(file);
  }
  assert.ok(findings > 1000, `only ${findings} findings in the corpus`);
  assert.deepEqual(differing, []);
});

test('a line from a program no rule covers is still tried against the unscoped rules', () => {
  const { matcher } = builtIn();
  const scope = matcher.scope('some-daemon');
  assert.ok(scope.rules.length > 0);
  const selected = (message: string) => {
    const { starts, startCount } = matcher.select(scope, message);
    return [...starts.subarray(0, startCount)].map((position) => scope.rules[position].definition.id);
  };
  const unfiltered = scope.unfiltered.map((position) => scope.rules[position].definition.id);
  assert.ok(selected('write failed: No space left on device').some((id) => !unfiltered.includes(id)));
  assert.deepEqual(selected('all is well'), unfiltered);
  assert.equal(matcher.scope('postfix/smtpd'), matcher.scope('postfix/smtpd'), 'the scope of a program is cached');
  assert.deepEqual(matcher.scope('postfix/smtpd').rules, matcher.scope('POSTFIX/SMTPD').rules);
});
