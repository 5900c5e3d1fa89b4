import { LogForensicsSettings } from '../settings';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ReportLog, buildReport, placeAnnotations, resolveForLogs } from '../analysis/annotate/report';
import { timesketchRows, toTimesketchCsv, toTimesketchJsonl } from '../analysis/annotate/timesketch';
import { Annotation } from '../analysis/annotate/types';
import { RuleMatcher } from '../analysis/rules/matcher';
import { analyzeLog } from '../analysis/service';
import { readLogEvidence } from '../cli/readLog';
import { timeContextFor, yearReferenceFor } from '../logStore';
import { annotationPathOf } from './annotationsFile';

/** A log that could not be read for a report; the message names the file and why. */
export class EvidenceReadError extends Error {}

/** How to read the logs of a report. */
export interface ReportLogOptions {
  matcher: RuleMatcher;
  /** The time settings to read a file's stamps with (zones, year, host offsets), as the editor reads them. */
  timeOf: (file: string) => LogForensicsSettings;
  /** The folder annotation paths are relative to. */
  root: string;
  /** The folder the report will be written to; links are relative to it. */
  reportFolder: string;
  maxMiB?: number;
  /** Told about parse problems of a file, one line each. */
  warn?: (message: string) => void;
}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/**
 * Reads each log once from disk, analyses the very bytes it hashes, and describes it as report
 * evidence (path as annotations name it, link relative to the report, size, mtime, SHA-256).
 * Throws `EvidenceReadError` naming the first file that cannot be read.
 */
export function loadReportLogs(files: readonly string[], options: ReportLogOptions): ReportLog[] {
  return files.map((file) => {
    let evidence;
    try {
      evidence = readLogEvidence(file, options.maxMiB);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new EvidenceReadError(`${file}: ${reason}`, { cause: error });
    }
    const uri = pathToFileURL(path.resolve(file)).href;
    // The same time model as the editor and the CLI's scan: a report must not place lines elsewhere.
    const settings = options.timeOf(file);
    const notes: string[] = [];
    const context = timeContextFor(settings, annotationPathOf(options.root, file) ?? file, notes);
    for (const note of notes) options.warn?.(note);
    const yearReference = yearReferenceFor(uri, settings, context.zone, { ms: evidence.mtimeMs, fromGzip: evidence.compressed });
    const log = analyzeLog(evidence.text, { ...context, yearReference }, options.matcher);
    for (const problem of log.parsed.problems) options.warn?.(`${file}${problem.line >= 0 ? `:${problem.line + 1}` : ''}: ${problem.message}`);
    const href = toPosix(path.relative(options.reportFolder, path.resolve(file)));
    return {
      path: annotationPathOf(options.root, file) ?? href,
      href,
      parsed: log.parsed,
      findings: log.findings,
      sizeBytes: evidence.sizeBytes,
      mtimeMs: evidence.fileMtimeMs,
      sha256: evidence.sha256,
      compressed: evidence.compressed,
    };
  });
}

/** The documents the CLI and the editor export. */
export type ReportFormat = 'markdown' | 'timesketch-jsonl' | 'timesketch-csv';

/** What an export says besides its text: what it could not place. */
export interface ExportOutcome {
  text: string;
  /** One line per annotation whose anchor was lost, or per entry without a usable time. */
  warnings: string[];
}

/**
 * Renders the postmortem (Markdown) or the Timesketch timeline (JSONL, CSV) of the logs and
 * annotations: the one place both the `report`/`export` commands and the editor's export call.
 */
export function renderExport(format: ReportFormat, logs: readonly ReportLog[], annotations: readonly Annotation[], options: { title?: string; generatedAt?: string } = {}): ExportOutcome {
  const warnings: string[] = [];
  if (format !== 'markdown') {
    const { rows, untimed } = timesketchRows(logs, annotations);
    if (untimed > 0) warnings.push(`${untimed} entries had no usable time and are not exported`);
    return { text: format === 'timesketch-csv' ? toTimesketchCsv(rows) : toTimesketchJsonl(rows), warnings };
  }
  const resolved = resolveForLogs(logs, annotations);
  const { lost } = placeAnnotations(logs, annotations, resolved);
  for (const { annotation, reason } of lost) warnings.push(`${annotation.file}: annotation on former line ${annotation.anchor.line + 1} not found: ${reason}`);
  return { text: buildReport({ title: options.title, logs, annotations, resolved, generatedAt: options.generatedAt }), warnings };
}
