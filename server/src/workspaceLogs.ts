import * as fs from 'fs';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { readLogFile } from './cli/readLog';
import { plainLogStat } from './files/logFileScan';
import { isLogFileName } from './analysis/parse/logKind';

export { isLogFileName };

/**
 * The scheme of compressed logs opened read-only through the client's content provider: the
 * server names `.gz` logs by it, so the editor shows their text without writing it anywhere.
 */
export const GZIP_SCHEME = 'log-forensics-gz';

/** Folders never searched for logs: tools' output and caches, version control, the product's own state. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.log-forensics', '.vscode', '.vscode-test', 'out', 'dist']);

/** Limits on what the workspace index reads, so a huge workspace cannot exhaust memory. */
export interface WorkspaceScanLimits {
  maxFiles: number;
  /** Total bytes of text (after decompression). */
  maxBytes: number;
  maxDepth: number;
}

export const DEFAULT_SCAN_LIMITS: WorkspaceScanLimits = { maxFiles: 200, maxBytes: 256 * 1024 * 1024, maxDepth: 6 };

/** A log found in the workspace, not necessarily open in the editor. */
export interface WorkspaceLogFile {
  /** `file:` URI, or `log-forensics-gz:` for compressed logs. */
  uri: string;
  path: string;
  /** The decompressed text of a gzip log; undefined for a plain log, read from disk in chunks. */
  text?: string;
  mtimeMs: number;
  compressed: boolean;
}

/**
 * The URI under which the product knows a log file: gzip files (by name, unless the caller read
 * the magic bytes) get the read-only scheme.
 */
export function logUriOf(filePath: string, compressed = filePath.endsWith('.gz')): string {
  return compressed ? URI.from({ scheme: GZIP_SCHEME, path: URI.file(filePath).path }).toString() : URI.file(filePath).toString();
}

/** The file behind a log URI (either scheme); undefined for other schemes. */
export function filePathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme === 'file') return parsed.fsPath;
  if (parsed.scheme === GZIP_SCHEME) return URI.file(parsed.path).fsPath;
  return undefined;
}

/**
 * Finds log files under the workspace folders (not following symbolic links into loops, skipping
 * tool folders) and reads them, decompressing gzip in memory. Stops at the limits and says so in
 * `notes`. Never writes anything.
 */
export function scanWorkspaceLogs(folders: string[], limits: WorkspaceScanLimits, notes: string[], onProgress?: (done: number, path: string) => void): WorkspaceLogFile[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    if (found.length >= limits.maxFiles * 4) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (depth < limits.maxDepth && !SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) visit(full, depth + 1);
      } else if (entry.isFile() && isLogFileName(entry.name)) {
        found.push(full);
      }
    }
  };
  for (const folder of folders) visit(folder, 0);
  const logs: WorkspaceLogFile[] = [];
  let bytes = 0;
  for (const file of found) {
    if (logs.length >= limits.maxFiles) {
      notes.push(`Only the first ${limits.maxFiles} logs of the workspace are indexed; open others to include them.`);
      break;
    }
    let log: WorkspaceLogFile;
    try {
      const plain = plainLogStat(file);
      if (plain) {
        // Read later, from disk in chunks: only its size counts here.
        bytes += plain.size;
        log = { uri: logUriOf(file), path: file, mtimeMs: plain.mtimeMs, compressed: false };
      } else {
        const content = readLogFile(file, Math.max(1, Math.floor((limits.maxBytes - bytes) / 1024 / 1024)));
        bytes += content.text.length;
        log = { uri: logUriOf(file), path: file, text: content.text, mtimeMs: content.mtimeMs, compressed: content.compressed };
      }
    } catch (error) {
      notes.push(`${file}: ${(error as Error).message}; left out of the workspace index.`);
      continue;
    }
    if (bytes > limits.maxBytes) {
      notes.push(`The workspace index stops at ${Math.round(limits.maxBytes / 1024 / 1024)} MiB of logs; ${file} and later files are left out (open them to include them).`);
      break;
    }
    logs.push(log);
    onProgress?.(logs.length, file);
  }
  return logs;
}
