// Times the template miner alone: the log is parsed once, and every message the scan would hand
// the miner (program, message, host, as `TemplateScanner` picks them) is kept; then, timed,
// masking all of them, and a fresh `TemplateMiner` adding all of them. The best of
// `--repeat` passes is printed (one JSON line), so a loaded machine disturbs it less.
//
// `--phase setup` only parses and keeps the messages, `--phase mask` or `--phase mine` runs one
// phase only, `--repeat` passes (default 1). Under `valgrind --tool=callgrind` (and node's
// `--single-threaded`, so V8 compiles on the counted thread at the same points each run), the
// instructions of one warm pass are those of a run of N + 1 passes minus those of a run of N: a
// count that repeats where times do not, and that leaves out start-up and compilation.
// `--core` takes a core bundled elsewhere (e.g. from older sources, to compare); by default the
// core is bundled from the sources as they stand.
//
//   node scripts/bench/templates.mjs LOG [--core CORE.cjs] [--lines N] [--repeat N] [--phase setup|mask|mine|all]
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCore } from './core.mjs';

const PHASES = ['setup', 'mask', 'mine', 'all'];

function options(argv) {
  const opts = { logPath: undefined, corePath: undefined, lines: Infinity, repeat: undefined, phase: 'all' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--core') opts.corePath = argv[++i];
    else if (argv[i] === '--lines') opts.lines = Number(argv[++i]);
    else if (argv[i] === '--repeat') opts.repeat = Number(argv[++i]);
    else if (argv[i] === '--phase') opts.phase = argv[++i];
    else if (!opts.logPath && !argv[i].startsWith('--')) opts.logPath = argv[i];
    else throw new Error(`unknown option ${argv[i]} (use --core CORE.cjs, --lines N, --repeat N, --phase ${PHASES.join('|')})`);
  }
  if (!opts.logPath) throw new Error('usage: templates.mjs LOG [--core CORE.cjs] [--lines N] [--repeat N] [--phase setup|mask|mine|all]');
  opts.repeat ??= opts.phase === 'all' ? 5 : 1;
  if (!PHASES.includes(opts.phase)) throw new Error(`unknown phase ${opts.phase} (phases: ${PHASES.join(', ')})`);
  if (!(opts.repeat >= 1) || !(opts.lines >= 1)) throw new Error('--lines and --repeat take positive numbers');
  return opts;
}

const opts = options(process.argv.slice(2));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const core = opts.corePath ? createRequire(import.meta.url)(path.resolve(opts.corePath)) : await bundleCore(root, path.join(os.tmpdir(), `templates-core-${process.pid}.cjs`));

/** What the scan hands the miner, one entry per call, recorded through the real `TemplateScanner`. */
function recordedMessages() {
  const programs = [];
  const messages = [];
  const hosts = [];
  const recorder = {
    lastSequence: 0,
    add(program, message, _line, _time, host) {
      programs.push(program);
      messages.push(message);
      hosts.push(host);
      return 0;
    },
  };
  const parser = new core.LogParser(new core.TemplateScanner(recorder));
  let lines = 0;
  for (const chunk of core.readLineChunks(opts.logPath)) {
    const wanted = Math.min(chunk.lines.length, opts.lines - lines);
    parser.add(wanted === chunk.lines.length ? chunk.lines : chunk.lines.slice(0, wanted));
    lines += wanted;
    if (lines >= opts.lines) break;
  }
  return { programs, messages, hosts, lines };
}

const input = recordedMessages();
const out = { lines: input.lines, messages: input.messages.length };
const seconds = (start) => Number(process.hrtime.bigint() - start) / 1e9;

function best(name, run) {
  let fastest = Infinity;
  let value;
  for (let r = 0; r < opts.repeat; r++) {
    const start = process.hrtime.bigint();
    value = run();
    fastest = Math.min(fastest, seconds(start));
  }
  out[name] = fastest;
  out[`${name}NsPerMessage`] = Math.round((fastest / input.messages.length) * 1e9);
  return value;
}

if (opts.phase === 'mask' || opts.phase === 'all') {
  // Masking as the miner does it: into a reused buffer where the core has one, else into strings.
  const masked = core.MaskedMessage && new core.MaskedMessage();
  out.tokens = best('mask', () => {
    let tokens = 0;
    if (masked) {
      for (const message of input.messages) {
        core.maskInto(message, masked);
        tokens += masked.tokenCount;
      }
    } else for (const message of input.messages) tokens += core.maskMessage(message).length;
    return tokens;
  });
}
if (opts.phase === 'mine' || opts.phase === 'all') {
  const miner = best('mine', () => {
    const miner = new core.TemplateMiner();
    const { programs, messages, hosts } = input;
    for (let i = 0; i < messages.length; i++) miner.add(programs[i], messages[i], i, NaN, hosts[i]);
    return miner;
  });
  out.templates = miner.templates().length;
  // A digest of what was learnt, to check two cores mined the same.
  let digest = 0;
  for (const template of miner.templates()) for (let i = 0; i < template.text.length; i++) digest = (Math.imul(digest, 31) + template.text.charCodeAt(i)) | 0;
  out.digest = digest;
}
process.stdout.write(`${JSON.stringify(out)}\n`);
