import { Template, TemplateMiner } from './miner';
import { WILDCARD } from './mask';
import { lowerBound } from '../sorted';
import { Steps, endsStep, runSteps } from '../steps';

/** A common template near a rare one, and how alike their words are (0-1). */
export interface NearTemplate {
  template: Template;
  similarity: number;
}

/** How many templates `nearest` compares at most per program (the most frequent ones). */
const MAX_COMPARED = 500;

/** Token similarity of two templates: their longest common run of words in order, over the longer length. */
export function templateSimilarity(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  // Longest common subsequence, one row at a time; templates are short (at most 256 tokens).
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const same = a[i - 1] === b[j - 1] || a[i - 1] === WILDCARD || b[j - 1] === WILDCARD;
      current[j] = same ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length] / Math.max(a.length, b.length);
}

/**
 * Rarity facts over what a miner learnt (a snapshot: build it again after more lines): a
 * template's share of its program's lines, the common templates of the same program nearest to
 * it, and, given each line's template and instant, when a program was last heard before a time.
 */
export class TemplateStats {
  private readonly byId = new Map<number, Template>();
  private readonly byProgram = new Map<string, Template[]>();
  private readonly programLines = new Map<string, number>();
  /** Each program's line instants in order, built on the first `lastHeardBefore` (most analyses never ask). */
  private heard: Map<string, Float64Array> | undefined;
  private readonly lines?: { miner: TemplateMiner; lineTemplates: Int32Array; times: Float64Array };

  /** `lineTemplates` and `times` (one per line, e.g. `TemplateScanner.lineTemplates()` and `ParsedLog.times`) enable `lastHeardBefore`. */
  constructor(miner: TemplateMiner, lineTemplates?: Int32Array, times?: Float64Array) {
    for (const template of miner.templates()) {
      this.byId.set(template.id, template);
      const list = this.byProgram.get(template.program) ?? [];
      list.push(template);
      this.byProgram.set(template.program, list);
      this.programLines.set(template.program, (this.programLines.get(template.program) ?? 0) + template.count);
    }
    for (const list of this.byProgram.values()) list.sort((a, b) => b.count - a.count || a.id - b.id);
    if (lineTemplates && times) this.lines = { miner, lineTemplates, times };
  }

  /** The template with this id (a folded-away id is not found here: ask the miner). */
  template(id: number): Template | undefined {
    return this.byId.get(id);
  }

  /** Lines of the program, all templates together. */
  programLineCount(program: string): number {
    return this.programLines.get(program) ?? 0;
  }

  /** Lines of all programs together, those without a program (`''`) left out. */
  attributedLineCount(): number {
    let total = 0;
    for (const [program, lines] of this.programLines) if (program !== '') total += lines;
    return total;
  }

  /** The template's share of its program's lines (0-1); NaN for an unknown id. */
  share(id: number): number {
    const template = this.byId.get(id);
    if (!template) return NaN;
    return template.count / Math.max(1, this.programLineCount(template.program));
  }

  /**
   * Up to `limit` templates of the same program with more lines than this one, most alike first
   * (ties: the more frequent): what a rare line is a variant of.
   */
  nearest(id: number, limit = 3): NearTemplate[] {
    const template = this.byId.get(id);
    if (!template) return [];
    const near: NearTemplate[] = [];
    const list = this.byProgram.get(template.program) ?? [];
    for (let k = 0; k < list.length && k < MAX_COMPARED; k++) {
      const other = list[k];
      if (other.id === id || other.count <= template.count) continue;
      near.push({ template: other, similarity: templateSimilarity(template.tokens, other.tokens) });
    }
    near.sort((a, b) => b.similarity - a.similarity || b.template.count - a.template.count);
    return near.slice(0, limit);
  }

  /** The latest instant before `time` (UTC ms) at which `program` logged a line; undefined when none is known. */
  lastHeardBefore(program: string, time: number): number | undefined {
    if (!this.heard && this.lines) this.heard = runSteps(this.indexTimes(this.lines.miner, this.lines.lineTemplates, this.lines.times));
    const times = this.heard?.get(program);
    if (!times || Number.isNaN(time)) return undefined;
    const at = lowerBound(times, time);
    return at > 0 ? times[at - 1] : undefined;
  }

  /** Builds what `lastHeardBefore` reads now, in steps of lines (`Steps`), rather than on its first call. */
  *prepareLastHeard(): Steps<void> {
    if (!this.heard && this.lines) this.heard = yield* this.indexTimes(this.lines.miner, this.lines.lineTemplates, this.lines.times);
  }

  private *indexTimes(miner: TemplateMiner, lineTemplates: Int32Array, times: Float64Array): Steps<Map<string, Float64Array>> {
    const lists = new Map<string, number[]>();
    const count = Math.min(lineTemplates.length, times.length);
    for (let i = 0; i < count; i++) {
      if (endsStep(i)) yield;
      const id = lineTemplates[i];
      const time = times[i];
      if (id < 0 || !Number.isFinite(time)) continue;
      const program = (this.byId.get(id) ?? miner.templateOf(id))?.program;
      if (program === undefined) continue;
      const list = lists.get(program) ?? [];
      list.push(time);
      lists.set(program, list);
    }
    const heard = new Map<string, Float64Array>();
    for (const [program, list] of lists) {
      yield;
      heard.set(program, Float64Array.from(list).sort());
    }
    return heard;
  }
}
