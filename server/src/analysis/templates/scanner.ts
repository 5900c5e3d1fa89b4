import { LineVisitor } from '../parse/document';
import { LogLine, Span } from '../parse/types';
import { MinerData, TemplateMiner } from './miner';
import { TemplateStats } from './stats';
import { LINES_PER_STEP, Steps, endsStep, runSteps } from '../steps';

/** The parts of a parsed line the template scanner reads. */
export type TemplatedLine = Pick<LogLine, 'kind' | 'host' | 'program' | 'programName' | 'message'>;

/** A line that has no template (blank, a marker, a stack frame). */
export const NO_TEMPLATE = -1;

/** The message templates of a log, once its lines are placed in time. */
export interface LogTemplates {
  miner: TemplateMiner;
  /** Each line's template id (`NO_TEMPLATE` for a line without one), one per line of the log. */
  lineTemplates: Int32Array;
  /** Rarity facts: shares, the common templates near a rare one, when a program was last heard. */
  stats: TemplateStats;
}

/** What a `TemplateScanner` read, as plain data for another thread (`sequences` can be transferred). */
export interface TemplateScannerData {
  miner: MinerData;
  /** One value per line seen, as `TemplateScanner` keeps them. */
  sequences: Int32Array;
  file?: number;
}

function sliceOf(raw: string, span: Span | undefined): string | undefined {
  return span ? raw.slice(span.start, span.end) : undefined;
}

/**
 * The parser's visitor that mines templates while a log is read (beside `FindingScanner`): each
 * entry's and continuation's message goes to a `TemplateMiner`, and each line keeps the id of
 * the masked message it had (4 bytes a line), so its template is known after any `merge`.
 * Times are not known while lines are read: `placeTimes` sets them once the parser has.
 */
export class TemplateScanner implements LineVisitor {
  private sequences = new Int32Array(1024);
  private count = 0;

  constructor(readonly miner: TemplateMiner = new TemplateMiner(), private readonly file?: number) {}

  visit(i: number, raw: string, line: TemplatedLine, entryRaw: string, entryLine: TemplatedLine): void {
    if (i >= this.sequences.length) this.grow(i + 1);
    if (i >= this.count) {
      this.sequences.fill(NO_TEMPLATE, this.count, i + 1);
      this.count = i + 1;
    }
    if (line.kind !== 'entry' && line.kind !== 'continuation') return;
    const program = sliceOf(raw, line.program) ?? line.programName ?? (line.kind === 'continuation' ? (sliceOf(entryRaw, entryLine.program) ?? entryLine.programName) : undefined);
    const host = sliceOf(raw, line.host) ?? sliceOf(entryRaw, entryLine.host);
    const id = this.miner.add(program, raw.slice(line.message.start, line.message.end), i, NaN, host, this.file);
    const sequence = this.miner.lastSequence;
    // A message beyond the miner's memory of sequences keeps its template id, stored as -2 - id.
    this.sequences[i] = sequence >= 0 ? sequence : -2 - id;
  }

  /** Makes room for `lines` lines in all (a log whose size is known), so that the ids are not grown by copies. */
  reserve(lines: number): void {
    if (lines > this.sequences.length) this.sequences = grownTo(this.sequences, this.count, lines);
  }

  /** Gives back the room reserved beyond the lines seen when it is more than a quarter of them. */
  trim(): void {
    if (this.sequences.length > Math.max(1024, this.count * 1.25)) this.sequences = grownTo(this.sequences, this.count, Math.max(1024, this.count));
  }

  /** Lines seen. */
  get length(): number {
    return this.count;
  }

  /** The template id of line `i`, or `NO_TEMPLATE`. */
  templateOfLine(i: number): number {
    if (i < 0 || i >= this.count) return NO_TEMPLATE;
    const value = this.sequences[i];
    if (value === NO_TEMPLATE) return NO_TEMPLATE;
    // The id alone: a whole `Template` made for each line beyond the remembered messages was 50 bytes of garbage a line.
    if (value >= 0) return this.miner.templateOfSequence(value);
    const id = this.miner.currentId(-2 - value);
    return id >= 0 ? id : NO_TEMPLATE;
  }

  /** Every line's template id, as an array (`NO_TEMPLATE` for lines without one). */
  lineTemplates(): Int32Array {
    const out = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.templateOfLine(i);
    return out;
  }

  /** What was read, as plain data for another thread (`fromData` rebuilds it). */
  data(): TemplateScannerData {
    return { miner: this.miner.data(), sequences: this.sequences.slice(0, this.count), file: this.file };
  }

  /** The scanner whose `data()` this is. */
  static fromData(data: TemplateScannerData): TemplateScanner {
    const scanner = new TemplateScanner(TemplateMiner.fromData(data.miner), data.file);
    scanner.grow(data.sequences.length);
    scanner.sequences.set(data.sequences);
    scanner.count = data.sequences.length;
    return scanner;
  }

  /**
   * Adds what another scanner read of the lines that follow, from line `offset` on (default: this
   * scanner's length; lines between have no template), joining its miner into this one
   * (`TemplateMiner.merge`). `other` (a scanner or its `data()`, as a worker thread sends it)
   * must not be used after.
   */
  append(other: TemplateScanner | TemplateScannerData, offset = this.count): void {
    runSteps(this.appendSteps(other, offset));
  }

  /** `append` in steps (`Steps`): the lines count once all are mapped. */
  *appendSteps(other: TemplateScanner | TemplateScannerData, offset = this.count): Steps<void> {
    const theirs = other instanceof TemplateScanner ? other.data() : other;
    const map = yield* this.miner.mergeSteps(theirs.miner, offset);
    const count = theirs.sequences.length;
    yield* this.growSteps(offset + count);
    this.sequences.fill(NO_TEMPLATE, this.count, offset);
    for (let i = 0; i < count; i++) {
      if (endsStep(i)) yield;
      const value = theirs.sequences[i];
      let mapped = value;
      if (value >= 0) mapped = map.sequences[value] >= 0 ? map.sequences[value] : -2 - this.miner.templateOfSequenceIn(map, value);
      else if (value !== NO_TEMPLATE) mapped = -2 - Math.max(0, map.templates[-2 - value]);
      this.sequences[offset + i] = mapped;
    }
    this.count = offset + count;
  }

  /** Sets every template's first and last time from the lines' instants (UTC ms, NaN for none); can be called again. */
  placeTimes(times: Float64Array, entryStart?: Int32Array): void {
    this.miner.clearTimes();
    const count = Math.min(this.count, times.length);
    for (let i = 0; i < count; i++) {
      const id = this.templateOfLine(i);
      if (id !== NO_TEMPLATE) this.miner.noteTime(id, times[entryStart ? entryStart[i] : i]);
    }
  }

  /**
   * The templates of the `times.length` lines of a log placed in time (`ParsedLog.times` and
   * `entryStart`: a continuation takes its entry's instant). Can be called again after more lines.
   */
  result(times: Float64Array, entryStart?: Int32Array): LogTemplates {
    return runSteps(this.resultSteps(times, entryStart));
  }

  /**
   * `result` in steps of lines (`Steps`). The templates' times are gathered aside and set at the
   * end, so the miner's times stay as they were until the new result is whole.
   */
  *resultSteps(times: Float64Array, entryStart?: Int32Array): Steps<LogTemplates> {
    const lineTemplates = new Int32Array(times.length);
    const count = Math.min(this.count, times.length);
    lineTemplates.fill(NO_TEMPLATE, count);
    let ids = 0;
    for (let i = 0; i < count; i++) {
      if (endsStep(i)) yield;
      const id = this.templateOfLine(i);
      lineTemplates[i] = id;
      if (id >= ids) ids = id + 1;
    }
    // Times from the ids just resolved: one lookup a line, not two.
    const first = new Float64Array(ids).fill(NaN);
    const last = new Float64Array(ids).fill(NaN);
    for (let i = 0; i < count; i++) {
      if (endsStep(i)) yield;
      const id = lineTemplates[i];
      if (id === NO_TEMPLATE) continue;
      const time = times[entryStart ? entryStart[i] : i];
      if (!Number.isFinite(time)) continue;
      if (!(time >= first[id])) first[id] = time;
      if (!(time <= last[id])) last[id] = time;
    }
    this.miner.clearTimes();
    for (let id = 0; id < ids; id++) {
      this.miner.noteTime(id, first[id]);
      this.miner.noteTime(id, last[id]);
    }
    return { miner: this.miner, lineTemplates, stats: new TemplateStats(this.miner, lineTemplates, times) };
  }

  private grow(size: number): void {
    runSteps(this.growSteps(size));
  }

  /** `grow` in steps of lines (`Steps`). */
  private *growSteps(size: number): Steps<void> {
    if (size <= this.sequences.length) return;
    const next = new Int32Array(Math.max(size, this.sequences.length * 2));
    for (let start = 0; start < this.count; start += LINES_PER_STEP) {
      if (start > 0) yield;
      next.set(this.sequences.subarray(start, Math.min(this.count, start + LINES_PER_STEP)), start);
    }
    this.sequences = next;
  }
}

/** A copy of `ids`' first `count` values in an array of `size`. */
function grownTo(ids: Int32Array, count: number, size: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(size);
  next.set(ids.subarray(0, count));
  return next;
}
