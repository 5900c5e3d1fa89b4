import { AnchorResolution, LineAnchor } from './types';
import { LinesInMemory, LogText } from '../parse/logText';

/** Lines as anchors read them: an editor's lines or a parsed log's text. */
export type AnchorLines = LogText | readonly string[];

function asLogText(lines: AnchorLines): LogText {
  return Array.isArray(lines) ? new LinesInMemory(lines) : (lines as LogText);
}

/** How many lines on each side are hashed into an anchor. */
export const ANCHOR_NEIGHBOURS = 3;

/** A line as anchors compare it: trailing white space (a stray `\r`, padding) does not count. */
export function anchorText(line: string): string {
  return line.replace(/\s+$/, '');
}

/** FNV-1a over the UTF-16 code units of a line, as 8 hex digits: small, stable, no dependencies. */
export function hashLine(line: string): string {
  const text = anchorText(line);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * The number of lines that count: an editor shows an empty last line after a final line end,
 * the parser does not; either way, anchors see the same neighbours.
 */
function lineCount(lines: LogText): number {
  return lines.length > 0 && lines.line(lines.length - 1) === '' ? lines.length - 1 : lines.length;
}

/** Records where `line` (0-based) of `lines` is: its number, its text and its neighbours. */
export function createAnchor(given: AnchorLines, line: number): LineAnchor {
  const lines = asLogText(given);
  const before: string[] = [];
  const after: string[] = [];
  for (let i = 1; i <= ANCHOR_NEIGHBOURS && line - i >= 0; i++) before.push(hashLine(lines.line(line - i)));
  const count = lineCount(lines);
  for (let i = 1; i <= ANCHOR_NEIGHBOURS && line + i < count; i++) after.push(hashLine(lines.line(line + i)));
  return { line, text: anchorText(lines.line(line)), before, after };
}

/** How many of the anchor's neighbour hashes match the lines around `line`. */
function neighbourScore(lines: LogText, line: number, anchor: LineAnchor): number {
  let score = 0;
  const count = lineCount(lines);
  anchor.before.forEach((hash, i) => {
    const at = line - 1 - i;
    if (at >= 0 && hashLine(lines.line(at)) === hash) score++;
  });
  anchor.after.forEach((hash, i) => {
    const at = line + 1 + i;
    if (at < count && hashLine(lines.line(at)) === hash) score++;
  });
  return score;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Chooses among the lines whose text equals the anchor's. Never guesses: when the candidates
 * cannot be told apart, the anchor is lost, with the reason.
 */
function chooseCandidate(lines: LogText, anchor: LineAnchor, candidates: readonly number[]): AnchorResolution {
  const old = anchor.line;
  const count = lineCount(lines);
  if (candidates.length === 0) {
    if (old < count) return { lost: `line ${old + 1} now reads differently and the annotated text is nowhere else in the file (edited or removed)` };
    return { lost: `the file now has ${plural(count, 'line')}, fewer than ${old + 1}, and the annotated text is not among them` };
  }
  const scores = candidates.map((line) => neighbourScore(lines, line, anchor));
  const best = Math.max(...scores);
  const oldIndex = candidates.indexOf(old);
  if (oldIndex >= 0 && scores[oldIndex] === best) return { line: old };
  const moved = (line: number): AnchorResolution => (line === old ? { line } : { line, movedFrom: old });
  if (candidates.length === 1) return moved(candidates[0]);
  if (best === 0) {
    return { lost: `the annotated text appears ${candidates.length} times and no neighbouring line matches, so which one is meant is unknown` };
  }
  const top = candidates.filter((_, i) => scores[i] === best);
  if (top.length === 1) return moved(top[0]);
  const distance = (line: number): number => Math.abs(line - old);
  top.sort((a, b) => distance(a) - distance(b));
  if (distance(top[0]) === distance(top[1])) {
    return { lost: `the annotated text appears ${candidates.length} times; ${top.length} places match its neighbours equally well (lines ${top.slice(0, 5).map((l) => l + 1).join(', ')})` };
  }
  return moved(top[0]);
}

/**
 * Finds an anchor's line again in the current text: the same line number when it still reads the
 * same; else the line with the same text, preferring the one whose neighbours match and then the
 * nearest to the old number. Reports `lost` with a reason rather than pick a line it cannot
 * justify.
 */
export function resolveAnchor(lines: AnchorLines, anchor: LineAnchor): AnchorResolution {
  return resolveAnchors(lines, [anchor])[0];
}

/** Resolves many anchors against one text in a single pass over its lines. */
export function resolveAnchors(given: AnchorLines, anchors: readonly LineAnchor[]): AnchorResolution[] {
  const lines = asLogText(given);
  const wanted = new Map<string, number[]>();
  for (const anchor of anchors) wanted.set(anchor.text, []);
  for (let i = 0; i < lines.length; i++) {
    const found = wanted.get(anchorText(lines.line(i)));
    if (found) found.push(i);
  }
  return anchors.map((anchor) => chooseCandidate(lines, anchor, wanted.get(anchor.text) ?? []));
}

/** Whether a resolution found a line. */
export function isResolved(resolution: AnchorResolution): resolution is { line: number; movedFrom?: number } {
  return !('lost' in resolution);
}
