import * as zlib from 'zlib';
import { createHash } from 'crypto';
import { FileStat, LogFileSystem, nodeFileSystem } from '../files/fileSystem';

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
 * Reads a log file (through `fs`), decompressing gzip (by its magic bytes, whatever the name)
 * within a size bound. Never writes anything. Throws an Error whose message says what went wrong.
 */
export function readLogFile(file: string, maxMiB = DEFAULT_MAX_MIB, fs: LogFileSystem = nodeFileSystem): LogFileContent {
  const stat = statLogFile(file, maxMiB, fs);
  return decodeLogBytes(asBuffer(fs.readFile(file)), stat.mtimeMs, maxMiB);
}

/** Stats a log and refuses what cannot be read as one. */
function statLogFile(file: string, maxMiB: number, fs: LogFileSystem): FileStat {
  const stat = fs.stat(file);
  if (stat.isDirectory) throw new Error('is a directory');
  // A device (/dev/zero) never ends; a pipe is read as given (`<(zcat old.gz)`).
  if (!stat.isFile && !stat.isFIFO) throw new Error('is not a regular file');
  if (stat.size > maxMiB * 1024 * 1024) throw new Error(`is larger than ${maxMiB} MiB; refused (--max-size raises the limit)`);
  return stat;
}

/** A log's bytes as read from disk, with what identifies them as evidence. */
export interface LogEvidence extends LogFileContent {
  /** Size on disk (for gzip, compressed). */
  sizeBytes: number;
  /** The file's own mtime (not a gzip member's). */
  fileMtimeMs: number;
  /** SHA-256 of the bytes on disk, lower-case hex (for gzip, of the compressed file). */
  sha256: string;
}

/**
 * Reads a log like `readLogFile`, and hashes the very bytes it decodes, so the hash names the
 * evidence that was analysed even if the file changes meanwhile.
 */
export function readLogEvidence(file: string, maxMiB = DEFAULT_MAX_MIB, fs: LogFileSystem = nodeFileSystem): LogEvidence {
  const stat = statLogFile(file, maxMiB, fs);
  const bytes = asBuffer(fs.readFile(file));
  const content = decodeLogBytes(bytes, stat.mtimeMs, maxMiB);
  return { ...content, sizeBytes: bytes.length, fileMtimeMs: stat.mtimeMs, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The same bytes as a Buffer, not copied (the disk's reads already are one). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** Whether the bytes start with gzip's magic number. */
function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompresses a gzip log (every member) within the size bound, to be read as text or held as a
 * file in memory. Throws an Error whose message says what went wrong.
 */
export function gunzipLog(bytes: Uint8Array, maxMiB = DEFAULT_MAX_MIB): Buffer {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxMiB * 1024 * 1024 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test((error as Error).message)) {
      throw new Error(`decompresses to more than ${maxMiB} MiB; refused (--max-size raises the limit)`, { cause: error });
    }
    throw new Error(`is not a readable gzip file (${(error as Error).message})`, { cause: error });
  }
}

/** Decodes a log's bytes: gzip (by its magic bytes) within the size bound, else UTF-8. */
function decodeLogBytes(bytes: Buffer, fileMtimeMs: number, maxMiB: number): LogFileContent {
  if (isGzip(bytes)) {
    const member = gzipMemberMtime(bytes);
    return { text: gunzipLog(bytes, maxMiB).toString('utf8'), mtimeMs: member > 0 ? member * 1000 : fileMtimeMs, compressed: true };
  }
  return { text: bytes.toString('utf8'), mtimeMs: fileMtimeMs, compressed: false };
}
