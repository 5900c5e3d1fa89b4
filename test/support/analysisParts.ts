import assert from 'node:assert/strict';
import { AnalyzedLog, LogAnalysis } from '../../server/src/analysis/service';
import { splitLines } from '../../server/src/analysis/parse/text';
import { LinesInMemory } from '../../server/src/analysis/parse/logText';
import { builtIn, FIXED_TIME } from './catalogue';

/** Analyses `text` in chunks cut at `cuts` (line counts), taking a result after every chunk as a growing log does. */
export function analyzeInChunks(text: string, cuts: number[]): AnalyzedLog {
  const lines = splitLines(text);
  const analysis = new LogAnalysis(builtIn().matcher);
  analysis.checkStart(text);
  let at = 0;
  let result: AnalyzedLog | undefined;
  for (const cut of [...cuts, lines.length]) {
    const end = Math.min(lines.length, Math.max(at, cut));
    analysis.add(lines.slice(at, end));
    at = end;
    // A result taken midway must not disturb what comes after (a growing log is read again).
    result = analysis.result(FIXED_TIME, new LinesInMemory(lines.slice(0, at)));
    assert.equal(result.parsed.lines.length, at);
  }
  return result!;
}

/**
 * Analyses `text` as parts cut at `cuts` (line numbers), each sent through a structured clone as
 * to another thread, and joins them; the joined analysis can read on.
 */
export function analyzeInParts(text: string, cuts: number[]): LogAnalysis {
  const lines = splitLines(text);
  const joined = new LogAnalysis(builtIn().matcher);
  joined.checkStart(text);
  const bounds = [0, ...cuts, lines.length];
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = new LogAnalysis(builtIn().matcher, { part: true });
    part.add(lines.slice(bounds[k], bounds[k + 1]));
    joined.append(structuredClone(part.part()));
  }
  return joined;
}
