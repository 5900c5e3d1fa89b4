import * as zlib from 'zlib';
import { LogFileSystem, MemoryFileSystem, nodeFileSystem } from '../files/fileSystem';
import { SourceTime } from './timeSettings';

/**
 * Logs (decompressed, for .gz) larger than this are refused by default: a small corrupt or hostile
 * .gz must not fill memory.
 */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** Where a log's bytes are read from, once it is known what kind of file holds them. */
export interface LogSource {
  /** The file system the reader reads `path` from: the disk, or memory for what had to be unpacked. */
  fs: LogFileSystem;
  path: string;
  /** `plain`: read in place, in chunks; `gzip` and `pipe`: their bytes were taken into memory first. */
  kind: 'plain' | 'gzip' | 'pipe' | 'document';
  /** When the log was last written, for the year of yearless stamps; undefined for an unsaved buffer. */
  written?: SourceTime;
}

/** A log that cannot be read; the message says why, for the user. */
export class LogSourceError extends Error {}

/** The mtime recorded in a gzip member header (seconds, little-endian at offset 4); 0 means none. */
export function gzipMemberMtime(bytes: Uint8Array): number {
  if (bytes.length < 10) return 0;
  return (bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24)) >>> 0;
}

function mib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${bytes} bytes`;
}

/** Unpacks a gzip log within the bound; the message names what went wrong. */
function gunzipBounded(bytes: Uint8Array, maxBytes: number): Buffer {
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|too large/i.test((error as Error).message)) {
      throw new LogSourceError(`decompresses to more than ${mib(maxBytes)}; refused`, { cause: error });
    }
    throw new LogSourceError(`is not a readable gzip file (${(error as Error).message})`, { cause: error });
  }
}

/**
 * The one place that tells a plain log from a compressed one or a pipe: a plain file is read in
 * place, in chunks; a gzip file (by its magic bytes, whatever its name) is unpacked into memory
 * within `maxBytes`, a pipe read to its end, and both are then read like a plain file from there.
 * Never writes to the source. Throws `LogSourceError` saying why a file cannot be read as a log.
 */
export function openLogSource(file: string, fs: LogFileSystem = nodeFileSystem, maxBytes = DEFAULT_MAX_BYTES): LogSource {
  const stat = fs.stat(file);
  if (stat.isDirectory) throw new LogSourceError('is a directory');
  // A device (/dev/zero) never ends; a pipe is read as given (`<(zcat old.gz)`).
  if (!stat.isFile && !stat.isFIFO) throw new LogSourceError('is not a regular file');
  if (stat.isFile) {
    const magic = new Uint8Array(2);
    const handle = fs.open(file);
    try {
      handle.read(magic, 0);
    } finally {
      handle.close();
    }
    const gzip = stat.size >= 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    if (!gzip) return { fs, path: file, kind: 'plain', written: { ms: stat.mtimeMs, fromGzip: false } };
    if (stat.size > maxBytes) throw new LogSourceError(`is larger than ${mib(maxBytes)}; refused`);
    const packed = fs.readFile(file);
    const member = gzipMemberMtime(packed);
    return inMemory(file, gunzipBounded(packed, maxBytes), 'gzip', member > 0 ? { ms: member * 1000, fromGzip: true } : { ms: stat.mtimeMs, fromGzip: false });
  }
  const bytes = fs.readFile(file);
  if (bytes.length > maxBytes) throw new LogSourceError(`holds more than ${mib(maxBytes)}; refused`);
  return inMemory(file, bytes, 'pipe', { ms: stat.mtimeMs, fromGzip: false });
}

/** A source whose bytes are held in memory under the file's own path. */
export function inMemory(file: string, bytes: Uint8Array, kind: LogSource['kind'], written?: SourceTime): LogSource {
  const memory = new MemoryFileSystem();
  memory.write(file, bytes, written?.ms ?? 0);
  return { fs: memory, path: file, kind, written };
}
