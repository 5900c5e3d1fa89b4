import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { MemoryFileSystem } from '../../server/src/files/fileSystem';
import { LineIndex } from '../../server/src/files/lineIndex';
import { readLineChunks } from '../../server/src/files/lineReader';

const FILE = '/log';

/** Where the reader that the scans use starts each line of `bytes`: what the index must agree with. */
function readerStarts(fs: MemoryFileSystem): number[] {
  const starts: number[] = [];
  for (const chunk of readLineChunks(FILE, { chunkBytes: 4096 }, fs)) starts.push(...chunk.starts);
  return starts;
}

function indexOver(bytes: Buffer): { fs: MemoryFileSystem; index: LineIndex } {
  const fs = new MemoryFileSystem();
  fs.write(FILE, bytes);
  return { fs, index: new LineIndex(fs, FILE, bytes.length) };
}

/** Checks every line's start, asked for in `order`, and that there is no line after the last. */
function check(bytes: Buffer, order: 'forward' | 'backward' | 'counted first'): void {
  const { fs, index } = indexOver(bytes);
  const starts = readerStarts(fs);
  if (order === 'counted first') while (!index.countOn(1000));
  // Each question counts from the nearest kept start, up to a block: a sample of a long file's lines.
  const step = Math.max(1, Math.floor(starts.length / 50));
  const lines = starts.map((_, line) => line).filter((line) => line % step === 0 || line >= starts.length - 3);
  if (order === 'backward') lines.reverse();
  for (const line of lines) assert.deepEqual(index.startOf(line), { line, byte: starts[line] }, `line ${line}`);
  assert.equal(index.startOf(starts.length), undefined, 'no line after the last');
  for (const line of lines) assert.equal(index.endOf(line), starts[line + 1] ?? bytes.length, `end of line ${line}`);
}

const CASES: [string, string | Buffer][] = [
  ['line feeds', 'a\nbb\n\nccc\n'],
  ['no line end after the last line', 'a\nbb'],
  ['CRLF', 'a\r\nbb\r\n\r\nc'],
  ['lone CR', 'a\rbb\r\rc\r'],
  ['mixed', 'a\r\n\rb\n\r\nc\rd'],
  ['one line', 'only'],
  ['UTF-8 beyond ASCII', 'é\n😀\r\nß'],
  // Blocks are a mebibyte: a CRLF split across two blocks is one line end.
  ['a CRLF across the block boundary', Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'x'), Buffer.from('\r\nnext\rlast\n')])],
  ['a lone CR ending a block', Buffer.concat([Buffer.alloc(1024 * 1024 - 1, 'x'), Buffer.from('\rnext\n')])],
  ['many short lines over several blocks', 'line of a log\n'.repeat(200_000)],
];

for (const [name, text] of CASES) {
  for (const order of ['forward', 'backward', 'counted first'] as const) {
    test(`line starts agree with the reader's: ${name}, asked ${order}`, () => check(Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8'), order));
  }
}

test('the empty file has no line', () => {
  const { index } = indexOver(Buffer.alloc(0));
  assert.equal(index.startOf(0), undefined);
  assert.equal(index.countOn(10), true);
});

test('counting ahead a little at a time passes a line longer than each step', () => {
  const bytes = Buffer.concat([Buffer.from('first\n'), Buffer.alloc(3 * 1024 * 1024, 'y'), Buffer.from('\nlast\n')]);
  const { index } = indexOver(bytes);
  let turns = 0;
  while (!index.countOn(64 * 1024)) assert.ok(++turns < 1000, 'counting never ended');
  assert.deepEqual(index.furthest, { line: 3, byte: bytes.length });
  assert.deepEqual(index.startOf(2), { line: 2, byte: bytes.length - 5 });
});

test('a line start learnt from a read is taken as counted', () => {
  const bytes = Buffer.from('a\nb\nc\nd\n');
  const { index } = indexOver(bytes);
  index.learn({ line: 2, byte: 4 });
  assert.deepEqual(index.furthest, { line: 2, byte: 4 });
  assert.deepEqual(index.startOf(3), { line: 3, byte: 6 });
  assert.deepEqual(index.startOf(1), { line: 1, byte: 2 });
});

test('any text split at any line ends has the reader\'s line starts', () => {
  const piece = fc.constantFrom('a', 'bc', 'é', '\n', '\r', '\r\n', ' ');
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
      const bytes = Buffer.from(pieces.join(''), 'utf8');
      const { fs, index } = indexOver(bytes);
      const starts = readerStarts(fs);
      for (let line = starts.length - 1; line >= 0; line--) assert.deepEqual(index.startOf(line), { line, byte: starts[line] });
      assert.equal(index.startOf(starts.length), undefined);
    }),
  );
});
