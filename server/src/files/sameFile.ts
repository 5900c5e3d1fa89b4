import * as fs from 'fs';
import * as path from 'path';

function real(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

/**
 * Whether two paths name the same file: the same path once links are resolved, or the same inode
 * (a hard link). An export must never be written over the evidence it was made from.
 */
export function sameFile(a: string, b: string): boolean {
  if (real(a) === real(b)) return true;
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}
