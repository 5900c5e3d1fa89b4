import * as path from 'path';
import { filePathOf } from './logs/logUris';

/** A log's path relative to the workspace folder holding it (`/`-separated), for file-glob settings. */
export function relativePathOf(uri: string, folders: readonly string[]): string | undefined {
  const file = filePathOf(uri);
  if (file === undefined) return undefined;
  const folder = folders.find((candidate) => file.startsWith(candidate + path.sep));
  return folder ? path.relative(folder, file).split(path.sep).join('/') : undefined;
}
