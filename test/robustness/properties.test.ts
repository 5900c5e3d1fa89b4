// Property-based tests of the pure core: whatever text comes in, parsing, rule loading, matching
// and correlation return values and never throw. `npm test` runs each property a few hundred
// times; `npm run fuzz` (or FUZZ_RUNS=N) runs them many more times.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as fc from 'fast-check';
import { parseLogLine } from '../../server/src/analysis/parse/line';
import { parseLog } from '../../server/src/analysis/parse/document';
import { splitLines } from '../../server/src/analysis/parse/text';
import { Span } from '../../server/src/analysis/parse/types';
import { loadRuleFile } from '../../server/src/analysis/rules/catalogue';
import { entriesAround, IndexedLog, nearestEntry } from '../../server/src/analysis/correlate/around';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { repoPath } from '../support/paths';
import { linesOf } from '../../server/src/analysis/parse/logText';

const RUNS = Number(process.env.FUZZ_RUNS) || (process.env.npm_lifecycle_event === 'fuzz' ? 20_000 : 300);
const check = <T>(property: fc.IProperty<T>, runs = RUNS): void => fc.assert(property, { numRuns: runs });

/** The largest distance from 1970 a JavaScript date can hold. */
const MAX_DATE_MS = 8.64e15;

// ---- generators -------------------------------------------------------------------------------

/** Any text: full unicode (lone surrogates included), control characters, terminal escapes. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\u001b', '\r', '\n', '\t', ' ', '[', ']', '<', '>', ':', '.', '0', '9', 'J', '\uFFFD', '\uD800'), maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.string({ unit: 'binary-ascii', minLength: 2_000, maxLength: 20_000 }),
);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number): string => String(n).padStart(2, '0');

/** A stamp in one of the forms the parser knows, including impossible dates and far years. */
const stamp = fc.oneof(
  fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: 0, max: 39 }), fc.integer({ min: 0, max: 25 }), fc.integer({ min: 0, max: 61 })).map(([m, d, h, s]) => `${m} ${String(d).padStart(2, ' ')} ${two(h)}:${two(s)}:${two(s)}`),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), fc.constantFrom('Z', '+01:00', '-0530', '', '.123456+14:00')).map(([y, m, d, z]) => `${String(y).padStart(4, '0')}-${two(m)}-${two(d)}T12:34:56${z}`),
  fc.tuple(fc.integer({ min: 1, max: 31 }), fc.constantFrom(...MONTHS), fc.integer({ min: 1900, max: 2100 })).map(([d, m, y]) => `[${two(d)}/${m}/${y}:16:08:16 -0500]`),
  fc.tuple(fc.nat(), fc.nat({ max: 999_999 })).map(([s, f]) => `[${String(s).padStart(5, ' ')}.${String(f).padStart(6, '0')}]`),
  fc.bigInt({ min: 0n, max: 10n ** 40n }).map((s) => `<${s % 200n}>1 2010-11-08T16:49:42.000Z`),
);

const host = fc.oneof(fc.constantFrom('drjmailgw', 'relay1', 'mx.example.net', '-'), fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).map((s) => s.replace(/[\s]/g, '_')));
const program = fc.oneof(fc.constantFrom('kernel', 'sendmail', 'sm-mta', 'postfix/smtpd', 'imapd', 'sshd', 'cron'), fc.string({ unit: 'binary-ascii', maxLength: 12 }));
const pid = fc.option(fc.oneof(fc.nat({ max: 99_999 }).map(String), fc.string({ maxLength: 4 })), { nil: undefined });

/** Message fragments taken from the catalogue's own samples, so the rules really fire. */
const sampleMessages = builtIn().catalogue.rules.flatMap((rule) => [...rule.definition.samples.match, ...(rule.definition.samples.noMatch ?? [])]);
const message = fc.oneof(
  sampleMessages.length > 0 ? fc.constantFrom(...sampleMessages) : fc.constant('timeout waiting for input from x during client greeting'),
  fc.constantFrom('[3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)', 'bnx2: eth0 NIC Copper Link is Down', 'bnx2: eth0 NIC Copper Link is Up', 'Failed password for [x](command:evil) from 192.0.2.1'),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

/** A plausible syslog line: stamp, host, program[pid]: message. */
const syslogLine = fc.tuple(stamp, host, program, pid, message).map(([s, h, p, id, m]) => `${s} ${h} ${p}${id === undefined ? '' : `[${id}]`}: ${m}`);

/** Small damage to a line: characters inserted, deleted or replaced. */
function mutated(line: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(line, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 4 })).map(([text, edits]) => {
    let out = text;
    for (const [at, kind, insert] of edits) {
      const p = out.length === 0 ? 0 : at % out.length;
      if (kind === 0) out = out.slice(0, p) + insert + out.slice(p);
      else if (kind === 1) out = out.slice(0, p) + out.slice(p + 1);
      else out = out.slice(0, p) + insert + out.slice(p + 1);
    }
    return out;
  });
}

const logLine = fc.oneof({ weight: 3, arbitrary: syslogLine }, { weight: 2, arbitrary: mutated(syslogLine) }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) }, { weight: 1, arbitrary: fc.constantFrom('', '   ', '\tat frame (x.c:1)', '#1  0x00007f00 in main (argc=1) at x.c:12') });
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const logText = fc.tuple(fc.array(fc.tuple(logLine, lineEnd), { maxLength: 40 }), fc.boolean()).map(([lines, trailing]) => {
  const text = lines.map(([l, e]) => l + e).join('');
  return trailing || lines.length === 0 ? text : text.slice(0, text.length - lines[lines.length - 1][1].length);
});

// ---- checks -----------------------------------------------------------------------------------

function assertSpan(span: Span | undefined, length: number, what: string): void {
  if (!span) return;
  assert.ok(Number.isInteger(span.start) && Number.isInteger(span.end), `${what} ${JSON.stringify(span)}`);
  assert.ok(span.start >= 0 && span.start <= span.end && span.end <= length, `${what} ${JSON.stringify(span)} outside 0..${length}`);
}

function assertLineRecord(text: string, lineNo: number): void {
  const record = parseLogLine(text, lineNo);
  assert.equal(record.line, lineNo);
  for (const [name, span] of Object.entries({ stamp: record.stamp, host: record.host, program: record.program, pid: record.pid, message: record.message, uptime: record.uptimeSpan })) {
    assertSpan(span, text.length, name);
  }
  // The header reads left to right: stamp, host, program, pid, then the message.
  const ordered = [record.stamp, record.host, record.program, record.pid].filter((s): s is Span => s !== undefined);
  for (let i = 1; i < ordered.length; i++) assert.ok(ordered[i - 1].end <= ordered[i].start, `header spans out of order in ${JSON.stringify(text)}`);
  if (ordered.length) assert.ok(ordered[ordered.length - 1].end <= record.message.start, `message starts inside the header in ${JSON.stringify(text)}`);
  assert.ok(record.civil === undefined || record.stamp !== undefined, 'a civil time without a stamp span');
  assert.deepEqual(parseLogLine(text, lineNo), record, 're-parsing gave another record');
}

// ---- properties -------------------------------------------------------------------------------

test('parseLogLine is total on any text: spans lie within the line, in header order, and re-parsing gives the same record', () => {
  check(fc.property(fc.oneof(anyText, logLine), fc.nat({ max: 1_000_000 }), (text, lineNo) => assertLineRecord(text, lineNo)));
});

test('splitLines keeps every character but the line ends, and no line holds a line end', () => {
  check(fc.property(fc.oneof(anyText, logText), (text) => {
    const lines = splitLines(text);
    for (const line of lines) assert.ok(!/[\r\n]/.test(line));
    assert.equal(lines.join('\n'), text.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
  }));
});

test('parseLog is total: one record, time and entry per line, times on the calendar or NaN, problems on real lines', () => {
  check(fc.property(fc.oneof(anyText, logText), fc.constantFrom('UTC', 'America/New_York', 'Asia/Kathmandu'), (text, zone) => {
    const parsed = parseLog(text, { ...FIXED_TIME, zone });
    const count = parsed.lines.length;
    assert.equal(parsed.text.length, count);
    assert.equal(parsed.times.length, count);
    assert.equal(parsed.entryStart.length, count);
    for (let i = 0; i < count; i++) {
      assert.ok(parsed.entryStart[i] >= 0 && parsed.entryStart[i] <= i);
      const time = parsed.times[i];
      assert.ok(Number.isNaN(time) || Math.abs(time) <= MAX_DATE_MS, `line ${i} has time ${time}`);
      if (!Number.isNaN(time)) new Date(time).toISOString();
    }
    for (const problem of parsed.problems) assert.ok(problem.line >= -1 && problem.line < count && problem.message.length > 0);
  }));
});

test('a line parses to the same record alone as inside its document, whatever the line ends', () => {
  check(fc.property(logText, lineEnd, (text, end) => {
    const parsed = parseLog(text, FIXED_TIME);
    linesOf(parsed.text).forEach((line, i) => assert.deepEqual(parsed.lines.get(i), parseLogLine(line, i)));
    const rejoined = parseLog(linesOf(parsed.text).map((line) => line + end).join(''), FIXED_TIME);
    assert.equal(rejoined.lines.length, parsed.lines.length);
    for (let i = 0; i < parsed.lines.length; i++) {
      assert.deepEqual(rejoined.lines.get(i), parsed.lines.get(i));
      assert.deepEqual(rejoined.lines.fields(i), parsed.lines.fields(i));
    }
    assert.deepEqual(Array.from(rejoined.times), Array.from(parsed.times));
  }));
});

const YAML_TOKENS = ['rules:', '- id: a/b', 'id:', 'title: t', 'severity: error', 'severity: fatal', 'match:', "'(?<x>\\S+)'", '"[unclosed"', 'explanation: |', 'samples:', 'match: []', 'end:', 'withinSeconds: -1', 'programs: [a, "*"]', '&a', '*a', '*zz', '!!binary', '!!js/function', '{', '}', '[', ']', ':', '- ', '? ', '|', '>', '#', '%YAML 1.1', '---', '...', '"\\u0000"', '\t', '\n', '\n  ', '\n    ', ' '];
const yamlish = fc.oneof(
  fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(' ')),
  mutated(fc.constantFrom(...['kernel.yaml', 'mail.yaml', 'crash.yaml'].filter((name) => fs.existsSync(repoPath('rules', name))).map((name) => fs.readFileSync(repoPath('rules', name), 'utf8')))),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

test('the rule file loader never throws and reports every problem at a position inside the file', () => {
  check(fc.property(yamlish, (text) => {
    const { rules, problems } = loadRuleFile({ source: 'fuzz.yaml', text });
    const lines = text.split(/\r\n|\r|\n/);
    for (const problem of problems) {
      assert.ok(problem.message.length > 0);
      assert.ok(problem.line >= 0 && problem.line < Math.max(lines.length, 1), `line ${problem.line} of ${lines.length}: ${problem.message}`);
      assert.ok(problem.column >= 0 && problem.column <= lines[problem.line].length, `column ${problem.column} on line ${problem.line}: ${problem.message}`);
    }
    for (const rule of rules) assert.ok(typeof rule.definition.id === 'string' && (rule.pattern === undefined || typeof rule.pattern.exec === 'function'));
  }), Math.max(50, Math.round(RUNS / 3)));
});

test('the rule engine is total on syslog-like lines and their mutations: findings lie on real lines, in order, with their entry time', () => {
  check(fc.property(logText, (text) => {
    const log = analyzeText(text);
    const { lines, text: raw, times, entryStart } = log.parsed;
    let previous = -1;
    for (const finding of log.findings) {
      assert.ok(finding.line >= previous, 'findings out of line order');
      previous = finding.line;
      assert.ok(finding.line >= 0 && finding.line <= finding.endLine && finding.endLine < lines.length);
      assert.ok(finding.start >= 0 && finding.start <= finding.end && finding.end <= raw.line(finding.line).length);
      assert.ok(['error', 'warning', 'information', 'hint'].includes(finding.severity));
      assert.ok(typeof finding.message === 'string' && finding.message.length > 0);
      assert.ok(Object.is(finding.time, times[entryStart[finding.line]]));
      assert.ok(log.findingsByLine.get(finding.line)?.includes(finding));
    }
    assert.ok(log.index.times.every((time, k) => k === 0 || time >= log.index.times[k - 1]), 'time index not sorted');
  }));
});

test('entriesAround returns, in order, exactly the stamped entries within the window', () => {
  const logs = fc.array(logText, { minLength: 1, maxLength: 4 }).map((texts) =>
    texts.map((text, k): IndexedLog => {
      const { parsed, index } = analyzeText(text);
      return { id: `log${k}`, log: parsed, index };
    }),
  );
  check(fc.property(logs, fc.double({ noNaN: true, min: -1e13, max: 1e14 }), fc.nat({ max: 10_000_000 }), fc.integer({ min: 1, max: 50 }), (indexed, anyCenter, windowMs, limit) => {
    // Centre on a real entry most of the time, so windows are not always empty.
    const stampedTimes = indexed.flatMap((l) => Array.from(l.index.times));
    const center = stampedTimes.length ? stampedTimes[Math.abs(Math.trunc(anyCenter)) % stampedTimes.length] : anyCenter;
    const { entries, truncated } = entriesAround(indexed, center, windowMs, limit);
    const expected = stampedTimes.filter((time) => Math.abs(time - center) <= windowMs).length;
    assert.equal(entries.length, Math.min(expected, limit));
    assert.equal(truncated, expected > limit);
    for (let k = 0; k < entries.length; k++) {
      const entry = entries[k];
      const log = indexed.find((l) => l.id === entry.id)!.log;
      assert.ok(Math.abs(entry.deltaMs) <= windowMs && entry.deltaMs === entry.time - center);
      assert.equal(entry.time, log.times[entry.line]);
      assert.equal(log.entryStart[entry.line], entry.line);
      assert.ok(entry.endLine >= entry.line && entry.endLine < log.lines.length);
      if (k > 0) {
        const before = entries[k - 1];
        assert.ok(before.time < entry.time || (before.time === entry.time && (before.id < entry.id || (before.id === entry.id && before.line < entry.line))), 'entries out of order');
      }
    }
  }), Math.max(100, Math.round(RUNS / 2)));
});

test('nearestEntry gives a stamped entry no other entry of its log is nearer than', () => {
  check(fc.property(logText, fc.double({ noNaN: true, min: -1e13, max: 1e14 }), (text, center) => {
    const { parsed, index } = analyzeText(text);
    const nearest = nearestEntry({ id: 'log', log: parsed, index }, center);
    if (index.times.length === 0) return assert.equal(nearest, undefined);
    assert.ok(nearest);
    assert.equal(nearest.time, parsed.times[nearest.line]);
    assert.equal(parsed.entryStart[nearest.line], nearest.line);
    assert.ok(index.times.every((time) => Math.abs(time - center) >= Math.abs(nearest.deltaMs)), 'an entry lies nearer');
  }), Math.max(100, Math.round(RUNS / 2)));
});
