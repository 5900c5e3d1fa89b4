import * as fs from 'fs';
import * as path from 'path';
import { Annotation } from '../analysis/annotate/types';
import { RuleMatcher } from '../analysis/rules/matcher';
import { annotationsFileIn, readAnnotationsFileSync, workspaceRootOf } from '../files/annotationsFile';
import { writeFileAtomicSync } from '../files/atomicWrite';
import { sameFile } from '../files/sameFile';
import { EvidenceReadError, loadReportLogs, renderExport } from '../logs/reportLogs';
import { readSuppressionsIn } from '../files/suppressionsFile';
import { RuleRecipe } from '../analysis/rules/catalogue';
import { CompiledRule } from '../analysis/rules/types';
import { CliArgs, cliTimeSettings } from './args';

/** A mistake that ends the command with status 2; the message names the file. */
class ReportInputError extends Error {}

/** The annotations to use, and the root their paths are relative to. */
function loadAnnotations(args: CliArgs): { root: string; file?: string; annotations: Annotation[] } {
  const file = args.annotations ?? (fs.existsSync(annotationsFileIn(process.cwd())) ? annotationsFileIn(process.cwd()) : undefined);
  if (!file) return { root: process.cwd(), annotations: [] };
  if (args.annotations !== undefined && !fs.existsSync(file)) throw new ReportInputError(`${file}: no such file`);
  const { store, problems } = readAnnotationsFileSync(file);
  for (const problem of problems) process.stderr.write(`${file}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}\n`);
  return { root: workspaceRootOf(file), file, annotations: store.annotations };
}

/** Refuses an `--out` that would overwrite evidence or the annotations. */
function checkOut(out: string, inputs: readonly string[], annotationsFile: string | undefined): void {
  for (const input of inputs) {
    if (sameFile(out, input)) throw new ReportInputError(`--out ${out} is one of the input logs; evidence is read-only, refusing to write`);
  }
  if (annotationsFile && sameFile(out, annotationsFile)) throw new ReportInputError(`--out ${out} is the annotations file; refusing to write`);
}

/**
 * Runs `report` (the postmortem in Markdown) or `export` (the timeline for Timesketch) over the
 * files; writes to standard output or, atomically, to `--out`. Returns the exit status.
 */
export async function runReport(args: CliArgs, matcher: RuleMatcher, recipe: RuleRecipe, rules: ReadonlyMap<string, CompiledRule>, zone: string): Promise<number> {
  try {
    const { root, file: annotationsFile, annotations } = loadAnnotations(args);
    if (args.out !== undefined) checkOut(args.out, args.files, annotationsFile);
    const reportFolder = args.out !== undefined ? path.dirname(path.resolve(args.out)) : process.cwd();
    const suppressions = readSuppressionsIn(root);
    for (const problem of suppressions.problems) process.stderr.write(`${problem}\n`);
    const logs = await loadReportLogs(args.files, { matcher, recipe, jobs: args.jobs, timeOf: () => cliTimeSettings(args, zone), root, reportFolder, suppressions: suppressions.set, maxMiB: args.maxMiB, warn: (line) => process.stderr.write(`${line}\n`) });
    const format = args.command === 'export' ? (args.format === 'timesketch-csv' ? 'timesketch-csv' : 'timesketch-jsonl') : 'markdown';
    const { pieces, warnings } = renderExport(format, logs, annotations, { title: args.title, generatedAt: `${new Date().toISOString().slice(0, 19)}Z`, rules });
    for (const warning of warnings) process.stderr.write(`${warning}\n`);
    if (args.out !== undefined) writeFileAtomicSync(args.out, pieces);
    else for (const piece of pieces) process.stdout.write(piece);
    return 0;
  } catch (error) {
    if (error instanceof ReportInputError || error instanceof EvidenceReadError) {
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
