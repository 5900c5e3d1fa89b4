import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeActionRequest, ErrorCodes, ExecuteCommandRequest, HoverRequest, MarkupContent, ResponseError } from 'vscode-languageserver-protocol';
import { CorrelateRequest, TimelineRequest, ViewChoicesRequest, ViewRequest, ViewResult } from '../../server/src/protocol';
import { ANNOTATE_LINE_COMMAND } from '../../server/src/annotateLine';
import { ViewSpecInput } from '../../server/src/analysis/views/spec';
import { TestClient } from '../support/lspClient';

// A log read from disk, seen through each kind of focused view: what the view holds follows from
// how the log is built, and a request in the view is answered on the log's own line.
const stamp = (i: number) => `Nov  8 16:${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
const FLAGGED = [40, 90];
const CRON = (i: number) => i % 4 === 3;
const LINES = Array.from({ length: 120 }, (_, i) => {
  if (FLAGGED.includes(i)) return `${stamp(i)} relay1 sendmail[${30000 + i}]: oA8LnYiw0${21900 + i}: timeout waiting for input from drjmailgw during client greeting`;
  if (CRON(i)) return `${stamp(i)} gw2 cron[${5000 + i}]: (root) CMD (run-parts /etc/cron.hourly)`;
  return `${stamp(i)} relay1 sendmail[${20000 + i}]: oA8L${String(i).padStart(3, '0')}aa0210${i}: to=<a@example.com>, delay=00:00:01, mailer=esmtp, stat=Sent`;
});
let folder: string;
let client: TestClient;
let logUri: string;

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-view-kinds-'));
  fs.writeFileSync(path.join(folder, 'maillog'), `${LINES.join('\n')}\n`);
  logUri = pathToFileURL(path.join(folder, 'maillog')).href;
  client = await TestClient.start({ time: { year: 2010, zone: 'UTC' }, views: { contextLines: 2 } }, { folders: [pathToFileURL(folder).href] });
  await client.notify('logForensics/openLargeLog', { uri: logUri });
  await client.diagnosticsFor(logUri, (d) => d.length > 0);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

const view = (spec: ViewSpecInput) => client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, view: spec });

/** The log line each row of a view shows, from the segments the server sent. */
function rowLines(result: ViewResult): (number | undefined)[] {
  const rows: (number | undefined)[] = new Array(result.lineCount).fill(undefined);
  for (const segment of result.segments) for (let k = 0; k < segment.count; k++) rows[segment.row + k] = segment.line + k;
  return rows;
}

test('the choices list the views a log has, with their sizes', async () => {
  const { choices, logLines } = await client.connection.sendRequest(ViewChoicesRequest, { textDocument: { uri: logUri } });
  assert.equal(logLines, LINES.length);
  const cron = LINES.filter((_, i) => CRON(i)).length;
  const byLabel = new Map(choices.map((choice) => [choice.label, choice]));
  assert.equal(byLabel.get('Program cron')?.lines, cron);
  assert.equal(byLabel.get('Program sendmail')?.lines, LINES.length - cron);
  assert.equal(byLabel.get('Host gw2')?.lines, cron);
  assert.equal(byLabel.get('Host relay1')?.lines, LINES.length - cron);
  const findings = choices.find((choice) => choice.kind === 'findings');
  assert.deepEqual(findings?.view, { kind: 'findings', context: 2 }, 'the context comes from the setting');
  assert.equal(findings?.lines, FLAGGED.length * 5);
  assert.match(findings!.description, /^2 findings, 10 lines$/);
  assert.ok(choices.some((choice) => choice.kind === 'time' && choice.view === undefined));
  assert.ok(choices.some((choice) => choice.kind === 'routineHidden'));
});

test('each kind of view holds the lines it names, with a marker between runs that do not touch', async () => {
  const findings = await view({ kind: 'findings' });
  assert.deepEqual(rowLines(findings), [38, 39, 40, 41, 42, undefined, 88, 89, 90, 91, 92]);
  assert.equal(findings.text.split('\n')[5], `⋯ ${88 - 43} lines not shown`);
  const host = await view({ kind: 'host', host: 'gw2' });
  const cronLines = LINES.map((_, i) => i).filter(CRON);
  assert.deepEqual(rowLines(host).filter((line) => line !== undefined), cronLines);
  assert.equal(host.text.split('\n').filter((row) => row === '⋯ 3 lines not shown').length, cronLines.length - 1);
  const program = await view({ kind: 'program', program: 'sendmail' });
  assert.equal(rowLines(program).filter((line) => line !== undefined).length, LINES.length - cronLines.length);
  const rows = program.text.split('\n');
  rowLines(program).forEach((line, row) => assert.equal(rows[row], line === undefined ? '⋯ 1 line not shown' : LINES[line]));
  const quiet = await view({ kind: 'routineHidden' });
  const shown = rowLines(quiet).filter((line): line is number => line !== undefined);
  assert.ok(FLAGGED.every((line) => shown.includes(line)), 'findings are never routine');
  assert.ok(shown.length < LINES.length, 'some routine run is hidden');
});

test('in a view, hover, code actions and correlation answer on the log line the row shows', async () => {
  for (const spec of [{ kind: 'findings' }, { kind: 'program', program: 'sendmail' }, { kind: 'host', host: 'relay1' }] as ViewSpecInput[]) {
    const result = await view(spec);
    await client.open(result.uri, result.text);
    const row = rowLines(result).indexOf(90);
    assert.ok(row >= 0, `${spec.kind}: the view shows the flagged line`);
    if (spec.kind === 'findings') assert.equal(row, 8, 'in the findings view the flagged line sits on another row');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: result.uri }, position: { line: row, character: 60 } });
    assert.match((hover?.contents as MarkupContent).value, /sendmail\/timeout-greeting/, spec.kind);
    assert.equal(hover?.range?.start.line ?? row, row);
    const actions = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: result.uri }, range: { start: { line: row, character: 0 }, end: { line: row, character: 0 } }, context: { diagnostics: [] } });
    const back = (actions ?? []).find((action) => action.title === 'Open at this line in the full log');
    assert.deepEqual((back as { command?: { arguments?: unknown[] } })?.command?.arguments, [logUri, 90]);
    const around = await client.connection.sendRequest(CorrelateRequest, { textDocument: { uri: result.uri }, position: { line: row, character: 0 }, windowSeconds: 0 });
    assert.ok(around.entries.some((entry) => entry.uri === logUri && entry.range.start.line === 90), JSON.stringify(around.entries));
    const marker = rowLines(result).indexOf(undefined);
    if (marker >= 0) assert.equal(await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: result.uri }, position: { line: marker, character: 2 } }), null, 'a marker row is no line');
  }
});

test('a view asked for wrongly is refused as InvalidParams, saying why', async () => {
  const refused = async (spec: unknown, message: RegExp) => {
    const error = await client.connection.sendRequest(ViewRequest, { textDocument: { uri: logUri }, view: spec as ViewSpecInput }).then(() => undefined, (e: ResponseError<void>) => e);
    assert.equal(error?.code, ErrorCodes.InvalidParams, String(error?.message));
    assert.match(error!.message, message);
  };
  await refused({ kind: 'sideways' }, /view\.kind must be one of/);
  await refused({ kind: 'program' }, /view\.program is required/);
  await refused({ kind: 'findings', context: 2.5 }, /view\.context must be a whole number/);
  await refused({ kind: 'host', host: 'nowhere' }, /maillog has no line of the host nowhere/);
  await refused({ kind: 'time', from: '2010-11-09T00:00:00Z', to: '2010-11-09T01:00:00Z' }, /no entry between/);
  const choices = await client.connection.sendRequest(ViewChoicesRequest, { textDocument: { uri: 'file:///nowhere.log' } }).then(() => undefined, (e: ResponseError<void>) => e);
  assert.equal(choices?.code, ErrorCodes.InvalidParams);
});

test('an annotation made on a row of a view lands on the log line the row shows', async () => {
  const findings = await view({ kind: 'findings' });
  await client.open(findings.uri, findings.text);
  const row = rowLines(findings).indexOf(40);
  assert.equal(row, 2);
  const saved = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: ANNOTATE_LINE_COMMAND, arguments: [findings.uri, row, { starred: true, tags: ['cause'], note: 'the gateway stopped greeting' }] });
  assert.deepEqual({ file: saved.file, line: saved.line }, { file: 'maillog', line: 40 });
  const store = JSON.parse(fs.readFileSync(path.join(folder, '.log-forensics', 'annotations.json'), 'utf8'));
  assert.equal(store.annotations.length, 1);
  assert.equal(store.annotations[0].file, 'maillog');
  assert.equal(store.annotations[0].anchor.line, 40);
  assert.equal(store.annotations[0].anchor.text, LINES[40]);
  // Annotating the same row again changes that annotation rather than adding one.
  await client.connection.sendRequest(ExecuteCommandRequest.type, { command: ANNOTATE_LINE_COMMAND, arguments: [findings.uri, row, { note: 'greeting timeout at the gateway' }] });
  const timeline = await client.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual(timeline.annotations.map((a) => ({ uri: a.uri, line: a.line, note: a.note, starred: a.starred })), [{ uri: logUri, line: 40, note: 'greeting timeout at the gateway', starred: true }]);
  const marker = rowLines(findings).indexOf(undefined);
  const refused = await client.connection.sendRequest(ExecuteCommandRequest.type, { command: ANNOTATE_LINE_COMMAND, arguments: [findings.uri, marker, {}] }).then(() => undefined, (e: ResponseError<void>) => e);
  assert.equal(refused?.code, ErrorCodes.InvalidParams);
  assert.match(refused!.message, /no line of the log/);
});

test('in a view, the star is toggled, the annotation read and removed on the log line the row shows', async () => {
  const findings = await view({ kind: 'findings' });
  await client.open(findings.uri, findings.text);
  const row = rowLines(findings).indexOf(90);
  assert.ok(row > 0);
  const run = (values: unknown) => client.connection.sendRequest(ExecuteCommandRequest.type, { command: ANNOTATE_LINE_COMMAND, arguments: [findings.uri, row, values] });
  const stored = () => (JSON.parse(fs.readFileSync(path.join(folder, '.log-forensics', 'annotations.json'), 'utf8')) as { annotations: { anchor: { line: number }; starred?: boolean; note?: string }[] }).annotations.filter((a) => a.anchor.line === 90);
  assert.equal((await run({ op: 'get' })).annotation, null);
  assert.deepEqual(stored(), []);
  // A line without an annotation gets a starred one; toggled again, the star goes.
  assert.equal((await run({ op: 'toggleStar' })).annotation.starred, true);
  assert.equal(stored()[0].starred, true);
  assert.equal((await run({ op: 'toggleStar' })).annotation.starred, false);
  await run({ note: 'the second timeout' });
  const read = await run({ op: 'get' });
  assert.deepEqual({ line: read.line, file: read.file, note: read.annotation.note, starred: read.annotation.starred }, { line: 90, file: 'maillog', note: 'the second timeout', starred: false });
  assert.equal((await run({ op: 'remove' })).annotation, null);
  assert.deepEqual(stored(), []);
  const again = await run({ op: 'remove' }).then(() => undefined, (e: ResponseError<void>) => e);
  assert.match(again!.message, /Line 91 of maillog has no annotation/);
  const bad = await run({ op: 'erase' }).then(() => undefined, (e: ResponseError<void>) => e);
  assert.equal(bad?.code, ErrorCodes.InvalidParams);
  assert.match(bad!.message, /op must be one of set, toggleStar, get, remove/);
});
