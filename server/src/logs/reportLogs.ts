import { LogForensicsSettings } from '../settings';
import * as path from 'path';
import { ReportLog, SuggestedLine, buildReport, placeAnnotations, resolveForLogs } from '../analysis/annotate/report';
import { AnalyzedLog } from '../analysis/service';
import { CompiledRule } from '../analysis/rules/types';
import { triage } from '../analysis/triage/triage';
import { timesketchCsv, timesketchJsonl, timesketchTimeline } from '../analysis/annotate/timesketch';
import { Annotation } from '../analysis/annotate/types';
import { RuleMatcher } from '../analysis/rules/matcher';
import { RuleRecipe } from '../analysis/rules/catalogue';
import { SuppressionSet } from '../analysis/rules/suppress';
import { EvidenceStamp, IncidentRead, analyseIncident, evidenceStamp, readWholeLog } from './readWhole';
import { LogFileSystem, nodeFileSystem } from '../files/fileSystem';
import { annotationPathOf } from '../files/annotationsFile';

/** A log that could not be read for a report; the message names the file and why. */
export class EvidenceReadError extends Error {}

/** How to read the logs of a report. */
export interface ReportLogOptions {
  matcher: RuleMatcher;
  /** What `matcher` was built from, for threads that read a large log. */
  recipe: RuleRecipe;
  jobs?: number;
  /** The time settings to read a file's stamps with (zones, year, host offsets), as the editor reads them. */
  timeOf: (file: string) => LogForensicsSettings;
  /** The folder annotation paths are relative to. */
  root: string;
  /** The folder the report will be written to; links are relative to it. */
  reportFolder: string;
  /** The workspace's findings marked as expected: left out, as the editor leaves them out. */
  suppressions?: SuppressionSet;
  maxMiB?: number;
  /** Where the files are read (the disk by default). */
  fs?: LogFileSystem;
  /** The clock, for the year of a log with no other reference. */
  now?: number;
  /** Told about parse problems of a file, one line each. */
  warn?: (message: string) => void;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (error as Error).message;
}

/**
 * Reads each log from disk the way the editor does (in chunks, any size), analyses it with the
 * editor's time model and suppressions, and describes it as report evidence (path as annotations
 * name it, link relative to the report, size, mtime, SHA-256 of the bytes on disk; a file that
 * changed while it was read is named). Throws `EvidenceReadError` naming the first file that cannot be read.
 */
export async function loadReportLogs(files: readonly string[], options: ReportLogOptions): Promise<EvidenceLog[]> {
  const fs = options.fs ?? nodeFileSystem;
  const reads: (IncidentRead & { stamp: EvidenceStamp })[] = [];
  for (const file of files) {
    try {
      const stamp = evidenceStamp(file, fs);
      const read = await readWholeLog(file, { matcher: options.matcher, recipe: options.recipe, jobs: options.jobs ?? 1, fs, maxBytes: (options.maxMiB ?? 512) * 1024 * 1024 });
      const after = fs.stat(file);
      if (after.size !== stamp.sizeBytes || after.mtimeMs !== stamp.mtimeMs) options.warn?.(`${file}: changed while it was read; the hash names the bytes before the read, the findings what was read`);
      // The same time model as the editor and the CLI's scan: a report must not place lines elsewhere.
      reads.push({ read, stamp, settings: options.timeOf(file), name: annotationPathOf(options.root, file) ?? file, suppressions: options.suppressions });
    } catch (error) {
      throw new EvidenceReadError(`${file}: ${reasonOf(error)}`, { cause: error });
    }
  }
  return analyseIncident(reads, options.now).map(({ log, notes }, k) => {
    const file = files[k];
    for (const note of notes) options.warn?.(`${file}: ${note}`);
    for (const problem of log.parsed.problems) options.warn?.(`${file}${problem.line >= 0 ? `:${problem.line + 1}` : ''}: ${problem.message}`);
    const href = toPosix(path.relative(options.reportFolder, path.resolve(file)));
    const { stamp, read } = reads[k];
    return { analyzed: log, path: annotationPathOf(options.root, file) ?? href, href, parsed: log.parsed, findings: log.findings, sizeBytes: stamp.sizeBytes, mtimeMs: stamp.mtimeMs, sha256: stamp.sha256, compressed: read.source.kind === 'gzip' };
  });
}

/** A log as report evidence, with its whole analysis (for the suggested timeline). */
export interface EvidenceLog extends ReportLog {
  analyzed?: AnalyzedLog;
}

/** Rows of the suggested timeline: the most telling groups that are not steady background. */
const SUGGESTED_ROWS = 10;

/** With nothing annotated, the triage's most telling lines, as a draft of the timeline. */
function suggestedLines(logs: readonly EvidenceLog[], rules: ReadonlyMap<string, CompiledRule>): SuggestedLine[] {
  const analysed = logs.flatMap((log, index) => (log.analyzed ? [{ id: String(index), file: log.path, analyzed: log.analyzed }] : []));
  return triage(analysed, rules)
    .filter((group) => group.rhythm.kind !== 'steady')
    .slice(0, SUGGESTED_ROWS)
    .map((group) => ({ log: Number(group.logId), line: group.line - 1, time: group.time === null ? NaN : Date.parse(group.time), title: group.title, count: group.count, reasons: group.reasons }));
}

/** The documents the CLI and the editor export. */
export type ReportFormat = 'markdown' | 'timesketch-jsonl' | 'timesketch-csv';

/** An export: its text, piece by piece (a timeline of millions of entries is never one string), and what it could not place. */
export interface ExportOutcome {
  pieces: Iterable<string>;
  /** One line per annotation whose anchor was lost, or per entry without a usable time. */
  warnings: string[];
}

/**
 * Renders the postmortem (Markdown) or the Timesketch timeline (JSONL, CSV) of the logs and
 * annotations: the one place both the `report`/`export` commands and the editor's export call.
 */
export function renderExport(format: ReportFormat, logs: readonly EvidenceLog[], annotations: readonly Annotation[], options: { title?: string; generatedAt?: string; rules?: ReadonlyMap<string, CompiledRule> } = {}): ExportOutcome {
  const warnings: string[] = [];
  if (format !== 'markdown') {
    const timeline = timesketchTimeline(logs, annotations);
    if (timeline.untimed > 0) warnings.push(`${timeline.untimed} entries had no usable time and are not exported`);
    return { pieces: format === 'timesketch-csv' ? timesketchCsv(timeline.rows()) : timesketchJsonl(timeline.rows()), warnings };
  }
  const resolved = resolveForLogs(logs, annotations);
  const { lost } = placeAnnotations(logs, annotations, resolved);
  for (const { annotation, reason } of lost) warnings.push(`${annotation.file}: annotation on former line ${annotation.anchor.line + 1} not found: ${reason}`);
  const suggested = annotations.length === 0 && options.rules ? suggestedLines(logs, options.rules) : undefined;
  return { pieces: [buildReport({ title: options.title, logs, annotations, resolved, suggested, generatedAt: options.generatedAt })], warnings };
}
