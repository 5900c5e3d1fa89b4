import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { MaskedMessage, maskInto, maskMessage, normaliseProgram } from '../../server/src/analysis/templates/mask';
import { SequenceIndex } from '../../server/src/analysis/templates/sequenceIndex';
import * as reference from '../support/maskReference';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

// Masking works in place, on character codes, into a reused buffer; the reference cuts every
// token and piece out as a string. Both must give the same tokens for any message.

/** Pieces of the shapes masking tells apart, and the punctuation between them. */
const PIECES = [
  '192.0.2.7', '10.0.0.256', '192.0.2.7:25', '2001:db8::25', 'fe80::1%eth0', '::ffff:192.0.2.1', 'mail.example.com', 'spam.shop', 'main.cf', 'dfs.DataNode', 'a.b.c:8080',
  'alice@example.org', '/var/log/syslog', '~/x', './run', 'http://x.test/a', '0x1F', '0xZZ', '250ms', '4.5s', '512MB', '12%', '1.2.3', '-7', '+3', '2024-03-05', '2024-03-05T10:11:12Z',
  '10:11:12', '00:00:01', 'deadbeefcafe', 'ABCDEF12', 'ABCDEFAB', 'oA8LnYiw021929', '1VxPit-000MMd-U4', 'blk_123456789', '123e4567-e89b-12d3-a456-426614174000', '00:1a:2b:3c:4d:5e',
  'status', 'sent', 'ESMTP', 'x'.repeat(300), '"quoted text"', '""', "'q'", 'uid=0', 'tty=pts/0', 'key==v1', 'é', '\u0000', '\ud800', 'ｘ１',
];
const GLUE = [' ', '  ', '\t', '=', ',', ';', ':', '[', ']', '(', ')', '<', '>', '{', '}', '|', '"', "'", '.', '!', '?', '*', '#', '$', '-', '/', '@', ''];

function maskedTokens(message: string): string[] {
  const out = new MaskedMessage();
  maskInto(message, out);
  return out.tokens();
}

test('masking equals the reference on messages glued from value shapes and punctuation', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...PIECES), fc.constantFrom(...GLUE)), { maxLength: 12 }), (parts) => {
      const message = parts.map(([piece, glue]) => piece + glue).join('');
      const expected = reference.maskMessage(message);
      assert.deepEqual(maskMessage(message), expected);
      assert.deepEqual(maskedTokens(message), expected);
    }),
    { numRuns: 3000, seed: 5 },
  );
});

test('masking equals the reference on random text of the characters it tests', () => {
  const alphabet = fc.constantFrom(...'0123456789abcdefABCDEFxXTZmsgk.:-/+_@=%~"\'[](){}<>,;|!?*#$ \t\r\u000b\u000céü\u0000\ud83d');
  fc.assert(
    fc.property(fc.array(alphabet, { maxLength: 80 }), (chars) => {
      const message = chars.join('');
      assert.deepEqual(maskMessage(message), reference.maskMessage(message));
    }),
    { numRuns: 5000, seed: 9 },
  );
});

test('masking equals the reference at the limits: a long quoted run, the token cap, a huge token', () => {
  const messages = [
    `say "${'a '.repeat(300)}" done`,
    `say "${'a '.repeat(200)}" done`,
    `k="${'b '.repeat(100)}"x more`,
    Array.from({ length: 400 }, (_, i) => `w${i}`).join(' '),
    'x,'.repeat(20_000),
    `${'1'.repeat(257)} ${'a'.repeat(257)}`,
  ];
  for (const message of messages) assert.deepEqual(maskMessage(message), reference.maskMessage(message), message.slice(0, 60));
});

test('program names normalise as the reference does', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...'abcXYZ/-_.[]: 0123\tİ'), { maxLength: 20 }), (chars) => {
      const tag = chars.join('');
      assert.equal(normaliseProgram(tag), reference.normaliseProgram(tag));
    }),
    { numRuns: 3000, seed: 3 },
  );
  for (const tag of ['postfix/smtpd[123]:', 'CRON[9]:', ' sshd: ', 'kernel', '', undefined]) assert.equal(normaliseProgram(tag), reference.normaliseProgram(tag));
});

test('the sequence index finds each key it filed, by its text or masked in place, and no other', () => {
  const index = new SequenceIndex();
  const keys: { key: string }[] = [];
  const masked = new MaskedMessage();
  for (let i = 0; i < 5000; i++) {
    const program = `p${i % 7}`;
    maskInto(`message ${i % 13 === 0 ? 'x' : 'y'}${i} at [192.0.2.${i % 250}]`, masked);
    const key = `${program}\u0001${masked.text()}`;
    if (index.find(key, keys) !== undefined) continue;
    index.add(key, keys.length);
    keys.push({ key });
  }
  assert.ok(keys.length === 5000, `${keys.length} distinct keys`);
  for (let id = 0; id < keys.length; id++) assert.equal(index.find(keys[id].key, keys), id);
  maskInto('message y1 at [192.0.2.1]', masked);
  assert.equal(index.findMasked('p1', masked, keys), 1);
  assert.equal(index.findMasked('p2', masked, keys), undefined);
  maskInto('message y1 at [192.0.2.1] more', masked);
  assert.equal(index.findMasked('p1', masked, keys), undefined);
});

const corpus = corpusFolder();

test('over the real-log corpus, masking equals the reference on every line', { skip: corpus ? false : CORPUS_SKIP }, () => {
  const files = (folder: string): string[] =>
    fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(folder, entry.name);
      if (entry.isDirectory()) return files(file);
      return entry.isFile() && !/\.(gz|bz2|xz|zip|json|md|tsv)$/.test(entry.name) ? [file] : [];
    });
  let lines = 0;
  let masked = 0;
  const differing: string[] = [];
  for (const file of files(corpus!)) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n').slice(0, 2000)) {
      lines++;
      const expected = reference.maskMessage(line);
      if (expected.join(' ') !== line.trim().split(/[ \t\r\v\f]+/).join(' ')) masked++;
      if (maskMessage(line).join('\u0000') !== expected.join('\u0000')) differing.push(`${file}: ${line}`);
    }
  }
  assert.ok(lines > 10_000 && masked > 1000, `${lines} lines, ${masked} with a value masked`);
  assert.deepEqual(differing.slice(0, 5), []);
});
