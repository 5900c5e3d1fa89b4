// A worker thread that reads one stretch of a log: parses and matches its lines with the same
// rules as the main thread, mines its message templates, and sends back the columns, matches,
// templates and line offsets (the buffers move; the templates' plain data is cloned, in pieces,
// one sent each time the main thread asks for the next). Run by `startWorkerReads`.
import { parentPort, workerData } from 'worker_threads';
import { RuleRecipe, rulesOf } from '../analysis/rules/catalogue';
import { PrefilterChoice, RuleMatcher } from '../analysis/rules/matcher';
import { LogAnalysis } from '../analysis/service';
import { MinerData } from '../analysis/templates/miner';
import { LineColumns } from '../analysis/parse/lineTable';
import { LineOffsets, readLineChunks } from './lineReader';
import { ScanPart } from './logFileScan';

/** What a worker builds its rules from: the recipe, and the prefilters the caller's matcher chose for them (taken only if they are for the same rules). */
export interface WorkerRules extends RuleRecipe {
  prefilters?: PrefilterChoice;
}

/** What the main thread asks a worker to read. */
export interface ScanWorkerInput {
  file: string;
  fromByte: number;
  toByte: number;
  rules: WorkerRules;
}

/** What a worker sends: pieces of its miner's state, then its part (without them), or why it failed. */
export interface ScanWorkerMessage {
  sequences?: MinerData['sequences'];
  clusters?: MinerData['clusters'];
  part?: ScanPart;
  error?: string;
}

/** Distinct messages (or templates) of the miner sent in one message: some tens of milliseconds to take in. */
const MINER_PIECE = 2000;

function readPart(input: ScanWorkerInput): ScanPart {
  const analysis = new LogAnalysis(new RuleMatcher(rulesOf(input.rules), { prefilters: input.rules.prefilters }), { part: true });
  const offsets = new LineOffsets();
  let endByte = input.fromByte;
  for (const chunk of readLineChunks(input.file, { fromByte: input.fromByte, toByte: input.toByte })) {
    analysis.add(chunk.lines);
    offsets.push(chunk.starts);
    if (endByte === input.fromByte) {
      // Room for the whole stretch, estimated from its first chunk, so the columns are not grown by copies.
      const estimate = Math.min(Math.ceil(((analysis.length * (input.toByte - input.fromByte)) / Math.max(1, chunk.endByte - input.fromByte)) * 1.05), Math.ceil((input.toByte - input.fromByte) / 40));
      analysis.reserve(estimate);
      offsets.reserve(estimate);
    }
    endByte = chunk.endByte;
  }
  analysis.trim();
  return { fromByte: input.fromByte, endByte, starts: offsets.finish(endByte).subarray(0, offsets.length), analysis: analysis.part() };
}

/**
 * The messages that carry a part: the miner's distinct messages and templates in pieces (many
 * small objects, which take the receiving thread long to rebuild), then the rest.
 */
function messagesOf(part: ScanPart): { message: ScanWorkerMessage; transfer?: ArrayBuffer[] }[] {
  const miner = part.analysis.templates.miner;
  const messages: { message: ScanWorkerMessage; transfer?: ArrayBuffer[] }[] = [];
  for (let k = 0; k < miner.sequences.length; k += MINER_PIECE) messages.push({ message: { sequences: miner.sequences.slice(k, k + MINER_PIECE) } });
  for (let k = 0; k < miner.clusters.length; k += MINER_PIECE) messages.push({ message: { clusters: miner.clusters.slice(k, k + MINER_PIECE) } });
  const rest: ScanPart = { ...part, analysis: { ...part.analysis, templates: { ...part.analysis.templates, miner: { ...miner, sequences: [], clusters: [] } } } };
  messages.push({ message: { part: rest }, transfer: [...LineColumns.buffers(part.analysis.parsed.columns), part.starts.buffer as ArrayBuffer, part.analysis.templates.sequences.buffer as ArrayBuffer] });
  return messages;
}

if (parentPort) {
  const port = parentPort;
  try {
    const messages = messagesOf(readPart(workerData as ScanWorkerInput));
    // One message at a time, the next when the main thread asks: it takes each in as a task of its own, with requests between.
    const sendNext = () => {
      const next = messages.shift();
      if (next) port.postMessage(next.message, next.transfer);
    };
    port.on('message', sendNext);
    sendNext();
  } catch (error) {
    port.postMessage({ error: (error as Error).message } satisfies ScanWorkerMessage);
  }
}
