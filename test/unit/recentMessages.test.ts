import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecentMessages, RepeatGate } from '../../server/src/analysis/templates/recentMessages';

test('recent messages find a repeat, keep one found in the older half, and let the oldest go', () => {
  const recent = new RecentMessages<number>(4);
  recent.set('first message of the log', 1);
  recent.set('second message of the log', 2);
  assert.equal(recent.get('first message of the log'), 1);
  // A third message starts a new half; the first two are now the older one.
  recent.set('third message of the log', 3);
  assert.equal(recent.get('second message of the log'), 2, 'found in the older half, and kept on');
  recent.set('fourth message of the log', 4);
  recent.set('fifth message of the log', 5);
  // The half holding the first went when the fifth came; the second was kept on in the newer half.
  assert.equal(recent.get('first message of the log'), undefined);
  assert.equal(recent.get('second message of the log'), 2);
  assert.ok(recent.size <= 4, `${recent.size} kept`);
});

test('recent messages are found by their words, not by the string they were cut from', () => {
  const recent = new RecentMessages<string>();
  const chunk = 'Jan  1 00:00:01 host cron[1]: (root) CMD (run-parts /etc/cron.hourly)\nJan  1 01:00:01 host cron[2]: (root) CMD (run-parts /etc/cron.hourly)\n';
  const lines = chunk.split('\n');
  recent.set(lines[0].slice(lines[0].indexOf(': ') + 2), 'cron job');
  assert.equal(recent.get(lines[1].slice(lines[1].indexOf(': ') + 2)), 'cron job');
  assert.equal(recent.get('(root) CMD (run-parts /etc/cron.daily)'), undefined);
});

test('a repeat gate shuts after lookups in vain, still looks now and then, and opens on a repeat', () => {
  const gate = new RepeatGate();
  let misses = 0;
  while (gate.open() && misses < 100) {
    gate.missed();
    misses++;
  }
  assert.ok(misses > 0 && misses < 10, `shut after ${misses} misses`);
  let looked = 0;
  for (let i = 0; i < 640; i++) if (gate.open()) looked++;
  assert.ok(looked >= 5 && looked <= 20, `${looked} of 640 looked up while shut`);
  while (!gate.open());
  gate.found();
  gate.found();
  assert.equal(gate.open(), true);
  assert.equal(gate.open(), true, 'stays open while repeats are found');
});
