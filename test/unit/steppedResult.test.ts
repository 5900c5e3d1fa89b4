import { test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalyzedLog } from '../../server/src/analysis/service';
import { TimeContext } from '../../server/src/analysis/parse/document';
import { YearEvidence } from '../../server/src/analysis/time/yearEvidence';
import { Steps, runSteps } from '../../server/src/analysis/steps';
import { LogFileScan } from '../../server/src/files/logFileScan';
import { startWorkerReads } from '../../server/src/files/parallelScan';
import { logTimeContext } from '../../server/src/logs/timeSettings';
import { readRuleFolder, builtInRulesFolder } from '../../server/src/rulesOnDisk';
import { builtIn } from '../support/catalogue';
import { summary } from '../support/analysisSummary';
import { repoPath } from '../support/paths';
import { NOW, UTC_SETTINGS, WORKSPACE, pipelineRig } from '../support/pipelineHost';

const recipe = () => ({ sources: readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const })), disabled: [] });
const WRITTEN = Date.UTC(2010, 10, 9, 3, 0, 0);

/** Two incidents and a stack dump, repeated: tens of thousands of lines, yearless stamps, many templates. */
function manyLines(): string {
  const parts = [
    fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'mailgw-incident', 'relay', 'maillog'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'imapd-crash', 'northuist', 'imap'), 'utf8'),
    fs.readFileSync(repoPath('samples', 'imapd-crash', 'northuist', 'imapd.pstack'), 'utf8'),
  ];
  return parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('').repeat(40);
}

function tempLog(text: string): string {
  const file = path.join(tempDir('lf-steps-'), 'messages');
  fs.writeFileSync(file, text);
  return file;
}

/** Everything a caller reads of an analysis, templates included. */
function whole(log: AnalyzedLog): unknown {
  const { miner, lineTemplates } = log.templates;
  return { ...(summary(log) as object), context: log.parsed.context, lineTemplates: [...lineTemplates], templates: miner.templates() };
}

/** Runs `steps` to the end, counting the yields. */
function counted<T>(steps: Steps<T>): { value: T; yields: number } {
  let yields = 0;
  for (;;) {
    const next = steps.next();
    if (next.done) return { value: next.value, yields };
    yields++;
  }
}

/** The time context the server reads a log with: no year setting, so the lines' year evidence is asked for. */
function serverContext(notes: string[]): (evidence: () => YearEvidence) => TimeContext {
  return (evidence) => logTimeContext(UTC_SETTINGS, 'messages', { ms: WRITTEN, fromGzip: false }, NOW, notes, evidence);
}

test('joining a thread\'s stretch and working out the result in steps yields many times and gives exactly what one pass gives', async () => {
  const file = tempLog(manyLines());
  const { matcher } = builtIn();
  const alone = new LogFileScan(file, matcher);
  alone.readAll();
  const notesAtOnce: string[] = [];
  const expected = whole(alone.result(serverContext(notesAtOnce)));

  const scan = new LogFileScan(file, matcher);
  const workers = startWorkerReads(file, recipe(), 2, { minBytes: 0, headStart: 0 });
  assert.ok(workers, 'the log is cut for a second thread');
  for (const step of scan.read(workers.firstCut)) void step;
  const joined = counted(scan.absorbSteps(await workers.parts));
  const notes: string[] = [];
  const result = counted(scan.resultSteps(serverContext(notes), true));
  assert.ok(joined.yields > 1, `joining yielded ${joined.yields} times`);
  assert.ok(result.yields > 10, `the result yielded ${result.yields} times`);
  assert.deepEqual(whole(result.value), expected);
  assert.deepEqual(notes, notesAtOnce);
});

test('a join stopped half way leaves the scan to be read again from the start, not half joined', async () => {
  const file = tempLog(manyLines());
  const scan = new LogFileScan(file, builtIn().matcher);
  const workers = startWorkerReads(file, recipe(), 2, { minBytes: 0, headStart: 0 });
  assert.ok(workers);
  for (const step of scan.read(workers.firstCut)) void step;
  const steps = scan.absorbSteps(await workers.parts);
  steps.next();
  steps.next();
  steps.return();
  assert.equal(scan.bytesRead, 0);
  scan.readAll();
  const alone = new LogFileScan(file, builtIn().matcher);
  alone.readAll();
  const context = serverContext([]);
  assert.deepEqual(whole(scan.result(context)), whole(alone.result(context)));
  assert.equal(runSteps(scan.resultSteps(context, true)).parsed.lines.length, alone.result(context).parsed.lines.length);
});

test('while the end of a read runs in steps, requests get the reading before; the result published then is the whole one', async () => {
  const text = manyLines();
  const file = `${WORKSPACE}/messages`;
  const uri = `file://${file}`;
  const size = Buffer.byteLength(text);
  let furthest = 0;
  const seen: number[] = [];
  const rig = pipelineRig({
    onYield: () => {
      // A request asked now (the whole file read): what does it get?
      if (furthest >= size) void rig.logs.current(uri).then((log) => seen.push(log?.parsed.lines.length ?? 0));
    },
  });
  rig.fs.write(file, text, WRITTEN);
  const open = rig.fs.open.bind(rig.fs);
  rig.fs.open = (name) => {
    const handle = open(name);
    return {
      read: (target, position) => {
        const read = handle.read(target, position);
        furthest = Math.max(furthest, position + read);
        return read;
      },
      size: () => handle.size(),
      close: () => handle.close(),
    };
  };
  await rig.logs.holdFile(uri, file, 'large');
  const published = rig.published.get(uri)!;
  const lines = text.split('\n').length - 1;
  assert.equal(published.parsed.lines.length, lines);
  assert.ok(seen.length > 10, `${seen.length} requests answered after the last byte was read`);
  // The early reading of the file's first lines, until the whole result replaced it.
  assert.ok(seen.slice(0, -1).every((count) => count > 0 && count < lines), `lines seen: ${[...new Set(seen)].join(', ')}`);
  // The same file's result worked out at once: asked for after the settings changed, nothing is read again.
  const atOnce = pipelineRig();
  atOnce.fs.write(file, text, WRITTEN);
  await atOnce.logs.holdFile(uri, file, 'workspace');
  const read = atOnce.published.get(uri);
  atOnce.logs.invalidate();
  const reworked = (await atOnce.logs.current(uri))!;
  assert.notEqual(reworked, read, 'worked out again');
  assert.deepEqual(whole(published), whole(reworked));
});
