import * as fs from 'fs';
import * as path from 'path';
import { corpusFolder } from './paths';

/**
 * The folder of incident write-ups (`seeds/`, beside the corpus folder): admins' own accounts of
 * an outage, quoting the log lines that explained it. Undefined where it is absent; like the
 * corpus, never copied into the repository.
 */
export function seedsFolder(): string | undefined {
  const corpus = corpusFolder();
  if (!corpus) return undefined;
  const folder = path.join(corpus, '..', 'seeds');
  return fs.existsSync(folder) ? folder : undefined;
}

/** The text of one seed. */
export function seedText(folder: string, name: string): string {
  return fs.readFileSync(path.join(folder, name), 'utf8');
}

/** The lines of a seed that `pattern` finds, as the write-up quotes them (trimmed). */
export function seedLines(text: string, pattern: RegExp): string[] {
  return text
    .split(/\r?\n/)
    .filter((line) => pattern.test(line))
    .map((line) => line.trim());
}
