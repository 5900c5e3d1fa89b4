import { MaskedMessage, WILDCARD, maskInto, normaliseProgram } from './mask';
import { SequenceIndex } from './sequenceIndex';
import { Tally, absorbTally, copyTally, countLine, emptyTally } from './tally';
import { detached } from '../parse/text';
import { RecentMessages, RepeatGate } from './recentMessages';
import { Steps, runSteps } from '../steps';

/** How the miner groups messages; every field has a default (`DEFAULT_MINER_OPTIONS`). */
export interface MinerOptions {
  /** Share of a message's positions that must equal a template's constant words to join it (0-1). */
  similarity: number;
  /** Leading tokens the parse tree branches on, after the token count. */
  depth: number;
  /** Children a tree node may have; further first words share one `<*>` child. */
  maxChildren: number;
  /** Templates a program may have; beyond, the rarest and stalest are folded into its `<*>` template. */
  maxTemplatesPerProgram: number;
  /** Distinct masked messages remembered (they make repeats cheap and joins exact). */
  maxSequences: number;
  /** Hosts and files kept per template. */
  maxHosts: number;
  /** Similarity with which a message joins a template of another leaf of the same length (1: never). */
  acrossLeaves: number;
  /**
   * Count each remembered message's lines apart (a tally per message, hosts and all), which is
   * what `merge` needs of the miner merged in. A miner that is only ever merged into (the main
   * thread's) does without: about 250 bytes per distinct message and a count per line.
   */
  sequenceTallies: boolean;
}

/** The defaults: chosen on the Loghub samples (see docs/templates.md). */
export const DEFAULT_MINER_OPTIONS: Readonly<MinerOptions> = {
  similarity: 0.7,
  depth: 2,
  maxChildren: 100,
  maxTemplatesPerProgram: 2000,
  maxSequences: 200_000,
  maxHosts: 16,
  acrossLeaves: 0.8,
  sequenceTallies: true,
};

/** Programs whose repeats are followed at once; beyond, they start again from nothing. */
const MAX_REPEAT_GATES = 10_000;
/** Distinct messages replayed between two yields of `mergeSteps` (up to tens of microseconds each: a new one is placed in the tree). */
const MERGE_STEP_MESSAGES = 256;
/** Share of a program's templates folded away at once when it reaches its cap (amortises the sort). */
const EVICT_SHARE = 0.1;

/** One message template of one program, as the miner learnt it. */
export interface Template {
  /** Stable within a run (and across `merge`): ids are never reused. */
  id: number;
  /** The normalised syslog tag (`postfix/smtpd`); `''` for lines without one. */
  program: string;
  /** The masked words; placeholders (`<IP>`, `<NUM>`, `<*>`…) where the lines vary. */
  tokens: readonly string[];
  /** `tokens` joined by blanks. */
  text: string;
  count: number;
  /** 0-based number of the first line seen with it. */
  firstLine: number;
  /** Earliest and latest instant in UTC milliseconds; NaN when none of its lines had one. */
  firstTime: number;
  lastTime: number;
  /** Hosts and file ids of its lines, at most `maxHosts` of each (`truncated` when more). */
  hosts: readonly string[];
  files: readonly number[];
  truncated: boolean;
  /** The program's catch-all for templates folded away at the cap. */
  overflow: boolean;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  clusters: Cluster[];
}

interface Cluster {
  id: number;
  program: string;
  tokens: string[];
  tally: Tally;
  /** Lines counted here but in no remembered sequence (beyond `maxSequences`): replayed by `merge`. */
  residual?: Tally;
  leaf?: TreeNode;
  overflow: boolean;
}

interface Sequence {
  key: string;
  program: string;
  cluster: number;
  /** Undefined in a miner without `sequenceTallies`. */
  tally?: Tally;
}

interface ProgramState {
  byLength: Map<number, TreeNode>;
  /** Live templates by token count, for the search across leaves. */
  lengths: Map<number, Cluster[]>;
  live: number;
  overflow?: Cluster;
}

/** How the ids of a merged miner map onto the miner it was merged into. */
export interface MergeMap {
  /** For each sequence id of the other miner, its id here. */
  sequences: Int32Array;
  /** For each sequence id of the other miner, the template here its lines joined. */
  sequenceTemplates: Int32Array;
  /** For each template id of the other miner, the template here that took (the first of) its lines; -1 for none. */
  templates: Int32Array;
}

/** A parse-tree node as plain data: its children by branching word, and the ids of its templates. */
export interface TreeNodeData {
  children: [string, TreeNodeData][];
  clusters: number[];
}

/** One template's state as plain data (`tokens` as learnt, tallies as counted). */
export interface ClusterData {
  id: number;
  program: string;
  tokens: string[];
  tally: Tally;
  residual?: Tally;
  overflow: boolean;
}

/**
 * A miner's whole state as plain data, for `postMessage` to another thread (structured clone:
 * strings, numbers, arrays and plain objects only). `TemplateMiner.fromData` rebuilds it exactly.
 */
export interface MinerData {
  options: MinerOptions;
  lines: number;
  clusters: ClusterData[];
  sequences: { key: string; program: string; cluster: number; tally?: Tally }[];
  redirects: [number, number][];
  /** Per program: its trees by token count, and its overflow template's id (-1: none). */
  programs: { name: string; trees: [number, TreeNodeData][]; overflow: number }[];
}

function nodeData(node: TreeNode): TreeNodeData {
  return { children: [...node.children].map(([word, child]) => [word, nodeData(child)]), clusters: node.clusters.map((cluster) => cluster.id) };
}

function newNode(): TreeNode {
  return { children: new Map(), clusters: [] };
}

/** Whether a token stands for a value in the tree's branching (holds a digit or a placeholder). */
function branchesAsWildcard(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if ((c >= 48 && c <= 57) || c === 60) return true;
  }
  return false;
}

/** Whether a token is one masked value (`<NUM>:`, `<ID>`, `[<IP>]`): two such differ in type only, which is still a variable. */
function isTypedValue(token: string): boolean {
  const open = token.indexOf('<');
  if (open < 0 || open > 1) return false;
  const close = token.indexOf('>', open + 2);
  return close > 0 && close >= token.length - 3 && token.charCodeAt(open + 1) >= 65 && token.charCodeAt(open + 1) <= 90;
}

/** Whether a token is a plain word (letters, maybe a closing colon or comma): a message's own wording. */
function isPlainWord(token: string): boolean {
  let end = token.length;
  while (end > 0 && (token.charCodeAt(end - 1) === 58 || token.charCodeAt(end - 1) === 44)) end--;
  if (end === 0) return false;
  for (let i = 0; i < end; i++) {
    const c = token.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return false;
  }
  return true;
}

/** Whether the first `levels` tokens differ only where both sides are values, not plain words (`Failed password` ≠ `Failed none`). */
function differsInValuesOnly(template: readonly string[], tokens: readonly string[], levels: number): boolean {
  for (let i = 0; i < levels; i++) {
    if (template[i] === tokens[i] || template[i] === WILDCARD) continue;
    if (isPlainWord(template[i]) || isPlainWord(tokens[i])) return false;
  }
  return true;
}

/** `key=` when a token is a field (`rhost=…`, `tty=…`: a name of letters, digits, `_`, `-` or `.`, then `=`), else ''. */
function fieldOf(token: string): string {
  const equals = token.indexOf('=');
  if (equals < 1) return '';
  for (let i = 0; i < equals; i++) {
    const c = token.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45 || c === 46)) return '';
  }
  return token.slice(0, equals + 1);
}

/**
 * What a template keeps where two messages differ: `key=<*>` where both set the same field to
 * different values (the template still says which field varies), else `<*>`.
 */
function generalised(word: string, token: string): string {
  const field = fieldOf(word);
  return field !== '' && word.length > field.length && token.length > field.length && token.startsWith(field) ? `${field}${WILDCARD}` : WILDCARD;
}

/**
 * Share of positions where a template's constant words equal the message's; `<*>` and `key=<*>`
 * positions count for neither. A field empty on one side and set on the other (`rhost=` and
 * `rhost=<IP>`) makes them no match (-1): a message lacking a value the other has is another
 * message (a local login against a remote one), not the same one with another value.
 */
function similarity(template: readonly string[], tokens: readonly string[]): { score: number; wildcards: number } {
  let same = 0;
  let wildcards = 0;
  for (let i = 0; i < tokens.length; i++) {
    const word = template[i];
    const token = tokens[i];
    if (word === WILDCARD) wildcards++;
    else if (word === token || (isTypedValue(word) && isTypedValue(token))) same++;
    else {
      const field = fieldOf(word);
      if (field === '' || !token.startsWith(field)) continue;
      if ((word.length === field.length) !== (token.length === field.length)) return { score: -1, wildcards };
      if (word.length === field.length + WILDCARD.length && word.endsWith(WILDCARD)) wildcards++;
    }
  }
  return { score: tokens.length === 0 ? 1 : same / tokens.length, wildcards };
}

/**
 * Learns each program's message templates while a log is read, in one pass (Drain-style: a
 * fixed-depth tree keyed by token count and first words, then the most similar template of the
 * leaf). Identical masked messages are remembered, so a repeat is one map lookup, and joining
 * what two threads learnt (`merge`) replays only the distinct messages the second saw: while no
 * cap is reached, the result equals one pass over both stretches, ids included.
 */
export class TemplateMiner {
  readonly options: Readonly<MinerOptions>;
  private readonly programs = new Map<string, ProgramState>();
  private readonly clusters: Cluster[] = [];
  /** Where folded-away templates went: id → the overflow template's id. */
  private readonly redirects = new Map<number, number>();
  private readonly sequenceByKey = new SequenceIndex();
  private readonly sequences: Sequence[] = [];
  private lines = 0;
  /** The line being added, masked (reused: a repeat costs no string). */
  private readonly masked = new MaskedMessage();
  /** Recent messages as written, with their remembered sequence: an exact repeat is not masked again (the masking is a function of the message alone). */
  private readonly recent = new RecentMessages<number>();
  /** Per program, whether its messages repeat enough for `recent` to pay. */
  private readonly repeatGates = new Map<string, RepeatGate>();
  /** The sequence id of the line last added, or -1 when it was not remembered. */
  lastSequence = -1;

  constructor(options: Partial<MinerOptions> = {}) {
    this.options = { ...DEFAULT_MINER_OPTIONS, ...options };
  }

  /** Lines added (merges included). */
  get lineCount(): number {
    return this.lines;
  }

  /**
   * Counts one message of `program` (a raw syslog tag is fine) at 0-based `line`; returns its
   * template id. `time` is UTC milliseconds (NaN when unknown); `file` a caller's file id.
   * Never throws: an empty message has a template of no words.
   */
  add(program: string | undefined, message: string, line: number, time = NaN, host?: string, file?: number): number {
    this.lines++;
    const name = normaliseProgram(program);
    const cap = this.options.maxHosts;
    const gate = this.repeatGateOf(name);
    const looked = gate.open();
    const repeat = looked ? this.recent.get(message) : undefined;
    let known = repeat !== undefined && this.sequences[repeat].program === name ? repeat : undefined;
    const masked = this.masked;
    if (known !== undefined) gate.found();
    else {
      maskInto(message, masked);
      known = this.sequenceByKey.findMasked(name, masked, this.sequences);
      if (looked) {
        gate.missed();
        if (known !== undefined) this.recent.set(message, known);
      }
    }
    let cluster: Cluster;
    if (known !== undefined) {
      const sequence = this.sequences[known];
      if (sequence.tally) countLine(sequence.tally, line, time, host, file, cap);
      cluster = this.resolve(sequence.cluster);
      this.lastSequence = known;
      countLine(cluster.tally, line, time, host, file, cap);
    } else {
      // Strings kept are copies: a slice of the line would keep the whole chunk it was read in alive.
      const program = detached(name);
      const text = masked.text();
      cluster = this.place(program, masked.tokens(text));
      if (this.sequences.length < this.options.maxSequences) {
        let tally: Tally | undefined;
        if (this.options.sequenceTallies) countLine((tally = emptyTally()), line, time, host, file, cap);
        // One flat string: a repeat is compared with it character by character.
        this.lastSequence = this.remember(detached(`${program}\u0001${text}`), program, cluster.id, tally);
      } else {
        countLine((cluster.residual ??= emptyTally()), line, time, host, file, cap);
        this.lastSequence = -1;
      }
      countLine(cluster.tally, line, time, host, file, cap);
      // Only a new template can take a program over its cap; a repeat changes none.
      this.enforceCap(name);
    }
    return this.resolve(cluster.id).id;
  }

  /** The template of every id ever returned (a folded-away id gives its program's overflow template). */
  templateOf(id: number): Template | undefined {
    const cluster = this.clusters[id];
    return cluster ? publish(this.resolve(id)) : undefined;
  }

  /** The current id of the template once returned as `id` (its program's overflow template when folded away), or -1 for no such id. */
  currentId(id: number): number {
    return this.clusters[id] ? this.resolve(id).id : -1;
  }

  /** The current template id of a remembered sequence (`lastSequence`), or -1. */
  templateOfSequence(sequence: number): number {
    const entry = this.sequences[sequence];
    return entry ? this.resolve(entry.cluster).id : -1;
  }

  /**
   * The template here of sequence `sequence` of a miner merged in with `map`, when this miner
   * could not remember it (beyond `maxSequences`): the template its lines joined.
   */
  templateOfSequenceIn(map: MergeMap, sequence: number): number {
    const id = map.sequenceTemplates[sequence];
    return id >= 0 ? this.resolve(id).id : 0;
  }

  /** Every live template, by id. */
  templates(): Template[] {
    const out: Template[] = [];
    for (const cluster of this.clusters) if (!this.redirects.has(cluster.id)) out.push(publish(cluster));
    return out;
  }

  /** The programs seen, with how many lines each. */
  programCounts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const cluster of this.clusters) if (!this.redirects.has(cluster.id)) counts.set(cluster.program, (counts.get(cluster.program) ?? 0) + cluster.tally.count);
    return counts;
  }

  /** Forgets every template's times, for a caller that sets them again once lines are placed (`noteTime`). */
  clearTimes(): void {
    for (const cluster of this.clusters) cluster.tally.firstTime = cluster.tally.lastTime = NaN;
  }

  /** Widens template `id`'s time range to `time` (UTC ms; NaN is ignored). */
  noteTime(id: number, time: number): void {
    if (!Number.isFinite(time)) return;
    const tally = this.clusters[id] && this.resolve(id).tally;
    if (!tally) return;
    if (!(time >= tally.firstTime)) tally.firstTime = time;
    if (!(time <= tally.lastTime)) tally.lastTime = time;
  }

  /**
   * Adds what `other` learnt of the lines that follow this miner's (its line numbers shifted by
   * `lineOffset`). Its distinct messages are replayed in the order it first saw them: a repeat
   * never changes a template, so this equals one pass over both stretches (same groups, texts
   * and ids) while `other` remembered all its messages and no program reached its cap; beyond
   * that, its remaining lines join by their templates' words. `other` (a miner or its `data()`,
   * as a worker thread sends it) must not be used after.
   */
  merge(other: TemplateMiner | MinerData, lineOffset = 0): MergeMap {
    return runSteps(this.mergeSteps(other, lineOffset));
  }

  /** `merge` in steps of a few thousand distinct messages (`Steps`). */
  *mergeSteps(other: TemplateMiner | MinerData, lineOffset = 0): Steps<MergeMap> {
    // The other miner's state as data (what a worker thread sends), read without rebuilding its tree.
    const data = other instanceof TemplateMiner ? other.data() : other;
    const redirects = new Map(data.redirects);
    const origin = (id: number): number => redirects.get(id) ?? id;
    const cap = this.options.maxHosts;
    const sequences = new Int32Array(data.sequences.length).fill(-1);
    const sequenceTemplates = new Int32Array(data.sequences.length).fill(-1);
    const templates = new Int32Array(data.clusters.length).fill(-1);
    if (data.sequences.some((sequence) => !sequence.tally)) throw new Error('a template miner kept without sequence tallies cannot be merged into another');
    this.lines += data.lines;
    for (let s = 0; s < data.sequences.length; s++) {
      if (s % MERGE_STEP_MESSAGES === MERGE_STEP_MESSAGES - 1) yield;
      const theirs = data.sequences[s] as Sequence & { tally: Tally };
      const known = this.sequenceByKey.find(theirs.key, this.sequences);
      let cluster: Cluster;
      if (known !== undefined) {
        const own = this.sequences[known].tally;
        if (own) absorbTally(own, theirs.tally, lineOffset, cap);
        cluster = this.resolve(this.sequences[known].cluster);
        sequences[s] = known;
      } else {
        const tokens = theirs.key.slice(theirs.program.length + 1).split('\u0000');
        cluster = this.place(theirs.program, tokens.length === 1 && tokens[0] === '' ? [] : tokens);
        if (this.sequences.length < this.options.maxSequences) {
          let tally: Tally | undefined;
          if (this.options.sequenceTallies) absorbTally((tally = emptyTally()), theirs.tally, lineOffset, cap);
          sequences[s] = this.remember(theirs.key, theirs.program, cluster.id, tally);
        } else absorbTally((cluster.residual ??= emptyTally()), theirs.tally, lineOffset, cap);
      }
      absorbTally(cluster.tally, theirs.tally, lineOffset, cap);
      sequenceTemplates[s] = cluster.id;
      const from = origin(theirs.cluster);
      if (templates[from] < 0) templates[from] = cluster.id;
      this.enforceCap(theirs.program);
    }
    for (const theirs of data.clusters) {
      if (!theirs.residual || theirs.residual.count === 0) continue;
      const cluster = theirs.overflow ? this.overflowOf(theirs.program) : this.place(theirs.program, theirs.tokens);
      absorbTally((cluster.residual ??= emptyTally()), theirs.residual, lineOffset, cap);
      absorbTally(cluster.tally, theirs.residual, lineOffset, cap);
      if (templates[theirs.id] < 0) templates[theirs.id] = cluster.id;
      this.enforceCap(theirs.program);
    }
    for (const theirs of data.clusters) {
      const from = origin(theirs.id);
      if (templates[theirs.id] < 0 && templates[from] >= 0) templates[theirs.id] = templates[from];
    }
    for (let id = 0; id < templates.length; id++) if (templates[id] >= 0) templates[id] = this.resolve(templates[id]).id;
    return { sequences, sequenceTemplates, templates };
  }

  /** The whole state as plain data for another thread; the miner stays usable. */
  data(): MinerData {
    return {
      options: { ...this.options },
      lines: this.lines,
      clusters: this.clusters.map((c) => ({ id: c.id, program: c.program, tokens: c.tokens, tally: c.tally, residual: c.residual, overflow: c.overflow })),
      sequences: this.sequences.map((s) => ({ key: s.key, program: s.program, cluster: s.cluster, tally: s.tally })),
      redirects: [...this.redirects],
      programs: [...this.programs].map(([name, state]) => ({ name, trees: [...state.byLength].map(([length, node]) => [length, nodeData(node)]), overflow: state.overflow?.id ?? -1 })),
    };
  }

  /** The miner whose `data()` this is, exactly: it can read on, be merged, or be merged into. */
  static fromData(data: MinerData): TemplateMiner {
    const miner = new TemplateMiner(data.options);
    miner.lines = data.lines;
    for (const c of data.clusters) miner.clusters.push({ id: c.id, program: c.program, tokens: c.tokens.slice(), tally: copyTally(c.tally), residual: c.residual && copyTally(c.residual), overflow: c.overflow });
    for (const [from, to] of data.redirects) miner.redirects.set(from, to);
    for (const s of data.sequences) miner.remember(s.key, s.program, s.cluster, s.tally && copyTally(s.tally));
    for (const program of data.programs) {
      const state = miner.programState(program.name);
      if (program.overflow >= 0) state.overflow = miner.clusters[program.overflow];
      const build = (node: TreeNodeData): TreeNode => {
        const built: TreeNode = { children: new Map(node.children.map(([word, child]) => [word, build(child)])), clusters: node.clusters.map((id) => miner.clusters[id]) };
        for (const cluster of built.clusters) cluster.leaf = built;
        return built;
      };
      for (const [length, node] of program.trees) state.byLength.set(length, build(node));
    }
    // Live templates by length, in id order as they were created (the search across leaves meets them in that order).
    for (const cluster of miner.clusters) {
      if (!cluster.leaf) continue;
      const state = miner.programState(cluster.program);
      const same = state.lengths.get(cluster.tokens.length);
      if (same) same.push(cluster);
      else state.lengths.set(cluster.tokens.length, [cluster]);
      state.live++;
    }
    return miner;
  }

  private repeatGateOf(name: string): RepeatGate {
    let gate = this.repeatGates.get(name);
    if (!gate) {
      // A log of endless program names (a garbled tag) must not grow this without end.
      if (this.repeatGates.size >= MAX_REPEAT_GATES) this.repeatGates.clear();
      this.repeatGates.set(detached(name), (gate = new RepeatGate()));
    }
    return gate;
  }

  private remember(key: string, program: string, cluster: number, tally: Tally | undefined): number {
    const id = this.sequences.length;
    this.sequences.push({ key, program, cluster, tally });
    this.sequenceByKey.add(key, id);
    return id;
  }

  private resolve(id: number): Cluster {
    // Most programs never reach their cap: no lookup then.
    if (this.redirects.size === 0) return this.clusters[id];
    const to = this.redirects.get(id);
    return this.clusters[to ?? id];
  }

  private programState(name: string): ProgramState {
    let state = this.programs.get(name);
    if (!state) this.programs.set(name, (state = { byLength: new Map(), lengths: new Map(), live: 0 }));
    return state;
  }

  /** The template a masked message joins (made more general where they differ), or a new one. */
  private place(program: string, tokens: readonly string[]): Cluster {
    const state = this.programState(program);
    const { depth, maxChildren, similarity: threshold } = this.options;
    let node: TreeNode = state.byLength.get(tokens.length) ?? newNode();
    state.byLength.set(tokens.length, node);
    const levels = Math.min(depth, tokens.length);
    for (let d = 0; d < levels; d++) {
      const word = branchesAsWildcard(tokens[d]) ? WILDCARD : tokens[d];
      let next: TreeNode | undefined = node.children.get(word);
      if (!next) {
        const wild = node.children.get(WILDCARD);
        if (word !== WILDCARD && node.children.size < maxChildren - (wild ? 0 : 1)) node.children.set(word, (next = newNode()));
        else if (wild) next = wild;
        else node.children.set(WILDCARD, (next = newNode()));
      }
      node = next;
    }
    let best: Cluster | undefined;
    let bestScore = -1;
    let bestWild = -1;
    for (const cluster of node.clusters) {
      const { score, wildcards } = similarity(cluster.tokens, tokens);
      if (score > bestScore || (score === bestScore && wildcards > bestWild)) {
        best = cluster;
        bestScore = score;
        bestWild = wildcards;
      }
    }
    // Drain's blind spot: a variable first word (`com.apple.Foo:`, a user name) sends a message to
    // a leaf of its own. Before starting a template, look across the leaves of the same length,
    // with a stricter bar.
    if (!(best && bestScore >= threshold) && this.options.acrossLeaves < 1) {
      for (const cluster of this.sameLength(state, tokens.length)) {
        if (cluster.leaf === node || !differsInValuesOnly(cluster.tokens, tokens, levels)) continue;
        const { score, wildcards } = similarity(cluster.tokens, tokens);
        if (score >= this.options.acrossLeaves && (score > bestScore || (score === bestScore && wildcards > bestWild))) {
          best = cluster;
          bestScore = score;
          bestWild = wildcards;
        }
      }
      if (best && bestScore < this.options.acrossLeaves) best = undefined;
    }
    if (best && (bestScore >= threshold || best.leaf !== node)) {
      const words = best.tokens;
      for (let i = 0; i < words.length; i++) if (words[i] !== tokens[i] && words[i] !== WILDCARD) words[i] = generalised(words[i], tokens[i]);
      return best;
    }
    const cluster: Cluster = { id: this.clusters.length, program, tokens: tokens.map(detached), tally: emptyTally(), leaf: node, overflow: false };
    this.clusters.push(cluster);
    node.clusters.push(cluster);
    const same = state.lengths.get(tokens.length);
    if (same) same.push(cluster);
    else state.lengths.set(tokens.length, [cluster]);
    state.live++;
    return cluster;
  }

  /** The live templates of `program` with `length` tokens. */
  private sameLength(state: ProgramState, length: number): Cluster[] {
    return state.lengths.get(length) ?? [];
  }

  private overflowOf(program: string): Cluster {
    const state = this.programState(program);
    if (!state.overflow) {
      state.overflow = { id: this.clusters.length, program, tokens: [WILDCARD], tally: emptyTally(), overflow: true };
      this.clusters.push(state.overflow);
    }
    return state.overflow;
  }

  /**
   * Keeps a program within `maxTemplatesPerProgram`: the templates with the fewest lines, the
   * least recently seen first, are folded into its overflow template (their ids then name it).
   * Rare-but-recent ones survive longest, which is what rarity ranking looks at.
   */
  private enforceCap(program: string): void {
    const state = this.programs.get(program);
    const limit = this.options.maxTemplatesPerProgram;
    if (!state || state.live <= limit) return;
    const overflow = this.overflowOf(program);
    const cap = this.options.maxHosts;
    const candidates = this.clusters.filter((c) => c.program === program && !c.overflow && !this.redirects.has(c.id));
    candidates.sort((a, b) => a.tally.count - b.tally.count || a.tally.lastLine - b.tally.lastLine || a.id - b.id);
    const fold = Math.max(1, Math.min(candidates.length, state.live - limit + Math.floor(limit * EVICT_SHARE)));
    for (let k = 0; k < fold; k++) {
      const cluster = candidates[k];
      absorbTally(overflow.tally, cluster.tally, 0, cap);
      if (cluster.residual) absorbTally((overflow.residual ??= emptyTally()), cluster.residual, 0, cap);
      const leaf = cluster.leaf!;
      leaf.clusters.splice(leaf.clusters.indexOf(cluster), 1);
      const same = state.lengths.get(cluster.tokens.length)!;
      same.splice(same.indexOf(cluster), 1);
      cluster.leaf = undefined;
      this.redirects.set(cluster.id, overflow.id);
      state.live--;
    }
    // Folded ids that named a folded id name the overflow directly (one hop at most).
    for (const [from, to] of this.redirects) if (to !== overflow.id && this.redirects.has(to)) this.redirects.set(from, overflow.id);
  }
}

function publish(cluster: Cluster): Template {
  const tally = copyTally(cluster.tally);
  return {
    id: cluster.id,
    program: cluster.program,
    tokens: cluster.tokens.slice(),
    text: cluster.tokens.join(' '),
    count: tally.count,
    firstLine: tally.count > 0 ? tally.firstLine : -1,
    firstTime: tally.firstTime,
    lastTime: tally.lastTime,
    hosts: tally.hosts ?? [],
    files: tally.files ?? [],
    truncated: tally.truncated === true,
    overflow: cluster.overflow,
  };
}
