import * as fs from 'fs';
import * as zlib from 'zlib';

/** Decompressed logs larger than this are refused: a small corrupt or hostile .gz must not fill memory. */
export const MAX_GUNZIPPED_BYTES = 1024 * 1024 * 1024;

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
export function readLogFile(file: string): LogFileContent {
  const stat = fs.statSync(file);
  if (stat.isDirectory()) throw new Error('is a directory');
  const bytes = fs.readFileSync(file);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    let inflated: Buffer;
    try {
      inflated = zlib.gunzipSync(bytes, { maxOutputLength: MAX_GUNZIPPED_BYTES });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test((error as Error).message)) {
        throw new Error(`decompresses to more than ${MAX_GUNZIPPED_BYTES / 1024 / 1024} MiB; refused`, { cause: error });
      }
      throw new Error(`is not a readable gzip file (${(error as Error).message})`, { cause: error });
    }
    const member = gzipMemberMtime(bytes);
    return { text: inflated.toString('utf8'), mtimeMs: member > 0 ? member * 1000 : stat.mtimeMs, compressed: true };
  }
  return { text: bytes.toString('utf8'), mtimeMs: stat.mtimeMs, compressed: false };
}
