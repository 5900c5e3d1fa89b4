import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TriageGroupDto } from '../../server/src/protocol';
import { DEFAULT_TOP, UnusualFilter, cleanUnusualFilter, describeUnusualFilter, visibleGroups } from '../../client/src/unusualFilter';

/** A ranked group with only what the filter reads set apart; `rank` names it in the checks. */
function group(rank: number, kind: TriageGroupDto['kind'], severity: TriageGroupDto['severity'], rhythm: TriageGroupDto['rhythm']): TriageGroupDto {
  return {
    rank, kind, severity, rhythm, ruleId: kind === 'rare' ? 'rare/line' : `rule/${rank}`, title: `group ${rank}`, count: 1, file: 'messages', line: rank, time: null, text: '', score: 0, reasons: [],
    uri: 'file:///messages', range: { start: { line: rank - 1, character: 0 }, end: { line: rank - 1, character: 0 } },
  };
}

const RANKED = [
  group(1, 'finding', 'error', 'once'),
  group(2, 'finding', 'warning', 'starts'),
  group(3, 'rare', 'information', 'once'),
  group(4, 'finding', 'warning', 'steady'),
  group(5, 'finding', 'hint', 'burst'),
  group(6, 'rare', 'information', 'few'),
  group(7, 'finding', 'error', 'steady'),
];

describe('the What\'s Unusual filter', () => {
  const cases: { filter: UnusualFilter; ranks: number[] }[] = [
    { filter: {}, ranks: [1, 2, 3, 4, 5, 6, 7] },
    { filter: { kind: 'rare' }, ranks: [3, 6] },
    { filter: { kind: 'finding' }, ranks: [1, 2, 4, 5, 7] },
    { filter: { minSeverity: 'error' }, ranks: [1, 7] },
    { filter: { minSeverity: 'warning' }, ranks: [1, 2, 4, 7] },
    { filter: { minSeverity: 'information' }, ranks: [1, 2, 3, 4, 6, 7] },
    { filter: { hideBackground: true }, ranks: [1, 2, 3, 5, 6] },
    { filter: { kind: 'finding', minSeverity: 'warning', hideBackground: true }, ranks: [1, 2] },
    { filter: { top: 3 }, ranks: [1, 2, 3] },
    // The limit counts the groups that pass, so a narrow filter still fills the list.
    { filter: { hideBackground: true, top: 4 }, ranks: [1, 2, 3, 5] },
  ];
  for (const { filter, ranks } of cases) {
    it(`keeps ranks ${ranks.join(', ')} for ${JSON.stringify(filter)}`, () => {
      assert.deepEqual(visibleGroups(filter, RANKED).map((g) => g.rank), ranks);
    });
  }

  it(`lists at most ${DEFAULT_TOP} groups when the filter names no number`, () => {
    const many = Array.from({ length: DEFAULT_TOP + 20 }, (_, i) => group(i + 1, 'finding', 'warning', 'once'));
    assert.deepEqual(visibleGroups({}, many).map((g) => g.rank), many.slice(0, DEFAULT_TOP).map((g) => g.rank));
  });

  it('says what it keeps in a few words, and nothing when it keeps everything', () => {
    assert.equal(describeUnusualFilter({}), '');
    assert.equal(describeUnusualFilter({ top: DEFAULT_TOP }), '');
    assert.equal(describeUnusualFilter({ kind: 'rare', minSeverity: 'warning', hideBackground: true, top: 20 }), 'rare lines; warning or worse; no background; top 20');
  });

  it('takes from a command argument only the fields of the right shape', () => {
    assert.equal(cleanUnusualFilter(undefined), undefined);
    assert.equal(cleanUnusualFilter('rare'), undefined);
    assert.deepEqual(cleanUnusualFilter({ kind: 'rare', minSeverity: 'fatal', hideBackground: 'yes', top: 2.5 }), { kind: 'rare' });
    assert.deepEqual(cleanUnusualFilter({ kind: 'finding', minSeverity: 'error', hideBackground: true, top: 5 }), { kind: 'finding', minSeverity: 'error', hideBackground: true, top: 5 });
    assert.deepEqual(cleanUnusualFilter({ top: 0 }), {});
  });
});
