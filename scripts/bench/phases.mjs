// Runs the analysis core in-process over one log file and prints one JSON line of seconds,
// counts and MB. Each phase is its own pass over the file, so the phases can be compared:
//
//   read    readLineChunks alone, counting lines: the floor for anything that reads the file
//   parse   read + LogParser.add (and the line offsets the scan keeps), without matching
//   scan    LogFileScan.readAll: read, parse and match in one pass, as the CLI runs it
//   result  scan.result(context) on that scan: times, findings, time index
//   total   a fresh LogFileScan, readAll then result, timed as one run
//   triage  the triage of that result (`--top 20`, as `log-forensics triage` ranks it), alone
//
// `match` is reported as scan − parse: the matching cannot be timed alone, since it runs on each
// line as it is parsed. Run by `run.mjs` under `/usr/bin/time`, whose peak memory only means
// something for a run of one phase: `--only total` (the default) is what the CLI does, while
// `--phases` keeps earlier phases' garbage around and runs the file several times.
// `core.cjs` is the core bundled by `run.mjs` from the TypeScript sources as they stand.
// `--no-prefilter` runs every rule's regular expression on every line; `--no-templates` leaves the
// template miner out of the pass (no templates, no rare lines), to weigh what each costs.
//
//   node [--expose-gc] scripts/bench/phases.mjs CORE.cjs LOG [--only PHASE[,PHASE...] | --phases] [--no-prefilter] [--no-templates]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PHASES = ['read', 'parse', 'scan', 'result', 'total', 'triage'];

function options(argv) {
  const [corePath, logPath, ...rest] = argv;
  if (!corePath || !logPath) throw new Error('usage: phases.mjs CORE.cjs LOG [--only PHASE[,PHASE...] | --phases] [--no-prefilter] [--no-templates]');
  const opts = { corePath, logPath, phases: ['total'], prefilter: true, templates: true };
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--phases') opts.phases = PHASES;
    else if (rest[i] === '--only') opts.phases = (rest[++i] ?? '').split(',');
    else if (rest[i] === '--no-prefilter') opts.prefilter = false;
    else if (rest[i] === '--no-templates') opts.templates = false;
    else throw new Error(`unknown option ${rest[i]} (use --only PHASE[,PHASE...], --phases, --no-prefilter, --no-templates)`);
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

const out = { prefilter: opts.prefilter, mining: opts.templates };
/** A disk scan as the CLI runs it, with the template miner left out under `--no-templates`. */
const newScan = () => new core.LogFileScan(opts.logPath, matcher, undefined, undefined, { templates: opts.templates });

/** Times `run` and records its wall seconds under `name`, its CPU seconds under `nameCpu`; returns what `run` returned. */
function timedPhase(name, run) {
  collect();
  const start = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const value = run();
  out[name] = seconds(start);
  const used = process.cpuUsage(cpu);
  // On a shared machine the wall time includes waiting for a core; the CPU time does not.
  out[`${name}Cpu`] = (used.user + used.system) / 1e6;
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
  const scan = newScan();
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
if (wanted.has('total') || wanted.has('triage')) {
  const scan = newScan();
  analyzed = timedPhase('total', () => {
    scan.readAll();
    return scan.result(context);
  });
  out.findings = analyzed.findings.length;
  out.lines = analyzed.parsed.lines.length;
  out.templateCount = analyzed.templates.miner.templates().length;
}
if (wanted.has('triage')) {
  const byId = new Map(catalogue.rules.map((rule) => [rule.definition.id, rule]));
  const ranked = timedPhase('triage', () => core.triage([{ id: opts.logPath, file: opts.logPath, analyzed }], byId, { top: 20 }));
  out.topGroup = ranked[0]?.ruleId;
}

collect();
const memory = process.memoryUsage();
out.heapMB = memory.heapUsed / 1048576;
// Typed arrays (line columns, offsets, times) live outside the JavaScript heap.
out.arrayBuffersMB = memory.arrayBuffers / 1048576;
process.stdout.write(`${JSON.stringify(out)}\n`);
