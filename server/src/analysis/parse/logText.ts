/**
 * A log's lines, read one at a time. A small log holds them as strings; a large one read from
 * disk reads each line back when it is asked for, so the whole text never sits in memory.
 */
export interface LogText {
  readonly length: number;
  /** Line `i` without its line end; '' past the end. */
  line(i: number): string;
}

/** Lines held in memory. */
export class LinesInMemory implements LogText {
  readonly length: number;

  /** The first `length` of `lines` (all by default): the array may grow later for a newer reading. */
  constructor(
    private readonly lines: readonly string[],
    length = lines.length,
  ) {
    this.length = length;
  }

  line(i: number): string {
    return i < this.length ? (this.lines[i] ?? '') : '';
  }
}

/** Every line of a text, as strings (for small logs and tests). */
export function linesOf(text: LogText): string[] {
  const lines: string[] = [];
  for (let i = 0; i < text.length; i++) lines.push(text.line(i));
  return lines;
}
