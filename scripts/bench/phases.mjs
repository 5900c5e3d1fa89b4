// Runs the analysis core in-process over one log, phase by phase, and prints one JSON line:
// `{ read, split, parse, match, index, total, lines, findings, heapMB }` (seconds, counts, MB).
// Run by `run.mjs` under `/usr/bin/time` for the peak memory; `core.cjs` is the core bundled by
// `run.mjs` from the TypeScript sources, so this measures the code as it stands.
//
//   node scripts/bench/phases.mjs CORE.cjs LOG [--no-prefilter]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [corePath, logPath, ...flags] = process.argv.slice(2);
const core = createRequire(import.meta.url)(path.resolve(corePath));
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

const sources = core.readRuleFolder(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'rules')).map((source) => ({ ...source, engine: 'native' }));
const catalogue = core.buildCatalogue(sources);
const matcher = new core.RuleMatcher(catalogue.rules, flags.includes('--no-prefilter') ? { prefilter: false } : undefined);
const context = { zone: 'UTC', yearReference: { year: 2010, month: 12, day: 31, source: 'setting' } };

let t = process.hrtime.bigint();
const content = core.readLogFile(logPath).text;
const read = seconds(t);

// Splitting is timed alone, then again inside parseLog (which splits first); `parse` is the rest.
t = process.hrtime.bigint();
const splitCount = core.splitLines(content).length;
const split = seconds(t);

t = process.hrtime.bigint();
const parsed = core.parseLog(content, context);
const parse = Math.max(0, seconds(t) - split);

t = process.hrtime.bigint();
const findings = core.findFindings(parsed, matcher);
const match = seconds(t);

t = process.hrtime.bigint();
core.buildTimeIndex(parsed);
core.indexFindingsByLine(findings);
const index = seconds(t);

const heapMB = process.memoryUsage().heapUsed / 1048576;
process.stdout.write(
  `${JSON.stringify({ read, split, parse, match, index, total: read + split + parse + match + index, lines: splitCount, findings: findings.length, heapMB })}\n`,
);
