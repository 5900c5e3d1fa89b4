import { IdentityIndex } from './analysis/identity/index';
import { StoredLog } from './logs/registry';

/** The logs the index is kept over. */
export interface IndexedLogs {
  uris(): string[];
  get(uri: string): StoredLog | undefined;
}

/**
 * Keeps the identity index (queue ids, message ids, addresses, …) of the open logs current.
 * Building it costs more than a parse, so it is brought up to date only when a request needs it,
 * and only for logs whose analysis changed since.
 */
/**
 * Logs with more lines are left out of the identity index: it is built in one go when a request
 * needs it (tens of seconds per million mail lines), which would freeze the editor on a log read
 * from disk of any size.
 */
export const IDENTITY_MAX_LINES = 500_000;

export class IdentityStore {
  private readonly index = new IdentityIndex();
  private readonly versions = new Map<string, unknown>();
  private readonly leftOut = new Set<string>();

  constructor(
    private readonly logs: IndexedLogs,
    private readonly warn: (message: string) => void = () => undefined,
  ) {}

  /** The index, refreshed for every log the store holds. */
  current(): IdentityIndex {
    const uris = new Set(this.logs.uris());
    for (const uri of [...this.versions.keys()]) {
      if (!uris.has(uri)) {
        this.index.removeLog(uri);
        this.versions.delete(uri);
      }
    }
    for (const uri of uris) {
      const log = this.logs.get(uri);
      if (!log || this.versions.get(uri) === log.parsed) continue;
      if (log.parsed.lines.length > IDENTITY_MAX_LINES) {
        if (this.versions.has(uri)) this.index.removeLog(uri);
        this.versions.set(uri, log.parsed);
        if (!this.leftOut.has(uri)) this.warn(`${uri} has ${log.parsed.lines.length} lines, more than ${IDENTITY_MAX_LINES}: its queue ids, message ids and addresses are left out of references and message traces.`);
        this.leftOut.add(uri);
        continue;
      }
      this.index.addLog(uri, log.parsed);
      this.versions.set(uri, log.parsed);
    }
    return this.index;
  }
}
