import { AnalyzedLog } from '../analysis/service';
import { LogFileScan } from '../files/logFileScan';
import { MemoryFileSystem } from '../files/fileSystem';

/**
 * Why a log is held: an editor syncs its text (`document`), an editor shows a file too large to
 * sync (`large`), or it is one of the workspace's logs (`workspace`). A log is let go when nothing
 * holds it any more.
 */
export type LogHolder = 'document' | 'large' | 'workspace';

/** A log the server has analysed, with what it was read with. */
export interface StoredLog extends AnalyzedLog {
  uri: string;
  /** The document version analysed; -1 for a log read from its file. */
  version: number;
  /** Why a setting was not honoured, what was left out: for the user. */
  notes: string[];
  /**
   * The rank of each group of its findings (`groupRanksSteps`), worked out in steps with the
   * result when it has more than `RANKED_FINDINGS`: what its diagnostics show first.
   */
  ranks?: ReadonlyMap<string, number>;
}

/**
 * Findings beyond which a log's groups are ranked with its result: the diagnostics' budget
 * (1,000 a file, `toLsp/diagnostics.ts`) less the most it gives input problems and notes, so a
 * log whose diagnostics show every finding is not ranked (ranking with the result added about
 * 20 MB to the peak of the bench's 1 M-line read, whose 772 findings all show). Where a log
 * with more notes still needs ranking, the diagnostics rank it themselves.
 */
export const RANKED_FINDINGS = 850;

/** One held log: why it is held, where it is read from, how far it is read. */
export interface HeldLog {
  uri: string;
  holders: Set<LogHolder>;
  /** The file behind the URI, when it has one (`file:` or the gzip scheme). */
  file?: string;
  /** The editor's text of the log while a `document` holder syncs it, as bytes to be read like a file. */
  text?: { fs: MemoryFileSystem; version: number };
  /** The reader, with the source it reads; replaced when the source changes (the editor closes it). */
  scan?: LogFileScan;
  /** The scan's source's time of writing, for the year of yearless stamps. */
  written?: { ms: number; fromGzip: boolean };
  stored?: StoredLog;
  /** The stored analysis is out of date with the settings or rules. */
  stale: boolean;
  /** Bumped whenever a read must stop where it is: a newer read took over. */
  generation: number;
  /** A read in steps is under way: what is stored is partial, and is not worked out again meanwhile. */
  reading?: boolean;
  /** Where a read the user cancelled stopped, as the log's note says, until a read ends whole. */
  stopped?: string;
  /** One read at a time: a scan's position is shared state. */
  queue: Promise<void>;
  /** Requests waiting for the log's next publication (a large document's first lines). */
  waiting?: (() => void)[];
}

/**
 * The size of the bytes a log's scan reads, when what it has read does not cover them all (a
 * read under way, or one stopped); else undefined. Throws when the source can no longer be looked at.
 */
export function unreadSizeOf(log: HeldLog): number | undefined {
  const scan = log.scan;
  if (!scan) return undefined;
  const size = scan.fs.stat(scan.file).size;
  return log.reading || scan.bytesRead < size ? size : undefined;
}

/** The logs held, by URI, and why each is held. */
export class LogRegistry {
  private readonly held = new Map<string, HeldLog>();

  get(uri: string): HeldLog | undefined {
    return this.held.get(uri);
  }

  /** Holds a log for `holder`; returns it (new or already held). */
  hold(uri: string, holder: LogHolder, file: string | undefined): HeldLog {
    let log = this.held.get(uri);
    if (!log) {
      log = { uri, holders: new Set(), file, stale: true, generation: 0, queue: Promise.resolve() };
      this.held.set(uri, log);
    }
    log.file ??= file;
    log.holders.add(holder);
    return log;
  }

  /** Lets go of a log for `holder`; true when nothing holds it any more (it is then forgotten). */
  release(uri: string, holder: LogHolder): boolean {
    const log = this.held.get(uri);
    if (!log) return false;
    log.holders.delete(holder);
    if (log.holders.size > 0) return false;
    log.generation++;
    log.scan?.close();
    this.held.delete(uri);
    return true;
  }

  all(): HeldLog[] {
    return [...this.held.values()];
  }

  uris(): string[] {
    return [...this.held.keys()];
  }
}
