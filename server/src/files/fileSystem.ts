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

function notFound(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${file}'`), { code: 'ENOENT' });
}

/**
 * Files held in memory, by `/`-separated absolute path: a decompressed gzip log read like a plain
 * one, and the test seam for everything that reads logs. Folders are implied by the files' paths.
 * Files can be replaced or appended to, as a log being written is.
 */
export class MemoryFileSystem implements LogFileSystem {
  private readonly files = new Map<string, { bytes: Uint8Array; mtimeMs: number }>();

  constructor(private readonly now: () => number = () => 0) {}

  /** Puts (or replaces) a file. */
  write(file: string, content: string | Uint8Array, mtimeMs = this.now()): void {
    this.files.set(file, { bytes: typeof content === 'string' ? Buffer.from(content, 'utf8') : content, mtimeMs });
  }

  /** Adds to the end of a file, as a daemon writing its log does. */
  append(file: string, content: string, mtimeMs = this.now()): void {
    const old = this.files.get(file)?.bytes ?? new Uint8Array(0);
    this.write(file, Buffer.concat([old, Buffer.from(content, 'utf8')]), mtimeMs);
  }

  remove(file: string): void {
    this.files.delete(file);
  }

  private isFolder(folder: string): boolean {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }

  stat(file: string): FileStat {
    const entry = this.files.get(file);
    if (entry) return { size: entry.bytes.length, mtimeMs: entry.mtimeMs, isFile: true, isDirectory: false, isFIFO: false };
    if (this.isFolder(file)) return { size: 0, mtimeMs: 0, isFile: false, isDirectory: true, isFIFO: false };
    throw notFound(file);
  }

  readdir(folder: string): FolderEntry[] {
    const prefix = folder.endsWith('/') ? folder : `${folder}/`;
    const names = new Map<string, boolean>();
    for (const file of this.files.keys()) {
      if (!file.startsWith(prefix)) continue;
      const rest = file.slice(prefix.length);
      const slash = rest.indexOf('/');
      names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0);
    }
    if (names.size === 0 && !this.files.has(folder)) throw notFound(folder);
    return [...names].map(([name, isFile]) => ({ name, isFile, isDirectory: !isFile }));
  }

  open(file: string): ReadHandle {
    if (!this.files.has(file)) throw notFound(file);
    // Reads see the file as it is at each call, as a descriptor on a growing file does.
    const current = () => this.files.get(file)?.bytes ?? new Uint8Array(0);
    return {
      read: (target, position) => {
        const bytes = current();
        const end = Math.min(bytes.length, position + target.length);
        if (end <= position) return 0;
        target.set(bytes.subarray(position, end));
        return end - position;
      },
      size: () => current().length,
      close: () => undefined,
    };
  }

  readFile(file: string): Uint8Array {
    const entry = this.files.get(file);
    if (!entry) throw notFound(file);
    return entry.bytes;
  }
}
