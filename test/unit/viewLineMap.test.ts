import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MARKER_ROW, MAX_VIEW_LINES, buildLineMap, lineMapOf, logLineOf, rowOf, viewText } from '../../server/src/analysis/views/lineMap';
import { viewSourceOf } from '../../server/src/analysis/views/source';
import { readViewSpec } from '../../server/src/analysis/views/spec';
import { foldingRangesFor } from '../../server/src/toLsp/folding';
import { analyzeText } from '../support/catalogue';

const stamp = (i: number) => `Nov  8 16:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
const GREETING = (i: number) => `${stamp(i)} relay1 sendmail[${30000 + i}]: oA8LnYiw0${String(21900 + i)}: timeout waiting for input from drjmailgw during client greeting`;
const SENT = (i: number) => `${stamp(i)} relay1 sendmail[${20000 + i}]: oA8L${String(i).padStart(2, '0')}aa0210${i}: to=<a@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent`;

/** A log whose findings (client greeting timeouts) sit on the given lines, every other line routine mail. */
function logWithFindingsAt(count: number, flagged: readonly number[]) {
  const lines = Array.from({ length: count }, (_, i) => (flagged.includes(i) ? GREETING(i) : SENT(i)));
  return { lines, log: analyzeText(lines.join('\n')) };
}

const shownLines = (rows: Int32Array) => [...rows].filter((line) => line !== MARKER_ROW);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => from + k);

test('a findings view holds each finding with its context; overlapping windows join, apart ones get a marker counting the lines between', () => {
  const { log, lines } = logWithFindingsAt(40, [5, 8, 20, 39]);
  assert.deepEqual(log.findings.map((f) => f.line), [5, 8, 20, 39], 'the greeting timeouts are the findings');
  const map = buildLineMap(viewSourceOf(log), { kind: 'findings', context: 2 });
  // 3..7 and 6..10 overlap into 3..10; 18..22; 37..39 (the log ends at 39).
  assert.deepEqual(shownLines(map.rows), [...range(3, 10), ...range(18, 22), ...range(37, 39)]);
  const text = viewText(map, (line) => lines[line]).split('\n');
  assert.equal(text.length, map.rows.length);
  assert.equal(text[8], '⋯ 7 lines not shown', 'lines 11..17 are left out');
  assert.equal(text[14], '⋯ 14 lines not shown', 'lines 23..36 are left out');
  assert.equal(text[0], lines[3]);
  assert.equal(map.cutLines, 0);
});

test('context 0 holds the flagged lines alone, and adjacent findings need no marker between them', () => {
  const { log } = logWithFindingsAt(12, [4, 5, 9]);
  const map = buildLineMap(viewSourceOf(log), { kind: 'findings', context: 0 });
  assert.deepEqual([...map.rows], [4, 5, MARKER_ROW, 9]);
  assert.equal(map.markers.get(2), '⋯ 3 lines not shown');
});

test('rows map to log lines and back; a marker row maps to none', () => {
  const { log } = logWithFindingsAt(40, [5, 20]);
  const map = buildLineMap(viewSourceOf(log), { kind: 'findings', context: 1 });
  for (let row = 0; row < map.rows.length; row++) {
    const line = logLineOf(map, row);
    if (map.rows[row] === MARKER_ROW) assert.equal(line, undefined);
    else assert.equal(rowOf(map, line!), row);
  }
  assert.equal(rowOf(map, 12), undefined, 'a line the view leaves out has no row');
  assert.equal(rowOf(map, 39), undefined);
  assert.equal(logLineOf(map, map.rows.length), undefined);
  assert.equal(logLineOf(map, -1), undefined);
});

test('one program or one host: the lines whose entry it wrote, continuation lines going with their entry', () => {
  const lines = [
    'Nov  8 16:00:01 relay1 sshd[10]: Accepted publickey for root from 10.0.0.1 port 22 ssh2',
    'Nov  8 16:00:02 relay1 cron[11]: (root) CMD (run-parts /etc/cron.hourly)',
    'Nov  8 16:00:03 gw2 sshd[12]: Connection closed by 10.0.0.2',
    '    continued text of that entry',
    'Nov  8 16:00:04 gw2 cron[13]: (root) CMD (true)',
    'Nov  8 16:00:05 relay1 cron[14]: (root) CMD (true)',
    'Nov  8 16:00:06 relay1 sshd[15]: Disconnected from 10.0.0.1',
  ];
  const source = viewSourceOf(analyzeText(lines.join('\n')));
  const sshd = buildLineMap(source, { kind: 'program', program: 'sshd' });
  assert.deepEqual([...sshd.rows], [0, MARKER_ROW, 2, 3, MARKER_ROW, 6]);
  assert.deepEqual([...sshd.markers.values()], ['⋯ 1 line not shown', '⋯ 2 lines not shown']);
  const gw2 = buildLineMap(source, { kind: 'host', host: 'gw2' });
  assert.deepEqual([...gw2.rows], [2, 3, 4], 'one run: no marker before or after it');
  assert.equal(buildLineMap(source, { kind: 'host', host: 'nowhere' }).rows.length, 0);
  assert.equal(buildLineMap(source, { kind: 'program', program: 'SSHD' }).rows.length, 0, 'names are compared exactly');
});

test('a view with nothing to show is empty: no findings, a window before the log', () => {
  const { log } = logWithFindingsAt(10, []);
  const source = viewSourceOf(log);
  const none = buildLineMap(source, { kind: 'findings', context: 3 });
  assert.equal(none.rows.length, 0);
  assert.equal(viewText(none, () => 'x'), '');
  assert.equal(buildLineMap(source, { kind: 'time', from: '2010-11-07T00:00:00Z', to: '2010-11-07T23:00:00Z' }).rows.length, 0);
  assert.deepEqual(shownLines(buildLineMap(source, { kind: 'time', from: '2010-11-08T16:10:03Z', to: '2010-11-08T16:10:05Z' }).rows), [3, 4, 5]);
});

test('past the cap the view stops, its last row saying how many lines it left out and how to narrow it', () => {
  const one = lineMapOf([{ start: 0, end: 9 }], 'program', 5);
  assert.deepEqual([...one.rows], [0, 1, 2, 3, MARKER_ROW]);
  assert.equal(one.cutLines, 6);
  assert.match(one.markers.get(4)!, /^⋯ view cut at 5 lines: 6 lines more not shown; /);
  assert.match(one.markers.get(4)!, /window of time/);
  // A gap marker is not spent on the last row before the cut: the cut says it all.
  const two = lineMapOf([{ start: 0, end: 2 }, { start: 4, end: 9 }], 'findings', 4);
  assert.deepEqual([...two.rows], [0, 1, 2, MARKER_ROW]);
  assert.equal(two.cutLines, 6);
  assert.match(two.markers.get(3)!, /fewer lines of context/);
  // Exactly the cap fits whole, with no cut line.
  const whole = lineMapOf([{ start: 0, end: 2 }, { start: 4, end: 4 }], 'host', 5);
  assert.deepEqual([...whole.rows], [0, 1, 2, MARKER_ROW, 4]);
  assert.equal(whole.cutLines, 0);
  const large = lineMapOf([{ start: 0, end: 149_999 }], 'time');
  assert.equal(large.rows.length, MAX_VIEW_LINES, 'the default cap');
  assert.equal(large.rows[MAX_VIEW_LINES - 2], MAX_VIEW_LINES - 2);
  assert.match(large.markers.get(MAX_VIEW_LINES - 1)!, /^⋯ view cut at 100,000 lines: 50,001 lines more not shown; to read them, open a shorter window of time$/);
});

test('the view without routine lines hides exactly what the editor folds', () => {
  const lines: string[] = [];
  for (let i = 0; i < 120; i++) lines.push(i === 30 || i === 77 ? GREETING(i) : i === 50 ? `${stamp(i)} relay1 kernel: eth0: link up` : SENT(i));
  const log = analyzeText(lines.join('\n'));
  const folds = foldingRangesFor({ ...log, uri: 'file:///maillog', version: 0, notes: [] });
  assert.ok(folds.length >= 2, JSON.stringify(folds));
  const map = buildLineMap(viewSourceOf(log), { kind: 'routineHidden' });
  const folded = new Set(folds.flatMap((fold) => range(fold.startLine, fold.endLine)));
  assert.deepEqual(shownLines(map.rows), range(0, 119).filter((line) => !folded.has(line)));
  assert.ok(shownLines(map.rows).includes(30) && shownLines(map.rows).includes(50), 'the odd lines stay');
});

test('a view spec from a client: context from the setting unless given, and a message naming the field when wrong', () => {
  assert.deepEqual(readViewSpec({ kind: 'findings' }, 3), { kind: 'findings', context: 3 });
  assert.deepEqual(readViewSpec({ kind: 'findings', context: 0 }, 3), { kind: 'findings', context: 0 });
  assert.match(readViewSpec({ kind: 'findings', context: -1 }, 3) as string, /view\.context/);
  assert.match(readViewSpec({ kind: 'program' }, 3) as string, /view\.program/);
  assert.match(readViewSpec({ kind: 'sideways' }, 3) as string, /view\.kind must be one of time, findings/);
  assert.match(readViewSpec(null, 3) as string, /view must be an object/);
});
