import { FoldingRange } from 'vscode-languageserver';
import { routineRuns } from '../analysis/templates/routine';
import { StoredLog } from '../logs/registry';

/** Runs are found over at most this many lines (a client asks for the whole document at once). */
const MAX_LINES = 2_000_000;

/**
 * Folding ranges over runs of routine lines (`analysis/templates/routine.ts`), so the lines that
 * differ stand out between folds. The collapsed text says what was folded.
 */
export function foldingRangesFor(log: StoredLog): FoldingRange[] {
  const runs = routineRuns({ templates: log.templates, findingsByLine: log.findingsByLine, entryStart: log.parsed.entryStart }, Math.min(log.parsed.lines.length, MAX_LINES));
  return runs.map(({ start, end }) => ({ startLine: start, endLine: end, collapsedText: `${(end - start + 1).toLocaleString('en')} routine lines` }));
}
