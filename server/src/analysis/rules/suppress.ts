/**
 * Suppressions: findings the user marked as expected ("this line is expected"). Each names the
 * log by its path relative to the workspace folder, the rule, and the line's exact text, so it
 * survives lines being added above and never matches a different line. Stored in
 * `.log-forensics/suppressions.json`, never in the log.
 */
export interface Suppression {
  file: string;
  ruleId: string;
  text: string;
  note?: string;
}

export interface SuppressionFile {
  version: 1;
  suppressions: Suppression[];
}

/** A set of suppressions ready for lookups. */
export class SuppressionSet {
  private readonly keys = new Set<string>();

  constructor(readonly entries: Suppression[] = []) {
    for (const entry of entries) this.keys.add(SuppressionSet.key(entry.file, entry.ruleId, entry.text));
  }

  private static key(file: string, ruleId: string, text: string): string {
    return `${file}\u0000${ruleId}\u0000${text}`;
  }

  get size(): number {
    return this.keys.size;
  }

  /** Whether the finding of `ruleId` on a line with `text` in `file` was marked as expected. */
  has(file: string, ruleId: string, text: string): boolean {
    return this.keys.size > 0 && this.keys.has(SuppressionSet.key(file, ruleId, text));
  }
}

/** Reads a suppressions file. Never throws: malformed content gives an empty list and a problem. */
export function parseSuppressions(text: string): { file: SuppressionFile; problems: string[] } {
  const empty: SuppressionFile = { version: 1, suppressions: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { file: empty, problems: [`not valid JSON: ${(error as Error).message}`] };
  }
  const list = (data as { suppressions?: unknown })?.suppressions;
  if (!Array.isArray(list)) return { file: empty, problems: ['expected an object with a "suppressions" list'] };
  const problems: string[] = [];
  const suppressions: Suppression[] = [];
  list.forEach((item: unknown, index) => {
    const entry = item as Partial<Suppression>;
    if (typeof entry?.file === 'string' && typeof entry.ruleId === 'string' && typeof entry.text === 'string') {
      suppressions.push({ file: entry.file, ruleId: entry.ruleId, text: entry.text, ...(typeof entry.note === 'string' ? { note: entry.note } : {}) });
    } else {
      problems.push(`suppression ${index + 1} needs "file", "ruleId" and "text" strings`);
    }
  });
  return { file: { version: 1, suppressions }, problems };
}

/** Adds a suppression (once) and returns the file's new JSON text, stably formatted. */
export function addSuppression(current: SuppressionFile, entry: Suppression): string {
  const exists = current.suppressions.some((s) => s.file === entry.file && s.ruleId === entry.ruleId && s.text === entry.text);
  const suppressions = exists ? current.suppressions : [...current.suppressions, entry];
  return `${JSON.stringify({ version: 1, suppressions }, null, 2)}\n`;
}
