import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { COUNTING_BLOCK_BYTES, countingBlock } from '../../server/src/files/newlineCount';

/** Bytes next to a line end's in value (a carry or borrow between bytes would miscount them), and line ends. */
const NEAR_LINE_ENDS = [0x0a, 0x0a, 0x0b, 0x09, 0x08, 0x8a, 0x0d, 0x00, 0xff, 0x7f, 0x80, 0x01, 0x2a, 0x4a];

function expected(bytes: Uint8Array): number {
  return bytes.reduce((count, byte) => count + (byte === 10 ? 1 : 0), 0);
}

test('the line ends of a block are counted exactly, whatever its length and the bytes around them', () => {
  const block = countingBlock();
  assert.equal(block.bytes.length, COUNTING_BLOCK_BYTES);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...NEAR_LINE_ENDS), { maxLength: 300 }), fc.nat({ max: 16 }), (values, garbage) => {
      const bytes = Uint8Array.from(values);
      block.bytes.set(bytes);
      // What lies after the end given is not counted.
      block.bytes.fill(10, bytes.length, bytes.length + garbage);
      assert.equal(block.newlines(bytes.length), expected(bytes));
    }),
    { numRuns: 500 },
  );
});

test('a whole block of line ends, and one of none, are counted to their last byte', () => {
  const block = countingBlock();
  block.bytes.fill(10);
  assert.equal(block.newlines(COUNTING_BLOCK_BYTES), COUNTING_BLOCK_BYTES);
  assert.equal(block.newlines(COUNTING_BLOCK_BYTES - 3), COUNTING_BLOCK_BYTES - 3);
  block.bytes.fill(0x0b);
  assert.equal(block.newlines(COUNTING_BLOCK_BYTES), 0);
  assert.equal(block.newlines(0), 0);
});
