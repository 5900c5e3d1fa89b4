import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimedChunks } from '../../server/src/files/timedChunks';

test('chunks start at their least size and are scaled towards the time budget, by at most twice either way', () => {
  const chunks = new TimedChunks(5, 4096, 65536);
  assert.equal(chunks.bytes, 4096);
  chunks.took(1);
  assert.equal(chunks.bytes, 8192, 'five times quicker than the budget: doubled only');
  chunks.took(4);
  assert.equal(chunks.bytes, 10240, 'took 4 ms of 5: scaled by 5/4');
  chunks.took(40);
  assert.equal(chunks.bytes, 5120, 'eight times too slow: halved only');
  chunks.took(80);
  assert.equal(chunks.bytes, 4096, 'never below the least size');
  chunks.took(0);
  assert.equal(chunks.bytes, 8192, 'a chunk too quick to time counts as quick');
  for (let k = 0; k < 10; k++) chunks.took(0.1);
  assert.equal(chunks.bytes, 65536, 'never above the largest size');
  chunks.took(5);
  assert.equal(chunks.bytes, 65536, 'on budget: kept');
});
