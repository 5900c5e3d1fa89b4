import { URI } from 'vscode-uri';
import { RuleRecipe } from '../analysis/rules/catalogue';
import { RuleMatcher } from '../analysis/rules/matcher';
import { SuppressionSet } from '../analysis/rules/suppress';
import { withoutSuppressed } from '../analysis/service';
import { LogFileSystem, MemoryFileSystem, nodeFileSystem } from '../files/fileSystem';
import { FIRST_CHUNK_BYTES, LogFileScan } from '../files/logFileScan';
import { TimedChunks } from '../files/timedChunks';
import { WorkerReads, startWorkerReads, workerRules } from '../files/parallelScan';
import { LogForensicsSettings } from '../settings';
import { HeldLog, LogHolder, LogRegistry, RANKED_FINDINGS, StoredLog, unreadSizeOf } from './registry';
import { LogSource, openLogSource } from './source';
import { filePathOf, viewOriginOf } from './logUris';
import { IncidentYear, incidentYear, logTimeContext, needsYearEvidence, ownYearOf } from './timeSettings';
import { Steps, runSteps } from '../analysis/steps';
import { inSteps } from './inSteps';
import { ShownLines, VisibleWindows } from './visibleWindow';
import { CompiledRule, Finding } from '../analysis/rules/types';
import { groupRanksSteps } from '../analysis/triage/triage';

/** Progress of a long read, as the client shows it; `cancelled` when the user asked to stop. */
export interface ReadProgress {
  report(percent: number, message: string): void;
  cancelled(): boolean;
  done(): void;
}

/** What the log pipeline needs from around it: the server gives the LSP's, tests give their own. */
export interface LogHost {
  /** Where logs named by path are read (the disk; memory in tests). */
  fs: LogFileSystem;
  now(): number;
  /** Runs `task` after `ms`; returns what cancels it. */
  schedule(task: () => void, ms: number): () => void;
  /** Lets requests (hovers, correlation) be answered between two steps of a long read. */
  yieldToRequests(): Promise<void>;
  /** How long the end of a read (joining threads, times, findings) runs before requests get their turn (ms). */
  sliceMs: number;
  /** Threads that read a large log on disk not yet read at all. */
  jobs: number;
  rules(): { matcher: RuleMatcher; recipe: RuleRecipe; catalogue: { byId: ReadonlyMap<string, CompiledRule> } };
  settingsFor(uri: string): Promise<LogForensicsSettings>;
  /** The log's path in its workspace folder, with `/` (for file-glob settings). */
  relativePath(uri: string): string | undefined;
  suppressionsFor(uri: string): { set: SuppressionSet; file: string } | undefined;
  /**
   * Shows a log's findings, with `provisional` ones of lines shown beyond what it covers
   * (`VisibleWindows`); `undefined` clears them (the log was let go).
   */
  publish(uri: string, log: StoredLog | undefined, provisional?: readonly Finding[]): Promise<void>;
  startProgress(title: string): Promise<ReadProgress | undefined>;
  warn(message: string): void;
}

const MB = 1_000_000;
/**
 * Read between two chances for requests to be answered: steps of about 5 ms of work, so a hover
 * waits for at most one. 1 MiB steps made hovers wait 0.5 s (median) while a 128 MB log was read;
 * 64 KiB, 34 ms, and the read takes no longer; but 64 KiB took 45-81 ms where the code was still
 * cold or the machine slow, so steps are sized by their time (`TimedChunks`), 4 to 64 KiB.
 */
const READ_STEP_MS = 5;
const READ_STEP_MIN_BYTES = 4 * 1024;
const READ_STEP_MAX_BYTES = 64 * 1024;
/** A large log's first 64 KiB are read in pieces of this size, requests answered between. */
const FIRST_PIECE_BYTES = FIRST_CHUNK_BYTES / 4;
/** Smaller logs are read without a progress notification: it would only flash. */
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;
/** Logs larger than this show their first lines' findings before the rest is read. */
const EARLY_MIN_BYTES = 4 * FIRST_CHUNK_BYTES;
/** How long to wait after the last edit before reading a document again. */
export const CHANGE_DEBOUNCE_MS = 250;
/** Where a document's text is kept, as bytes, in its own in-memory file system. */
const DOCUMENT_PATH = '/document';

/**
 * The one way a log gets from its source to results, whatever holds it: an editor's document, a
 * file too large to sync, a workspace log on disk, plain or gzip. Each log is read by one
 * `LogFileScan` (the document's text as bytes in memory, a plain file in place, a gzip unpacked in
 * memory), in steps that let requests in, with early findings for its first screens, progress
 * for long reads, growth read on from where it stopped, and the same settings, suppressions and
 * time model for all.
 */
export class LogCoordinator {
  private readonly registry = new LogRegistry();
  private readonly timers = new Map<string, () => void>();
  /** The documents' texts not yet read: the newest version of each, taken only when read. */
  private readonly pendingTexts = new Map<string, { version: number; text: () => string }>();
  /** A gzip or pipe source unpacked once, kept while its file is unchanged. */
  private readonly unpacked = new Map<string, { stamp: string; source: LogSource }>();
  /** The year each log's own lines named, lent to the logs whose lines name none. */
  private readonly ownYears = new Map<string, IncidentYear>();
  /** The lines editors show of logs still being read, analysed ahead of the read. */
  private readonly windows: VisibleWindows;

  constructor(private readonly host: LogHost) {
    this.windows = new VisibleWindows({
      suppressionsFor: (uri) => host.suppressionsFor(uri),
      yieldToRequests: () => host.yieldToRequests(),
      publish: (log, provisional) => void host.publish(log.uri, log.stored, provisional),
    });
  }

  // ---- what holds a log ----

  /** An editor opened (or changed) a log's text; it is read after `delay` ms. */
  document(uri: string, version: number, text: () => string, delay = 0): void {
    this.registry.hold(uri, 'document', fileOf(uri));
    this.pendingTexts.set(uri, { version, text });
    this.later(uri, delay);
  }

  /** The editor closed a document: back to its file if something else holds it, else let go. */
  closeDocument(uri: string): void {
    this.pendingTexts.delete(uri);
    const log = this.registry.get(uri);
    if (log) log.text = undefined;
    this.release(uri, 'document');
  }

  /** Holds a log read from its file (`large`: an editor shows it; `workspace`: the index found it). */
  holdFile(uri: string, file: string, holder: Exclude<LogHolder, 'document'>): Promise<void> {
    this.registry.hold(uri, holder, file);
    return this.refresh(uri);
  }

  release(uri: string, holder: LogHolder): void {
    const log = this.registry.get(uri);
    if (!log) return;
    if (this.registry.release(uri, holder)) {
      this.cancelTimer(uri);
      this.ownYears.delete(uri);
      this.unpacked.delete(uri);
      this.windows.forget(uri);
      void this.host.publish(uri, undefined);
    } else if (holder === 'document') {
      // Still part of the incident on disk: what the file says counts again.
      log.generation++;
      log.scan?.close();
      log.scan = undefined;
      void this.refresh(uri);
    }
  }

  /** The client says which lines of a log its editors show (a log not held yet is remembered for when it is). */
  showLines(uri: string, ranges: readonly ShownLines[]): void {
    this.windows.show(uri, ranges, this.registry.get(uri));
  }

  isHeld(uri: string, holder?: LogHolder): boolean {
    const log = this.registry.get(uri);
    return log !== undefined && (holder === undefined || log.holders.has(holder));
  }

  /** Every log held for `holder`. */
  heldBy(holder: LogHolder): string[] {
    return this.registry.all().filter((log) => log.holders.has(holder)).map((log) => log.uri);
  }

  /** A file changed on disk: its logs are read on (grown) or again (rewritten). */
  fileChanged(file: string): void {
    for (const log of this.registry.all()) if (log.file === file && !log.holders.has('document')) void this.refresh(log.uri);
  }

  /**
   * Settings changed: the next request on any log works its times and findings out again with
   * the new ones, before the re-reading `reanalyse` schedules has run.
   */
  invalidate(): void {
    for (const log of this.registry.all()) log.stale = true;
  }

  /** Rules or settings changed: every log's findings are worked out again (lines are re-read only for new rules). */
  reanalyse(): void {
    for (const log of this.registry.all()) {
      log.stale = true;
      void this.refresh(log.uri);
    }
  }

  // ---- what requests read ----

  /** The analysis of a log as it is now: a document's newest text is read first if it is waiting. */
  async current(uri: string): Promise<StoredLog | undefined> {
    const log = this.registry.get(uri);
    if (!log) return undefined;
    const pending = this.pendingTexts.get(uri);
    if (!pending) return log.stale && !log.reading ? this.rework(log) : log.stored;
    if (log.stored && log.stored.version === pending.version && !log.stale) return log.stored;
    if (pending.text().length > EARLY_MIN_BYTES) return this.nextReading(log, pending.version);
    const settings = await this.host.settingsFor(uri);
    if (!this.registry.get(uri)) return undefined;
    // Read it all now, taking over from a read in steps (it stops at its next step).
    this.cancelTimer(uri);
    log.generation++;
    const scan = this.scanFor(log, this.sourceOf(log));
    scan.readAll();
    const stored = this.result(log, scan, settings);
    // This reading replaces the scheduled one, so it shows what that one would have.
    void this.host.publish(uri, stored);
    return stored;
  }

  /**
   * A large document's newest text, read now in steps as its scheduled read would be: the request
   * waits for the next publication (a new document's first lines, an edited one's whole text)
   * while other requests are answered, instead of the whole text being read at once in front of
   * them (7.9 s for 30 MB). Lines beyond what is read are answered as a log on disk answers them.
   */
  private async nextReading(log: HeldLog, version: number): Promise<StoredLog | undefined> {
    this.cancelTimer(log.uri);
    // A read of an older text stops at its next step; one of this text goes on.
    if (log.text?.version !== version) log.generation++;
    const published = new Promise<void>((resolve) => (log.waiting ??= []).push(resolve));
    await Promise.race([this.refresh(log.uri), published]);
    return this.registry.get(log.uri) === log ? log.stored : undefined;
  }

  /** Whether what requests get of a log covers less than its source: it is still being read, or its read was stopped. */
  isPartial(uri: string): boolean {
    const log = this.registry.get(uri);
    if (!log) return false;
    try {
      return unreadSizeOf(log) !== undefined;
    } catch {
      // Gone from disk: what was read is all there is.
      return false;
    }
  }

  /** A log read from its file, its times and findings worked out again with the current settings (nothing is read). */
  private async rework(log: HeldLog): Promise<StoredLog | undefined> {
    const settings = await this.host.settingsFor(log.uri);
    const scan = log.scan;
    if (!scan || !log.stale || log.reading || this.registry.get(log.uri) !== log) return log.stored;
    const stored = this.result(log, scan, settings);
    void this.host.publish(log.uri, stored);
    return stored;
  }

  /**
   * Every held log, documents brought up to date: what correlation, the timeline and references
   * see. Focused views are left out: their lines are their log's, which is held itself.
   */
  async all(): Promise<StoredLog[]> {
    const logs = this.registry.all().filter((log) => viewOriginOf(log.uri) === undefined);
    await Promise.all(logs.map((log) => this.current(log.uri)));
    return logs.flatMap((log) => (log.stored ? [log.stored] : []));
  }

  /** The stored analysis, as it is (for indexes kept over many logs). */
  get(uri: string): StoredLog | undefined {
    return this.registry.get(uri)?.stored;
  }

  /** The logs with an analysis, focused views left out (their lines are their log's). */
  uris(): string[] {
    return this.registry.all().filter((log) => log.stored && viewOriginOf(log.uri) === undefined).map((log) => log.uri);
  }

  /** Waits until every read queued so far has ended (tests, and the end of a workspace scan). */
  async settled(): Promise<void> {
    await Promise.all(this.registry.all().map((log) => log.queue));
  }

  // ---- reading ----

  private later(uri: string, delay: number): void {
    this.cancelTimer(uri);
    this.timers.set(uri, this.host.schedule(() => {
      this.timers.delete(uri);
      void this.refresh(uri);
    }, delay));
  }

  private cancelTimer(uri: string): void {
    this.timers.get(uri)?.();
    this.timers.delete(uri);
  }

  /** Brings a log up to date with its source and the current rules and settings. */
  refresh(uri: string): Promise<void> {
    const log = this.registry.get(uri);
    if (!log) return Promise.resolve();
    log.queue = log.queue
      .then(() => this.update(log))
      .catch((error: unknown) => {
        this.host.warn(`${log.file ? log.file.split(/[\\/]/).pop() : uri} cannot be read (${(error as Error).message}).`);
      });
    return log.queue;
  }

  /** Where a log's bytes come from now: the editor's text while it syncs it, else its file. */
  private sourceOf(log: HeldLog): LogSource {
    const pending = this.pendingTexts.get(log.uri);
    if (log.holders.has('document') && pending) {
      if (!log.text || log.text.version !== pending.version) {
        log.text ??= { fs: new MemoryFileSystem(), version: pending.version };
        log.text.fs.write(DOCUMENT_PATH, Buffer.from(pending.text(), 'utf8'));
        log.text.version = pending.version;
      }
      return { fs: log.text.fs, path: DOCUMENT_PATH, kind: 'document', written: this.fileTime(log.file) };
    }
    if (log.file === undefined) throw new Error('it has no file to read');
    const stat = this.host.fs.stat(log.file);
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const kept = this.unpacked.get(log.uri);
    if (kept && kept.stamp === stamp) return kept.source;
    const source = openLogSource(log.file, this.host.fs);
    if (source.kind === 'plain') this.unpacked.delete(log.uri);
    else this.unpacked.set(log.uri, { stamp, source });
    return source;
  }

  /** When the file behind a document was last written (the year of its yearless stamps). */
  private fileTime(file: string | undefined): { ms: number; fromGzip: boolean } | undefined {
    if (file === undefined) return undefined;
    try {
      return { ms: this.host.fs.stat(file).mtimeMs, fromGzip: false };
    } catch {
      // An unsaved or deleted file: the clock decides.
      return undefined;
    }
  }

  /** The log's scan of `source`, new when the source is another; reset when the bytes or rules changed. */
  private scanFor(log: HeldLog, source: LogSource): LogFileScan {
    const { matcher } = this.host.rules();
    if (!log.scan || log.scan.file !== source.path || log.scan.fs !== source.fs) {
      log.scan?.close();
      log.scan = new LogFileScan(source.path, matcher, new TimedChunks(READ_STEP_MS, READ_STEP_MIN_BYTES, READ_STEP_MAX_BYTES), source.fs);
      log.stored = undefined;
    }
    log.written = source.written;
    const change = log.scan.change();
    if (change === 'rewritten' || log.scan.ruleMatcher !== matcher) log.scan.reset(matcher);
    return log.scan;
  }

  private async update(log: HeldLog): Promise<void> {
    if (!this.registry.get(log.uri)) return;
    const generation = ++log.generation;
    const current = () => log.generation === generation && this.registry.get(log.uri) === log;
    const source = this.sourceOf(log);
    const scan = this.scanFor(log, source);
    const version = this.versionOf(log);
    const size = source.fs.stat(source.path).size;
    if (scan.bytesRead === size && scan.bytesRead > 0) {
      // Nothing new to read: times and findings are worked out again if the settings changed.
      if (log.stale || !log.stored || log.stored.version !== version) await this.publish(log, scan, current);
      return;
    }
    const fresh = scan.bytesRead === 0;
    if (fresh && size > EARLY_MIN_BYTES && !log.stored) {
      // Where the editor opens the file: its first lines' findings before anything else (a log
      // read again for new rules keeps showing its whole earlier reading until this one ends).
      const settings = this.host.settingsFor(log.uri);
      // In pieces, requests answered between: the code is cold then (27 ms for the 64 KiB).
      for (let upTo = FIRST_PIECE_BYTES; upTo <= FIRST_CHUNK_BYTES; upTo += FIRST_PIECE_BYTES) {
        for (const step of scan.read(upTo)) void step;
        await this.host.yieldToRequests();
        if (!current()) return;
      }
      await settings;
      if (!current()) return;
      // In steps too: the code that works out a result is cold then (50-90 ms for these lines on a slow machine).
      await this.publish(log, scan, current, true);
      await this.host.yieldToRequests();
      if (!current()) return;
    }
    const shown = log.holders.has('large') || size >= PROGRESS_MIN_BYTES;
    const name = (log.file ?? log.uri).split(/[\\/]/).pop();
    const progress = shown ? await this.host.startProgress(`Log Forensics: reading ${name}`) : undefined;
    let workers: WorkerReads | undefined;
    let cancelled = false;
    let linesRead = 0;
    log.reading = true;
    this.windows.readStarted(log);
    try {
      // Read for the first time, in place on disk: the later stretches are read by workers meanwhile.
      workers = fresh && source.fs === nodeFileSystem && this.host.jobs > 1 ? startWorkerReads(source.path, workerRules(this.host.rules()), this.host.jobs) : undefined;
      if (workers) await this.host.yieldToRequests();
      let reported = -1;
      for (const step of scan.read(workers?.firstCut)) {
        if (!current()) return;
        linesRead = step.lines;
        // Other threads read the rest meanwhile: the share of the file read so far is at least this.
        const done = workers ? step.bytesRead / (workers.firstCut || 1) : step.bytesRead / Math.max(1, step.totalBytes);
        const percent = Math.min(99, Math.floor(done * 100));
        // Once a percent: a notification a step would be thousands for a large log.
        if (percent !== reported) progress?.report(percent, `${Math.round(done * 100)} % of ${Math.round(size / MB)} MB${workers ? ` on ${this.host.jobs} threads` : ''}, ${step.lines.toLocaleString('en')} lines`);
        reported = percent;
        await this.host.yieldToRequests();
        if (!current()) return;
        if (progress?.cancelled()) {
          cancelled = true;
          break;
        }
      }
      if (workers && !cancelled) {
        progress?.report(99, 'joining what the other threads read');
        const parts = await workers.parts;
        if (!current()) return;
        await inSteps(scan.absorbSteps(parts), this.host, current);
        if (!current()) return;
      } else if (!cancelled) {
        scan.trim();
      }
      // Part of every analysis of this reading, the published one included, until a read ends whole.
      log.stopped = cancelled
        ? `Reading stopped at ${Math.round(scan.bytesRead / MB)} MB of ${Math.round(size / MB)} MB (line ${linesRead.toLocaleString('en')}) when asked to; the rest of the file has no findings yet. Close and reopen the file to read it all.`
        : undefined;
      // A large log's result in steps, still reading until it is whole: requests see the one
      // before meanwhile. A small one's takes a few milliseconds: at once, as requests expect.
      const stored = await this.publish(log, scan, current, size > EARLY_MIN_BYTES);
      if (cancelled && stored) this.host.warn(`${name}: reading cancelled after ${linesRead.toLocaleString('en')} lines of ${Math.round(size / MB)} MB; the findings of those lines are kept.`);
    } finally {
      log.reading = false;
      workers?.stop();
      progress?.done();
    }
  }

  private versionOf(log: HeldLog): number {
    return log.holders.has('document') ? (this.pendingTexts.get(log.uri)?.version ?? -1) : -1;
  }

  /** Works out and publishes the log's analysis; `stepped`: in steps, letting requests in between. */
  private async publish(log: HeldLog, scan: LogFileScan, current: () => boolean, stepped = false): Promise<StoredLog | undefined> {
    const settings = await this.host.settingsFor(log.uri);
    if (!current() || log.scan !== scan) return undefined;
    const steps = this.resultSteps(log, scan, settings);
    const stored = stepped ? await inSteps(steps, this.host, () => current() && log.scan === scan) : runSteps(steps);
    if (!stored) return undefined;
    for (const wake of log.waiting?.splice(0) ?? []) wake();
    await this.host.publish(log.uri, stored, this.windows.provisional(log));
    return stored;
  }

  /** Records the year a log's lines named; when it changed, the logs that borrow it are worked out again. */
  private lendYear(uri: string, year: IncidentYear | undefined): void {
    const before = this.ownYears.get(uri);
    if (before?.year === year?.year) return;
    if (year) this.ownYears.set(uri, year);
    else this.ownYears.delete(uri);
    for (const other of this.registry.all()) {
      // A log still being read (its result perhaps half worked out in steps) is worked out again too.
      if (other.uri === uri || this.ownYears.has(other.uri) || (!other.stored && !other.reading)) continue;
      other.stale = true;
      void this.refresh(other.uri);
    }
  }

  /** The analysis of what `scan` read, with the settings' time model and the workspace's suppressions. */
  private result(log: HeldLog, scan: LogFileScan, settings: LogForensicsSettings): StoredLog {
    return runSteps(this.resultSteps(log, scan, settings));
  }

  /** `result` in steps (`Steps`): the log's stored analysis is replaced at the last. */
  private *resultSteps(log: HeldLog, scan: LogFileScan, settings: LogForensicsSettings): Steps<StoredLog> {
    // Settings that change while this runs make it stale again.
    log.stale = false;
    const notes: string[] = log.stopped ? [log.stopped] : [];
    const name = this.host.relativePath(log.uri) ?? URI.parse(log.uri).path;
    const borrowed = incidentYear([...this.ownYears].filter(([uri]) => uri !== log.uri).map(([, year]) => year));
    const analyzed = yield* scan.resultSteps((evidence) => logTimeContext(settings, name, log.written, this.host.now(), notes, evidence, borrowed), needsYearEvidence(settings));
    this.lendYear(log.uri, ownYearOf(analyzed.parsed.context, name.split('/').slice(-2).join('/')));
    const suppressions = this.host.suppressionsFor(log.uri);
    const hidden = withoutSuppressed(analyzed, suppressions?.set, suppressions?.file ?? '');
    if (hidden > 0) notes.push(`${hidden} finding(s) marked as expected in .log-forensics/suppressions.json are not shown.`);
    const stored: StoredLog = { ...analyzed, uri: log.uri, version: this.versionOf(log), notes };
    // Here, in steps, rather than when the diagnostics are made (150-190 ms at 10 M lines on a slow machine).
    if (stored.findings.length > RANKED_FINDINGS) stored.ranks = yield* groupRanksSteps(stored, log.uri, this.host.rules().catalogue.byId);
    log.stored = stored;
    return stored;
  }
}

/** The file behind a log's URI, if it has one (a view's is its log's: its mtime dates the view's lines too). */
function fileOf(uri: string): string | undefined {
  return filePathOf(uri);
}
