import { URI } from 'vscode-uri';
import { ViewSpec, specFields, specOfFields } from '../analysis/views/spec';

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
 * The scheme of focused views: read-only documents holding some of a log's lines (a time window,
 * the findings with context, one program or host, the log without its routine runs),
 * however large the log, so that every editor feature reaches lines VS Code would not sync.
 */
export const VIEW_SCHEME = 'log-forensics-view';

/** What a focused view shows: which log, and which of its lines (`analysis/views/spec.ts`). */
export interface ViewOrigin {
  uri: string;
  view: ViewSpec;
}

/** The URI of a view of a log; its path reads as the tab's title ("maillog 16:40–17:00"). */
export function viewUriOf(origin: ViewOrigin, title: string): string {
  const query = new URLSearchParams({ uri: origin.uri, ...specFields(origin.view) }).toString();
  return URI.from({ scheme: VIEW_SCHEME, path: `/${title}`, query }).toString();
}

/** The log and lines a view URI shows; undefined for any other URI. */
export function viewOriginOf(uri: string): ViewOrigin | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme !== VIEW_SCHEME) return undefined;
  const query = new URLSearchParams(parsed.query);
  const origin = query.get('uri');
  const view = specOfFields((name) => query.get(name));
  return origin && view ? { uri: origin, view } : undefined;
}
