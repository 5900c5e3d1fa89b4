import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ReportLog, buildReport, placeAnnotations, resolveForLogs } from '../analysis/annotate/report';
import { timesketchRows, toTimesketchCsv, toTimesketchJsonl } from '../analysis/annotate/timesketch';
import { Annotation } from '../analysis/annotate/types';
import { RuleMatcher } from '../analysis/rules/matcher';
import { analyzeLog } from '../analysis/service';
import { annotationPathOf, annotationsFileIn, readAnnotationsFileSync, workspaceRootOf } from '../files/annotationsFile';
import { writeFileAtomicSync } from '../files/atomicWrite';
import { yearReferenceFor } from '../logStore';
import { CliArgs } from './args';
import { readLogEvidence } from './readLog';

/** A mistake that ends the command with status 2; the message names the file. */
class ReportInputError extends Error {}

function toPosix(file: string): string {
  return file.split(path.sep).join('/');
}

/** The annotations to use, and the root their paths are relative to. */
function loadAnnotations(args: CliArgs): { root: string; file?: string; annotations: Annotation[] } {
  const file = args.annotations ?? (fs.existsSync(annotationsFileIn(process.cwd())) ? annotationsFileIn(process.cwd()) : undefined);
  if (!file) return { root: process.cwd(), annotations: [] };
  if (args.annotations !== undefined && !fs.existsSync(file)) throw new ReportInputError(`${file}: no such file`);
  const { store, problems } = readAnnotationsFileSync(file);
  for (const problem of problems) process.stderr.write(`${file}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}\n`);
  return { root: workspaceRootOf(file), file, annotations: store.annotations };
}

/** Whether two paths name the same file (same path once resolved, or the same inode). */
function sameFile(a: string, b: string): boolean {
  const real = (file: string): string => {
    try {
      return fs.realpathSync(file);
    } catch {
      return path.resolve(file);
    }
  };
  if (real(a) === real(b)) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** Refuses an `--out` that would overwrite evidence or the annotations. */
function checkOut(out: string, inputs: readonly string[], annotationsFile: string | undefined): void {
  for (const input of inputs) {
    if (sameFile(out, input)) throw new ReportInputError(`--out ${out} is one of the input logs; evidence is read-only, refusing to write`);
  }
  if (annotationsFile && sameFile(out, annotationsFile)) throw new ReportInputError(`--out ${out} is the annotations file; refusing to write`);
}

function loadLogs(args: CliArgs, matcher: RuleMatcher, zone: string, root: string, reportFolder: string): ReportLog[] {
  return args.files.map((file) => {
    let evidence;
    try {
      evidence = readLogEvidence(file, args.maxMiB);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
      throw new ReportInputError(`${file}: ${reason}`, { cause: error });
    }
    const uri = pathToFileURL(path.resolve(file)).href;
    const yearReference = yearReferenceFor(uri, { windowSeconds: 60, zone, year: args.year }, zone, { ms: evidence.mtimeMs, fromGzip: evidence.compressed });
    const log = analyzeLog(evidence.text, { zone, yearReference }, matcher);
    for (const problem of log.parsed.problems) process.stderr.write(`${file}${problem.line >= 0 ? `:${problem.line + 1}` : ''}: ${problem.message}\n`);
    const href = toPosix(path.relative(reportFolder, path.resolve(file)));
    return {
      path: annotationPathOf(root, file) ?? href,
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

/**
 * Runs `report` (the postmortem in Markdown) or `export` (the timeline for Timesketch) over the
 * files; writes to standard output or, atomically, to `--out`. Returns the exit status.
 */
export function runReport(args: CliArgs, matcher: RuleMatcher, zone: string): number {
  try {
    const { root, file: annotationsFile, annotations } = loadAnnotations(args);
    if (args.out !== undefined) checkOut(args.out, args.files, annotationsFile);
    const reportFolder = args.out !== undefined ? path.dirname(path.resolve(args.out)) : process.cwd();
    const logs = loadLogs(args, matcher, zone, root, reportFolder);
    let output: string;
    if (args.command === 'export') {
      const { rows, untimed } = timesketchRows(logs, annotations);
      output = args.format === 'timesketch-csv' ? toTimesketchCsv(rows) : toTimesketchJsonl(rows);
      if (untimed > 0) process.stderr.write(`${untimed} entries had no usable time and are not exported\n`);
    } else {
      const resolved = resolveForLogs(logs, annotations);
      const { lost } = placeAnnotations(logs, annotations, resolved);
      for (const { annotation, reason } of lost) process.stderr.write(`${annotation.file}: annotation on former line ${annotation.anchor.line + 1} not found: ${reason}\n`);
      output = buildReport({ title: args.title, logs, annotations, resolved, generatedAt: `${new Date().toISOString().slice(0, 19)}Z` });
    }
    if (args.out !== undefined) writeFileAtomicSync(args.out, output);
    else process.stdout.write(output);
    return 0;
  } catch (error) {
    if (error instanceof ReportInputError) {
      process.stderr.write(`log-forensics: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (args.out !== undefined && typeof code === 'string') {
      process.stderr.write(`log-forensics: cannot write ${args.out}: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}
