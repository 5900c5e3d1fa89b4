import * as fs from 'fs';

/** What a log reader needs to know of a file. */
export interface FileStat {
  size: number;
  mtimeMs: number;
  isFile: boolean;
  isDirectory: boolean;
  /** A named pipe (`<(zcat old.gz)`): read as given, never seeked. */
  isFIFO: boolean;
}

/** One entry of a folder listing. */
export interface FolderEntry {
  name: string;
  isFile: boolean;
  isDirectory: boolean;
}

/** An open file, read at positions; never written. */
export interface ReadHandle {
  /** Fills `target` from `position`; returns the bytes read (fewer only at the end of the file). */
  read(target: Uint8Array, position: number): number;
  size(): number;
  close(): void;
}

/**
 * The file system as the log pipeline sees it: read-only, synchronous, by path. The server, the
 * CLI and the report read logs through it; tests give it an in-memory one. Errors are thrown as
 * Node's are (`code` ENOENT, EACCES, EISDIR, …), so callers name them the same way.
 */
export interface LogFileSystem {
  stat(file: string): FileStat;
  readdir(folder: string): FolderEntry[];
  open(file: string): ReadHandle;
  /** The whole file (bounded by the caller, who checked its size). */
  readFile(file: string): Uint8Array;
}

function statOf(stat: fs.Stats): FileStat {
  return { size: stat.size, mtimeMs: stat.mtimeMs, isFile: stat.isFile(), isDirectory: stat.isDirectory(), isFIFO: stat.isFIFO() };
}

/** The machine's file system, only ever opened for reading. */
export const nodeFileSystem: LogFileSystem = {
  stat: (file) => statOf(fs.statSync(file)),
  readdir: (folder) => fs.readdirSync(folder, { withFileTypes: true }).map((entry) => ({ name: entry.name, isFile: entry.isFile(), isDirectory: entry.isDirectory() })),
  open(file) {
    const fd = fs.openSync(file, 'r');
    return {
      read(target, position) {
        let filled = 0;
        while (filled < target.length) {
          const read = fs.readSync(fd, target, filled, target.length - filled, position + filled);
          if (read === 0) break;
          filled += read;
        }
        return filled;
      },
      size: () => fs.fstatSync(fd).size,
      close: () => fs.closeSync(fd),
    };
  },
  readFile: (file) => fs.readFileSync(file),
};

function fileError(code: string, what: string, file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${what}, '${file}'`), { code });
}

/** A file held in memory; replacing its content keeps the object, as truncating keeps an inode. */
interface MemoryFile {
  bytes: Uint8Array;
  mtimeMs: number;
}

/**
 * Files held in memory, by `/`-separated absolute path: a decompressed gzip log read like a plain
 * one, and the test seam for everything that reads logs. Folders are implied by the files' paths.
 * Files can be replaced or appended to, as a log being written is.
 */
export class MemoryFileSystem implements LogFileSystem {
  private readonly files = new Map<string, MemoryFile>();

  constructor(private readonly now: () => number = () => 0) {}

  /** Puts (or replaces) a file. The bytes are held as given, not copied. */
  write(file: string, content: string | Uint8Array, mtimeMs = this.now()): void {
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    const entry = this.files.get(file);
    if (!entry) {
      this.files.set(file, { bytes, mtimeMs });
      return;
    }
    entry.bytes = bytes;
    entry.mtimeMs = mtimeMs;
  }

  /** Adds to the end of a file (creating it), as a daemon writing its log does. */
  append(file: string, content: string | Uint8Array, mtimeMs = this.now()): void {
    const old = this.files.get(file)?.bytes ?? new Uint8Array(0);
    this.write(file, Buffer.concat([old, typeof content === 'string' ? Buffer.from(content, 'utf8') : content]), mtimeMs);
  }

  /** Removes a file's name; handles already open still read what it held, as on disk. */
  remove(file: string): void {
    this.files.delete(file);
  }

  private isFolder(folder: string): boolean {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  private entry(file: string): MemoryFile {
    const entry = this.files.get(file);
    if (entry) return entry;
    if (this.isFolder(file)) throw fileError('EISDIR', 'illegal operation on a directory', file);
    throw fileError('ENOENT', 'no such file or directory', file);
  }

  stat(file: string): FileStat {
    const entry = this.files.get(file);
    if (entry) return { size: entry.bytes.length, mtimeMs: entry.mtimeMs, isFile: true, isDirectory: false, isFIFO: false };
    if (this.isFolder(file)) return { size: 0, mtimeMs: 0, isFile: false, isDirectory: true, isFIFO: false };
    throw fileError('ENOENT', 'no such file or directory', file);
  }

  readdir(folder: string): FolderEntry[] {
    if (this.files.has(folder)) throw fileError('ENOTDIR', 'not a directory', folder);
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    const names = new Map<string, boolean>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0);
    }
    if (names.size === 0) throw fileError('ENOENT', 'no such file or directory', folder);
    return [...names].map(([name, isFile]) => ({ name, isFile, isDirectory: !isFile }));
  }

  open(file: string): ReadHandle {
    // Reads see the file as it is at each call, as a descriptor on a growing file does.
    const entry = this.entry(file);
    return {
      read: (target, position) => {
        const end = Math.min(entry.bytes.length, position + target.length);
        if (end <= position) return 0;
        target.set(entry.bytes.subarray(position, end));
        return end - position;
      },
      size: () => entry.bytes.length,
      close: () => undefined,
    };
  }

  readFile(file: string): Uint8Array {
    return this.entry(file).bytes;
  }
}
