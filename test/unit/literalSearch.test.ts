import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { LiteralSearch, SearchedLiteral, foldText } from '../../server/src/analysis/rules/literalSearch';
import { builtIn } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

/** The ids of the literals `text` holds, found one `indexOf` at a time. */
function naive(literals: readonly SearchedLiteral[], text: string): number[] {
  const folded = foldText(text);
  return literals.flatMap((literal, id) => ((literal.ignoreCase ? folded.indexOf(foldText(literal.text)) : text.indexOf(literal.text)) >= 0 ? [id] : []));
}

/** The ids the automaton reports for `text`, sorted. */
function found(search: LiteralSearch, text: string): number[] {
  const count = search.scan(text);
  const ids = [...search.found.subarray(0, count)].sort((a, b) => a - b);
  assert.equal(new Set(ids).size, ids.length, 'each literal is reported once');
  for (let id = 0; id < search.literals.length; id++) assert.equal(search.has(id), ids.includes(id));
  return ids;
}

// Few letters, so that literals overlap, nest and share prefixes and suffixes, as the catalogue's do;
// both cases and the two letters outside ASCII that fold onto ASCII ones.
const alphabet = fc.constantFrom('a', 'b', 'A', 'B', ' ', ':', 'k', 'K', 's', '\u017f', '\u212a', '\u00e9', '\u0130');
const word = (min: number, max: number) => fc.array(alphabet, { minLength: min, maxLength: max }).map((chars) => chars.join(''));
const literal = fc.record({ text: word(1, 5), ignoreCase: fc.boolean() });

test('the automaton finds exactly the literals indexOf finds, over random literals and texts', () => {
  fc.assert(
    fc.property(fc.array(literal, { minLength: 1, maxLength: 12 }), fc.array(word(0, 40), { minLength: 1, maxLength: 5 }), (literals, texts) => {
      const search = new LiteralSearch(literals);
      // Several texts through one automaton: nothing of one scan may leak into the next.
      for (const text of texts) assert.deepEqual(found(search, text), naive(literals, text), JSON.stringify({ literals, text }));
    }),
    { numRuns: 400, seed: 7 },
  );
});

test('case-sensitive literals are confirmed as written; case-insensitive ones fold ASCII letters and the Kelvin sign and long s', () => {
  const search = new LiteralSearch([
    { text: 'Fail', ignoreCase: false },
    { text: 'kill', ignoreCase: true },
    { text: 'sss', ignoreCase: true },
    { text: 'i!', ignoreCase: true },
  ]);
  assert.deepEqual(found(search, 'FAIL'), []);
  assert.deepEqual(found(search, 'a Fail'), [0]);
  assert.deepEqual(found(search, 'KILL'), [1]);
  assert.deepEqual(found(search, '\u212aill'), [1]);
  assert.deepEqual(found(search, 's\u017fS'), [2]);
  // Dotted capital I lower-cases to two characters, and folds onto no ASCII letter in either regex engine.
  assert.deepEqual(found(search, '\u0130!'), []);
  assert.deepEqual(found(search, 'I!'), [3]);
});

/** The catalogue's prefilter literals, as the matcher searches them. */
function catalogueLiterals(): SearchedLiteral[] {
  const { matcher } = builtIn();
  const scope = matcher.scope(undefined);
  const seen = new Map<string, SearchedLiteral>();
  for (const prefilter of scope.prefilters) for (const text of prefilter?.literals ?? []) seen.set(`${prefilter!.ignoreCase}${text}`, { text, ignoreCase: prefilter!.ignoreCase });
  return [...seen.values()];
}

test('over the catalogue literals, the automaton agrees with indexOf on the samples and on generated lines', () => {
  const literals = catalogueLiterals();
  assert.ok(literals.length > 100, `only ${literals.length} literals`);
  const search = new LiteralSearch(literals);
  const samples = builtIn().catalogue.rules.flatMap((rule) => [...rule.definition.samples.match, ...(rule.definition.samples.noMatch ?? [])]);
  let hits = 0;
  for (const sample of samples) {
    const expected = naive(literals, sample);
    hits += expected.length;
    assert.deepEqual(found(search, sample), expected, sample);
  }
  assert.ok(hits > samples.length / 2, `only ${hits} hits in ${samples.length} samples`);
  // Pieces of literals glued together, with cases swapped: hits across the seams.
  const piece = fc.constantFrom(...literals.map((l) => l.text)).chain((text) => fc.tuple(fc.nat(text.length), fc.nat(text.length), fc.boolean()).map(([a, b, upper]) => (upper ? text.toUpperCase() : text).slice(Math.min(a, b), Math.max(a, b) + 1)));
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
      const text = pieces.join('');
      assert.deepEqual(found(search, text), naive(literals, text));
    }),
    { numRuns: 500, seed: 11 },
  );
});

const corpus = corpusFolder();

test('over the real-log corpus, the automaton agrees with indexOf on every line', { skip: corpus ? false : CORPUS_SKIP }, () => {
  const literals = catalogueLiterals();
  const search = new LiteralSearch(literals);
  const files = (folder: string): string[] =>
    fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) return files(file);
      return entry.isFile() && !/\.(gz|bz2|xz|zip|json|md|tsv)$/.test(entry.name) ? [file] : [];
    });
  let lines = 0;
  let hits = 0;
  const differing: string[] = [];
  for (const file of files(corpus!)) {
    for (const line of fs.readFileSync(file, 'latin1').split('\n').slice(0, 2000)) {
      lines++;
      const expected = naive(literals, line);
      hits += expected.length;
      if (found(search, line).join() !== expected.join()) differing.push(`${file}: ${line}`);
    }
  }
  assert.ok(lines > 10_000 && hits > 100, `${lines} lines, ${hits} hits`);
  assert.deepEqual(differing.slice(0, 5), []);
});

/** A small deterministic generator, so that the large cases below are the same on every run. */
function generator(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

/** Random words over `letters`, as many as asked, of `shortest` to `longest` characters. */
function words(next: (below: number) => number, letters: string, count: number, longest: number, shortest = 1): string[] {
  return Array.from({ length: count }, () => Array.from({ length: shortest + next(longest - shortest + 1) }, () => letters[next(letters.length)]).join(''));
}

test('with hundreds of literals, many states deep and shallow, the automaton agrees with indexOf', () => {
  const letters = 'abcAB \u212aks\u017fS:';
  for (const seed of [1, 2, 3]) {
    const next = generator(seed);
    const literals = words(next, letters, 300, 12).map((text) => ({ text, ignoreCase: next(2) === 0 }));
    const search = new LiteralSearch(literals);
    // Texts made of pieces of the literals, so that deep states and their failure links are taken.
    for (const text of words(next, letters, 200, 60)) assert.deepEqual(found(search, text), naive(literals, text), text);
    for (let t = 0; t < 200; t++) {
      const text = Array.from({ length: 1 + next(6) }, () => literals[next(literals.length)].text).join(letters[next(letters.length)]);
      assert.deepEqual(found(search, text), naive(literals, text), text);
    }
  }
});

test('an automaton of more states than a 16-bit table cell can name still agrees with indexOf', () => {
  const next = generator(9);
  // 3,000 literals of 16 to 24 letters over 20 letters share few prefixes: one state each.
  const literals = words(next, 'abcdefghijklmnopqrsT', 3000, 24, 16).map((text) => ({ text, ignoreCase: next(3) === 0 }));
  const prefixes = new Set(literals.flatMap((literal) => Array.from(literal.text, (_, end) => foldText(literal.text.slice(0, end + 1)))));
  assert.ok(prefixes.size > 0x8000, `only ${prefixes.size} states`);
  const search = new LiteralSearch(literals);
  for (let t = 0; t < 300; t++) {
    const text = Array.from({ length: 1 + next(5) }, () => {
      const whole = literals[next(literals.length)].text;
      return next(2) === 0 ? whole.toUpperCase() : whole.slice(next(whole.length));
    }).join('');
    assert.deepEqual(found(search, text), naive(literals, text), text);
  }
});
