import * as fs from 'fs';
import * as zlib from 'zlib';

/**
 * Logs (decompressed, for .gz) larger than this many MiB are refused by default: a small corrupt
 * or hostile .gz must not fill memory. It is also about the longest string the runtime can hold.
 */
export const DEFAULT_MAX_MIB = 512;

/** A log's text and the moment it was last written, as far as the file tells. */
export interface LogFileContent {
  text: string;
  /** For a gzip file, the member's own mtime when it records one; else the file's mtime. */
  mtimeMs: number;
  compressed: boolean;
}

/** The mtime recorded in a gzip member header (seconds, little-endian at offset 4); 0 means none. */
export function gzipMemberMtime(bytes: Uint8Array): number {
  if (bytes.length < 10) return 0;
  return (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0;
}

/**
 * Reads a log file, decompressing gzip (by its magic bytes, whatever the name) within a size
 * bound. Never writes anything. Throws an Error whose message says what went wrong.
 */
export function readLogFile(file: string, maxMiB = DEFAULT_MAX_MIB): LogFileContent {
  const maxBytes = maxMiB * 1024 * 1024;
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new Error('is a directory');
  // A device (/dev/zero) never ends; a pipe is read as given (`<(zcat old.gz)`).
  if (!stat.isFile() && !stat.isFIFO()) throw new Error('is not a regular file');
  if (stat.size > maxBytes) throw new Error(`is larger than ${maxMiB} MiB; refused (--max-size raises the limit)`);
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test((error as Error).message)) {
        throw new Error(`decompresses to more than ${maxMiB} MiB; refused (--max-size raises the limit)`, { cause: error });
      }
      throw new Error(`is not a readable gzip file (${(error as Error).message})`, { cause: error });
    }
    const member = gzipMemberMtime(bytes);
    return { text: inflated.toString('utf8'), mtimeMs: member > 0 ? member * 1000 : stat.mtimeMs, compressed: true };
  }
  return { text: bytes.toString('utf8'), mtimeMs: stat.mtimeMs, compressed: false };
}
