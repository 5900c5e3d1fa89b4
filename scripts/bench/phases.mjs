// Runs the analysis core in-process over one log file and prints one JSON line of seconds,
// counts and MB. Each phase is its own pass over the file, so the phases can be compared:
//
//   read    readLineChunks alone, counting lines: the floor for anything that reads the file
//   parse   read + LogParser.add (and the line offsets the scan keeps), without matching
//   scan    LogFileScan.readAll: read, parse and match in one pass, as the CLI runs it
//   result  scan.result(context) on that scan: times, findings, time index
//   total   a fresh LogFileScan, readAll then result, timed as one run
//
// `match` is reported as scan − parse: the matching cannot be timed alone, since it runs on each
// line as it is parsed. Run by `run.mjs` under `/usr/bin/time`, whose peak memory only means
// something for a run of one phase: `--only total` (the default) is what the CLI does, while
// `--phases` keeps earlier phases' garbage around and runs the file several times.
// `core.cjs` is the core bundled by `run.mjs` from the TypeScript sources as they stand.
//
//   node [--expose-gc] scripts/bench/phases.mjs CORE.cjs LOG [--only PHASE[,PHASE...] | --phases] [--no-prefilter]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PHASES = ['read', 'parse', 'scan', 'result', 'total'];

function options(argv) {
  const [corePath, logPath, ...rest] = argv;
  if (!corePath || !logPath) throw new Error('usage: phases.mjs CORE.cjs LOG [--only PHASE[,PHASE...] | --phases] [--no-prefilter]');
  const opts = { corePath, logPath, phases: ['total'], prefilter: true };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--phases') opts.phases = PHASES;
    else if (rest[i] === '--only') opts.phases = (rest[++i] ?? '').split(',');
    else if (rest[i] === '--no-prefilter') opts.prefilter = false;
    else throw new Error(`unknown option ${rest[i]} (use --only PHASE[,PHASE...], --phases, --no-prefilter)`);
  }
  const unknown = opts.phases.filter((phase) => !PHASES.includes(phase));
  if (unknown.length) throw new Error(`unknown phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);
  return opts;
}

const opts = options(process.argv.slice(2));
const core = createRequire(import.meta.url)(path.resolve(opts.corePath));
const wanted = new Set(opts.phases);
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;
// Started with --expose-gc, earlier phases' garbage is collected before the next is timed, and
// the heap reported at the end is what the result holds, not what the run left behind.
const collect = () => globalThis.gc?.();

const sources = core.readRuleFolder(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules')).map((source) => ({ ...source, engine: 'native' }));
const catalogue = core.buildCatalogue(sources);
const matcher = new core.RuleMatcher(catalogue.rules, opts.prefilter ? undefined : { prefilter: false });
// The CLI's `--tz UTC --year 2010`, so the findings can be compared with its output.
const context = { zone: 'UTC', zoneSource: 'setting', yearReference: { year: 2010, month: 12, day: 31, source: 'setting' } };

const out = { prefilter: opts.prefilter };

/** Times `run` and records its seconds under `name`; returns what `run` returned. */
function timedPhase(name, run) {
  collect();
  const start = process.hrtime.bigint();
  const value = run();
  out[name] = seconds(start);
  return value;
}

if (wanted.has('read')) {
  out.readLines = timedPhase('read', () => {
    let lines = 0;
    for (const chunk of core.readLineChunks(opts.logPath)) lines += chunk.lines.length;
    return lines;
  });
}

if (wanted.has('parse')) {
  out.parseLines = timedPhase('parse', () => {
    const parser = new core.LogParser();
    // The scan keeps every line's offset too; doing the same here leaves only the matching in scan − parse.
    const offsets = new core.LineOffsets();
    for (const chunk of core.readLineChunks(opts.logPath)) {
      parser.add(chunk.lines);
      offsets.push(chunk.starts);
    }
    return parser.length;
  });
}

if (wanted.has('scan') || wanted.has('result')) {
  const scan = new core.LogFileScan(opts.logPath, matcher);
  // `result` needs a scan to finish; it is timed as `scan` only when that phase was asked for.
  if (wanted.has('scan')) timedPhase('scan', () => scan.readAll());
  else scan.readAll();
  if (wanted.has('result')) {
    const analyzed = timedPhase('result', () => scan.result(context));
    out.findings = analyzed.findings.length;
    out.lines = analyzed.parsed.lines.length;
  }
  scan.close();
}
if (out.scan !== undefined && out.parse !== undefined) out.match = out.scan - out.parse;

// Module scope keeps the total's result reachable, so the heap reported below includes what it holds.
let analyzed;
if (wanted.has('total')) {
  const scan = new core.LogFileScan(opts.logPath, matcher);
  analyzed = timedPhase('total', () => {
    scan.readAll();
    return scan.result(context);
  });
  out.findings = analyzed.findings.length;
  out.lines = analyzed.parsed.lines.length;
}

collect();
const memory = process.memoryUsage();
out.heapMB = memory.heapUsed / 1048576;
// Typed arrays (line columns, offsets, times) live outside the JavaScript heap.
out.arrayBuffersMB = memory.arrayBuffers / 1048576;
process.stdout.write(`${JSON.stringify(out)}\n`);
