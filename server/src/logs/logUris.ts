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

/** The file behind a log URI (either scheme, or a view of such a log); undefined for other schemes. */
export function filePathOf(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme === VIEW_SCHEME) {
    const origin = viewOriginOf(uri);
    return origin ? filePathOf(origin.uri) : undefined;
  }
  if (parsed.scheme === 'file') return parsed.fsPath;
  if (parsed.scheme === GZIP_SCHEME) return URI.file(parsed.path).fsPath;
  return undefined;
}

/**
 * The scheme of focused views: read-only documents holding a slice of a log (a time window),
 * however large the log, so that every editor feature reaches lines VS Code would not sync.
 */
export const VIEW_SCHEME = 'log-forensics-view';

/** What a focused view shows: which log, and which stretch of time (ISO 8601 instants). */
export interface ViewOrigin {
  uri: string;
  from: string;
  to: string;
}

/** The URI of a time-window view of a log; its path reads as the tab's title ("maillog 16:40–17:00"). */
export function viewUriOf(origin: ViewOrigin, title: string): string {
  const query = new URLSearchParams({ uri: origin.uri, from: origin.from, to: origin.to }).toString();
  return URI.from({ scheme: VIEW_SCHEME, path: `/${title}`, query }).toString();
}

/** The log and window a view URI shows; undefined for any other URI. */
export function viewOriginOf(uri: string): ViewOrigin | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== VIEW_SCHEME) return undefined;
  const query = new URLSearchParams(parsed.query);
  const origin = query.get('uri');
  const from = query.get('from');
  const to = query.get('to');
  return origin && from && to ? { uri: origin, from, to } : undefined;
}
