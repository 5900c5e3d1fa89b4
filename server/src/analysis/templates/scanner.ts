import { LineVisitor } from '../parse/document';
import { LogLine, Span } from '../parse/types';
import { TemplateMiner } from './miner';

/** The parts of a parsed line the template scanner reads. */
export type TemplatedLine = Pick<LogLine, 'kind' | 'host' | 'program' | 'programName' | 'message'>;

/** A line that has no template (blank, a marker, a stack frame). */
export const NO_TEMPLATE = -1;

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

  /** Lines seen. */
  get length(): number {
    return this.count;
  }

  /** The template id of line `i`, or `NO_TEMPLATE`. */
  templateOfLine(i: number): number {
    if (i < 0 || i >= this.count) return NO_TEMPLATE;
    const value = this.sequences[i];
    if (value === NO_TEMPLATE) return NO_TEMPLATE;
    return value >= 0 ? this.miner.templateOfSequence(value) : (this.miner.templateOf(-2 - value)?.id ?? NO_TEMPLATE);
  }

  /** Every line's template id, as an array (`NO_TEMPLATE` for lines without one). */
  lineTemplates(): Int32Array {
    const out = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.templateOfLine(i);
    return out;
  }

  /**
   * Adds what another scanner read of the lines that follow (line numbers shifted by this
   * scanner's length), joining its miner into this one (`TemplateMiner.merge`).
   */
  append(other: TemplateScanner): void {
    const offset = this.count;
    const map = this.miner.merge(other.miner, offset);
    this.grow(offset + other.count);
    for (let i = 0; i < other.count; i++) {
      const value = other.sequences[i];
      let mapped = value;
      if (value >= 0) mapped = map.sequences[value] >= 0 ? map.sequences[value] : -2 - this.miner.templateOfSequenceIn(map, value);
      else if (value !== NO_TEMPLATE) mapped = -2 - Math.max(0, map.templates[-2 - value]);
      this.sequences[offset + i] = mapped;
    }
    this.count = offset + other.count;
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

  private grow(size: number): void {
    if (size <= this.sequences.length) return;
    const next = new Int32Array(Math.max(size, this.sequences.length * 2));
    next.set(this.sequences);
    this.sequences = next;
  }
}
