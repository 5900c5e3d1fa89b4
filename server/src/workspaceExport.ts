import { LogForensicsSettings } from './settings';
import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { Annotation } from './analysis/annotate/types';
import { RuleMatcher } from './analysis/rules/matcher';
import { annotationsFileIn, readAnnotationsFile } from './files/annotationsFile';
import { writeFileAtomic } from './files/atomicWrite';
import { sameFile } from './files/sameFile';
import { loadReportLogs, renderExport } from './logs/reportLogs';
import { RuleRecipe } from './analysis/rules/catalogue';
import { CompiledRule } from './analysis/rules/types';
import { SuppressionSet } from './analysis/rules/suppress';
import { ReportParams, ReportResult } from './protocol';
import { FolderAnnotations } from './toLsp/timeline';

/** The annotations of one workspace folder, as read from its `.log-forensics/annotations.json`. */
export interface WorkspaceAnnotations {
  folder: string;
  annotations: Annotation[];
}

/** Reads each folder's annotations file (missing: none); problems come back one line each. */
export async function readWorkspaceAnnotations(folders: readonly string[]): Promise<{ folders: WorkspaceAnnotations[]; problems: string[] }> {
  const problems: string[] = [];
  const out = await Promise.all(
    folders.map(async (folder) => {
      const file = annotationsFileIn(folder);
      const parsed = await readAnnotationsFile(file);
      for (const problem of parsed.problems) problems.push(`${file}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`);
      return { folder, annotations: parsed.store.annotations };
    }),
  );
  return { folders: out, problems };
}

/** Workspace annotations in the shape the timeline answer wants. */
export function folderAnnotations(folders: readonly WorkspaceAnnotations[]): FolderAnnotations[] {
  return folders.map(({ folder, annotations }) => ({ annotations, uriOf: (file) => URI.file(path.join(folder, ...file.split('/'))).toString() }));
}

/** The path of a log relative to the folder holding it, with `/`; the file name outside any. */
export function workspacePathOf(folders: readonly string[], uri: string): string {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== 'file') return parsed.path.split('/').pop() ?? uri;
  const folder = folders.find((candidate) => parsed.fsPath.startsWith(candidate + path.sep));
  return folder ? path.relative(folder, parsed.fsPath).split(path.sep).join('/') : path.basename(parsed.fsPath);
}

/** An export target that names evidence or the annotations, or cannot be written: nothing is. */
export class ExportTargetError extends Error {}

/** What the report needs from the server: the open logs' files, the rules and each file's clock. */
export interface WorkspaceExportContext {
  folders: readonly string[];
  openFiles: readonly string[];
  matcher: RuleMatcher;
  recipe: RuleRecipe;
  /** The rules in force by id (titles for the suggested timeline). */
  rules: ReadonlyMap<string, CompiledRule>;
  /** The suppressions of each workspace folder, by path. */
  suppressions: ReadonlyMap<string, SuppressionSet>;
  timeOf: (file: string) => Promise<LogForensicsSettings>;
}

/**
 * Builds the postmortem or the Timesketch export the way the command line does, over the open
 * logs and every annotated log of the first workspace folder that still exists, each read from
 * disk (so the evidence table hashes the bytes analysed).
 */
export async function workspaceExport(params: ReportParams, context: WorkspaceExportContext): Promise<ReportResult> {
  const root = context.folders[0] ?? path.dirname(context.openFiles[0] ?? params.reportFolder);
  if (params.target !== undefined && sameFile(params.target, annotationsFileIn(root))) throw new ExportTargetError(`${params.target} is the annotations file; choose another file`);
  const { folders, problems } = await readWorkspaceAnnotations([root]);
  const annotations = folders[0].annotations;
  const annotated = annotations.map((a) => path.join(root, ...a.file.split('/'))).filter((file) => fs.existsSync(file));
  // A document can stay open in the editor after its file was moved or deleted: the report covers
  // the logs still on disk and says which it left out, rather than failing as a whole.
  const wanted = [...new Set([...context.openFiles, ...annotated])].sort();
  const files = wanted.filter((file) => fs.existsSync(file));
  const evidence = params.target === undefined ? undefined : files.find((file) => sameFile(params.target!, file));
  if (evidence) throw new ExportTargetError(`${params.target} is a log; evidence is read-only, choose another file`);
  const times = new Map(await Promise.all(files.map(async (file) => [file, await context.timeOf(file)] as const)));
  const warnings = [...problems, ...wanted.filter((file) => !files.includes(file)).map((file) => `${file}: open in the editor but no longer on disk; left out of the report`)];
  const logs = await loadReportLogs(files, { matcher: context.matcher, recipe: context.recipe, jobs: 2, timeOf: (file) => times.get(file)!, root, reportFolder: params.reportFolder, suppressions: context.suppressions.get(root), warn: (line) => warnings.push(line) });
  const rendered = renderExport(params.format, logs, annotations, { title: params.title, generatedAt: `${new Date().toISOString().slice(0, 19)}Z`, rules: context.rules });
  const outcome = { logs: files, warnings: [...warnings, ...rendered.warnings] };
  if (params.target === undefined) return { ...outcome, text: [...rendered.pieces].join('') };
  try {
    await fs.promises.mkdir(path.dirname(params.target), { recursive: true });
    await writeFileAtomic(params.target, rendered.pieces);
  } catch (error) {
    throw new ExportTargetError(`cannot write ${params.target}: ${(error as Error).message}`, { cause: error });
  }
  return { ...outcome, text: '', written: params.target };
}
