import * as path from 'path';
import * as zlib from 'zlib';
import { FolderEntry, LogFileSystem, nodeFileSystem } from '../files/fileSystem';
import { SNIFF_BYTES, binaryReason, isLogFileName, sniffLog } from '../analysis/parse/logKind';
import { GlobMatcher, compileGlob } from '../analysis/time/glob';
import { logUriOf } from './logUris';

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

/** What decides which files of the workspace folders are logs. */
export interface DiscoveryOptions {
  /** Globs (relative to the folder, `/`-separated) of files taken as logs whatever they hold. */
  include: string[];
  /** Globs of files never taken; they win over names, content and `include`. */
  exclude: string[];
  limits: WorkspaceScanLimits;
}

/** Why a file was taken: its name, its first lines, or an `include` glob. */
export type FoundBy = 'name' | 'content' | 'include';

/** A log found in the workspace folders; its text is read later, by the pipeline. */
export interface DiscoveredLog {
  path: string;
  /** `file:` URI, or `log-forensics-gz:` for a gzip file (by its magic bytes, whatever its name). */
  uri: string;
  reason: FoundBy;
  compressed: boolean;
  /** What the content sniff counted (`48 of 50 lines stamped`), for a log found by its content. */
  detail?: string;
  /** Bytes of text: the file's size, or for gzip the size its trailer records. */
  textBytes: number;
  mtimeMs: number;
}

/** A file that could have been a log and was refused, with why in words for the user. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** The logs of the workspace folders, and what was left out. */
export interface WorkspaceDiscovery {
  logs: DiscoveredLog[];
  /** The first `MAX_SKIPPED_LISTED` files refused. */
  skipped: SkippedFile[];
  /** How many were refused in all. */
  skippedCount: number;
}

/** Refused files listed by name; the rest are only counted. */
export const MAX_SKIPPED_LISTED = 50;

/**
 * Files without a log name whose start is read, at most: 16 KB each, so a large repository
 * costs some 30 MB of reads at worst before the rest is left to names and `include`.
 */
export const MAX_SNIFFED_FILES = 2000;

/** Bytes of a gzip file inflated to sniff it: deflate packs at most about 1,000 to 1, so this never inflates beyond 4 MiB. */
const GZIP_PREFIX_BYTES = 4096;
const GZIP_MAX_INFLATED = GZIP_PREFIX_BYTES * 1032;

/**
 * Extensions of files whose content is never a log (source code, documents, media, archives
 * other than gzip): they are taken only by `include`, so that a repository's sources do not use
 * up `MAX_SNIFFED_FILES`. Journal JSON, text and CSV dumps are sniffed.
 */
const NEVER_LOG_EXTENSION = /\.(?:[cm]?[jt]sx?|py|rb|go|rs|java|kt|scala|c|cc|cpp|h|hpp|cs|php|swift|sh|ps1|md|rst|html?|css|scss|xml|ya?ml|toml|ini|lock|map|svg|png|jpe?g|gif|bmp|ico|webp|pdf|zip|7z|rar|tar|bz2|xz|zst|jar|class|so|o|a|dll|exe|wasm|node|woff2?|ttf|otf|mp[34]|wav|mov|avi|pyc|sqlite|db)$/i;

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
}

/**
 * Whether one file is a log as the workspace scan decides: its name, else its first 16 KB (a gzip
 * file's inflated), binary refused. For a file the watcher saw appear, and a large file an editor
 * shows; never reads more than the start.
 */
export function looksLikeLogFile(file: string, fs: LogFileSystem = nodeFileSystem): boolean {
  try {
    const stat = fs.stat(file);
    if (!stat.isFile || stat.size === 0) return false;
    const start = readStart(fs, file, stat.size);
    if (isLogFileName(path.basename(file))) return binaryReason(start.text) === undefined;
    return sniffLog(start.text, start.complete).log;
  } catch {
    return false;
  }
}

/** A file's first bytes as text, and whether they are all of it. */
interface FileStart {
  text: string;
  complete: boolean;
  compressed: boolean;
  /** Bytes of text in the whole file (for gzip, from its trailer). */
  textBytes: number;
}

/**
 * Reads the start of a file: `SNIFF_BYTES` of a plain one, or the text a gzip file's first
 * `GZIP_PREFIX_BYTES` inflate to. Throws as the file system does, or for a broken gzip.
 */
function readStart(fs: LogFileSystem, file: string, size: number): FileStart {
  const handle = fs.open(file);
  try {
    const head = new Uint8Array(Math.min(size, SNIFF_BYTES));
    const read = handle.read(head, 0);
    if (read < 2 || head[0] !== 0x1f || head[1] !== 0x8b) {
      return { text: Buffer.from(head.buffer, 0, read).toString('utf8'), complete: read >= size, compressed: false, textBytes: size };
    }
    // The trailer's last four bytes are the inflated size modulo 4 GiB (of the last member only).
    const trailer = new Uint8Array(4);
    const textBytes = size >= 18 && handle.read(trailer, size - 4) === 4 ? Buffer.from(trailer).readUInt32LE(0) : 0;
    const prefix = head.subarray(0, Math.min(read, GZIP_PREFIX_BYTES));
    let inflated: Buffer;
    try {
      inflated = zlib.gunzipSync(prefix, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: GZIP_MAX_INFLATED });
    } catch (error) {
      throw new Error(`not a readable gzip file (${(error as Error).message})`, { cause: error });
    }
    const whole = size <= GZIP_PREFIX_BYTES && inflated.length <= SNIFF_BYTES;
    return { text: inflated.subarray(0, SNIFF_BYTES).toString('utf8'), complete: whole, compressed: true, textBytes };
  } finally {
    handle.close();
  }
}

function compileGlobs(globs: readonly string[]): { glob: string; matcher: GlobMatcher }[] {
  return globs.map((glob) => ({ glob, matcher: compileGlob(glob) }));
}

/**
 * Finds the logs under the workspace folders: files whose name says log (`maillog.2.gz`), files
 * no name rule matches whose first 16 KB read as a log (`relay-maillog`), and files an `include`
 * glob names; never what an `exclude` glob names. Skips tool folders (`node_modules`, `.git`,
 * `out`, …) and hidden folders, goes no deeper than `limits.maxDepth`, takes at most
 * `limits.maxFiles` logs and `limits.maxBytes` of text, and follows no symbolic link (so no
 * loop). Reads only each candidate's first bytes, never a whole log; writes nothing. `skipped`
 * lists files that could have been logs and were refused (excluded, binary, too large,
 * unreadable, beyond the limits), not every file that is not a log.
 */
export function findWorkspaceLogs(folders: readonly string[], options: DiscoveryOptions, fs: LogFileSystem = nodeFileSystem): WorkspaceDiscovery {
  const { limits } = options;
  const include = compileGlobs(options.include);
  const exclude = compileGlobs(options.exclude);
  const logs: DiscoveredLog[] = [];
  const skipped: SkippedFile[] = [];
  let skippedCount = 0;
  let textBytes = 0;
  let sniffed = 0;
  const skip = (file: string, reason: string): void => {
    skippedCount++;
    if (skipped.length < MAX_SKIPPED_LISTED) skipped.push({ path: file, reason });
  };

  const take = (file: string, start: FileStart, mtimeMs: number, reason: FoundBy, detail?: string): void => {
    if (start.textBytes > limits.maxBytes) return skip(file, `too large (${mib(start.textBytes)} of text; the workspace index reads at most ${mib(limits.maxBytes)})`);
    if (logs.length >= limits.maxFiles) return skip(file, `limits reached: the workspace index holds at most ${limits.maxFiles} logs`);
    if (textBytes + start.textBytes > limits.maxBytes) return skip(file, `limits reached: the workspace index reads at most ${mib(limits.maxBytes)} of logs in all`);
    textBytes += start.textBytes;
    const log: DiscoveredLog = { path: file, uri: logUriOf(file, start.compressed), reason, compressed: start.compressed, textBytes: start.textBytes, mtimeMs };
    if (detail !== undefined) log.detail = detail;
    logs.push(log);
  };

  const consider = (file: string, relative: string, name: string): void => {
    const byName = isLogFileName(name);
    const included = include.some(({ matcher }) => matcher.test(relative));
    const excludedBy = exclude.find(({ matcher }) => matcher.test(relative));
    const candidate = byName || included;
    if (excludedBy) {
      if (candidate) skip(file, `excluded by "${excludedBy.glob}"`);
      return;
    }
    if (!candidate) {
      if (name.startsWith('.') || NEVER_LOG_EXTENSION.test(name)) return;
      if (sniffed >= MAX_SNIFFED_FILES) {
        // Said once, at the first file left unread.
        if (sniffed++ === MAX_SNIFFED_FILES) skip(file, `limits reached: only the first ${MAX_SNIFFED_FILES} files without a log name are looked into`);
        return;
      }
      sniffed++;
    }
    let start: FileStart;
    let mtimeMs: number;
    try {
      const stat = fs.stat(file);
      mtimeMs = stat.mtimeMs;
      if (!candidate && stat.size === 0) return;
      start = readStart(fs, file, stat.size);
    } catch (error) {
      return skip(file, `unreadable (${errorCode(error)})`);
    }
    if (byName) {
      const binary = binaryReason(start.text);
      return binary && !included ? skip(file, binary) : take(file, start, mtimeMs, 'name');
    }
    if (included) return take(file, start, mtimeMs, 'include');
    const sniff = sniffLog(start.text, start.complete);
    if (sniff.log) take(file, start, mtimeMs, 'content', sniff.reason);
  };

  const visit = (dir: string, relative: string, depth: number): void => {
    let entries: FolderEntry[];
    try {
      entries = fs.readdir(dir);
    } catch (error) {
      return skip(dir, `unreadable folder (${errorCode(error)})`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const inner = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory) {
        if (SKIPPED_FOLDERS.has(entry.name) || entry.name.startsWith('.')) continue;
        if (depth >= limits.maxDepth) skip(full, `limits reached: folders deeper than ${limits.maxDepth} are not searched`);
        else visit(full, inner, depth + 1);
      } else if (entry.isFile) consider(full, inner, entry.name);
    }
  };

  for (const folder of folders) visit(folder, '', 0);
  return { logs, skipped, skippedCount };
}
