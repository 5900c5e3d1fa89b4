import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { ParsedRuleFile, RuleSource, parseRuleFile } from './analysis/rules/catalogue';

/**
 * The shipped catalogue's rule files already read (`parseRuleFile`), made by `scripts/build.mjs`
 * beside the bundles: reading the YAML of every shipped file costs each process, and each worker
 * thread, a good part of a second. The YAML stays the source of truth: a file is taken from the
 * snapshot only while its text is the one the snapshot was made from.
 */
export interface CatalogueSnapshot {
  files: { name: string; sha256: string; parsed: ParsedRuleFile }[];
}

/** The snapshot's file name, in the folder of the bundles (`dist/`). */
export const SNAPSHOT_FILE = 'catalogue.json';

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The snapshot of rule files, by file name; a file with problems is left out, to be read (and its problems told) when loaded. */
export function catalogueSnapshot(sources: readonly RuleSource[]): CatalogueSnapshot {
  const files: CatalogueSnapshot['files'] = [];
  for (const source of sources) {
    const parsed = parseRuleFile(source);
    if (parsed) files.push({ name: path.basename(source.source), sha256: digest(source.text), parsed });
  }
  return { files };
}

/** The snapshot beside the bundles, or undefined when there is none or it cannot be read (the YAML is read then). */
export function readCatalogueSnapshot(folder: string = __dirname): CatalogueSnapshot | undefined {
  try {
    const snapshot = JSON.parse(fs.readFileSync(path.join(folder, SNAPSHOT_FILE), 'utf8')) as CatalogueSnapshot;
    return Array.isArray(snapshot.files) ? snapshot : undefined;
  } catch {
    return undefined;
  }
}

/** The sources, each carrying its snapshot entry when the snapshot holds its file with this very text. */
export function withSnapshot(sources: readonly RuleSource[], snapshot: CatalogueSnapshot | undefined): RuleSource[] {
  if (!snapshot) return [...sources];
  const byName = new Map(snapshot.files.map((file) => [file.name, file]));
  return sources.map((source) => {
    const entry = byName.get(path.basename(source.source));
    return entry && (source.format ?? 'rules') === 'rules' && entry.sha256 === digest(source.text) ? { ...source, parsed: entry.parsed } : source;
  });
}
