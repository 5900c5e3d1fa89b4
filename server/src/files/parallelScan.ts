import * as path from 'path';
import { Worker } from 'worker_threads';
import { RuleRecipe } from '../analysis/rules/catalogue';
import { RuleMatcher } from '../analysis/rules/matcher';
import { parseLogLine } from '../analysis/parse/line';
import { LogFileSystem, nodeFileSystem } from './fileSystem';
import { LogFileScan, ScanPart } from './logFileScan';
import { nextLineStart, readLineChunks } from './lineReader';
import type { ScanWorkerInput, ScanWorkerMessage, WorkerRules } from './scanWorker';
import type { MinerData } from '../analysis/templates/miner';
import { WORKER_YOUNG_GENERATION_MB } from '../nodeFlags';

/**
 * Below this size a file is read on one thread: starting a worker and compiling the rules in it
 * costs more than it saves.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/**
 * About what one thread reads while a worker starts and compiles the rules (0.3-0.4 s): the
 * main thread's stretch is longer by this much, so that every thread finishes at about the same time.
 */
const WORKER_START_BYTES = 16 * 1024 * 1024;
/** How far past a cut an entry's first line is looked for before the cut is given up. */
const ENTRY_SEARCH_BYTES = 1024 * 1024;

/**
 * Byte offsets that cut a file into `parts` stretches, the first longer by `headStart` bytes and
 * the others of equal size, each cut at the first line of an entry, so that no entry (a stack
 * trace, a wrapped message) is split between threads.
 */
export function entryCuts(file: string, parts: number, headStart = 0, fs: LogFileSystem = nodeFileSystem): number[] {
  const size = fs.stat(file).size;
  const share = (size - headStart) / parts;
  const cuts: number[] = [];
  if (share <= 0) return cuts;
  for (let k = 1; k < parts; k++) {
    const from = Math.max(nextLineStart(file, Math.floor(headStart + share * k), fs), cuts.at(-1) ?? 0);
    search: for (const chunk of readLineChunks(file, { fromByte: from, toByte: from + ENTRY_SEARCH_BYTES, chunkBytes: 64 * 1024 }, fs)) {
      for (let j = 0; j < chunk.lines.length; j++) {
        if (chunk.starts[j] > (cuts.at(-1) ?? 0) && parseLogLine(chunk.lines[j], 0).kind === 'entry') {
          cuts.push(chunk.starts[j]);
          break search;
        }
      }
    }
  }
  return cuts.filter((cut) => cut > 0 && cut < size);
}

/** Workers reading the stretches of a file after its first cut; the caller reads the first stretch. */
export interface WorkerReads {
  /** Where the caller's own stretch ends. */
  firstCut: number;
  /** What the workers read, in file order. */
  parts: Promise<ScanPart[]>;
  /** Stops the workers (the read was cancelled); `parts` then rejects. */
  stop(): void;
}

/** A worker's part with the pieces of its miner's state it sent before it. */
function withMinerPieces(part: ScanPart, sequences: MinerData['sequences'], clusters: MinerData['clusters']): ScanPart {
  const templates = part.analysis.templates;
  const miner = { ...templates.miner, sequences, clusters };
  return { ...part, analysis: { ...part.analysis, templates: { ...templates, miner } } };
}

/** How large a file must be before workers help, and how much longer the caller's stretch is. */
export interface ParallelSizes {
  minBytes: number;
  headStart: number;
}

const DEFAULT_SIZES: ParallelSizes = { minBytes: PARALLEL_MIN_BYTES, headStart: WORKER_START_BYTES };

/** What workers build their rules from: the recipe of `matcher`'s rules, and the prefilters it chose. */
export function workerRules(rules: { matcher: RuleMatcher; recipe: RuleRecipe }): WorkerRules {
  return { ...rules.recipe, prefilters: rules.matcher.prefilterChoice() };
}

/**
 * Starts `jobs - 1` workers on the later stretches of a plain log (`rules`: what the rules are
 * built from, each worker compiles them again; with the caller's prefilters, which spares it
 * choosing them). Undefined when the file is too small or has no
 * entry to cut at, and for a file not on disk: workers read the disk, not the caller's `fs`.
 */
export function startWorkerReads(file: string, rules: WorkerRules, jobs: number, sizes: ParallelSizes = DEFAULT_SIZES, fs: LogFileSystem = nodeFileSystem): WorkerReads | undefined {
  if (fs !== nodeFileSystem) return undefined;
  const size = fs.stat(file).size;
  const cuts = jobs > 1 && size >= sizes.minBytes ? entryCuts(file, jobs, sizes.headStart) : [];
  if (cuts.length === 0) return undefined;
  const ends = [...cuts.slice(1), size];
  const workers: Worker[] = [];
  const parts = Promise.all(
    cuts.map(
      (fromByte, k) =>
        new Promise<ScanPart>((resolve, reject) => {
          const worker = new Worker(path.join(__dirname, 'scanWorker.js'), {
            workerData: { file, fromByte, toByte: ends[k], rules } satisfies ScanWorkerInput,
            resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
          });
          workers.push(worker);
          // Joined as they come (a piece at a time), not all at the end: 25 ms at 10 M lines.
          const sequences: MinerData['sequences'] = [];
          const clusters: MinerData['clusters'] = [];
          worker.on('message', (message: ScanWorkerMessage) => {
            if (message.sequences || message.clusters) {
              for (const sequence of message.sequences ?? []) sequences.push(sequence);
              for (const cluster of message.clusters ?? []) clusters.push(cluster);
              worker.postMessage('next');
              return;
            }
            if (message.part) resolve(withMinerPieces(message.part, sequences, clusters));
            else reject(new Error(message.error ?? 'a worker sent nothing'));
            void worker.terminate();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`a worker stopped (exit ${code}) before it sent its part`)));
        }),
    ),
  );
  // Rejections are taken where `parts` is awaited; until then the caller reads its own stretch.
  parts.catch(() => undefined);
  return { firstCut: cuts[0], parts, stop: () => workers.forEach((worker) => void worker.terminate()) };
}

/**
 * Reads a plain log with `jobs` threads: this one reads the first stretch while workers read the
 * others, then their columns and matches are joined in file order. The result is the same as
 * `LogFileScan.readAll` gives (`rules` must be what `matcher` was built from). Small files,
 * files with no entry to cut at, and files not on disk are read on this thread alone.
 */
export async function scanInParallel(file: string, matcher: RuleMatcher, rules: RuleRecipe, jobs: number, sizes: ParallelSizes = DEFAULT_SIZES, fs: LogFileSystem = nodeFileSystem): Promise<LogFileScan> {
  const scan = new LogFileScan(file, matcher, undefined, fs);
  const workers = startWorkerReads(file, workerRules({ matcher, recipe: rules }), jobs, sizes, fs);
  scan.readAll(workers?.firstCut);
  if (workers) scan.absorb(await workers.parts);
  return scan;
}
