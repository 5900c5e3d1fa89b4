import { LogFileSystem } from './fileSystem';
import { COUNTING_BLOCK_BYTES, countingBlock } from './newlineCount';

/** The shortest read while counting on by a given number of bytes. */
const MIN_COUNT_BYTES = 64 * 1024;

/** A line's start: its 0-based number and the byte offset where it begins. */
export interface LineMark {
  line: number;
  byte: number;
}

/**
 * Where a file's lines start, found by counting line ends (`\n`, `\r\n`, lone `\r`, as
 * `splitLines` and the editor split them) from the furthest point counted so far, a block at a
 * time; the line start reached after each block is kept, so a later question about any line
 * counts at most one block again. A block wholly before the line sought is only counted
 * (`newlineCount.ts`, some 8 GB/s), the one holding it walked with `Buffer.indexOf`: far faster
 * than reading the lines, this is how a line far ahead of a read is found. The file is
 * only read, through `fs`; the index is for the file as it was when made (`size`).
 */
export class LineIndex {
  /** Line starts reached after each block counted, in file order; the first is the file's start. */
  private readonly marks: LineMark[] = [{ line: 0, byte: 0 }];
  /** Bytes looked at so far (the furthest line start may lie before, inside the last line). */
  private counted = 0;

  constructor(
    private readonly fs: LogFileSystem,
    private readonly file: string,
    readonly size: number,
  ) {}

  /** The furthest line start counted so far. */
  get furthest(): LineMark {
    return this.marks[this.marks.length - 1];
  }

  /** Whether every line end of the file has been counted. */
  get complete(): boolean {
    return this.counted >= this.size;
  }

  /** Takes a known line start (what a read has reached) when it lies beyond what was counted. */
  learn(mark: LineMark): void {
    if (mark.line > this.furthest.line && mark.byte <= this.size) {
      this.marks.push({ ...mark });
      this.counted = Math.max(this.counted, mark.byte);
    }
  }

  /** Counts on by about `bytes` more bytes; returns whether the file is counted to its end. */
  countOn(bytes: number): boolean {
    if (this.complete) return true;
    // From what was looked at, not the furthest start: a line longer than `bytes` still gets passed.
    this.walk(this.furthest, Infinity, Math.max(this.counted, this.furthest.byte) + bytes, true);
    return this.complete;
  }

  /**
   * The start of line `line`, or undefined when the file has no such line (a file ending in a line
   * end has no line after it). Counts as far as needed, keeping what it passes; from `after`, a
   * start known before it, when given (a window's end from its start).
   */
  startOf(line: number, after?: LineMark): LineMark | undefined {
    if (line < 0) return undefined;
    if (after && after.line <= line && line <= this.furthest.line) {
      const reached = this.walk(after, line, Infinity, false);
      return reached.line === line && reached.byte < this.size ? reached : undefined;
    }
    if (line > this.furthest.line) {
      const reached = this.walk(this.furthest, line, Infinity, true);
      return reached.line === line && reached.byte < this.size ? reached : undefined;
    }
    // The nearest kept start at or before it, then at most a block's lines counted again.
    let low = 0;
    let high = this.marks.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.marks[middle].line <= line) low = middle;
      else high = middle - 1;
    }
    const reached = this.walk(this.marks[low], line, Infinity, false);
    return reached.line === line && reached.byte < this.size ? reached : undefined;
  }

  /** Where line `line` ends, its line end included: the next line's start, or the file's end. */
  endOf(line: number, after?: LineMark): number {
    return this.startOf(line + 1, after)?.byte ?? this.size;
  }

  /**
   * Counts line ends from `from` until line `target` starts, the byte `until` is passed or the
   * file ends; returns the last line start reached. `keep`: the start reached after each block is
   * kept (only when walking from the furthest start, so marks stay in order).
   */
  private walk(from: LineMark, target: number, until: number, keep: boolean): LineMark {
    let line = from.line;
    let start = from.byte;
    let at = from.byte;
    if (line === target) return { line, byte: start };
    const handle = this.fs.open(this.file);
    const counting = countingBlock();
    const block = counting.bytes;
    try {
      while (at < this.size && at < until) {
        // No further than asked (`countOn` in short steps), but never so short that a block is only a `\r`.
        const read = handle.read(block.subarray(0, Math.min(COUNTING_BLOCK_BYTES, this.size - at, Math.max(MIN_COUNT_BYTES, until - at))), at);
        if (read === 0) break;
        const last = at + read >= this.size;
        // A `\r` in the block's last byte may be the first half of a `\r\n`: left for the next block.
        const end = !last && block[read - 1] === 13 ? read - 1 : read;
        const bytes = block.subarray(0, end);
        const plain = bytes.indexOf(13) === -1;
        // A block of `\n` ends only, wholly before the line looked for: counted, not walked.
        const newlines = plain ? counting.newlines(end) : 0;
        if (plain && line + newlines < target) {
          line += newlines;
          if (newlines > 0) start = at + bytes.lastIndexOf(10) + 1;
        } else if (plain) {
          for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) {
            line++;
            start = at + i + 1;
            if (line === target) return this.reached(line, start, start, keep);
          }
        } else {
          for (let i = 0; i < end; i++) {
            const code = bytes[i];
            if (code !== 10 && code !== 13) continue;
            if (code === 13 && i + 1 < end && bytes[i + 1] === 10) i++;
            line++;
            start = at + i + 1;
            if (line === target) return this.reached(line, start, start, keep);
          }
        }
        at += end;
        if (keep) this.keep(line, start, at);
      }
    } finally {
      handle.close();
    }
    return { line, byte: start };
  }

  private reached(line: number, byte: number, counted: number, keep: boolean): LineMark {
    if (keep) this.keep(line, byte, counted);
    return { line, byte };
  }

  private keep(line: number, byte: number, counted: number): void {
    if (line > this.furthest.line) this.marks.push({ line, byte });
    this.counted = Math.max(this.counted, counted);
  }
}
