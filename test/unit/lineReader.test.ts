import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import fsModule from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as fc from 'fast-check';
import { LineChunk, LineChunkOptions, LineOffsets, nextLineStart, readLineChunks } from '../../server/src/files/lineReader';
import { DiskLines } from '../../server/src/files/diskLines';
import { splitLines } from '../../server/src/analysis/parse/text';

let folder: string;
before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-lines-'));
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

let fileCount = 0;
function fileWith(bytes: Buffer | string): string {
  const file = path.join(folder, `log-${fileCount++}.log`);
  fs.writeFileSync(file, bytes);
  return file;
}

interface Read {
  chunks: LineChunk[];
  lines: string[];
  starts: number[];
}

function readAll(file: string, options?: LineChunkOptions): Read {
  const chunks = [...readLineChunks(file, options)];
  return { chunks, lines: chunks.flatMap((chunk) => chunk.lines), starts: chunks.flatMap((chunk) => [...chunk.starts]) };
}

/** Where each line starts, found byte by byte the way `splitLines` walks characters. */
function expectedStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 10 || bytes[i] === 13) {
      starts.push(start);
      if (bytes[i] === 13 && bytes[i + 1] === 10) i++;
      start = i + 1;
    }
  }
  if (start < bytes.length) starts.push(start);
  return starts;
}

/** Reads `bytes` from disk in chunks of `chunkBytes` and checks everything against `splitLines`. */
function assertReadsLikeSplitLines(bytes: Buffer, chunkBytes?: LineChunkOptions['chunkBytes']): Read {
  const file = fileWith(bytes);
  const expected = splitLines(bytes.toString('utf8'));
  const read = readAll(file, chunkBytes === undefined ? undefined : { chunkBytes });
  const where = `${JSON.stringify(bytes.toString('latin1'))} in chunks of ${typeof chunkBytes === 'function' ? 'changing sizes' : chunkBytes}`;
  assert.deepEqual(read.lines, expected, where);
  assert.deepEqual(read.starts, expectedStarts(bytes), where);
  for (const [k, start] of read.starts.entries()) {
    const rest = bytes.subarray(start).toString('utf8');
    assert.ok(rest.startsWith(expected[k]), `${where}: line ${k} starts at ${start}`);
  }
  for (const [k, chunk] of read.chunks.entries()) {
    assert.equal(chunk.lines.length, chunk.starts.length, where);
    assert.ok(chunk.lines.length > 0, `${where}: chunk ${k} is empty`);
    const next = read.chunks[k + 1];
    assert.equal(chunk.endByte, next === undefined ? bytes.length : next.starts[0], `${where}: chunk ${k} ends where the next begins`);
  }

  const offsets = new LineOffsets();
  for (const chunk of read.chunks) offsets.push(chunk.starts);
  assert.equal(offsets.length, expected.length, where);
  const starts = offsets.finish(read.chunks.at(-1)?.endByte ?? 0);
  assert.deepEqual([...starts], [...read.starts, bytes.length], where);

  const disk = new DiskLines(file, starts);
  try {
    assert.equal(disk.path, file);
    assert.equal(disk.length, expected.length, where);
    for (let k = 0; k < expected.length; k++) assert.equal(disk.line(k), expected[k], `${where}: DiskLines line ${k}`);
    assert.equal(disk.line(expected.length), '');
    assert.equal(disk.line(-1), '');
  } finally {
    disk.close();
  }
  return read;
}

/** Cuts the file at `cuts` moved to line starts, reads each range, and checks they add up to the whole. */
function assertRangesReassemble(bytes: Buffer, cuts: number[], chunkBytes: number): void {
  const file = fileWith(bytes);
  const whole = splitLines(bytes.toString('utf8'));
  const lineStarts = expectedStarts(bytes);
  const bounds = [0];
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    const start = nextLineStart(file, cut);
    const smallest = lineStarts.find((s) => s >= cut) ?? bytes.length;
    assert.equal(start, smallest, `nextLineStart(${cut}) in ${JSON.stringify(bytes.toString('latin1'))}`);
    bounds.push(start);
  }
  bounds.push(bytes.length);
  const pieces: string[] = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const read = readAll(file, { fromByte: bounds[k], toByte: bounds[k + 1], chunkBytes });
    for (const start of read.starts) assert.ok(start >= bounds[k] && start < bounds[k + 1], `line start ${start} outside [${bounds[k]}, ${bounds[k + 1]})`);
    pieces.push(...read.lines);
  }
  assert.deepEqual(pieces, whole, `ranges ${bounds.join(', ')} of ${JSON.stringify(bytes.toString('latin1'))}`);
}

const SMALL_CHUNKS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 16];

test('CRLF, lone CR and LF line ends split as splitLines splits them, at every chunk size', () => {
  const cases = ['a\r\nb\rc\nd', 'a\r\rb\n\rc\r\n\r\n', '\r', '\n', '\r\n', '\n\r', '\r\r\n\n', 'no line end', 'ends with CR\r', 'ends with CRLF\r\n'];
  for (const text of cases) {
    for (const chunkBytes of SMALL_CHUNKS) assertReadsLikeSplitLines(Buffer.from(text), chunkBytes);
    assertReadsLikeSplitLines(Buffer.from(text));
  }
});

test('a CR at the end of one read and an LF at the start of the next make one line end', () => {
  // With reads of 7 bytes the CR is the 7th byte of the first read.
  const read = assertReadsLikeSplitLines(Buffer.from('abcdef\r\nghijkl\r\nmn'), 7);
  assert.deepEqual(read.lines, ['abcdef', 'ghijkl', 'mn']);
  assert.deepEqual(read.starts, [0, 8, 16]);
  assert.ok(read.chunks.length > 1, 'the text should span several reads');
  // And a lone CR there stays a line end of its own.
  assert.deepEqual(assertReadsLikeSplitLines(Buffer.from('abcdef\rghijkl\r\rmn'), 7).lines, ['abcdef', 'ghijkl', '', 'mn']);
});

test('multi-byte characters cut by a read boundary decode whole, and starts count bytes', () => {
  const bytes = Buffer.from('abcdé\nfgh€ij\n😀x\r\nyé');
  for (const chunkBytes of SMALL_CHUNKS) {
    const read = assertReadsLikeSplitLines(bytes, chunkBytes);
    assert.deepEqual(read.lines, ['abcdé', 'fgh€ij', '😀x', 'yé']);
    assert.deepEqual(read.starts, [0, 7, 16, 23]);
  }
});

test('invalid UTF-8 and NUL bytes decode as Buffer.toString does', () => {
  const cases = [
    Buffer.from([0x61, 0xff, 0x0a, 0xc3, 0x0a, 0xe2, 0x82, 0x0d, 0x62, 0xc3]),
    Buffer.from([0xc3, 0xc3, 0xa9, 0xa9, 0x0d, 0x0a, 0xf0, 0x9f, 0x98, 0x0a, 0xff, 0xfe]),
    Buffer.from([0x00, 0x0a, 0x00, 0x00, 0x0d, 0x61, 0x00]),
  ];
  for (const bytes of cases) {
    for (const chunkBytes of SMALL_CHUNKS) assertReadsLikeSplitLines(bytes, chunkBytes);
  }
  assert.deepEqual(readAll(fileWith(cases[2])).lines, ['\0', '\0\0', 'a\0']);
});

test('an empty file has no lines', () => {
  const read = assertReadsLikeSplitLines(Buffer.alloc(0));
  assert.deepEqual(read.lines, []);
  assert.equal(nextLineStart(fileWith(''), 5), 0);
});

test('the last line needs no line end', () => {
  assert.deepEqual(assertReadsLikeSplitLines(Buffer.from('first\nlast'), 4).lines, ['first', 'last']);
  assert.deepEqual(assertReadsLikeSplitLines(Buffer.from('only'), 2).lines, ['only']);
});

test('a line longer than the read size comes out whole', () => {
  const long = 'x'.repeat(1000);
  const read = assertReadsLikeSplitLines(Buffer.from(`a\n${long}\r\nb\r${long}`), 7);
  assert.deepEqual(read.lines, ['a', long, 'b', long]);
});

test('a 10 MB line without a line end is one line with the default read size', () => {
  const long = Buffer.alloc(10 * 1024 * 1024, 'y');
  const read = readAll(fileWith(long));
  assert.equal(read.lines.length, 1);
  assert.equal(read.lines[0].length, long.length);
  assert.equal(read.chunks[0].endByte, long.length);
});

test('toByte stops before the first line starting at or after it and reads a line it cuts whole', () => {
  const file = fileWith('aaaa\nbbbb\r\ncccc\rdddd');
  assert.deepEqual(readAll(file, { toByte: 2 }).lines, ['aaaa']);
  assert.deepEqual(readAll(file, { toByte: 5 }).lines, ['aaaa']);
  assert.deepEqual(readAll(file, { toByte: 6 }).lines, ['aaaa', 'bbbb']);
  assert.deepEqual(readAll(file, { fromByte: 5, toByte: 16 }).lines, ['bbbb', 'cccc']);
  assert.deepEqual(readAll(file, { fromByte: 11, chunkBytes: 3 }).lines, ['cccc', 'dddd']);
  assert.deepEqual(readAll(file, { fromByte: 5, toByte: 5 }).lines, []);
  assert.deepEqual(readAll(file, { fromByte: 100 }).lines, []);
  assert.equal(readAll(file, { toByte: 6, chunkBytes: 3 }).chunks.at(-1)?.endByte, 11);
});

test('nextLineStart finds the first line start at or after a byte', () => {
  const file = fileWith('ab\r\ncd\ref\ngh');
  const expected = [0, 4, 4, 4, 4, 7, 7, 7, 10, 10, 10, 12, 12, 12, 12];
  for (const [byte, start] of expected.entries()) assert.equal(nextLineStart(file, byte), start, `from ${byte}`);
  assert.equal(nextLineStart(fileWith('ab\r'), 1), 3);
  assert.equal(nextLineStart(fileWith('no end'), 2), 6);
});

test('line ends far from the asked byte are found past the first block', () => {
  const bytes = Buffer.concat([Buffer.from('a\n'), Buffer.alloc(200_000, 'b'), Buffer.from('\r'), Buffer.from('\nc')]);
  const file = fileWith(bytes);
  assert.equal(nextLineStart(file, 3), 200_004);
  assertRangesReassemble(bytes, [3, 100_000, 200_003], 4096);
});

test('LineOffsets grows past its first capacity and ends with the end byte', () => {
  const offsets = new LineOffsets();
  const expected: number[] = [];
  for (let chunk = 0; chunk < 30; chunk++) {
    const starts = Float64Array.from({ length: 300 }, (_, k) => expected.length + k);
    offsets.push(starts);
    expected.push(...starts);
  }
  offsets.push(new Float64Array(0));
  assert.equal(offsets.length, 9000);
  const finished = offsets.finish(123_456);
  assert.equal(finished.length, 9001);
  assert.deepEqual([...finished], [...expected, 123_456]);
});

test('DiskLines reads lines that cross a block boundary and lines longer than a block', () => {
  const lines = ['x'.repeat(65_530), 'crosses the 64 KiB boundary', 'é'.repeat(40_000), 'z'.repeat(70_000), 'last'];
  const bytes = Buffer.from(lines.join('\r\n'));
  const read = assertReadsLikeSplitLines(bytes);
  assert.deepEqual(read.lines, lines);
  const offsets = new LineOffsets();
  offsets.push(Float64Array.from(read.starts));
  const disk = new DiskLines(fileWith(bytes), offsets.finish(bytes.length));
  try {
    // Out of order, so blocks come from the cache and from the disk.
    for (const k of [4, 1, 0, 3, 2, 1, 4]) assert.equal(disk.line(k), lines[k], `line ${k}`);
  } finally {
    disk.close();
  }
});

/** `count` numbered syslog lines in a file, read back through `DiskLines` with the offsets a scan finds. */
function numberedDiskLines(count: number): { lines: string[]; disk: DiskLines } {
  const lines = Array.from({ length: count }, (_, k) => `Mar  1 10:00:00 host prog[${k}]: message number ${k}`);
  const bytes = Buffer.from(lines.join('\n'));
  const file = fileWith(bytes);
  const offsets = new LineOffsets();
  for (const chunk of readLineChunks(file)) offsets.push(chunk.starts);
  return { lines, disk: new DiskLines(file, offsets.finish(bytes.length)) };
}

test('DiskLines reads a screenful of neighbouring lines with a few block reads and then from its cache', (t) => {
  const { lines, disk } = numberedDiskLines(5000);
  // The module object itself, so the reads DiskLines makes through it are counted.
  const reads = t.mock.method(fsModule, 'readSync');
  try {
    for (let k = 1000; k <= 1100; k++) assert.equal(disk.line(k), lines[k]);
    assert.ok(reads.mock.callCount() >= 1 && reads.mock.callCount() <= 2, `${reads.mock.callCount()} reads for 101 lines`);
    const before = reads.mock.callCount();
    for (let k = 1100; k >= 1000; k--) assert.equal(disk.line(k), lines[k]);
    assert.equal(reads.mock.callCount(), before, 'lines read again come from the cache');
  } finally {
    disk.close();
  }
});

test('DiskLines reads a line far from the one before alone, not its whole block', (t) => {
  const { lines, disk } = numberedDiskLines(40_000);
  const reads = t.mock.method(fsModule, 'readSync');
  try {
    // Scattered, as the findings of a whole log are when they are ranked.
    const scattered = [39_000, 3_000, 21_000, 9_000, 33_000, 15_000];
    for (const k of scattered) assert.equal(disk.line(k), lines[k], `line ${k}`);
    const sizes = reads.mock.calls.map((call) => (call.arguments[1] as Buffer).length);
    assert.deepEqual(sizes, scattered.map((k) => Buffer.byteLength(`${lines[k]}\n`)), 'one read of each line\'s own bytes');
    // Its neighbours next: their block is read once, then they come from the cache.
    const before = reads.mock.callCount();
    for (let k = 15_001; k <= 15_100; k++) assert.equal(disk.line(k), lines[k]);
    assert.ok(reads.mock.callCount() - before <= 2, `${reads.mock.callCount() - before} reads for 100 neighbours`);
  } finally {
    disk.close();
  }
});

test('DiskLines gives empty lines, not errors, once the file has shrunk or is gone', () => {
  const lines = Array.from({ length: 3000 }, (_, k) => `line ${k} ${'-'.repeat(k % 97)}`);
  const bytes = Buffer.from(lines.join('\n'));
  const file = fileWith(bytes);
  const offsets = new LineOffsets();
  for (const chunk of readLineChunks(file)) offsets.push(chunk.starts);
  const starts = offsets.finish(bytes.length);
  assert.ok(bytes.length > 2 * 65_536, 'the lines should span several blocks');

  const disk = new DiskLines(file, starts);
  try {
    assert.equal(disk.line(0), lines[0]);
    fs.truncateSync(file, 1000);
    assert.equal(disk.line(2999), '');
    assert.equal(disk.line(0), lines[0]);
  } finally {
    disk.close();
  }

  const gone = new DiskLines(path.join(folder, 'missing.log'), starts);
  assert.equal(gone.line(0), '');
  gone.close();
});

const BYTE_ALPHABET = [0x0d, 0x0a, 0x61, 0xc3, 0xa9, 0xff, 0x00, 0xe2, 0x82, 0xac, 0xf0, 0x9f];

test('random bytes read in random chunk sizes give splitLines, byte offsets, ranges and disk lines', () => {
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...BYTE_ALPHABET), { maxLength: 120 }),
      fc.integer({ min: 1, max: 64 }),
      fc.array(fc.nat({ max: 130 }), { maxLength: 4 }),
      (values, chunkBytes, cuts) => {
        const bytes = Buffer.from(values);
        assertReadsLikeSplitLines(bytes, chunkBytes);
        assertRangesReassemble(bytes, cuts, chunkBytes);
      },
    ),
    { numRuns: 400 },
  );
});

test('chunks sized anew before each read give the same lines, each within its size but for a longer line', () => {
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...BYTE_ALPHABET), { maxLength: 160 }), fc.array(fc.integer({ min: 1, max: 24 }), { minLength: 1, maxLength: 6 }), (values, sizes) => {
      const bytes = Buffer.from(values);
      let asks = 0;
      let asked = 0;
      const nextSize = (): number => (asked = sizes[asks++ % sizes.length]);
      assertReadsLikeSplitLines(bytes, nextSize);
      // Chunk by chunk: the size asked last before a chunk came is the one it was read with.
      asks = 0;
      for (const chunk of readLineChunks(fileWith(bytes), { chunkBytes: nextSize })) {
        const span = chunk.endByte - chunk.starts[0];
        const firstLine = (chunk.starts.length > 1 ? chunk.starts[1] : chunk.endByte) - chunk.starts[0];
        assert.ok(span <= Math.max(asked, 2 * (firstLine + 1)), `a chunk of ${span} bytes read with ${asked} asked (its first line ${firstLine})`);
      }
    }),
    { numRuns: 400 },
  );
});
