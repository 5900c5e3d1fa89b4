import * as path from 'path';
import { LogCoordinator, ReadProgress } from './logs/coordinator';
import { LogFileSystem } from './files/fileSystem';
import { DEFAULT_SCAN_LIMITS, SkippedFile, findWorkspaceLogs, looksLikeLogFile } from './logs/discovery';
import { cleanWorkspaceLogSettings } from './settings';

/** How long the watcher waits for a burst of events (a copy, a rotation) to settle. */
const SETTLE_MS = 300;

/** What the index needs from around it. */
export interface WorkspaceIndexHost {
  logs: LogCoordinator;
  fs: LogFileSystem;
  folders(): string[];
  /** The raw `logForensics` section (for `workspace.index`, `maxMiB`). */
  section(): Promise<unknown>;
  startProgress(title: string): Promise<ReadProgress | undefined>;
  /** The output channel: what was found and what was skipped, and why. */
  log(message: string): void;
  schedule(task: () => void, ms: number): () => void;
}

/**
 * The workspace's logs, read from disk whether open or not, so correlation, references and the
 * timeline see every log of the incident. Scans the folders when asked (start, settings) and
 * follows the watcher's events for files that appear, change or go.
 */
export class WorkspaceIndex {
  private readonly found = new Map<string, string>();
  private queue: Promise<void> = Promise.resolve();
  private readonly changed = new Set<string>();
  private cancelSettle: (() => void) | undefined;
  /** What the last scan found and left out, for the timeline and the output channel. */
  lastScan: { found: number; skipped: SkippedFile[]; skippedCount: number } = { found: 0, skipped: [], skippedCount: 0 };

  constructor(private readonly host: WorkspaceIndexHost) {}

  has(uri: string): boolean {
    return this.found.has(uri);
  }

  /** Scans the workspace folders again and reads the logs found. */
  rescan(): Promise<void> {
    return this.enqueue(() => this.scanAll());
  }

  /** Files the watcher saw created, changed or deleted. */
  filesChanged(files: string[]): void {
    for (const file of files) this.changed.add(file);
    this.cancelSettle?.();
    this.cancelSettle = this.host.schedule(() => {
      const batch = [...this.changed];
      this.changed.clear();
      void this.enqueue(() => this.update(batch));
    }, SETTLE_MS);
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    this.queue = this.queue.then(task).catch((error: unknown) => this.host.log(`Reading the workspace logs failed: ${String(error)}`));
    return this.queue;
  }

  private async scanAll(): Promise<void> {
    const raw = await this.host.section();
    const workspace = (raw as { workspace?: { index?: unknown; maxMiB?: unknown } } | undefined)?.workspace;
    const maxMiB = Number(workspace?.maxMiB);
    const limits = { ...DEFAULT_SCAN_LIMITS, ...(Number.isFinite(maxMiB) && maxMiB > 0 ? { maxBytes: maxMiB * 1024 * 1024 } : {}) };
    const found = workspace?.index !== false ? findWorkspaceLogs(this.host.folders(), { ...cleanWorkspaceLogSettings(raw), limits }, this.host.fs) : { logs: [], skipped: [], skippedCount: 0 };
    const now = new Map(found.logs.map((log) => [log.uri, log.path]));
    for (const uri of [...this.found.keys()]) {
      if (now.has(uri)) continue;
      this.found.delete(uri);
      this.host.logs.release(uri, 'workspace');
    }
    this.lastScan = { found: found.logs.length, skipped: found.skipped, skippedCount: found.skippedCount };
    const byContent = found.logs.filter((log) => log.reason !== 'name').length;
    this.host.log(`Workspace: ${found.logs.length} log${found.logs.length === 1 ? '' : 's'} found${byContent ? ` (${byContent} by content or an include glob)` : ''}${found.skippedCount ? `, ${found.skippedCount} left out` : ''}.`);
    for (const log of found.logs) if (log.reason !== 'name') this.host.log(`  ${log.path}: a log by its ${log.reason === 'content' ? `first lines (${log.detail ?? ''})` : 'include glob'}`);
    for (const skipped of found.skipped) this.host.log(`  left out ${skipped.path}: ${skipped.reason}`);
    const progress = now.size > 0 ? await this.host.startProgress('Log Forensics: reading the workspace logs') : undefined;
    try {
      let done = 0;
      for (const [uri, file] of now) {
        this.found.set(uri, file);
        progress?.report(Math.floor((done++ / now.size) * 100), `${done} of ${now.size}: ${path.basename(file)}`);
        await this.host.logs.holdFile(uri, file, 'workspace');
      }
    } finally {
      progress?.done();
    }
  }

  private async update(files: string[]): Promise<void> {
    let rescan = false;
    for (const file of files) {
      const uri = [...this.found].find(([, known]) => known === file)?.[0];
      if (uri === undefined) {
        // A large log an editor shows from outside the workspace is read on too; a new file of
        // the workspace that reads as a log joins through a scan, which applies the limits and globs.
        this.host.logs.fileChanged(file);
        if (this.inFolders(file) && looksLikeLogFile(file, this.host.fs)) rescan = true;
      } else if (!this.exists(file)) {
        // Deleted, or no longer readable: it leaves the incident.
        this.found.delete(uri);
        this.host.logs.release(uri, 'workspace');
      } else {
        this.host.logs.fileChanged(file);
      }
    }
    if (rescan) await this.scanAll();
  }

  private exists(file: string): boolean {
    try {
      return this.host.fs.stat(file).isFile;
    } catch {
      return false;
    }
  }

  private inFolders(file: string): boolean {
    return this.host.folders().some((folder) => file.startsWith(folder + path.sep));
  }
}
