import { LogFileSystem, nodeFileSystem } from './fileSystem';

/** Lines read from one stretch of a file. */
export interface LineChunk {
  /** The lines, without their line ends. */
  lines: string[];
  /** `starts[k]`: the byte offset in the file where `lines[k]` starts. */
  starts: Float64Array;
  /** The byte offset just after the last line's line end (or the end of the file). */
  endByte: number;
}

export interface LineChunkOptions {
  /** Where to start reading; taken to be the start of a line. Default 0. */
  fromByte?: number;
  /** Lines starting at or after this offset are not read; one starting before it is read whole. */
  toByte?: number;
  /**
   * Bytes read per system call; the buffer grows past it for a longer line. Default 64 KiB. A
   * function is asked again before each chunk, so a reader can size its steps as it goes.
   */
  chunkBytes?: number | (() => number);
}

/**
 * A chunk's text is one string the chunk's lines are slices of. Kept under V8's large-object size,
 * it is young garbage, collected as soon as its lines are done with; a 4 MiB chunk's string went
 * to the large-object space, freed only by a full collection, and a 128 MB log's dead chunks
 * added about 50 MB to the peak (295 → 246 MB at 1 M lines, at the same CPU time).
 */
const DEFAULT_CHUNK_BYTES = 64 * 1024;
const LF = 10;
const CR = 13;

/** The last `\n` or `\r` in `buffer[0, to)`, or -1. */
function lastTerminator(buffer: Buffer, to: number): number {
  if (to <= 0) return -1;
  const lf = buffer.lastIndexOf(LF, to - 1);
  // Look for `\r` only after the last `\n`: a file without `\r` then costs one short scan.
  const cr = buffer.subarray(lf + 1, to).lastIndexOf(CR);
  return cr >= 0 ? lf + 1 + cr : lf;
}

/**
 * The end of the last line in `buffer[0, filled)` whose line end is known to be complete: a `\r`
 * in the last byte might be the first half of a `\r\n` whose `\n` has not been read yet, so it
 * only ends a line once the file is known to end there. 0 when no line is complete.
 */
function completeLinesEnd(buffer: Buffer, filled: number, atEnd: boolean): number {
  if (atEnd) return filled;
  let last = lastTerminator(buffer, filled);
  if (last === filled - 1 && buffer[last] === CR) last = lastTerminator(buffer, last);
  return last + 1;
}

/**
 * Splits `text`, the decoding of `buffer[0, byteLength)`, into lines as `splitLines` would, adding
 * each line's file offset (`base` + its byte position) to `starts`. Stops before a line starting
 * at or after `toByte`. Returns the byte position just after the last line taken.
 */
function splitDecoded(text: string, buffer: Buffer, byteLength: number, base: number, toByte: number, lines: string[], starts: LineOffsets): number {
  // Char and byte positions agree when every byte decoded to one UTF-16 unit: ASCII, or
  // single invalid bytes. Otherwise line ends are found in the bytes as well; `\n` and `\r`
  // never occur inside a multi-byte sequence, so the k-th in the text is the k-th in the bytes.
  const sameOffsets = text.length === byteLength;
  let at = 0;
  let byteAt = 0;
  // -1 once there is no further `\n` (or `\r`): a file without `\r` never looks for one again.
  let nextLF = text.indexOf('\n');
  let nextCR = text.indexOf('\r');
  let byteLF = sameOffsets ? -1 : buffer.indexOf(LF);
  let byteCR = sameOffsets ? -1 : buffer.indexOf(CR);
  for (;;) {
    const start = base + (sameOffsets ? at : byteAt);
    if (at >= text.length || start >= toByte) break;
    if (nextLF >= 0 && nextLF < at) nextLF = text.indexOf('\n', at);
    if (nextCR >= 0 && nextCR < at) nextCR = text.indexOf('\r', at);
    const end = nextLF < 0 ? nextCR : nextCR < 0 ? nextLF : Math.min(nextLF, nextCR);
    starts.add(start);
    if (end < 0) {
      lines.push(text.slice(at));
      at = text.length;
      byteAt = byteLength;
      break;
    }
    lines.push(text.slice(at, end));
    const endLength = text.charCodeAt(end) === CR && text.charCodeAt(end + 1) === LF ? 2 : 1;
    at = end + endLength;
    if (!sameOffsets) {
      if (byteLF >= 0 && byteLF < byteAt) byteLF = buffer.indexOf(LF, byteAt);
      if (byteCR >= 0 && byteCR < byteAt) byteCR = buffer.indexOf(CR, byteAt);
      const byteEnd = byteLF < 0 ? byteCR : byteCR < 0 ? byteLF : Math.min(byteLF, byteCR);
      byteAt = byteEnd + endLength;
    }
  }
  return sameOffsets ? at : byteAt;
}

/**
 * Reads a file's lines a chunk at a time, so a file of any size is never held in one string.
 * Lines split at `\n`, `\r\n` and lone `\r` exactly as `splitLines` splits the file's whole
 * UTF-8 decoding; a line longer than `chunkBytes` still comes out whole. The file is only read,
 * through `fs`.
 */
export function* readLineChunks(file: string, options: LineChunkOptions = {}, fs: LogFileSystem = nodeFileSystem): Generator<LineChunk> {
  const fromByte = options.fromByte ?? 0;
  const toByte = options.toByte ?? Infinity;
  if (fromByte >= toByte) return;
  const handle = fs.open(file);
  try {
    const remaining = handle.size() - fromByte;
    // One byte over what is left, so the read that fills it also finds the end of the file.
    // A short range (the first lines of a file) is not worth a whole chunk's read and decoding.
    const wanted = Number.isFinite(toByte) ? toByte - fromByte + 64 * 1024 : Infinity;
    const chunkBytes = options.chunkBytes;
    const nextSize = (): number => Math.max(1, Math.min(typeof chunkBytes === 'function' ? chunkBytes() : (chunkBytes ?? DEFAULT_CHUNK_BYTES), remaining + 1, wanted));
    let buffer = Buffer.allocUnsafe(nextSize());
    /** How much of `buffer` this chunk fills: the chunk size asked for, or more for a long line. */
    let limit = buffer.length;
    const starts = new LineOffsets();
    let base = fromByte;
    let filled = 0;
    let atEnd = false;
    for (;;) {
      if (!atEnd && filled < limit) {
        const read = handle.read(buffer.subarray(filled, limit), base + filled);
        filled += read;
        atEnd = filled < limit;
      }
      const complete = completeLinesEnd(buffer, filled, atEnd);
      if (complete === 0) {
        if (atEnd) return;
        // One line fills the whole chunk: make room for the rest of it.
        if (limit * 2 > buffer.length) buffer = grownBuffer(buffer, limit * 2, filled);
        limit *= 2;
        continue;
      }
      const lines: string[] = [];
      const text = buffer.toString('utf8', 0, complete);
      const taken = splitDecoded(text, buffer, complete, base, toByte, lines, starts);
      if (lines.length > 0) yield { lines, starts: starts.take(), endByte: base + taken };
      if (taken < complete || (atEnd && complete === filled)) return;
      buffer.copyWithin(0, complete, filled);
      base += complete;
      filled -= complete;
      // The next chunk's size; never less than room for what is left of a line plus a byte.
      limit = Math.max(nextSize(), filled + 1);
      if (limit > buffer.length) buffer = grownBuffer(buffer, limit, filled);
    }
  } finally {
    handle.close();
  }
}

/** A buffer of `size` bytes holding the first `filled` bytes of `buffer`. */
function grownBuffer(buffer: Buffer<ArrayBuffer>, size: number, filled: number): Buffer<ArrayBuffer> {
  const grown = Buffer.allocUnsafe(size);
  buffer.copy(grown, 0, 0, filled);
  return grown;
}

/**
 * The first line start at or after `byte`: `byte` itself when it follows a line end, otherwise
 * just after the next `\n`, `\r\n` or lone `\r` (a `byte` between `\r` and `\n` is not a line
 * start). The file's size when no line starts there. Lets a file be cut into ranges for
 * `readLineChunks` that together hold every line once.
 */
export function nextLineStart(file: string, byte: number, fs: LogFileSystem = nodeFileSystem): number {
  if (byte <= 0) return 0;
  const handle = fs.open(file);
  try {
    const block = Buffer.allocUnsafe(64 * 1024);
    // Looking from the byte before tells whether `byte` already follows a line end.
    let position = byte - 1;
    for (;;) {
      const read = handle.read(block, position);
      if (read === 0) return handle.size();
      const lf = block.subarray(0, read).indexOf(LF);
      const crSpan = lf >= 0 ? lf : read;
      const cr = block.subarray(0, crSpan).indexOf(CR);
      if (cr >= 0) {
        const after = position + cr + 1;
        if (cr + 1 < read) return block[cr + 1] === LF ? after + 1 : after;
        const next = Buffer.alloc(1);
        return handle.read(next, after) === 1 && next[0] === LF ? after + 1 : after;
      }
      if (lf >= 0) return position + lf + 1;
      position += read;
    }
  } finally {
    handle.close();
  }
}

/**
 * Line start offsets gathered chunk by chunk, for `DiskLines`: a growing array that doubles its
 * capacity, so a file of ten million lines costs a few dozen copies rather than one per chunk.
 */
export class LineOffsets {
  private offsets = new Float64Array(1024);
  private count = 0;

  /** Adds one start. */
  add(start: number): void {
    if (this.count === this.offsets.length) this.reserve(this.offsets.length * 2);
    this.offsets[this.count++] = start;
  }

  /** The starts added so far, copied out at their length, and forgets them (reused chunk after chunk). */
  take(): Float64Array {
    const out = this.offsets.slice(0, this.count);
    this.count = 0;
    return out;
  }

  push(starts: Float64Array): void {
    const needed = this.count + starts.length;
    if (needed > this.offsets.length) {
      let capacity = this.offsets.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = new Float64Array(capacity);
      grown.set(this.offsets.subarray(0, this.count));
      this.offsets = grown;
    }
    this.offsets.set(starts, this.count);
    this.count = needed;
  }

  get length(): number {
    return this.count;
  }

  /** Makes room for `lines` starts in all, so that a file whose size is known is not grown by copies. */
  reserve(lines: number): void {
    if (lines + 1 <= this.offsets.length) return;
    const grown = new Float64Array(lines + 1);
    grown.set(this.offsets.subarray(0, this.count));
    this.offsets = grown;
  }

  /**
   * Every start pushed, then `endByte`: `length + 1` entries, so line k is `[out[k], out[k+1])`.
   * A view, not a copy: later pushes write from `length` on, and the next line starts at
   * `endByte` anyway, so what was returned stays true.
   */
  finish(endByte: number): Float64Array {
    if (this.count + 1 > this.offsets.length) this.reserve(Math.max(this.count + 1, this.offsets.length * 2));
    this.offsets[this.count] = endByte;
    return this.offsets.subarray(0, this.count + 1);
  }
}
