import * as fs from 'fs';
import * as path from 'path';
import { randomBytes } from 'crypto';

/** Bytes written per system call; a kill between calls leaves only the temporary file partial. */
const CHUNK = 1024 * 1024;

/** The temporary file's name: hidden, next to the target (same file system, so rename is atomic). */
function temporaryPath(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The mode to give the new file: the old file's, so a save does not change permissions. */
function modeFor(target: string): number {
  try {
    return fs.statSync(target).mode & 0o777;
  } catch {
    return 0o644;
  }
}

/** Flushes the folder entry after a rename; some systems cannot open or sync a folder. */
function syncFolderSync(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Windows and some network file systems refuse; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

async function syncFolder(folder: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(folder, 'r');
    await handle.sync();
  } catch {
    // As above: best effort.
  } finally {
    await handle?.close();
  }
}

function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
}

/** A whole document, or the pieces it is made of, read one after the other. */
export type Content = string | Uint8Array | Iterable<string | Uint8Array>;

function piecesOf(data: Content): Iterable<string | Uint8Array> {
  return typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
}

/**
 * Replaces `target` with `data` so that, whatever happens (a crash, a kill, a full disk), the
 * target holds either its old content or the complete new one: the data goes to a temporary file
 * in the same folder, is flushed to disk, and is renamed over the target; then the folder is
 * flushed. On failure the temporary file is removed and the error thrown. Pieces are encoded and
 * written one at a time, so a large export is never held whole.
 */
export function writeFileAtomicSync(target: string, data: Content): void {
  const temporary = temporaryPath(target);
  const fd = fs.openSync(temporary, 'wx', modeFor(target));
  try {
    try {
      for (const piece of piecesOf(data)) {
        const bytes = toBytes(piece);
        for (let offset = 0; offset < bytes.length;) {
          offset += fs.writeSync(fd, bytes, offset, Math.min(CHUNK, bytes.length - offset));
        }
      }
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
  syncFolderSync(path.dirname(target));
}

/**
 * `writeFileAtomicSync` without blocking: same guarantees. Between pieces the event loop runs, so
 * a server writing a large export still answers requests.
 */
export async function writeFileAtomic(target: string, data: Content): Promise<void> {
  const temporary = temporaryPath(target);
  const handle = await fs.promises.open(temporary, 'wx', modeFor(target));
  try {
    try {
      for (const piece of piecesOf(data)) {
        const bytes = toBytes(piece);
        for (let offset = 0; offset < bytes.length;) {
          const { bytesWritten } = await handle.write(bytes, offset, Math.min(CHUNK, bytes.length - offset));
          offset += bytesWritten;
        }
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, target);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(path.dirname(target));
}
