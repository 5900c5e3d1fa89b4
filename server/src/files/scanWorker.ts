// A worker thread that reads one stretch of a log: parses and matches its lines with the same
// rules as the main thread, mines its message templates, and sends back the columns, matches,
// templates and line offsets (the buffers move; the templates' plain data is cloned). Run by
// `scanInParallel`.
import { parentPort, workerData } from 'worker_threads';
import { RuleRecipe, rulesOf } from '../analysis/rules/catalogue';
import { PrefilterChoice, RuleMatcher } from '../analysis/rules/matcher';
import { LogAnalysis } from '../analysis/service';
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

if (parentPort) {
  try {
    const part = readPart(workerData as ScanWorkerInput);
    parentPort.postMessage({ part }, [...LineColumns.buffers(part.analysis.parsed.columns), part.starts.buffer as ArrayBuffer, part.analysis.templates.sequences.buffer as ArrayBuffer]);
  } catch (error) {
    parentPort.postMessage({ error: (error as Error).message });
  }
}
