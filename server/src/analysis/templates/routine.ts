import { LogTemplates, NO_TEMPLATE } from './scanner';

/** A run shorter than this is left as it is: folding or hiding three lines saves little and costs a click. */
export const MIN_ROUTINE_RUN = 5;
/** A template is routine when it is at least this common in its program's output... */
const ROUTINE_SHARE = 0.01;
/** ...and occurs at least this often in the log. */
const ROUTINE_COUNT = 20;

/** What deciding routine lines reads of an analysed log. */
export interface RoutineSource {
  templates: LogTemplates;
  /** Lines some finding flags: never routine. */
  findingsByLine: ReadonlyMap<number, unknown>;
  entryStart: ArrayLike<number>;
}

/** A stretch of lines, first and last included. */
export interface LineRun {
  start: number;
  end: number;
}

/**
 * Runs of at least `MIN_ROUTINE_RUN` routine lines among the first `lineCount`: consecutive
 * entries whose message template is common in the log (cron's `CMD`, a mail queue's `removed`)
 * and that no finding flags; a continuation line is routine when its entry is. Both the editor's
 * folds and the view without routine lines are these runs, so the two never disagree.
 */
export function routineRuns(source: RoutineSource, lineCount: number): LineRun[] {
  const { lineTemplates, stats, miner } = source.templates;
  const count = Math.min(lineCount, lineTemplates.length);
  const routine = new Map<number, boolean>();
  const isRoutine = (line: number): boolean => {
    if (source.findingsByLine.has(line)) return false;
    const id = lineTemplates[line];
    if (id === NO_TEMPLATE) return source.entryStart[line] !== line && line > 0 && isRoutine(source.entryStart[line]);
    let known = routine.get(id);
    if (known === undefined) {
      const template = stats.template(id) ?? miner.templateOf(id);
      known = template !== undefined && template.count >= ROUTINE_COUNT && stats.share(template.id) >= ROUTINE_SHARE;
      routine.set(id, known);
    }
    return known;
  };
  const runs: LineRun[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0 && end - start + 1 >= MIN_ROUTINE_RUN) runs.push({ start, end });
    start = -1;
  };
  for (let line = 0; line < count; line++) {
    if (isRoutine(line)) {
      if (start < 0) start = line;
    } else {
      close(line - 1);
    }
  }
  close(count - 1);
  return runs;
}
