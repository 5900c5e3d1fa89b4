import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { countBuckets } from '../../server/src/analysis/correlate/buckets';
import { MIN_WINDOW_MS, clampWindow, densestStretch, panBy, zoomAt } from '../../server/src/analysis/correlate/chartWindow';
import { analyzeText } from '../support/catalogue';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const at = (iso: string): number => Date.parse(iso);
const EXTENT = { from: at('2010-11-01T00:00:00Z'), to: at('2010-11-15T00:00:00Z') };
/** The instant at `place` (0 to 1) across `window`. */
const instantAt = (window: { from: number; to: number }, place: number): number => window.from + place * (window.to - window.from);

describe('zoomAt', () => {
  it('keeps the instant under the pointer at the same place across the chart', () => {
    const shown = { from: at('2010-11-08T00:00:00Z'), to: at('2010-11-09T00:00:00Z') };
    for (const [place, factor] of [[0.25, 0.5], [0.9, 0.5], [0.1, 2]]) {
      const next = zoomAt(shown, place, factor, EXTENT);
      assert.equal(next.to - next.from, (shown.to - shown.from) * factor);
      assert.equal(instantAt(next, place), instantAt(shown, place), `pointer at ${place}, factor ${factor}`);
    }
  });

  it('never leaves the data however often it zooms out near an edge', () => {
    let shown = { from: at('2010-11-14T20:00:00Z'), to: at('2010-11-14T22:00:00Z') };
    for (let i = 0; i < 30; i++) {
      shown = zoomAt(shown, 0.95, 2, EXTENT);
      assert.ok(shown.from >= EXTENT.from && shown.to <= EXTENT.to, `step ${i}: ${new Date(shown.from).toISOString()} to ${new Date(shown.to).toISOString()}`);
    }
    assert.deepEqual(shown, EXTENT);
  });

  it('slides a zoom out at the edge back inside the data, keeping the new width', () => {
    const shown = { from: EXTENT.from + HOUR, to: EXTENT.from + 3 * HOUR };
    const next = zoomAt(shown, 0.9, 2, EXTENT);
    assert.deepEqual(next, { from: EXTENT.from, to: EXTENT.from + 4 * HOUR });
  });

  it('stops zooming in at the narrowest window', () => {
    const shown = { from: at('2010-11-08T16:49:00Z'), to: at('2010-11-08T16:49:12Z') };
    const next = zoomAt(shown, 0.5, 0.5, EXTENT);
    assert.equal(next.to - next.from, MIN_WINDOW_MS);
  });
});

describe('panBy', () => {
  const shown = { from: at('2010-11-08T12:00:00Z'), to: at('2010-11-08T18:00:00Z') };

  it('brings earlier times into view when dragged right, later ones when dragged left', () => {
    assert.deepEqual(panBy(shown, 0.5, EXTENT), { from: shown.from - 3 * HOUR, to: shown.to - 3 * HOUR });
    assert.deepEqual(panBy(shown, -0.25, EXTENT), { from: shown.from + 1.5 * HOUR, to: shown.to + 1.5 * HOUR });
  });

  it('stops at the edge of the data without changing the width', () => {
    const far = panBy(shown, -1000, EXTENT);
    assert.deepEqual(far, { from: EXTENT.to - 6 * HOUR, to: EXTENT.to });
  });
});

describe('clampWindow', () => {
  it('gives the whole span for a window as wide or wider', () => {
    assert.deepEqual(clampWindow({ from: EXTENT.from - DAY, to: EXTENT.to + DAY }, EXTENT), EXTENT);
  });
});

describe('densestStretch', () => {
  const incident = [
    '2010-11-08T16:45:10Z', '2010-11-08T16:49:42Z', '2010-11-08T16:49:45Z', '2010-11-08T16:50:38Z', '2010-11-08T17:02:00Z', '2010-11-08T17:20:00Z',
  ].map(at);

  it('opens on the stretch holding the incident and leaves a stray finding days away off-screen', () => {
    const stray = at('2010-11-02T03:00:00Z');
    const window = densestStretch([stray, ...incident], EXTENT);
    for (const t of incident) assert.ok(t >= window.from && t < window.to, new Date(t).toISOString());
    assert.ok(stray < window.from);
    assert.ok(window.to - window.from < 2 * HOUR, `${(window.to - window.from) / HOUR} h`);
  });

  it('shows everything when there is no timed finding or the findings fill the span', () => {
    assert.deepEqual(densestStretch([], EXTENT), EXTENT);
    assert.deepEqual(densestStretch([NaN], EXTENT), EXTENT);
    const everyDay = Array.from({ length: 14 }, (_, i) => EXTENT.from + i * DAY + HOUR);
    assert.deepEqual(densestStretch(everyDay, EXTENT), EXTENT);
  });

  it('keeps the incident readable beside a log years away: buckets of minutes, not months', () => {
    const lines = (texts: string[]): ReturnType<typeof analyzeText> => analyzeText(texts.join('\n'));
    const gateway = lines([
      '2010-11-08T16:45:01+00:00 drjmailgw cron[2201]: (root) CMD (sa1)',
      '2010-11-08T16:49:42+00:00 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
      '2010-11-08T16:49:45+00:00 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
    ]);
    const old = lines(['2006-03-01T10:00:00+00:00 oldhost cron[1]: (root) CMD (sa1)']);
    const logs = [{ file: 'gateway', ...gateway }, { file: 'old', ...old }];
    const all = countBuckets(logs);
    assert.ok(all.bucketMs >= 7 * DAY, `the whole span is charted in ${all.bucketMs / DAY} d buckets`);
    const times = logs.flatMap((log) => log.findings.map((f) => f.time));
    assert.ok(times.length > 0, 'the gateway log has findings');
    const window = densestStretch(times, { from: all.from, to: all.from + all.count * all.bucketMs });
    const zoomed = countBuckets(logs, { from: window.from, to: window.to });
    assert.ok(zoomed.bucketMs <= 5 * 60_000, `${zoomed.bucketMs / 1000} s buckets`);
    const findings = zoomed.byFile.find((g) => g.key === 'gateway')?.findings.reduce((a, b) => a + b, 0);
    assert.equal(findings, times.length);
  });
});
