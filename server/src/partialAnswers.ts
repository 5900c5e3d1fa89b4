import { StoredLog } from './logs/registry';

/** Answers a client keeps until told to ask again: semantic tokens and folding ranges. */
export type KeptAnswer = 'tokens' | 'folding';

/**
 * The kept answers given from a reading of a log's first lines only (a large document is read in
 * steps, and a request is answered once its first lines are): when a later reading of the log is
 * published, the client is asked to fetch them again, so colours and folds reach the whole file.
 */
export class PartialAnswers {
  private readonly given = new Map<KeptAnswer, Map<string, StoredLog>>();

  /** `refresh` asks the client to fetch every kept answer of a kind again (where it can). */
  constructor(private readonly refresh: (kind: KeptAnswer) => void) {}

  /** An answer was given from `log`; `partial` when the reading covers only part of its source. */
  answered(kind: KeptAnswer, log: StoredLog, partial: boolean): void {
    const given = this.given.get(kind) ?? new Map<string, StoredLog>();
    this.given.set(kind, given);
    if (partial) given.set(log.uri, log);
    else given.delete(log.uri);
  }

  /** A reading of `uri` was published (`undefined`: the log was let go). */
  published(uri: string, log: StoredLog | undefined): void {
    for (const [kind, given] of this.given) {
      const from = given.get(uri);
      if (!from || from === log) continue;
      given.delete(uri);
      if (log) this.refresh(kind);
    }
  }
}
