import { RuleMatcher } from '../analysis/rules/matcher';
import { SuppressionSet } from '../analysis/rules/suppress';
import { Finding } from '../analysis/rules/types';
import { analyseStretch, StretchFindings } from '../analysis/stretch';
import { LineIndex } from '../files/lineIndex';
import { readLineChunks } from '../files/lineReader';
import { HeldLog, unreadSizeOf } from './registry';

/** Lines above and below those an editor shows that are analysed with them: a scroll stays inside. */
export const WINDOW_MARGIN_LINES = 200;
/** At most this many lines of one range shown are analysed (a client naming a whole file gets its top). */
const WINDOW_MAX_LINES = 2000;
/** At most this many bytes a window: lines can be very long. */
const WINDOW_MAX_BYTES = 4 * 1024 * 1024;
/** Windows kept per log, the newest first; an older one is dropped. */
const WINDOWS_KEPT = 8;
/** Logs from this size on have their line ends counted ahead, while they are read, so a jump finds its line at once. */
const COUNT_AHEAD_MIN_BYTES = 8 * 1024 * 1024;
/**
 * Bytes of line ends counted at a time while counting ahead (about 1 ms, but 10 ms where the code
 * is cold on a slow machine: 1 MiB steps let an 8 ms slice run to 26 ms).
 */
const COUNT_STEP_BYTES = 256 * 1024;
/**
 * How long counting ahead runs before requests and the read's own steps get a turn: a 128 MB
 * log is counted 0.12-0.23 s into its read (4 MiB a turn took 0.2-0.45 s, and a jump meanwhile
 * waited for the rest of the count). 16 ms was quicker still, but a hover then waited up to 68 ms.
 */
const COUNT_SLICE_MS = 8;

/** Lines an editor shows, 0-based, `end` included. */
export interface ShownLines {
  start: number;
  end: number;
}

/** What the windows need from around them: the coordinator's. */
export interface WindowHost {
  suppressionsFor(uri: string): { set: SuppressionSet; file: string } | undefined;
  yieldToRequests(): Promise<void>;
  /** Shows the log's findings with those of its windows (provisional). */
  publish(log: HeldLog, provisional: readonly Finding[]): void;
}

/** A window's findings, and the lines it was asked for (what it did for them, even cut short). */
interface Window extends StretchFindings {
  first: number;
  last: number;
}

/** The windows of one log, for the bytes they were read from. */
interface LogWindows {
  /** Size, time and document version of the bytes read: another means the windows are stale. */
  stamp: string;
  index: LineIndex;
  matcher: RuleMatcher;
  /** Newest first. */
  windows: Window[];
  counting: boolean;
}

/**
 * The lines editors show of logs still being read, analysed out of order. When a range shown lies
 * beyond what the read has published, its window (the lines shown and a margin) is found by
 * counting line ends (`LineIndex`), read, parsed and matched with the log's own time context and
 * rules, and its line rules' findings are published with the log's, as provisional, until the read
 * passes them; the read's whole result then replaces them all. What a window cannot know is left
 * to the read: bursts, paired rules, silences, rare lines, correlations (see `analyseStretch`).
 */
export class VisibleWindows {
  /** The lines each log's editors show, as the client last said (also before the log is held). */
  private readonly shown = new Map<string, ShownLines[]>();
  private readonly logs = new Map<string, LogWindows>();

  constructor(private readonly host: WindowHost) {}

  /** The client says which lines of a log its editors show; the windows beyond the read are analysed and published. */
  show(uri: string, ranges: readonly ShownLines[], log: HeldLog | undefined): void {
    this.shown.set(uri, ranges.slice(0, 8));
    if (!log?.stored || !this.guarded(log, () => this.analyse(log), false)) return;
    this.host.publish(log, this.provisional(log));
  }

  /**
   * Runs `work` on a log's windows; if it fails (the file went away under the read), the log's
   * windows are dropped and `fallback` answers: the read's own results never depend on them.
   */
  private guarded<T>(log: HeldLog, work: () => T, fallback: T): T {
    try {
      return work();
    } catch {
      this.logs.delete(log.uri);
      return fallback;
    }
  }

  /**
   * The provisional findings to publish with the log's analysis now: its windows' findings of the
   * lines it does not cover yet, windows for the lines shown analysed first. None once the read
   * has passed them.
   */
  provisional(log: HeldLog): Finding[] {
    const stored = log.stored;
    if (!stored) return [];
    // Only a log with windows is looked at; once its read has passed every byte they are dropped.
    const state = this.guarded(log, () => (this.analyse(log), this.logs.has(log.uri) ? this.stateOf(log) : undefined), undefined);
    if (!state) return [];
    const covered = stored.parsed.lines.length;
    const found: Finding[] = [];
    const claimed: StretchFindings[] = [];
    // Where windows overlap, the newest speaks for the lines they share.
    for (const window of state.windows) {
      for (const finding of window.findings) {
        if (finding.line >= covered && !claimed.some((newer) => finding.line >= newer.from && finding.line < newer.to)) found.push(finding);
      }
      claimed.push(window);
    }
    return found.sort((a, b) => a.line - b.line);
  }

  /** A read of `log` begins: a log an editor shows has its line ends counted meanwhile, ahead of a jump. */
  readStarted(log: HeldLog): void {
    const size = this.guarded(log, () => unreadSizeOf(log), undefined);
    if (size === undefined || size < COUNT_AHEAD_MIN_BYTES || !(log.holders.has('large') || log.holders.has('document'))) return;
    const state = this.guarded(log, () => this.stateOf(log), undefined);
    if (!state || state.counting) return;
    state.counting = true;
    void this.countAhead(log, state);
  }

  /** The log is let go, or its editors closed: its windows and shown lines are forgotten. */
  forget(uri: string): void {
    this.shown.delete(uri);
    this.logs.delete(uri);
  }

  private async countAhead(log: HeldLog, state: LogWindows): Promise<void> {
    try {
      while (this.logs.get(log.uri) === state && this.guarded(log, () => unreadSizeOf(log) !== undefined && !this.countSlice(state.index), false)) await this.host.yieldToRequests();
    } finally {
      state.counting = false;
    }
  }

  /** Counts line ends for about `COUNT_SLICE_MS`; returns whether the file is counted to its end. */
  private countSlice(index: LineIndex): boolean {
    const began = performance.now();
    for (;;) {
      if (index.countOn(COUNT_STEP_BYTES)) return true;
      if (performance.now() - began >= COUNT_SLICE_MS) return false;
    }
  }

  /** The log's windows for its current bytes (new ones when the bytes or rules changed); undefined when it is read to its end. */
  private stateOf(log: HeldLog): LogWindows | undefined {
    const size = unreadSizeOf(log);
    const scan = log.scan;
    if (size === undefined || !scan) {
      this.logs.delete(log.uri);
      return undefined;
    }
    const stamp = `${size}:${scan.fs.stat(scan.file).mtimeMs}:${log.stored?.version ?? -1}`;
    const matcher = scan.ruleMatcher;
    let state = this.logs.get(log.uri);
    if (!state || state.stamp !== stamp || state.matcher !== matcher) {
      state = { stamp, index: new LineIndex(scan.fs, scan.file, size), matcher, windows: [], counting: false };
      this.logs.set(log.uri, state);
    }
    // The read's own position is a line start known for free.
    state.index.learn({ line: scan.linesRead, byte: scan.bytesRead });
    return state;
  }

  /** Analyses a window for each range shown beyond what the log's analysis covers; returns whether any was. */
  private analyse(log: HeldLog): boolean {
    const ranges = this.shown.get(log.uri);
    const stored = log.stored;
    if (!ranges || !stored) return false;
    const covered = stored.parsed.lines.length;
    const wanted = ranges.filter((range) => range.end >= covered);
    if (wanted.length === 0) return false;
    const state = this.stateOf(log);
    if (!state) return false;
    let added = false;
    for (const range of wanted) {
      const start = Math.max(covered, range.start);
      const end = Math.min(range.end, start + WINDOW_MAX_LINES);
      if (state.windows.some((window) => window.first <= start && window.last >= end)) continue;
      const window = this.readWindow(log, state, Math.max(covered, start - WINDOW_MARGIN_LINES), end + WINDOW_MARGIN_LINES);
      if (!window) continue;
      state.windows.unshift(window);
      state.windows.length = Math.min(state.windows.length, WINDOWS_KEPT);
      added = true;
    }
    return added;
  }

  /** Reads lines `first` to `last` (or as many as fit) and analyses them; undefined when the file has no line `first`. */
  private readWindow(log: HeldLog, state: LogWindows, first: number, last: number): Window | undefined {
    const scan = log.scan!;
    const begin = state.index.startOf(first);
    if (!begin) return undefined;
    const whole = state.index.endOf(last, begin);
    // Read as the scan reads (the same splitting and decoding): the lines starting before the
    // byte limit, each whole.
    const end = Math.min(whole, begin.byte + WINDOW_MAX_BYTES);
    const lines: string[] = [];
    let endByte = begin.byte;
    for (const chunk of readLineChunks(scan.file, { fromByte: begin.byte, toByte: end }, scan.fs)) {
      for (const line of chunk.lines) lines.push(line);
      endByte = chunk.endByte;
    }
    const suppressions = this.host.suppressionsFor(log.uri);
    const window = analyseStretch(lines, first, log.stored!.parsed.context, state.matcher, suppressions?.set, suppressions?.file);
    // The file's end reached: the window speaks for every line after its start.
    return { ...window, to: endByte >= state.index.size ? Infinity : window.to, first, last };
  }
}
