import * as fs from 'fs';
import * as path from 'path';
import { WorkDoneProgressServerReporter } from 'vscode-languageserver/node';
import { FIRST_CHUNK_BYTES, LogFileScan } from './files/logFileScan';
import { RuleMatcher } from './analysis/rules/matcher';
import { RuleRecipe } from './analysis/rules/catalogue';
import { WorkerReads, startWorkerReads } from './files/parallelScan';
import { LogStore, StoredLog } from './logStore';
import { LogForensicsSettings } from './settings';

/** What reading logs from disk needs from the server around it. */
export interface DiskLogHost {
  store: LogStore;
  matcher(): RuleMatcher;
  /** What `matcher()` was built from, for worker threads to build it again. */
  recipe(): RuleRecipe;
  /** Threads that read a log not yet read at all. */
  jobs: number;
  settingsFor(uri: string): Promise<LogForensicsSettings>;
  relativePath(uri: string): string | undefined;
  publish(log: StoredLog): Promise<void>;
  /** Whether an editor syncs the document: its text, not the file, is then what counts. */
  isSynced(uri: string): boolean;
  startProgress(title: string): Promise<WorkDoneProgressServerReporter | undefined>;
  warn(message: string): void;
}

/** Lets requests (hovers, correlation) in between chunks, so a long read never freezes the editor. */
function yieldToRequests(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

const MB = 1_000_000;
/** Read between two chances for requests to be answered: about 20 ms of work. */
const READ_STEP_BYTES = 1024 * 1024;
/** Smaller workspace logs are read without a progress notification: it would only flash. */
const PROGRESS_MIN_BYTES = 16 * 1024 * 1024;

/** Why a log is read from disk: an editor shows it (too large to sync), or it is one of the workspace's logs. */
export type DiskLogHolder = 'editor' | 'workspace';

/**
 * Logs read from disk in chunks rather than synced by the editor: files too large for VS Code to
 * hand to extensions (over 50 MB) while an editor shows them, and the workspace's plain logs,
 * open or not (an open document's own text counts while it is open). The first lines' findings are
 * published as soon as they are read, the rest with a progress notification that can be
 * cancelled; a log that grows is read on from where it was, not again from its start.
 */
export class DiskLogs {
  private readonly scans = new Map<string, LogFileScan>();
  private readonly holders = new Map<string, Set<DiskLogHolder>>();
  /** One read at a time per log: a scan's position is shared state. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly host: DiskLogHost) {}

  has(uri: string): boolean {
    return this.scans.has(uri);
  }

  /** Whether `holder` is among the reasons `uri` is read from disk. */
  heldBy(uri: string, holder: DiskLogHolder): boolean {
    return this.holders.get(uri)?.has(holder) === true;
  }

  /**
   * Reads a log for `holder` (read on if it is already read); resolves once it has been read, or
   * the read was cancelled.
   */
  open(uri: string, file: string, holder: DiskLogHolder): Promise<void> {
    if (!this.scans.has(uri)) this.scans.set(uri, new LogFileScan(file, this.host.matcher(), READ_STEP_BYTES));
    this.holders.set(uri, (this.holders.get(uri) ?? new Set()).add(holder));
    return this.refresh(uri);
  }

  /** Lets go of a log for `holder`; forgets it when nothing else holds it. */
  close(uri: string, holder: DiskLogHolder): void {
    const holders = this.holders.get(uri);
    holders?.delete(holder);
    if (holders && holders.size > 0) return;
    this.holders.delete(uri);
    this.scans.get(uri)?.close();
    this.scans.delete(uri);
  }

  uris(): string[] {
    return [...this.scans.keys()];
  }

  /** Brings a log up to date with its file and the current rules and settings. */
  refresh(uri: string): Promise<void> {
    const next = (this.queues.get(uri) ?? Promise.resolve()).then(() => this.update(uri)).catch((error: unknown) => {
      const scan = this.scans.get(uri);
      this.host.warn(`${scan ? path.basename(scan.file) : uri} cannot be read (${(error as Error).message}).`);
    });
    this.queues.set(uri, next);
    return next;
  }

  private async update(uri: string): Promise<void> {
    const scan = this.scans.get(uri);
    if (!scan || this.host.isSynced(uri)) return;
    // Still this log's scan (not closed, or closed and opened again, meanwhile).
    const current = () => this.scans.get(uri) === scan;
    // Taken together, so that workers build exactly the rules this scan matches with.
    const matcher = this.host.matcher();
    const recipe = this.host.recipe();
    const change = scan.change();
    // New rules: matched again from the start. Only this log's scan: others may be mid-read.
    if (change === 'rewritten' || scan.ruleMatcher !== matcher) scan.reset(matcher);
    if (change === 'unchanged' && scan.bytesRead > 0) {
      // Settings may have changed: times and findings are worked out again, nothing is read.
      await this.publish(uri, scan);
      return;
    }
    const fresh = scan.bytesRead === 0;
    if (fresh) {
      // Where the editor opens the file: its first lines' findings before anything else is
      // started; the settings are asked for while they are read.
      const settings = this.host.settingsFor(uri);
      for (const step of scan.read(FIRST_CHUNK_BYTES)) void step;
      await settings;
      if (!current()) return;
      await this.publish(uri, scan);
    }
    // An editor waits on the log it shows; a small workspace log is read without notice.
    const shown = this.heldBy(uri, 'editor') || fs.statSync(scan.file).size >= PROGRESS_MIN_BYTES;
    const progress = shown ? await this.host.startProgress(`Log Forensics: reading ${path.basename(scan.file)}`) : undefined;
    let workers: WorkerReads | undefined;
    let cancelled = false;
    try {
      // Read for the first time: the later stretches are read by workers meanwhile.
      workers = fresh ? startWorkerReads(scan.file, recipe, this.host.jobs) : undefined;
      const threads = workers ? ` on ${this.host.jobs} threads` : '';
      for (const step of scan.read(workers?.firstCut)) {
        if (!current()) return;
        const end = workers?.firstCut ?? step.totalBytes;
        progress?.report(Math.floor((step.bytesRead / end) * 100), `${Math.round(step.bytesRead / MB)} of ${Math.round(end / MB)} MB${threads}, ${step.lines.toLocaleString('en')} lines`);
        await yieldToRequests();
        if (progress?.token.isCancellationRequested) {
          cancelled = true;
          break;
        }
      }
      if (workers && !cancelled && current()) {
        progress?.report(100, 'joining what the other threads read');
        scan.absorb(await workers.parts);
      } else if (!cancelled) {
        scan.trim();
      }
      if (!current()) return;
      const log = await this.publish(uri, scan);
      if (cancelled && log) {
        log.notes.push(`Reading stopped at ${Math.round(scan.bytesRead / MB)} MB (line ${log.parsed.lines.length}) when asked to; the rest of the file has no findings yet. Close and reopen the file to read it all.`);
        this.host.warn(`${path.basename(scan.file)}: reading cancelled after ${log.parsed.lines.length} lines.`);
      }
    } finally {
      workers?.stop();
      progress?.done();
    }
  }

  private async publish(uri: string, scan: LogFileScan): Promise<StoredLog | undefined> {
    const settings = await this.host.settingsFor(uri);
    // Opened in an editor meanwhile: the document's analysis is the one shown.
    if (this.host.isSynced(uri)) return undefined;
    const log = this.host.store.analyze(uri, -1, (context) => scan.result(context), settings, this.host.relativePath(uri));
    await this.host.publish(log);
    return log;
  }
}
