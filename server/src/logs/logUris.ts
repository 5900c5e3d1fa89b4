import { URI } from 'vscode-uri';

/**
 * The scheme of compressed logs opened read-only through the client's content provider: the
 * server names gzip logs by it, so the editor shows their text without writing it anywhere.
 */
export const GZIP_SCHEME = 'log-forensics-gz';

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
