import { IdentityIndex } from './analysis/identity/index';
import { LogStore } from './logStore';

/**
 * Keeps the identity index (queue ids, message ids, addresses, …) of the open logs current.
 * Building it costs more than a parse, so it is brought up to date only when a request needs it,
 * and only for logs whose analysis changed since.
 */
export class IdentityStore {
  private readonly index = new IdentityIndex();
  private readonly versions = new Map<string, unknown>();

  constructor(private readonly logs: LogStore) {}

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
      this.index.addLog(uri, log.parsed);
      this.versions.set(uri, log.parsed);
    }
    return this.index;
  }
}
