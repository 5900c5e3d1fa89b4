import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createAnchor, resolveAnchor } from '../../server/src/analysis/annotate/anchor';
import { ReportLog, buildReport } from '../../server/src/analysis/annotate/report';
import { addAnnotation, emptyStore, parseStore, removeAnnotation, serializeStore, updateAnnotation } from '../../server/src/analysis/annotate/store';
import { Annotation, AnchorResolution } from '../../server/src/analysis/annotate/types';
import { analyzeText } from '../support/catalogue';
import { linesOf } from '../../server/src/analysis/parse/logText';

const LOG = [
  'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)',
  'Nov  8 16:49:42 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:45 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down',
  'Nov  8 16:50:00 drjmailgw cron[2202]: (root) CMD (true)',
  'Nov  8 16:51:00 drjmailgw postfix/qmgr[88]: 4F2A1: removed',
];

/** Anchors `line` of `before`, then resolves it in `after`. */
function check(before: string[], line: number, after: string[], expected: AnchorResolution | RegExp): void {
  const resolution = resolveAnchor(after, createAnchor(before, line));
  if (expected instanceof RegExp) {
    assert.ok('lost' in resolution, `expected a lost anchor, got ${JSON.stringify(resolution)}`);
    assert.match(resolution.lost, expected);
  } else {
    assert.deepEqual(resolution, expected);
  }
}

test('an anchor in an unchanged file resolves to its own line', () => {
  check(LOG, 2, LOG, { line: 2 });
});

test('an anchor follows its line when lines were inserted above', () => {
  const pulledAgain = ['Nov  8 16:40:00 drjmailgw syslogd: restart', 'Nov  8 16:41:00 drjmailgw cron[1]: x', ...LOG];
  check(LOG, 2, pulledAgain, { line: 4, movedFrom: 2 });
});

test('an anchor follows its line when the top of the file was rotated away', () => {
  check(LOG, 3, LOG.slice(2), { line: 1, movedFrom: 3 });
});

test('trailing white space and CR do not break an anchor', () => {
  check(LOG, 1, LOG.map((line) => `${line}\r`), { line: 1 });
});

test('an editor\'s empty last line and the parser\'s lines give the same anchor', () => {
  assert.deepEqual(createAnchor([...LOG, ''], 4), createAnchor(LOG, 4));
  check([...LOG, ''], 3, LOG, { line: 3 });
});

test('an edited line is lost, with the reason, not moved to a neighbour', () => {
  const edited = [...LOG];
  edited[2] = 'Nov  8 16:49:45 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Up';
  check(LOG, 2, edited, /line 3 now reads differently/);
});

test('a file shorter than the anchor and without its text loses it', () => {
  check(LOG, 4, LOG.slice(0, 2), /file now has 2 lines, fewer than 5/);
});

test('duplicate lines without neighbour evidence are ambiguous and reported lost', () => {
  const dup = 'Nov  8 16:50:00 gw sshd[9]: Connection closed';
  const before = ['a', 'b', 'c', dup, 'd', 'e', 'f'];
  const after = ['x', dup, 'y', 'z', 'w', dup, 'v'];
  check(before, 3, after, /appears 2 times and no neighbouring line matches/);
});

test('among duplicates, the one whose neighbours match wins over the one at the old number', () => {
  const dup = 'Nov  8 16:50:00 gw sshd[9]: Connection closed';
  const before = ['a', 'b', dup, 'c', 'd'];
  // The old line number (2) now holds a copy in other company; the real one moved down.
  const after = ['q', 'r', dup, 's', 't', 'a', 'b', dup, 'c', 'd'];
  check(before, 2, after, { line: 7, movedFrom: 2 });
});

test('among duplicates with equal neighbour evidence, the nearest to the old line wins; a tie is lost', () => {
  const dup = 'same';
  const before = ['a', dup, 'b'];
  check(before, 1, ['a', dup, 'x', 'y', 'z', 'a', dup, 'q'], { line: 1 });
  check(before, 1, ['x', 'a', dup, 'y', 'a', dup, 'z'], { line: 2, movedFrom: 1 });
  check(['p', 'q', 'a', dup, 'b'], 3, ['a', dup, 'x', 'y', 'a', dup, 'z'], /match its neighbours equally well/);
});

test('a unique line still resolves when all its neighbours changed', () => {
  check(LOG, 1, ['new 1', 'new 2', LOG[1], 'new 3'], { line: 2, movedFrom: 1 });
});

test('malformed annotation files return problems and never throw', () => {
  const cases: [string, RegExp][] = [
    ['{"version": 1, "annotations": [', /not valid JSON/],
    ['[]', /must be an object/],
    ['{"version": 2, "annotations": []}', /newer release/],
    ['{"version": 1, "annotations": {}}', /must be a list/],
    ['{"version": 1, "annotations": [{"id": "x"}]}', /annotations\[0\]\.file/],
  ];
  for (const [text, problem] of cases) {
    const parsed = parseStore(text);
    assert.equal(parsed.lossless, false, text);
    assert.deepEqual(parsed.store.annotations, [], text);
    assert.match(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'), problem, text);
  }
  assert.deepEqual(parseStore(''), { store: emptyStore(), problems: [], lossless: true });
});

const NOW = '2010-11-09T10:00:00.000Z';

function annotate(lines: string[], line: number, extra: { tags?: string[]; note?: string; starred?: boolean } = {}, file = 'gw/messages'): Annotation {
  return addAnnotation(emptyStore(), { file, anchor: createAnchor(lines, line), ...extra }, NOW).annotation;
}

test('a store keeps the valid annotations of a damaged file and names the bad ones', () => {
  const good = annotate(LOG, 1, { tags: ['cause'] });
  const text = JSON.stringify({ version: 1, annotations: [good, { ...good, id: 'b', anchor: { ...good.anchor, line: -1 } }, good] });
  const parsed = parseStore(text);
  assert.deepEqual(parsed.store.annotations, [good]);
  assert.deepEqual(parsed.problems.map((p) => p.path), ['annotations[1].anchor.line', 'annotations[2].id']);
  assert.equal(parsed.lossless, false);
});

test('stores round-trip through JSON in a stable order, with tags cleaned', () => {
  let store = emptyStore();
  store = addAnnotation(store, { file: 'relay/maillog', anchor: createAnchor(LOG, 0) }, NOW).store;
  const added = addAnnotation(store, { file: 'gw/messages', anchor: createAnchor(LOG, 3), tags: [' Cause ', 'cause', 'root fs'], note: 'disk' }, NOW);
  store = addAnnotation(added.store, { file: 'gw/messages', anchor: createAnchor(LOG, 1) }, NOW).store;
  assert.deepEqual(store.annotations.map((a) => [a.file, a.anchor.line]), [['gw/messages', 1], ['gw/messages', 3], ['relay/maillog', 0]]);
  assert.deepEqual(added.annotation.tags, ['cause', 'root-fs']);
  const text = serializeStore(store);
  assert.deepEqual(parseStore(text), { store, problems: [], lossless: true });
  assert.equal(serializeStore(parseStore(text).store), text);
  const updated = updateAnnotation(store, added.annotation.id, { starred: true, note: 'full disk' }, '2010-11-09T11:00:00.000Z');
  assert.deepEqual(updated.annotations[1], { ...added.annotation, starred: true, note: 'full disk', updated: '2010-11-09T11:00:00.000Z' });
  assert.equal(updateAnnotation(store, 'no-such-id', { starred: true }, NOW), store);
  assert.equal(removeAnnotation(store, added.annotation.id).annotations.length, 2);
  assert.equal(removeAnnotation(store, 'no-such-id'), store);
});

const HOSTILE = 'Nov  8 16:49:50 drjmailgw sshd[4711]: Failed password for [x](command:evil) <img src=x> | pipe from 203.0.113.9 port 22 ssh2';
const GATEWAY_TEXT = [...LOG.slice(0, 2), HOSTILE, '\u001b[31mNov  8 16:49:55 drjmailgw kernel: `tick` **bold**\u001b[0m', ...LOG.slice(2)];

function reportLog(path: string, text: string[]): ReportLog {
  const log = analyzeText(text.join('\n'));
  return { path, parsed: log.parsed, findings: log.findings, sizeBytes: 123, mtimeMs: Date.UTC(2010, 10, 9), sha256: 'ab'.repeat(32) };
}

function sampleReport(): string {
  const gateway = reportLog('gw/messages', GATEWAY_TEXT);
  const relay = reportLog('relay/maillog', ['Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw during client greeting']);
  const annotations = [
    annotate(GATEWAY_TEXT, 4, { tags: ['impact'], note: 'the uplink drops' }),
    annotate(GATEWAY_TEXT, 2, { tags: ['detection'], note: 'attacker <b>name</b> [here](http://x)', starred: true }),
    annotate(linesOf(relay.parsed.text), 0, { tags: ['impact'] }, 'relay/maillog'),
    { ...annotate(['an old line that is gone'], 0, { note: 'was important' }), id: 'gone' },
    annotate(['x'], 0, {}, 'other/log'),
  ];
  return buildReport({ title: 'mail outage', logs: [gateway, relay], annotations, zone: 'Europe/Berlin' });
}

test('the report lists annotated lines in time order with UTC and local time, host, note and a line link', () => {
  const report = sampleReport();
  const rows = report.split('\n').filter((line) => line.startsWith('| ') && /#L\d+\)/.test(line) && /\d\d:\d\d:\d\d/.test(line));
  assert.deepEqual(rows.map((row) => row.match(/\((\S+#L\d+)\) \|$/)?.[1]), ['gw/messages#L5', 'gw/messages#L3', 'relay/maillog#L1']);
  assert.match(rows[0], /` kernel: bnx2: eth0 NIC Copper Link is Down `/);
  assert.match(rows[0], /\| the uplink drops \|/);
  assert.match(rows[1], /^\| ★ \| 2010-11-08 16:49:50 \| 2010-11-08 17:49:50 \+01:00 \| ` drjmailgw ` \|/);
  assert.match(report, /^# Postmortem: mail outage$/m);
  assert.match(report, /^## Summary$/m);
  assert.match(report, /^## Impact$/m);
  assert.match(report, /Lines tagged ` impact `: \[gw\/messages\\:5\]\(gw\/messages#L5\), \[relay\/maillog\\:1\]\(relay\/maillog#L1\)/);
});

test('hostile log text shows as text in the report: no link, image, HTML or broken table', () => {
  const report = sampleReport();
  const row = report.split('\n').find((line) => line.includes('Failed password'))!;
  // Inside inline code the pipe is escaped for the table; brackets and tags stay literal.
  assert.ok(row.includes('` sshd: Failed password for [x](command:evil) <img src=x> \\| pipe from 203.0.113.9 port 22 ssh2 `'), row);
  assert.ok(row.includes('attacker &lt;b&gt;name&lt;/b&gt; \\[here\\]\\(http\\:'), row);
  assert.equal(row.split(/(?<!\\)\|/).length - 2, 8, 'the row keeps its eight cells');
  assert.ok(!report.includes('\u001b'), 'no terminal escape survives');
  let markdownIt: ((options: object) => { render(text: string): string }) | undefined;
  try {
    // markdown-it is what VS Code's Markdown preview renders with; it comes with the packaging tools.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    markdownIt = require('markdown-it');
  } catch {
    markdownIt = undefined;
  }
  assert.ok(markdownIt, 'markdown-it (brought by @vscode/vsce) is missing: the rendered report cannot be checked');
  const html = markdownIt({ html: true, linkify: true }).render(report);
  assert.doesNotMatch(html, /href="command:|href="http:\/\/x|<img|<b>/);
  assert.match(html, /<code>sshd: Failed password for \[x\]\(command:evil\) &lt;img src=x&gt; \| pipe/);
  assert.match(html, /<a href="gw\/messages#L3">gw\/messages:3<\/a>/);
});

test('lost anchors and annotations on other logs are listed explicitly, not dropped', () => {
  const report = sampleReport();
  assert.match(report, /^## Annotations not placed$/m);
  assert.match(report, /- gw\/messages, was line 1: ` an old line that is gone ` — line 1 now reads differently.* Note: was important/);
  assert.match(report, /1 annotation is on logs not in this report: other\/log\./);
});

test('findings on lines nobody annotated are grouped by rule with counts and links', () => {
  const report = sampleReport();
  const section = report.slice(report.indexOf('## Findings not annotated'), report.indexOf('## Annotations not placed'));
  assert.match(section, /\| ` kernel\/irq-no-handler ` \| error \| .* \| 1 \| \[gw\/messages\\:2\]\(gw\/messages#L2\) \|/);
  assert.doesNotMatch(section, /sendmail\/timeout-greeting/, 'the relay line is annotated');
  assert.doesNotMatch(section, /sshd\/failed-password/, 'the hostile line is annotated');
});

test('the evidence section lists each log with size, modification time and SHA-256', () => {
  const report = sampleReport();
  assert.match(report, /^\| gw\/messages \| 123 \| 2010-11-09 00:00:00 \| ` abab[0-9a-f]{60} ` \|$/m);
  assert.match(report, /^\| relay\/maillog \| 123 \|/m);
});

test('a report without annotations says how to build the timeline', () => {
  const report = buildReport({ logs: [reportLog('gw/messages', LOG)], annotations: [] });
  assert.match(report, /No annotated lines yet/);
  assert.doesNotMatch(report, /Annotations not placed/);
});
