// `npm run bench`: generates realistic mixed logs with known bad lines into bench-data/ (reused
// when their size and seed match), then measures in one run grep, ripgrep (and lnav where
// installed) over the same literal signatures, the CLI scan, the core in-process (as one run, then
// phase by phase, with and without template learning), the language server over the real
// protocol, and the CLI triage. The CLI and the core read plain files from disk in chunks, so they
// are measured on every size. Prints a table and checks that every known bad line was found.
// Exits non-zero only when one was missed, never because of speed.
//
//   npm run bench [-- --lines N | --full] [--repeat N] [--seed N]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generate } from './generate.mjs';
import { bundleCore, writeSignatures } from './core.mjs';
import { NODE_FLAGS, measureServer, measureShownRegion } from './server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = path.join(root, 'bench-data');
const MB = 1e6;
/** VS Code hands extensions the text of files up to this size only. */
const SYNC_LIMIT = 50 * 1024 * 1024;

function options(argv) {
  const opts = { lines: [1_000_000], repeat: 1, seed: 42 };
  for (let i = 0; i < argv.length; i++) {
    const value = () => Number(argv[++i]);
    if (argv[i] === '--lines') opts.lines = [value()];
    else if (argv[i] === '--full') opts.lines = [1_000_000, 10_000_000];
    else if (argv[i] === '--repeat') opts.repeat = value();
    else if (argv[i] === '--seed') opts.seed = value();
    else throw new Error(`unknown option ${argv[i]} (use --lines N, --full, --repeat N, --seed N)`);
  }
  if (opts.lines.some((n) => !Number.isInteger(n) || n < 1) || !(opts.repeat >= 1)) throw new Error('--lines and --repeat take positive whole numbers');
  return opts;
}

const median = (values) => {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

/** Runs a command under GNU time; returns wall seconds, CPU seconds (user + system), peak RSS in bytes and stdout (or writes it to `stdoutFile`). */
function timed(command, args, stdoutFile) {
  const timeFile = path.join(dataDir, '.time');
  const out = stdoutFile ? fs.openSync(stdoutFile, 'w') : 'pipe';
  const start = process.hrtime.bigint();
  const result = spawnSync('/usr/bin/time', ['-f', '%M %e %U %S', '-o', timeFile, command, ...args], { cwd: root, stdio: ['ignore', out, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (stdoutFile) fs.closeSync(out);
  // The last line is the figures (a killed command's status line comes before them).
  const [kb, , user, system] = fs.readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-4).map(Number);
  return { seconds, cpuSeconds: user + system, peakBytes: kb * 1024, status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** Repeats a measurement and keeps the median of each number it returns. */
function repeated(times, measure) {
  const runs = Array.from({ length: times }, measure);
  const result = { ...runs[runs.length - 1] };
  for (const key of Object.keys(result)) if (typeof result[key] === 'number') result[key] = median(runs.map((run) => run[key]));
  return result;
}

/** The benchmark log for `lines` and `seed`, generated unless a matching one is already there. */
function ensureLog(lines, seed) {
  const file = path.join(dataDir, `mixed-${lines}-seed${seed}.log`);
  const metaFile = `${file}.meta.json`;
  const meta = fs.existsSync(metaFile) ? JSON.parse(fs.readFileSync(metaFile, 'utf8')) : undefined;
  const size = fs.existsSync(file) ? fs.statSync(file).size : -1;
  if (!meta || meta.version !== GENERATOR_VERSION || meta.lines !== lines || meta.seed !== seed || meta.bytes !== size || !fs.existsSync(`${file}.expected.json`)) {
    process.stderr.write(`generating ${file} (${lines} lines)...\n`);
    generate(file, lines, { seed, rulesDir: path.join(root, 'rules') });
    fs.writeFileSync(metaFile, JSON.stringify({ version: GENERATOR_VERSION, lines, seed, bytes: fs.statSync(file).size }));
  }
  return { file, lines, bytes: fs.statSync(file).size, expected: JSON.parse(fs.readFileSync(`${file}.expected.json`, 'utf8')) };
}

/** The longest prefix of a log, cut at a line end, that VS Code would still sync; reused when present. */
function syncableSlice(log) {
  if (log.bytes <= SYNC_LIMIT) return { file: log.file, bytes: log.bytes, lines: log.lines };
  const file = log.file.replace(/\.log$/, '.slice50.log');
  const fd = fs.openSync(log.file, 'r');
  const buffer = Buffer.alloc(SYNC_LIMIT);
  fs.readSync(fd, buffer, 0, SYNC_LIMIT, 0);
  fs.closeSync(fd);
  const cut = buffer.lastIndexOf(10) + 1;
  const slice = buffer.subarray(0, cut);
  if (!fs.existsSync(file) || fs.statSync(file).size !== cut) fs.writeFileSync(file, slice);
  let lines = 0;
  for (let i = slice.indexOf(10); i !== -1; i = slice.indexOf(10, i + 1)) lines++;
  return { file, bytes: cut, lines };
}

/** Known bad lines (1-based) not reported with their rule; `found` lists `{ line, ruleId }` (1-based). */
function missed(expected, found, lastLine = Infinity) {
  const seen = new Set(found.map((f) => `${f.line}\u0000${f.ruleId}`));
  return expected.filter((e) => e.line <= lastLine && !seen.has(`${e.line}\u0000${e.rule}`));
}

const fmt = (value, digits = 1) => (value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits));

/** Prints the table; each row: name, seconds, bytes it covered, lines, peak bytes (or undefined), note. */
function printTable(title, rows, grep, rg) {
  const head = ['measurement', 's', 'MB/s', 'lines/s', 'peak MB', '× grep', '× rg', 'memory target'];
  const body = rows.map((row) => {
    if (row.seconds === undefined) return [row.name, '—', '—', '—', '—', '—', '—', row.note ?? ''];
    if (row.seconds === 0) return [row.name, fmt(0, 2), '—', '—', '—', '—', '—', row.note ?? ''];
    const mbps = row.bytes / MB / row.seconds;
    const target = 200 + 0.25 * (row.bytes / MB);
    const peak = row.peakBytes === undefined ? undefined : row.peakBytes / MB;
    const verdict = peak === undefined ? undefined : `${peak <= target ? 'pass' : 'FAIL'} (≤ ${fmt(target, 0)})`;
    const ratio = (base) => (base ? fmt(mbps / (base.bytes / MB / base.seconds), 2) : '—');
    return [row.name, fmt(row.seconds, 2), fmt(mbps), `${fmt(row.lines / row.seconds / 1e3, 0)} k`, fmt(peak, 0), ratio(grep), ratio(rg), [verdict, row.note].filter(Boolean).join(' — ') || '—'];
  });
  console.log(`\n${title}\n`);
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map((h, i) => (i === 0 || i === head.length - 1 ? ' --- ' : ' ---: ')).join('|')}|`);
  for (const cells of body) console.log(`| ${cells.join(' | ')} |`);
}

/** Each target of docs/performance.md (the issue's) with its figure in this run: "met" or "NOT met". */
function printTargets(result, log) {
  const { rows, grep, rg, misses } = result;
  const rate = (row) => row.bytes / row.seconds;
  const find = (prefix) => rows.find((row) => row.name?.startsWith(prefix) && row.seconds !== undefined);
  const cli = find('CLI scan --format json --jobs 1');
  const two = find('two threads: CLI scan');
  const core = find('core in-process');
  const mb = fmt(log.bytes / MB, 0);
  const targets = [];
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const ratio = (name, row, base, wanted) => {
    if (!row || !base) return targets.push([name, '—', 'not measured']);
    const value = rate(row) / rate(base);
    targets.push([name, `${fmt(value, 2)} × (wanted ≥ ${wanted})`, verdict(value >= wanted)]);
  };
  ratio('whole scan, one thread, ≥ 1.0 × grep (CLI --jobs 1)', cli, grep, 1.0);
  ratio('whole scan, one thread, ≥ 1.0 × grep (core in-process)', core, grep, 1.0);
  ratio('two threads ≥ 1.7 × one thread (CLI --jobs 2 against --jobs 1)', two, cli, 1.7);
  ratio('two threads ≥ 0.5 × ripgrep (CLI --jobs 2)', two, rg, 0.5);
  for (const row of rows.filter((r) => r.peakBytes !== undefined && !Number.isNaN(r.peakBytes) && !/^(grep|rg|lnav)|without templates/.test(r.name))) {
    const limit = 200 + 0.25 * (row.bytes / MB);
    const peak = row.peakBytes / MB;
    targets.push([`peak memory ≤ 200 MB + 0.25 × log MB (${row.name.split(' (')[0]})`, `${fmt(peak, 0)} MB of ${fmt(limit, 0)} (${fmt(peak / limit, 2)} ×)`, verdict(peak <= limit)]);
  }
  const shown = [find(`server: ${mb} MB read from disk → first`), ...rows.filter((row) => row.name?.startsWith('server: region shown') && row.seconds !== undefined)].filter(Boolean);
  for (const row of shown) {
    const where = row.name.startsWith('server: region') ? row.name.replace(/^server: region shown (at line [\d,]+) of [\d.]+ MB, (.*) after the first findings.*$/, 'region $1, asked $2 after the first') : `the file's start, read from disk`;
    targets.push([`first diagnostics of the region shown < 100 ms (${where})`, `${fmt(row.seconds * 1000, 0)} ms`, verdict(row.seconds < 0.1)]);
  }
  for (const row of rows.filter((r) => r.hovers)) {
    targets.push([`hovers < 50 ms while a log is read (${row.name.replace(/^server: /, '').replace(/ → all findings$/, '')})`, `slowest ${fmt(row.hovers.slowest, 0)} ms, median ${fmt(row.hovers.median, 0)} ms of ${row.hovers.count}`, verdict(row.hovers.slowest < 50)]);
  }
  targets.push(['the end of a 10 M-line read never blocks a request > 100 ms', 'not measured here: `node scripts/bench/blocks.mjs LOG` after `npx tsc -p .`', '—']);
  targets.push(['every known bad line found', `${misses.length} missed of ${log.expected.length} (every row that checks)`, verdict(misses.length === 0)]);
  console.log('\nTargets (docs/performance.md)\n');
  console.log('| target | figure | |');
  console.log('| --- | --- | --- |');
  for (const cells of targets) console.log(`| ${cells.join(' | ')} |`);
}

async function benchOne(log, core, signatures, opts, tools) {
  const rows = [];
  // Read it once so every tool starts from the page cache.
  spawnSync('cat', [log.file], { stdio: ['ignore', 'ignore', 'ignore'] });

  const grep = repeated(opts.repeat, () => timed('grep', ['-c', '-E', '-f', signatures, log.file]));
  grep.name = `grep -c -E -f signatures (${grep.stdout.trim()} lines)`;
  const rg = tools.rg ? repeated(opts.repeat, () => timed(tools.rg, ['-c', '-f', signatures, log.file])) : undefined;
  const base = { bytes: log.bytes, lines: log.lines };
  const grepRow = { ...base, ...grep };
  const rgRow = rg ? { ...base, ...rg, name: `rg -c -f signatures (${rg.stdout.trim()} lines)` } : undefined;
  rows.push(grepRow, rgRow ?? { name: 'rg', note: 'not installed' });
  if (tools.lnav) rows.push({ ...base, ...repeated(opts.repeat, () => timed(tools.lnav, ['-n', '-c', ':quit', log.file])), name: 'lnav -n (open and index)' });
  else rows.push({ name: 'lnav', note: 'not installed' });

  const misses = [];
  const cliJs = path.join(root, 'dist', 'cli.js');
  /** Runs the CLI scan with `extra` flags; returns its row, adding its missed known bad lines to `misses`. */
  const cliScan = (label, extra) => {
    const out = path.join(dataDir, 'scan.json');
    const cli = repeated(opts.repeat, () => timed(process.execPath, [...NODE_FLAGS, cliJs, 'scan', '--format', 'json', '--tz', 'UTC', '--year', '2010', ...extra, log.file], out));
    if (cli.status !== 0) throw new Error(`${label} failed (status ${cli.status}): ${cli.stderr}`);
    const findings = JSON.parse(fs.readFileSync(out, 'utf8'));
    const cliMisses = missed(log.expected, findings);
    misses.push(...cliMisses.map((m) => `${label}: line ${m.line} (${m.rule})`));
    return { ...base, ...cli, name: `${label} (${findings.length} findings)`, note: `${log.expected.length - cliMisses.length}/${log.expected.length} known bad lines found` };
  };
  rows.push(cliScan('CLI scan --format json --jobs 1', ['--jobs', '1']));

  const phases = (flags) =>
    repeated(opts.repeat, () => {
      // --expose-gc: between phases and before the heap is read, so each figure is its own.
      const run = timed(process.execPath, ['--expose-gc', path.join(root, 'scripts', 'bench', 'phases.mjs'), core, log.file, ...flags]);
      if (run.status !== 0) throw new Error(`phases failed: ${run.stderr}`);
      return { ...JSON.parse(run.stdout), peakBytes: run.peakBytes };
    });
  // Alone in its process, so /usr/bin/time's peak is the peak of what the CLI does.
  const total = phases(['--only', 'total']);
  const linesNote = total.lines === log.lines ? '' : `; ${total.lines} lines parsed, ${log.lines} written`;
  rows.push({
    ...base,
    seconds: total.total,
    peakBytes: total.peakBytes,
    name: `core in-process: LogFileScan readAll + result (${total.findings} findings)`,
    note: `heap ${fmt(total.heapMB, 0)} MB + typed arrays ${fmt(total.arrayBuffersMB, 0)} MB live at the end${linesNote}`,
  });
  // Every phase a separate pass in one process: times only (the peak there mixes the passes).
  const each = phases(['--phases']);
  const phaseRows = [
    ['read', 'phase: read (readLineChunks, counting lines)'],
    ['parse', 'phase: parse (read + LogParser, no matching)'],
    ['scan', 'phase: scan (read + parse + match, one pass)'],
    ['match', 'phase: match = scan − parse (catalogue, prefiltered)'],
    ['result', 'phase: result (times, findings, time index)'],
  ];
  for (const [key, name] of phaseRows) rows.push({ ...base, seconds: each[key], name: `  ${name}`, note: key === 'read' ? 'phases: separate passes in one process; peak not measured' : undefined });
  const unfiltered = phases(['--only', 'parse,scan', '--no-prefilter']);
  rows.push({ ...base, seconds: unfiltered.match, name: '  phase: match without prefilter (scan − parse, --no-prefilter)' });
  rows.push(...templateRows(base, total, each, phases));

  const serverJs = path.join(root, 'dist', 'server.js');
  const warmup = `${readLine(log.file, log.expected[0]?.line ?? 1)}\n`;
  /** Measures one way of opening a file in the server; returns its two rows (first findings, all findings). */
  const serverRows = async (label, file, covered, how) => {
    const inRange = log.expected.filter((e) => e.line <= covered.lines);
    const lastExpected = inRange.at(-1);
    // Complete once the last known bad line of the file has its diagnostic, or the diagnostics
    // say how many more findings there are than they show (only the whole file's can).
    const isComplete = (diagnostics) => !lastExpected || diagnostics.some((d) => d.range.start.line + 1 === lastExpected.line || d.code === 'more-findings');
    const runs = [];
    for (let r = 0; r < opts.repeat; r++) runs.push(await measureServer(serverJs, file, warmup, { how, isComplete }));
    const found = runs[0].findings;
    const serverMisses = missed(log.expected, found, covered.lines);
    misses.push(...serverMisses.map((m) => `server (${how}): line ${m.line} (${m.rule})`));
    const firstExpected = inRange[0]?.line;
    const firstFound = runs[0].firstDiagnostics.some((d) => d.range.start.line + 1 === firstExpected);
    return [
      {
        ...covered,
        seconds: median(runs.map((run) => run.firstSeconds)),
        name: `${label} → first findings`,
        note: `the first publication (the file's first 64 KiB): ${runs[0].firstDiagnostics.length} findings; the first known bad line (${firstExpected?.toLocaleString('en') ?? 'none'}) ${firstFound ? 'is' : 'is not'} among them; rates not meaningful here`,
      },
      {
        ...covered,
        seconds: median(runs.map((run) => run.seconds)),
        peakBytes: median(runs.map((run) => run.peakBytes)),
        name: `${label} → all findings`,
        note: `${inRange.length - serverMisses.length}/${inRange.length} known bad lines; ${responsiveness(runs[0].latencies)}${tokensNote(runs[0].tokens)}`,
        hovers: hoverFigures(runs.flatMap((run) => run.latencies)),
      },
    ];
  };
  /** When the semantic tokens asked for right after didOpen came, and how many lines they cover. */
  const tokensNote = (tokens) => (tokens ? `; semantic tokens asked at once answered after ${fmt(tokens.ms, 0)} ms for its first ${tokens.lines.toLocaleString('en')} lines` : '');
  /** Hovers' waits, every run's together: how many, the median and the slowest (ms); undefined when none was asked. */
  const hoverFigures = (latencies) => {
    if (latencies.length === 0) return undefined;
    const sorted = [...latencies].sort((a, b) => a - b);
    return { count: sorted.length, median: sorted[sorted.length >> 1], slowest: sorted.at(-1) };
  };
  /** How long hovers asked for while the file was read waited, as a phrase for the note. */
  const responsiveness = (latencies) => {
    if (latencies.length === 0) return 'no hover asked while reading';
    const sorted = [...latencies].sort((a, b) => a - b);
    return `${sorted.length} hovers while reading: median ${fmt(sorted[sorted.length >> 1], 0)} ms, slowest ${fmt(sorted.at(-1), 0)} ms`;
  };
  if (!tools.serverDone) {
    // The same 50 MiB slice whatever the log's size: measured once per run.
    const slice = syncableSlice(log);
    // Plain LSP clients send a document whole; the VS Code client names a saved log file of 8 MiB or more, which the server reads from disk.
    rows.push(...(await serverRows(`server: didOpen ${fmt(slice.bytes / MB, 0)} MB (plain LSP clients)`, slice.file, { bytes: slice.bytes, lines: slice.lines }, 'didOpen')));
    rows.push(...(await serverRows(`server: ${fmt(slice.bytes / MB, 0)} MB file open in VS Code, read from disk`, slice.file, { bytes: slice.bytes, lines: slice.lines }, 'fromDisk')));
    tools.serverDone = true;
  }
  rows.push(...(await serverRows(`server: ${fmt(log.bytes / MB, 0)} MB read from disk`, log.file, { bytes: log.bytes, lines: log.lines }, 'fromDisk')));
  rows.push(...(await shownRegionRows(serverJs, log, warmup, opts)));

  if (tools.cliJobs) rows.push(cliScan('two threads: CLI scan --format json --jobs 2 (the default)', ['--jobs', '2']));
  else rows.push({ name: 'two workers', note: 'not implemented (the CLI has no --jobs)' });
  rows.push(cliTriage(base, log, opts, rows.find((row) => row.name?.startsWith('two threads: CLI scan'))));
  rows.push({ ...base, seconds: each.triage, name: '  phase: triage of the result alone (groups, rhythm, scores; in-process)', note: `${fmt(each.triageCpu, 2)} s CPU; top group ${each.topGroup}` });
  return { rows, grep: grepRow, rg: rgRow, misses };
}

/** Where the region shown is asked for, after the read's first publication: at once (the line ends not counted yet), and later. */
const SHOWN_AFTER_MS = [0, 3000];

/**
 * The region an editor shows at the end of the log while it is read from disk: from the
 * `logForensics/visibleRanges` naming the lines around the last known bad line but one to the
 * publication holding its finding, asked at once after the first publication and a few seconds
 * later (the line ends counted ahead by then). Rates are not meaningful: one window is read.
 */
async function shownRegionRows(serverJs, log, warmup, opts) {
  const target = log.expected.at(-2) ?? log.expected.at(-1);
  if (!target) return [];
  const rows = [];
  for (const afterMs of SHOWN_AFTER_MS) {
    const runs = [];
    for (let r = 0; r < opts.repeat; r++) runs.push(await measureShownRegion(serverJs, log.file, warmup, { target, afterMs }));
    const ahead = runs.every((run) => run.aheadOfRead);
    rows.push({
      bytes: log.bytes,
      lines: log.lines,
      seconds: median(runs.map((run) => run.shownMs)) / 1000,
      name: `server: region shown at line ${target.line.toLocaleString('en')} of ${fmt(log.bytes / MB, 0)} MB, ${afterMs === 0 ? 'at once' : `${afterMs / 1000} s`} after the first findings → its findings`,
      note: `${runs.some((run) => run.readEarlier) ? 'already published by the read before it was shown: its finding there came' : `${ahead ? 'ahead of' : 'NOT ahead of'} the read, whose own finding there came`} ${fmt(median(runs.map((run) => run.readMs)) / 1000, 1)} s after the open; rates not meaningful here`,
    });
  }
  return rows;
}

const percent = (part, whole) => `${part >= 0 ? '+' : ''}${fmt((100 * part) / whole, 0)} %`;

/**
 * What learning templates costs: the core's whole run and its scan and result phases with the
 * miner left out (`--no-templates`: no templates, no rare lines), beside the same with it, from
 * the same run. `total` and `each` are the runs with templates (`--only total`, `--phases`). On a
 * loaded machine the wall times of separate runs wander; the CPU seconds, said in the notes, less.
 */
function templateRows(base, total, each, phases) {
  const off = phases(['--only', 'total', '--no-templates']);
  const offPhases = phases(['--only', 'scan,result', '--no-templates']);
  const cpu = (run, key) => `${fmt(run[key], 2)} s CPU`;
  const miningCpu = each.scanCpu - offPhases.scanCpu;
  return [
    {
      ...base,
      seconds: off.total,
      peakBytes: off.peakBytes,
      name: `core in-process without templates (--no-templates; ${off.findings} findings)`,
      note: `${cpu(off, 'totalCpu')}; with templates (${total.templateCount} learnt, ${total.findings - off.findings} rare lines) ${cpu(total, 'totalCpu')}: ${percent(total.totalCpu - off.totalCpu, off.totalCpu)} CPU, ${percent(total.total - off.total, off.total)} wall, ${percent(total.peakBytes - off.peakBytes, off.peakBytes)} peak`,
    },
    { ...base, seconds: offPhases.scan, name: '  phase: scan without templates (read + parse + match, --no-templates)', note: `${cpu(offPhases, 'scanCpu')}; with templates ${cpu(each, 'scanCpu')}` },
    { ...base, seconds: each.scan - offPhases.scan, name: '  phase: mine templates = scan − scan without templates', note: `${fmt(miningCpu, 2)} s CPU, ${fmt((miningCpu / base.lines) * 1e6, 1)} µs a line: ${percent(miningCpu, offPhases.scanCpu)} CPU on the scan` },
    { ...base, seconds: offPhases.result, name: '  phase: result without templates (no template ids, statistics or rare lines)', note: `with templates ${fmt(each.result, 2)} s` },
  ];
}

/**
 * The CLI's triage of the log (`triage --json --top 20`, default threads): analysis, grouping,
 * rhythm and scores, wall time and peak from GNU time; compared with the scan on as many threads.
 */
function cliTriage(base, log, opts, scan) {
  const out = path.join(dataDir, 'triage.json');
  const run = repeated(opts.repeat, () => timed(process.execPath, [...NODE_FLAGS, path.join(root, 'dist', 'cli.js'), 'triage', '--json', '--top', '20', '--tz', 'UTC', '--year', '2010', log.file], out));
  if (run.status !== 0) throw new Error(`CLI triage failed (status ${run.status}): ${run.stderr}`);
  const groups = JSON.parse(fs.readFileSync(out, 'utf8'));
  if (!Array.isArray(groups) || groups.length === 0) throw new Error('CLI triage ranked no group');
  const versus = scan?.cpuSeconds !== undefined ? `; over the scan on two threads: ${percent(run.seconds - scan.seconds, scan.seconds)} wall, ${percent(run.cpuSeconds - scan.cpuSeconds, scan.cpuSeconds)} CPU` : '';
  return { ...base, ...run, name: `CLI triage --json --top 20 (${groups.length} groups shown)`, note: `${fmt(run.cpuSeconds, 2)} s CPU; top group ${groups[0].ruleId} ×${groups[0].count}${versus}` };
}

/** Whether the CLI takes `--jobs` (scan in several workers), from what `scan --help` prints. */
function cliHasJobs() {
  const help = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'scan', '--help'], { cwd: root, encoding: 'utf8' });
  return /--jobs\b/.test(`${help.stdout}${help.stderr}`);
}

/** A row without the captured output, for the results file. */
function summaryOf(row) {
  const summary = { ...row };
  delete summary.stdout;
  delete summary.stderr;
  return summary;
}

/** Line `lineNo` (1-based) of a log, looked for in its first 4 MiB. */
function readLine(file, lineNo) {
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(Math.min(fs.statSync(file).size, 4 * 1024 * 1024));
  fs.readSync(fd, buffer, 0, buffer.length, 0);
  fs.closeSync(fd);
  return buffer.toString('utf8').split('\n')[lineNo - 1] ?? '';
}

const opts = options(process.argv.slice(2));
fs.mkdirSync(dataDir, { recursive: true });
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
const corePath = path.join(dataDir, 'core.cjs');
const core = await bundleCore(root, corePath);
const signatures = path.join(dataDir, 'signatures.txt');
const sig = writeSignatures(core, root, signatures);
const tools = { rg: which('rg'), lnav: which('lnav'), cliJobs: cliHasJobs() };
const version = (command) => (which(command) ? spawnSync(command, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0] : 'not installed');

console.log(`machine: ${os.cpus()[0]?.model ?? '?'}, ${os.availableParallelism()} cores, ${fmt(os.totalmem() / 2 ** 30, 0)} GiB; node ${process.version}; ${version('grep')}; ${version('rg')}; lnav ${tools.lnav ? 'installed' : 'not installed'}; locale ${process.env.LC_ALL ?? process.env.LANG ?? '(unset)'}`);
console.log(`load before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; repeats: ${opts.repeat} (medians shown)`);
console.log(`signatures: ${sig.literals} literals from ${sig.withLiteral} of ${sig.rules} line rules (${sig.caseless} case-insensitive, searched as written) → ${path.relative(root, signatures)}`);

let failed = false;
for (const lines of opts.lines) {
  const log = ensureLog(lines, opts.seed);
  const result = await benchOne(log, corePath, signatures, opts, tools);
  printTable(`${lines.toLocaleString('en')} lines, ${fmt(log.bytes / MB, 0)} MB, ${log.expected.length} known bad lines (${path.relative(root, log.file)})`, result.rows, result.grep, result.rg);
  printTargets(result, log);
  fs.writeFileSync(path.join(dataDir, `results-${lines}.json`), JSON.stringify({ lines, bytes: log.bytes, load: os.loadavg(), rows: result.rows.map(summaryOf), misses: result.misses }, null, 2));
  if (result.misses.length) {
    failed = true;
    console.log(`\nMISSED known bad lines (${result.misses.length}):\n  ${result.misses.join('\n  ')}`);
  } else console.log('\nevery known bad line was found');
}
console.log(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
process.exitCode = failed ? 1 : 0;
