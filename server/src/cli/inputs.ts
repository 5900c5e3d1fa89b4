import * as fs from 'fs';
import * as path from 'path';
import { LogFileSystem, MemoryFileSystem, nodeFileSystem } from '../files/fileSystem';
import { DEFAULT_SCAN_LIMITS, findWorkspaceLogs } from '../logs/discovery';
import { STANDARD_INPUT } from './args';

/** An input that could not be read: the CLI names it and exits with status 2. */
export class InputError extends Error {}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    // What cannot be stat'ed is named by the reader, with why.
    return false;
  }
}

/** The logs discovery finds in a folder, in name order; what it left out is told to `warn`. */
function logsIn(folder: string, warn: (line: string) => void): string[] {
  const found = findWorkspaceLogs([folder], { include: [], exclude: [], limits: DEFAULT_SCAN_LIMITS });
  for (const { path: file, reason } of found.skipped) warn(`${file}: skipped: ${reason}`);
  const unlisted = found.skippedCount - found.skipped.length;
  if (unlisted > 0) warn(`${folder}: ${unlisted} more file(s) skipped`);
  if (found.logs.length === 0) throw new InputError(`${folder}: no logs found in this folder`);
  return found.logs.map((log) => log.path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The logs the FILE arguments name: a folder stands for the logs found in it (as the editor's
 * workspace scan finds them), and a log named twice is read once. Throws `InputError` for a
 * folder holding no log.
 */
export function expandFolders(files: readonly string[], warn: (line: string) => void): string[] {
  const seen = new Set<string>();
  const logs: string[] = [];
  for (const file of files) {
    for (const log of file !== STANDARD_INPUT && isFolder(file) ? logsIn(file, warn) : [file]) {
      const key = log === STANDARD_INPUT ? log : path.resolve(log);
      if (seen.has(key)) continue;
      seen.add(key);
      logs.push(log);
    }
  }
  return logs;
}

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MiB`;
}

/** When standard input was written: a redirected file's mtime (`- < messages`), else now (a pipe). */
function standardInputWritten(): number {
  try {
    const stat = fs.fstatSync(0);
    return stat.isFile() ? stat.mtimeMs : Date.now();
  } catch {
    return Date.now();
  }
}

/**
 * Reads standard input to its end, within `maxBytes`, into memory under the name `-`, so the log
 * reader takes it like a pipe (plain text, or gzip by its magic bytes). Throws `InputError` when
 * it holds more.
 */
export async function readStandardInput(maxBytes: number): Promise<MemoryFileSystem> {
  if (process.stdin.isTTY) process.stderr.write('log-forensics: reading the log from standard input; end it with Ctrl-D\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      process.stdin.destroy();
      throw new InputError(`${STANDARD_INPUT}: standard input holds more than ${mib(maxBytes)}; refused (see --max-size)`);
    }
    chunks.push(chunk);
  }
  const memory = new MemoryFileSystem();
  memory.write(STANDARD_INPUT, Buffer.concat(chunks), standardInputWritten());
  return memory;
}

/** Where each input is read from: standard input from memory, every other log from disk. */
export function fileSystemFor(file: string, standardInput: LogFileSystem | undefined): LogFileSystem {
  return file === STANDARD_INPUT && standardInput ? standardInput : nodeFileSystem;
}
