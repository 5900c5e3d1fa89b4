// How long the language server's event loop is blocked while a large log is read from disk: reads
// LOG through the `LogCoordinator` as the server does (two threads, 20 ms slices at the end), with
// a `setImmediate` probe timing every gap, and prints the longest gaps at the start (the first
// lines, cutting the file, starting the worker), while the main thread reads its stretch, and at
// the end (taking in the worker's part, the result, building the diagnostics). Runs the code
// compiled by `npx tsc -p .`:
//
//   node scripts/bench/blocks.mjs LOG [OUT_DIR]
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const [file, outDir = path.join(root, 'out')] = process.argv.slice(2);
if (!file) throw new Error('usage: blocks.mjs LOG [OUT_DIR]');
const load = (module) => require(path.join(path.resolve(outDir), 'server', 'src', module));
const { LogCoordinator } = load('logs/coordinator.js');
const { LogFileScan } = load('files/logFileScan.js');
const parallel = load('files/parallelScan.js');
const { nodeFileSystem } = load('files/fileSystem.js');
const { RuleState } = load('ruleState.js');
const { DEFAULT_SETTINGS } = load('settings.js');
const { diagnosticsFor } = load('toLsp/diagnostics.js');

const rules = new RuleState();
// As the server does when it starts (server.ts): the time zone data loaded before any log.
load('logs/timeSettings.js').machineZone();
let phase = 'start';
// The phase is told by the scan's reads: a read step is "reading", the main thread's whole stretch read is "the end".
const read = LogFileScan.prototype.read;
LogFileScan.prototype.read = function* (...args) {
  let first = true;
  for (const step of read.apply(this, args)) {
    if (!first || phase !== 'start') phase = 'reading';
    first = false;
    yield step;
  }
  if (this.bytesRead > 1e6) phase = 'end';
};
const startWorkerReads = parallel.startWorkerReads;
parallel.startWorkerReads = (...args) => {
  phase = 'start';
  return startWorkerReads(...args);
};
const published = [];
const host = {
  fs: nodeFileSystem,
  now: () => Date.now(),
  schedule: (task, ms) => {
    const timer = setTimeout(task, ms);
    return () => clearTimeout(timer);
  },
  yieldToRequests: () => new Promise((resolve) => setImmediate(resolve)),
  sliceMs: 20,
  jobs: 2,
  rules: () => rules.current,
  settingsFor: async () => ({ ...DEFAULT_SETTINGS, zone: 'UTC' }),
  relativePath: () => undefined,
  suppressionsFor: () => undefined,
  publish: async (uri, log) => {
    const started = performance.now();
    const diagnostics = log ? diagnosticsFor(log, rules.current.catalogue.byId) : [];
    published.push({ lines: log?.parsed.lines.length, findings: log?.findings.length, diagnostics: diagnostics.length, diagnosticsMs: Math.round(performance.now() - started) });
  },
  startProgress: async () => undefined,
  warn: (message) => console.error(message),
};

{
  const gaps = { start: [], reading: [], end: [] };
  let last = performance.now();
  let probing = true;
  const probe = () => {
    const now = performance.now();
    gaps[phase].push(now - last);
    last = now;
    if (probing) setImmediate(probe);
  };
  setImmediate(probe);
  const started = performance.now();
  await new LogCoordinator(host).holdFile(`file://${path.resolve(file)}`, path.resolve(file), 'large');
  // The probe after the last piece of work.
  await new Promise((resolve) => setImmediate(resolve));
  probing = false;
  const longest = (list) => [...list].sort((a, b) => b - a).slice(0, 4).map((ms) => Math.round(ms));
  console.log(JSON.stringify({ seconds: Math.round(performance.now() - started) / 1000, longestMs: { start: longest(gaps.start), reading: longest(gaps.reading), end: longest(gaps.end) }, published }));
}
