import { createHash } from 'crypto';
import { RuleRecipe } from '../analysis/rules/catalogue';
import { RuleMatcher } from '../analysis/rules/matcher';
import { SuppressionSet } from '../analysis/rules/suppress';
import { AnalyzedLog, withoutSuppressed } from '../analysis/service';
import { LogFileSystem, nodeFileSystem } from '../files/fileSystem';
import { LogFileScan } from '../files/logFileScan';
import { scanInParallel } from '../files/parallelScan';
import { LogForensicsSettings } from '../settings';
import { LogSource, openLogSource } from './source';
import { IncidentYear, incidentYear, logTimeContext, ownYearOf } from './timeSettings';

/** How the command line and the report read a log to its end. */
export interface WholeReadOptions {
  matcher: RuleMatcher;
  /** What `matcher` was built from: worker threads build it again. */
  recipe: RuleRecipe;
  jobs: number;
  fs?: LogFileSystem;
  maxBytes?: number;
}

/** A log read to its end, ready to be given a time model. */
export interface WholeRead {
  source: LogSource;
  scan: LogFileScan;
}

/**
 * Reads a log to its end the way the editor does (`openLogSource`, then one `LogFileScan`), a
 * plain file on disk on `jobs` threads. Throws as `openLogSource` does for what is not a log.
 */
export async function readWholeLog(file: string, options: WholeReadOptions): Promise<WholeRead> {
  const fs = options.fs ?? nodeFileSystem;
  const source = openLogSource(file, fs, options.maxBytes);
  if (source.kind === 'plain' && source.fs === nodeFileSystem) return { source, scan: await scanInParallel(file, options.matcher, options.recipe, options.jobs) };
  const scan = new LogFileScan(source.path, options.matcher, undefined, source.fs);
  scan.readAll();
  return { source, scan };
}

/** What a log's analysis says besides its findings: notes for the user. */
export interface WholeAnalysis {
  log: AnalyzedLog;
  /** Unknown zones, findings left out as expected. */
  notes: string[];
}

/**
 * The analysis of a log read whole, with the same time model and suppressions as the editor's:
 * `relativePath` is the log's path as settings and suppressions name it.
 */
export function analyseWhole(read: WholeRead, settings: LogForensicsSettings, relativePath: string, suppressions: SuppressionSet | undefined, now = Date.now(), borrowed?: IncidentYear): WholeAnalysis {
  const notes: string[] = [];
  const log = read.scan.result((evidence) => logTimeContext(settings, relativePath, read.source.written, now, notes, evidence, borrowed));
  const hidden = withoutSuppressed(log, suppressions, relativePath);
  if (hidden > 0) notes.push(`${hidden} finding(s) marked as expected in .log-forensics/suppressions.json are not shown.`);
  return { log, notes };
}

/** One log of an incident read whole, with what it is analysed with. */
export interface IncidentRead {
  read: WholeRead;
  settings: LogForensicsSettings;
  /** The log's path as settings and suppressions name it. */
  name: string;
  suppressions?: SuppressionSet;
}

/**
 * The analyses of an incident's logs read together, as the editor reads them: a log whose lines
 * name no year takes the year the others' lines name (`incidentYear`), not its file's mtime.
 */
export function analyseIncident(reads: readonly IncidentRead[], now = Date.now()): WholeAnalysis[] {
  const first = reads.map((item) => analyseWhole(item.read, item.settings, item.name, item.suppressions, now));
  const own = first.map((analysis, k) => ownYearOf(analysis.log.parsed.context, reads[k].name));
  return first.map((analysis, k) => {
    const borrowed = own[k] ? undefined : incidentYear(own.filter((_, j) => j !== k));
    return borrowed ? analyseWhole(reads[k].read, reads[k].settings, reads[k].name, reads[k].suppressions, now, borrowed) : analysis;
  });
}

/** What names a log file as evidence: its size, mtime and SHA-256, hashed a block at a time. */
export interface EvidenceStamp {
  sizeBytes: number;
  mtimeMs: number;
  sha256: string;
}

/** Hashes a file's bytes as they are on disk (for gzip, the compressed file), never holding it whole. */
export function evidenceStamp(file: string, fs: LogFileSystem = nodeFileSystem): EvidenceStamp {
  const stat = fs.stat(file);
  const hash = createHash('sha256');
  const handle = fs.open(file);
  let size = 0;
  try {
    const block = new Uint8Array(4 * 1024 * 1024);
    for (;;) {
      const read = handle.read(block, size);
      if (read === 0) break;
      hash.update(block.subarray(0, read));
      size += read;
    }
  } finally {
    handle.close();
  }
  return { sizeBytes: size, mtimeMs: stat.mtimeMs, sha256: hash.digest('hex') };
}
