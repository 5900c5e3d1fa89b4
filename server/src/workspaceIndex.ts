import * as path from 'path';
import { LogCoordinator, ReadProgress } from './logs/coordinator';
import { LogFileSystem } from './files/fileSystem';
import { DEFAULT_SCAN_LIMITS, isLogFileName, logUriOf, scanWorkspaceLogs } from './workspaceLogs';

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
  lastScan: { found: number; skipped: string[] } = { found: 0, skipped: [] };

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
    const raw = (await this.host.section()) as { workspace?: { index?: unknown; maxMiB?: unknown } } | undefined;
    const maxMiB = Number(raw?.workspace?.maxMiB);
    const limits = { ...DEFAULT_SCAN_LIMITS, ...(Number.isFinite(maxMiB) && maxMiB > 0 ? { maxBytes: maxMiB * 1024 * 1024 } : {}) };
    const notes: string[] = [];
    const files = raw?.workspace?.index !== false ? scanWorkspaceLogs(this.host.folders(), limits, notes) : [];
    const now = new Map(files.map((file) => [file.uri, file.path]));
    for (const uri of [...this.found.keys()]) {
      if (now.has(uri)) continue;
      this.found.delete(uri);
      this.host.logs.release(uri, 'workspace');
    }
    this.lastScan = { found: files.length, skipped: notes };
    this.host.log(`Workspace: ${files.length} log${files.length === 1 ? '' : 's'} found${notes.length ? `, ${notes.length} left out` : ''}.`);
    for (const note of notes) this.host.log(`  ${note}`);
    const progress = files.length > 0 ? await this.host.startProgress('Log Forensics: reading the workspace logs') : undefined;
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
    for (const file of files) {
      const uri = logUriOf(file);
      const known = this.found.has(uri);
      if (!known && !(isLogFileName(path.basename(file)) && this.inFolders(file))) {
        // A large log an editor shows from outside the workspace is read on too.
        this.host.logs.fileChanged(file);
        continue;
      }
      if (!this.exists(file)) {
        // Deleted, or no longer readable: it leaves the incident.
        this.found.delete(uri);
        this.host.logs.release(uri, 'workspace');
      } else if (!known) {
        this.found.set(uri, file);
        await this.host.logs.holdFile(uri, file, 'workspace');
      } else {
        this.host.logs.fileChanged(file);
      }
    }
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
