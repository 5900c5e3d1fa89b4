import { AnalysisOptions, AnalysisPart, LogAnalysis, AnalyzedLog } from '../analysis/service';
import { TimeContext } from '../analysis/parse/document';
import { YearEvidence } from '../analysis/time/yearEvidence';
import { RuleMatcher } from '../analysis/rules/matcher';
import { DiskLines } from './diskLines';
import { FileStat, LogFileSystem, nodeFileSystem } from './fileSystem';
import { LineOffsets, readLineChunks } from './lineReader';
import { Steps, runSteps } from '../analysis/steps';
import { TimedChunks } from './timedChunks';

/** How far a scan has read, after each chunk. */
export interface ScanProgress {
  bytesRead: number;
  totalBytes: number;
  lines: number;
}

/** What a worker read of one stretch of a file, to be taken in by `LogFileScan.absorb`. */
export interface ScanPart {
  fromByte: number;
  endByte: number;
  /** Byte offset of each line read. */
  starts: Float64Array;
  analysis: AnalysisPart;
}

/** What a file looks like now, compared with what a scan read. */
export type FileChange = 'unchanged' | 'appended' | 'rewritten';

/** Bytes compared at the start of the file and before the old end to tell an append from a rewrite. */
const FINGERPRINT_BYTES = 4096;
/**
 * The first read of a file stops after about this many bytes (several hundred lines, more than a
 * screen, where an editor opens it), so a caller can show their findings before the rest is read.
 */
export const FIRST_CHUNK_BYTES = 64 * 1024;
/** Line starts of a worker's stretch copied in one step of a join (2 MiB of offsets). */
const OFFSETS_STEP = 256 * 1024;
/** Lines are taken to be at least this long when making room for a whole file's lines. */
const MIN_LINE_BYTES = 40;
/** Characters looked at for signs of binary content. */
const START_SAMPLE_BYTES = 8192;

/** Up to `length` bytes of `file` from `position`; fewer at its end. */
function bytesAt(fs: LogFileSystem, file: string, position: number, length: number): Buffer {
  const handle = fs.open(file);
  try {
    const buffer = Buffer.alloc(Math.max(0, length));
    return buffer.subarray(0, handle.read(buffer, position));
  } finally {
    handle.close();
  }
}

/**
 * A plain log file analysed from disk in chunks: only compact line columns, line offsets and
 * findings stay in memory, never the text, so its size is bounded by the disk, not by the
 * runtime's longest string. When the file grows (a log still being written, or pulled again),
 * `read` continues from where it stopped instead of starting over. The file is only read, through
 * `fs` (the disk, or files held in memory such as a decompressed gzip). `options` are the
 * analysis's switches for measuring (`AnalysisOptions`).
 */
export class LogFileScan {
  private analysis: LogAnalysis;
  private offsets = new LineOffsets();
  private endByte = 0;
  private head: Buffer = Buffer.alloc(0);
  private tail: Buffer = Buffer.alloc(0);
  private lines: DiskLines | undefined;
  /** Whether room for the whole file was made (once, from the first lines' length). */
  private sized = false;

  constructor(
    readonly file: string,
    private matcher: RuleMatcher,
    /** Bytes a chunk, or chunks sized by the time they take (`TimedChunks`). */
    private readonly chunkBytes?: number | TimedChunks,
    readonly fs: LogFileSystem = nodeFileSystem,
    private readonly options: AnalysisOptions = {},
  ) {
    this.analysis = new LogAnalysis(matcher, options);
  }

  /** Bytes analysed so far. */
  get bytesRead(): number {
    return this.endByte;
  }

  /** Lines analysed so far: the line that starts at `bytesRead`. */
  get linesRead(): number {
    return this.analysis.length;
  }

  /** How the file differs now from what was read: grown at the end, or changed before it. */
  change(): FileChange {
    const size = this.fs.stat(this.file).size;
    if (size < this.endByte || !this.sameAsRead()) return 'rewritten';
    if (size === this.endByte) return 'unchanged';
    // A last line read without its line end may have been cut mid-write: read it again whole.
    // (A final `\r` may be the first half of a `\r\n` not yet written: not taken as closed.)
    return this.endByte === 0 || this.tail[this.tail.length - 1] === 10 ? 'appended' : 'rewritten';
  }

  private sameAsRead(): boolean {
    if (this.endByte === 0) return true;
    return this.fileBytes(0, this.head.length).equals(this.head) && this.fileBytes(this.endByte - this.tail.length, this.tail.length).equals(this.tail);
  }

  private fileBytes(position: number, length: number): Buffer {
    return bytesAt(this.fs, this.file, position, length);
  }

  /** Starts over: the file was rewritten, or the rules changed (`matcher`). */
  reset(matcher = this.matcher): void {
    this.matcher = matcher;
    this.analysis = new LogAnalysis(this.matcher, this.options);
    this.offsets = new LineOffsets();
    this.endByte = 0;
    this.sized = false;
    this.lines?.close();
    this.lines = undefined;
  }

  /**
   * Reads from where the last read stopped to the current end of the file (or to the line that
   * starts at `toByte`), a chunk at a time;
   * yields after each chunk, so a caller can report progress, publish early, or stop.
   */
  *read(toByte?: number): Generator<ScanProgress> {
    const totalBytes = this.fs.stat(this.file).size;
    const ranges: { toByte?: number }[] = [{ toByte }];
    if (this.endByte === 0) {
      this.checkStart();
      ranges.unshift({ toByte: Math.min(FIRST_CHUNK_BYTES, toByte ?? Infinity) });
    }
    const sizer = this.chunkBytes instanceof TimedChunks ? this.chunkBytes : undefined;
    const chunkBytes = sizer ? () => sizer.bytes : (this.chunkBytes as number | undefined);
    try {
      for (const range of ranges) {
        // A chunk's time: from the caller asking for it (its read and decoding) to its yield.
        let began = sizer ? performance.now() : 0;
        for (const chunk of readLineChunks(this.file, { fromByte: this.endByte, toByte: range.toByte, chunkBytes }, this.fs)) {
          if (!this.sized && this.endByte >= FIRST_CHUNK_BYTES) {
            // The first lines tell how long lines are: room for the whole file at once, not grown
            // by copies. Made with the chunk after them, so that their findings, wanted before
            // anything else, need not wait for it (a collection of 20 ms at 1 M lines, more beyond).
            this.sized = true;
            // Capped: short first lines (a banner) must not reserve for a file of tiny lines.
            const estimate = Math.min(Math.ceil(((this.analysis.length * totalBytes) / Math.max(1, this.endByte)) * 1.05), Math.ceil(totalBytes / MIN_LINE_BYTES));
            this.analysis.reserve(estimate);
            this.offsets.reserve(estimate);
            // A step of its own (14-22 ms, with the collection it sets off), before the chunk's lines.
            if (sizer) {
              yield { bytesRead: this.endByte, totalBytes: Math.max(totalBytes, this.endByte), lines: this.analysis.length };
              began = performance.now();
            }
          }
          this.analysis.add(chunk.lines);
          this.offsets.push(chunk.starts);
          this.endByte = chunk.endByte;
          sizer?.took(performance.now() - began);
          yield { bytesRead: this.endByte, totalBytes: Math.max(totalBytes, this.endByte), lines: this.analysis.length };
          if (sizer) began = performance.now();
        }
      }
    } finally {
      // Also when the caller stops early: what was read is remembered, to tell later growth from a rewrite.
      this.rememberEnd();
    }
  }

  /** Looks at the file's first bytes for signs it is not text, before its first line is read. */
  private checkStart(): void {
    this.analysis.checkStart(this.fileBytes(0, START_SAMPLE_BYTES).toString('utf8'));
  }

  /** Keeps the bytes read at the start and before the end, to tell growth from a rewrite later. */
  private rememberEnd(): void {
    this.head = this.fileBytes(0, Math.min(FINGERPRINT_BYTES, this.endByte));
    this.tail = this.fileBytes(Math.max(0, this.endByte - FINGERPRINT_BYTES), Math.min(FINGERPRINT_BYTES, this.endByte));
  }

  /**
   * Takes in what other threads read of the stretches of the file that follow what was read
   * here, in file order, as if it had been read here. Each stretch starts with an entry.
   */
  absorb(parts: readonly ScanPart[]): void {
    runSteps(this.absorbSteps(parts));
  }

  /**
   * `absorb` in steps (`Steps`). Stopped before its end, it leaves the scan as new (`reset`):
   * half a stretch taken in is no reading to go on from.
   */
  *absorbSteps(parts: readonly ScanPart[]): Steps<void> {
    let whole = false;
    try {
      if (this.endByte === 0) this.checkStart();
      for (const part of parts) {
        if (part.fromByte !== this.endByte) throw new Error(`a stretch read from byte ${part.fromByte} does not follow byte ${this.endByte}`);
        yield* this.analysis.appendSteps(part.analysis);
        // In steps too, into room made once: 4.6 M starts in one copy blocked 90 ms at 10 M lines.
        this.offsets.reserve(this.offsets.length + part.starts.length);
        for (let from = 0; from < part.starts.length; from += OFFSETS_STEP) {
          this.offsets.push(part.starts.subarray(from, from + OFFSETS_STEP));
          yield;
        }
        this.endByte = part.endByte;
      }
      this.analysis.trim();
      this.rememberEnd();
      whole = true;
    } finally {
      if (!whole) this.reset();
    }
  }

  /** Gives back room reserved for lines that did not come (the file had longer lines than its first ones). */
  trim(): void {
    this.analysis.trim();
  }

  /** The rules this scan matches with. */
  get ruleMatcher(): RuleMatcher {
    return this.matcher;
  }

  /** Reads the whole file (or the rest of it, or up to the line starting at `toByte`) without stopping. */
  readAll(toByte?: number): void {
    for (const progress of this.read(toByte)) void progress;
    if (toByte === undefined) this.analysis.trim();
  }

  /** The analysis of every line read so far; lines are read back from the file when asked for. */
  result(context: TimeContext | ((evidence: () => YearEvidence) => TimeContext)): AnalyzedLog {
    return runSteps(this.resultSteps(context));
  }

  /**
   * `result` in steps (`Steps`). `evidenceNeeded`: the context will ask for the lines' year
   * evidence, so it is gathered in steps first (else it is gathered at once if asked for).
   */
  *resultSteps(context: TimeContext | ((evidence: () => YearEvidence) => TimeContext), evidenceNeeded = false): Steps<AnalyzedLog> {
    const lines = new DiskLines(this.file, this.offsets.finish(this.endByte), this.fs);
    let whole = false;
    try {
      // The year of yearless stamps may come from what the lines themselves say: asked for only when needed.
      const evidence = typeof context === 'function' && evidenceNeeded ? yield* this.analysis.yearEvidenceSteps(lines) : undefined;
      const resolved = typeof context === 'function' ? context(() => evidence ?? this.analysis.yearEvidence(lines)) : context;
      const analyzed = yield* this.analysis.resultSteps(resolved, lines);
      // The result before reads its lines through its own handle until this one replaces it.
      this.lines?.close();
      this.lines = lines;
      whole = true;
      return analyzed;
    } finally {
      if (!whole) lines.close();
    }
  }

  /** Releases the file handle kept for reading lines back. */
  close(): void {
    this.lines?.close();
  }
}

/**
 * The file's stat when the log can be scanned from disk in chunks: a regular file that is not
 * gzip (by its magic bytes); undefined for the others (a .gz, a pipe), which are decompressed or
 * read into memory within a bound. Throws as `fs.stat` does for a missing file.
 */
export function plainLogStat(file: string, fs: LogFileSystem = nodeFileSystem): FileStat | undefined {
  const stat = fs.stat(file);
  if (!stat.isFile) return undefined;
  const magic = bytesAt(fs, file, 0, 2);
  return magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b ? undefined : stat;
}
