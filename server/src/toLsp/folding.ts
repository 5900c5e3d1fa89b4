import { FoldingRange } from 'vscode-languageserver';
import { NO_TEMPLATE } from '../analysis/templates/scanner';
import { StoredLog } from '../logs/registry';

/** A run shorter than this is left open: folding three lines hides little and costs a click. */
const MIN_RUN_LINES = 5;
/** A template is routine when it is at least this common in its program's output... */
const ROUTINE_SHARE = 0.01;
/** ...and occurs at least this often in the log. */
const ROUTINE_COUNT = 20;
/** Runs are found over at most this many lines (a client asks for the whole document at once). */
const MAX_LINES = 2_000_000;

/**
 * Folding ranges over runs of routine lines: consecutive entries whose message template is common
 * in the log (cron's `CMD`, a mail queue's `removed`) and that no finding flags, so the lines that
 * differ stand out between folds. The collapsed text says what was folded.
 */
export function foldingRangesFor(log: StoredLog): FoldingRange[] {
  const { lineTemplates, stats, miner } = log.templates;
  const count = Math.min(log.parsed.lines.length, lineTemplates.length, MAX_LINES);
  const routine = new Map<number, boolean>();
  const isRoutine = (line: number): boolean => {
    if (log.findingsByLine.has(line)) return false;
    const id = lineTemplates[line];
    if (id === NO_TEMPLATE) return log.parsed.entryStart[line] !== line && line > 0 && isRoutine(log.parsed.entryStart[line]);
    let known = routine.get(id);
    if (known === undefined) {
      const template = stats.template(id) ?? miner.templateOf(id);
      known = template !== undefined && template.count >= ROUTINE_COUNT && stats.share(template.id) >= ROUTINE_SHARE;
      routine.set(id, known);
    }
    return known;
  };
  const ranges: FoldingRange[] = [];
  let start = -1;
  const close = (end: number) => {
    if (start >= 0 && end - start + 1 >= MIN_RUN_LINES) ranges.push({ startLine: start, endLine: end, collapsedText: `${(end - start + 1).toLocaleString('en')} routine lines` });
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
  return ranges;
}
