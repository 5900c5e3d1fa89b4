import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import * as zlib from 'node:zlib';
import { Finding } from '../../server/src/analysis/rules/types';
import { SuppressionSet } from '../../server/src/analysis/rules/suppress';
import { AnalyzedLog, analyzeLog, withoutSuppressed } from '../../server/src/analysis/service';
import { MemoryFileSystem } from '../../server/src/files/fileSystem';
import { loadReportLogs } from '../../server/src/logs/reportLogs';
import { analyseWhole, readWholeLog } from '../../server/src/logs/readWhole';
import { logTimeContext } from '../../server/src/logs/timeSettings';
import { builtIn } from '../support/catalogue';
import { repoPath } from '../support/paths';
import { NOW, UTC_SETTINGS, WORKSPACE, pipelineRig } from '../support/pipelineHost';

/** What every reader of a log must agree on: entries, their span, the findings shown, what was hidden. */
interface Summary {
  lines: number;
  entries: number;
  first: string | null;
  last: string | null;
  findings: string[];
}

function summaryOf(log: { parsed: AnalyzedLog['parsed']; findings: readonly Finding[] }): Summary {
  const { parsed } = log;
  let entries = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < parsed.lines.length; i++) {
    if (parsed.lines.kind(i) !== 'entry') continue;
    entries++;
    if (!Number.isNaN(parsed.times[i])) {
      first = Math.min(first, parsed.times[i]);
      last = Math.max(last, parsed.times[i]);
    }
  }
  const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);
  return { lines: parsed.lines.length, entries, first: iso(first), last: iso(last), findings: log.findings.map((f) => `${f.line + 1} ${f.ruleId} ${f.severity} ${iso(f.time)}`) };
}

const WRITTEN = Date.UTC(2010, 10, 9, 3, 0, 0);
const SAMPLE = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8');

/** A log large enough to be read in steps, with its first findings shown early: routine cron between the sample's lines. */
function largeLog(): string {
  const lines = SAMPLE.split('\n').filter((line) => line !== '');
  const out: string[] = [];
  for (const line of lines) {
    out.push(line);
    const stamp = line.slice(0, 15);
    for (let k = 0; k < 40; k++) out.push(`${stamp} drjmailgw /usr/sbin/cron[${20000 + k}]: (root) CMD (/usr/local/sbin/mqwatch --queue ${k})`);
  }
  return `${out.join('\n')}\n`;
}

/** The analysis every reader must reproduce: the text in one string, the same time model, the same suppressions. */
function expected(text: string, suppressions: SuppressionSet): Summary {
  const log = analyzeLog(text, logTimeContext(UTC_SETTINGS, 'messages', { ms: WRITTEN, fromGzip: false }, NOW, []), builtIn().matcher);
  withoutSuppressed(log, suppressions, 'messages');
  return summaryOf(log);
}

/** A suppression of the log's first finding, as "This line is expected" writes it. */
function suppressFirst(text: string): SuppressionSet {
  const log = analyzeLog(text, logTimeContext(UTC_SETTINGS, 'messages', { ms: WRITTEN, fromGzip: false }, NOW, []), builtIn().matcher);
  assert.ok(log.findings.length >= 2, 'the sample log has findings to hide and to keep');
  const first = log.findings[0];
  return new SuppressionSet([{ file: 'messages', ruleId: first.ruleId, text: log.parsed.text.line(first.line) }]);
}

const FILE = `${WORKSPACE}/messages`;
const URI = `file://${FILE}`;

type Reader = (text: string, suppressions: SuppressionSet) => Promise<Summary>;

/** Every way a log reaches results: the editor's document, a file held by the editor or the workspace, gzip, the CLI, the report. */
const READERS: Record<string, Reader> = {
  'editor document': async (text, suppressions) => {
    const rig = pipelineRig({ suppressions });
    rig.fs.write(FILE, text, WRITTEN);
    rig.logs.document(URI, 3, () => text);
    const first = await rig.logs.current(URI);
    assert.equal(first?.version, 3);
    // A large document is read in steps then, the request answered by its first 64 KiB.
    const lines = text.split('\n').length - 1;
    if (Buffer.byteLength(text) > 256 * 1024) assert.ok(first!.parsed.lines.length < lines, `${first!.parsed.lines.length} of ${lines} lines`);
    else assert.equal(first!.parsed.lines.length, lines);
    await rig.logs.settled();
    const log = await rig.logs.current(URI);
    assert.equal(log?.parsed.lines.length, lines);
    return summaryOf(log!);
  },
  'editor document, published after the debounce': async (text, suppressions) => {
    const rig = pipelineRig({ suppressions });
    rig.fs.write(FILE, text, WRITTEN);
    rig.logs.document(URI, 1, () => text, 250);
    assert.equal(rig.published.has(URI), false, 'nothing is read before the timer');
    rig.tick();
    await rig.logs.settled();
    return summaryOf(rig.published.get(URI)!);
  },
  'file too large to sync, shown in an editor': async (text, suppressions) => {
    const rig = pipelineRig({ suppressions });
    rig.fs.write(FILE, text, WRITTEN);
    await rig.logs.holdFile(URI, FILE, 'large');
    return summaryOf(rig.published.get(URI)!);
  },
  'workspace log on disk': async (text, suppressions) => {
    const rig = pipelineRig({ suppressions });
    rig.fs.write(FILE, text, WRITTEN);
    await rig.logs.holdFile(URI, FILE, 'workspace');
    return summaryOf((await rig.logs.current(URI))!);
  },
  'gzip log in the workspace': async (text, suppressions) => {
    const rig = pipelineRig({ suppressions });
    rig.fs.write(`${FILE}.gz`, zlib.gzipSync(text), WRITTEN);
    // Named as the plain log is, so the suppression's path and the time settings' globs agree.
    await rig.logs.holdFile(URI, `${FILE}.gz`, 'workspace');
    return summaryOf(rig.published.get(URI)!);
  },
  'command line': async (text, suppressions) => {
    const memory = new MemoryFileSystem();
    memory.write(FILE, text, WRITTEN);
    const read = await readWholeLog(FILE, { matcher: builtIn().matcher, recipe: { sources: [], disabled: [] }, jobs: 1, fs: memory });
    return summaryOf(analyseWhole(read, UTC_SETTINGS, 'messages', suppressions, NOW).log);
  },
  report: async (text, suppressions) => {
    const memory = new MemoryFileSystem();
    memory.write(FILE, text, WRITTEN);
    const [log] = await loadReportLogs([FILE], { matcher: builtIn().matcher, recipe: { sources: [], disabled: [] }, timeOf: () => UTC_SETTINGS, root: WORKSPACE, reportFolder: WORKSPACE, suppressions, fs: memory, now: NOW });
    return summaryOf(log);
  },
};

describe('one way to read a log: every source gives the same answer', () => {
  for (const [size, text] of [['small', SAMPLE], ['large', largeLog()]] as const) {
    const suppressions = suppressFirst(text);
    const want = expected(text, suppressions);
    for (const [name, read] of Object.entries(READERS)) {
      it(`${size} log, ${name}: same entries, times, findings and suppressions`, async () => {
        assert.ok(want.findings.length > 0);
        assert.deepEqual(await read(text, suppressions), want);
      });
    }
  }
});

describe('the coordinator over an in-memory file system', () => {
  it('reads a grown log on from where it stopped, with the findings of a fresh read', async () => {
    const rig = pipelineRig();
    const lines = largeLog().split('\n');
    const half = `${lines.slice(0, lines.length >> 1).join('\n')}\n`;
    rig.fs.write(FILE, half, WRITTEN);
    await rig.logs.holdFile(URI, FILE, 'workspace');
    const before = rig.published.get(URI)!;
    rig.fs.append(FILE, lines.slice(lines.length >> 1).join('\n'), WRITTEN);
    rig.logs.fileChanged(FILE);
    await rig.logs.settled();
    const after = rig.published.get(URI)!;
    assert.ok(after.parsed.lines.length > before.parsed.lines.length);
    assert.deepEqual(summaryOf(after), expected(rig.fs.readFile(FILE).toString(), new SuppressionSet()));
  });

  it("goes back to the file's findings when the editor closes an edited document, and lets go when nothing holds it", async () => {
    const rig = pipelineRig();
    rig.fs.write(FILE, SAMPLE, WRITTEN);
    await rig.logs.holdFile(URI, FILE, 'workspace');
    const edited = SAMPLE.split('\n').slice(0, 20).join('\n');
    rig.logs.document(URI, 2, () => edited);
    assert.equal((await rig.logs.current(URI))!.parsed.lines.length, 20);
    rig.logs.closeDocument(URI);
    await rig.logs.settled();
    assert.deepEqual(summaryOf(rig.published.get(URI)!), expected(SAMPLE, new SuppressionSet()));
    rig.logs.release(URI, 'workspace');
    assert.equal(rig.published.get(URI), undefined);
    assert.equal(await rig.logs.current(URI), undefined);
  });

  it('answers a request with the newest text of a document whose timer has not run yet', async () => {
    const rig = pipelineRig();
    rig.logs.document(URI, 1, () => SAMPLE, 250);
    const longer = `${SAMPLE}Nov  8 23:59:59 drjmailgw kernel: do_IRQ: 0.169 No irq handler for vector\n`;
    rig.logs.document(URI, 2, () => longer, 250);
    const log = await rig.logs.current(URI);
    assert.equal(log?.version, 2);
    assert.equal(log?.parsed.lines.length, SAMPLE.split('\n').length);
    assert.ok(log?.findings.some((finding) => finding.line === log.parsed.lines.length - 1));
  });

  it('reads an unreadable gzip as a warning, not a crash, and keeps serving the other logs', async () => {
    const warnings: string[] = [];
    const rig = pipelineRig({ warnings });
    rig.fs.write(`${FILE}.gz`, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]), WRITTEN);
    rig.fs.write(`${WORKSPACE}/maillog`, SAMPLE, WRITTEN);
    await rig.logs.holdFile(`${URI}.gz`, `${FILE}.gz`, 'workspace');
    await rig.logs.holdFile(`file://${WORKSPACE}/maillog`, `${WORKSPACE}/maillog`, 'workspace');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /messages\.gz cannot be read \(is not a readable gzip file/);
    assert.equal((await rig.logs.all()).length, 1);
  });
});
