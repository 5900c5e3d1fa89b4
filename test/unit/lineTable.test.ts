import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as fc from 'fast-check';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { parseLog } from '../../server/src/analysis/parse/document';
import { KIND_BLANK, KIND_CONTINUATION, KIND_ENTRY, LineColumns, LineTable, civilAt } from '../../server/src/analysis/parse/lineTable';
import { LogLine, Span } from '../../server/src/analysis/parse/types';
import { FIXED_TIME } from '../support/catalogue';
import { CORPUS_SKIP, corpusFolder, repoPath } from '../support/paths';
import { LinesInMemory, linesOf } from '../../server/src/analysis/parse/logText';

/** `line` without its civil time and without keys holding undefined, as `fields(i)` gives it. */
function withoutCivil(line: LogLine): Omit<LogLine, 'civil'> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(line)) if (key !== 'civil' && value !== undefined) out[key] = value;
  return out as Omit<LogLine, 'civil'>;
}

function spanOf(start: number, end: number): Span | undefined {
  return start < 0 ? undefined : { start, end };
}

/** Every line of `lines` reads back from the table exactly as `parseLogLine` gives it. */
function assertRoundTrip(text: string[], lines: LineTable, where: string): void {
  assert.equal(lines.length, text.length, where);
  const { civil } = LineTable.parse(text);
  for (let i = 0; i < text.length; i++) {
    const expected = parseLogLine(text[i], i);
    const at = `${where}:${i + 1}`;
    assert.deepEqual(civilAt(civil, i), expected.civil, at);
    assert.deepEqual(lines.get(i), expected, at);
    assert.deepEqual(lines.fields(i), withoutCivil(expected), at);
    assert.equal(lines.kind(i), expected.kind, at);
    assert.equal(lines.format(i), expected.format, at);
    assert.equal(lines.level(i), expected.level, at);
    assert.equal(lines.kindCode(i) === KIND_BLANK, expected.kind === 'blank', at);
    assert.equal(lines.kindCode(i) === KIND_ENTRY, expected.kind === 'entry', at);
    assert.equal(lines.kindCode(i) === KIND_CONTINUATION, expected.kind === 'continuation', at);
    assert.deepEqual(spanOf(lines.stampStart(i), lines.stampEnd(i)), expected.stamp, at);
    assert.deepEqual(spanOf(lines.hostStart(i), lines.hostEnd(i)), expected.host, at);
    assert.deepEqual(spanOf(lines.programStart(i), lines.programEnd(i)), expected.program, at);
    assert.deepEqual(spanOf(lines.pidStart(i), lines.pidEnd(i)), expected.pid, at);
    assert.deepEqual({ start: lines.messageStart(i), end: lines.messageEnd(i) }, expected.message, at);
    assert.equal(Number.isNaN(lines.uptime(i)) ? undefined : lines.uptime(i), expected.uptime, at);
    const slice = (span?: Span) => (span ? text[i].slice(span.start, span.end) : undefined);
    assert.equal(lines.host(i), slice(expected.host), at);
    assert.equal(lines.program(i), slice(expected.program) ?? expected.programName, at);
    assert.equal(lines.impliedProgram(i), expected.programName, at);
    assert.equal(lines.pid(i), slice(expected.pid), at);
  }
}

function roundTripFile(file: string): void {
  const parsed = parseLog(fs.readFileSync(file, 'utf8'), FIXED_TIME);
  assertRoundTrip(linesOf(parsed.text), parsed.lines, file);
}

function filesUnder(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) return filesUnder(full);
    return entry.isFile() ? [full] : [];
  }).sort();
}

test('the line table gives back every line of the sample logs as parseLogLine reads it', () => {
  const files = filesUnder(repoPath('samples')).filter((file) => !file.endsWith('.md'));
  assert.ok(files.length > 0);
  for (const file of files) roundTripFile(file);
});

test('the line table holds every kind, format and level of line', () => {
  const text = [
    '<13>1 2024-03-01T10:00:00.123+01:00 web01 app 42 ID7 [ex@1 a="b"] hello error',
    '<30>1 2024-03-01T10:00:00Z - - - - - nil fields',
    '2024-03-01T10:00:01Z mail postfix/smtpd[123]: connect from x',
    '2024-03-01 10:00:02 1rXyZ-000abc-Xy <= a@b.c',
    '2024-03-01 10:00:02 [4567] 1rXyZ-000abc-Xy => d@e.f',
    '[01/Mar/2024:10:00:03 +0000] host prog: warning here',
    '[ 1234.567890] usb 1-1: new device',
    'Mar  1 10:00:04 host kernel: [ 12.5] panic',
    'kernel: [ 99.000001] quoted kernel line',
    '    at com.example.Foo.bar(Foo.java:12)',
    'ff129394 txn_abort (0, f30a14d8) + 4',
    '#3  0x00007f in main (argc=1) at x.c:12',
    '----- lwp# 1 / thread# 1 -----',
    'Thread 2 (Thread 0x7f):',
    '',
    '   ',
    '<11>free text with a priority',
    '-- Boot 5c1e2f3a4b5c6d7e8f90a1b2c3d4e5f6 --',
    '{"__REALTIME_TIMESTAMP":"1596542127123456","PRIORITY":"3","_HOSTNAME":"web1","SYSLOG_IDENTIFIER":"sshd","_PID":"4711","MESSAGE":"error: x"}',
    '__REALTIME_TIMESTAMP=1596542127123456',
    'MESSAGE=Failed password',
    'Tue 2020-08-04 13:55:27 CEST web1 sshd[4711]: ok',
    '1596542127.123456 web1 sshd[4711]: ok',
    'kern  :err   : [Sun Nov  8 16:49:44 2026] EXT4-fs error',
    '2011/02/22 21:53:38 [9219] rsync on backup/',
    'node=web1 type=AVC msg=audit(1364481363.250:24288): avc:  denied',
    '[12-Mar-2013 11:21:46 +0100]: IMAP Error: x',
    '2020-06-10 11:42:07.123456+0200 0x1f4      Default     0x0                  123    0    sshd: x',
  ];
  const parsed = parseLog(text.join('\n'), FIXED_TIME);
  assertRoundTrip(linesOf(parsed.text), parsed.lines, 'mixed');
  const kinds = new Set(text.map((_, i) => parsed.lines.kind(i)));
  assert.deepEqual([...kinds].sort(), ['blank', 'continuation', 'entry', 'frame', 'marker', 'thread-header']);
  const formats = new Set(text.map((_, i) => parsed.lines.format(i)));
  assert.equal(formats.size, 16, [...formats].join(' '));
});

test('the line table agrees with parseLogLine on every line of the real-log corpus', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const files = filesUnder(folder);
  assert.ok(files.length > 0);
  for (const file of files) roundTripFile(file);
});

test('the line table agrees with parseLogLine on random text', () => {
  const piece = fc.oneof(
    fc.string(),
    fc.constantFrom('<13>', '<191>1 ', '2024-03-01T10:00:00Z ', '2024-03-01 10:00:00 ', 'Mar  1 10:00:00 ', '[ 12.345] ', '[01/Mar/2024:10:00:00 +0000] ', 'host ', 'prog[42]: ', 'kernel: ', 'error ', '\t', '    at x(y)', '\r\n', '\n', '-'),
    fc.constantFrom('{"__REALTIME_TIMESTAMP":"1596542127123456"', ',"MESSAGE":"', '"}', '__REALTIME_TIMESTAMP=1', 'MESSAGE=', 'type=X msg=audit(1364481363.2:1): ', 'node=h ', 'kern  :err   : ', '[Sun Nov  8 16:49:44 2026] ', '-- Boot ', 'Tue 2020-08-04 13:55:27 CEST ', '1596542127.123456 ', '2011/02/22 21:53:38 [9] ', '[12-Mar-2013 11:21:46 +0100]: ', ' 0x1f4  Default  0x0  123  0  p: ', 'a b[1] (c): '),
  );
  fc.assert(fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
    const parsed = parseLog(pieces.join(''), FIXED_TIME);
    assertRoundTrip(linesOf(parsed.text), parsed.lines, 'random');
  }), { numRuns: 300 });
});

test('get keeps only a few rebuilt lines and gives the same record again', () => {
  const parsed = parseLog(Array.from({ length: 50 }, (_, i) => `Mar  1 10:00:${String(i % 60).padStart(2, '0')} h p[${i}]: m`).join('\n'), FIXED_TIME);
  const first = parsed.lines.get(3);
  assert.equal(parsed.lines.get(3), first);
  for (let i = 10; i < 50; i++) parsed.lines.get(i);
  assert.notEqual(parsed.lines.get(3), first);
  assert.deepEqual(parsed.lines.get(3), first);
});

test('kernel uptimes read back wherever they are, after room is reserved, grown and joined from parts', () => {
  const uptimeLine = (i: number) => `[${(i / 10).toFixed(6)}] usb 1-1: new high-speed USB device number ${i}`;
  const plainLine = (i: number) => `Mar  1 10:00:${String(i % 60).padStart(2, '0')} h p[${i}]: m`;
  // Uptimes on the first line, after 5,000 lines without any, and on the last line only.
  const first = Array.from({ length: 6000 }, (_, i) => (i === 0 || (i >= 5000 && i % 7 === 0) ? uptimeLine(i) : plainLine(i)));
  const second = Array.from({ length: 3000 }, (_, i) => (i === 2999 ? uptimeLine(i) : plainLine(i)));
  const third = Array.from({ length: 1000 }, (_, i) => plainLine(i));
  const columnsOf = (text: string[], reserve = 0): LineColumns => {
    const columns = new LineColumns();
    columns.reserve(reserve);
    let entry = 0;
    text.forEach((line, i) => {
      const parsed = parseLogLine(line, i);
      if (parsed.kind === 'entry') entry = i;
      columns.add(parsed, entry);
    });
    return columns;
  };
  const joined = columnsOf(first, 100_000);
  joined.append(columnsOf(second).data());
  joined.append(columnsOf(third).data());
  const all = [...first, ...second, ...third];
  const table = new LineTable(joined, new LinesInMemory(all));
  assert.equal(table.length, all.length);
  for (let i = 0; i < all.length; i++) {
    const want = parseLogLine(all[i], i).uptime;
    assert.equal(table.uptime(i), want ?? NaN, `line ${i + 1}`);
  }
  joined.trim();
  assert.equal(new LineTable(joined, new LinesInMemory(all)).uptime(all.length - 1 - 1000), parseLogLine(second[2999], 0).uptime);
});
