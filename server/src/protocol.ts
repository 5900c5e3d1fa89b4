/**
 * Custom messages between the Log Forensics client and server, declared once here.
 * Any LSP client may send these; the VS Code client uses them for its commands.
 */
import { NotificationType, Position, Range, RequestType, TextDocumentIdentifier } from 'vscode-languageserver-protocol';

/** Sent by the client to list what every open log recorded around the moment of a line. */
export interface CorrelateParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
  /** Half-width of the window; defaults to the `logForensics.correlation.windowSeconds` setting. */
  windowSeconds?: number;
}

/** One log entry near the moment asked about. */
export interface CorrelatedEntryDto {
  uri: string;
  range: Range;
  /** ISO 8601, UTC. */
  time: string;
  deltaSeconds: number;
  text: string;
}

export interface CorrelateResult {
  /** ISO 8601 UTC instant of the line asked about. */
  center: string;
  windowSeconds: number;
  entries: CorrelatedEntryDto[];
  /** True when the list was cut to the entries nearest the centre. */
  truncated: boolean;
}

/** Request `logForensics/correlate`: the entries of all open logs within ± a window of a line's time. */
export const CorrelateRequest = new RequestType<CorrelateParams, CorrelateResult, void>('logForensics/correlate');

/** Sent by the client once the user trusts the workspace, so workspace rule files may be loaded. */
export const WorkspaceTrustedNotification = new NotificationType<void>('logForensics/workspaceTrusted');

/** What the client tells the server at start-up (`initializationOptions`). */
export interface InitializationOptions {
  /** Whether the workspace is trusted; in restricted mode only the shipped rules are loaded. */
  trusted?: boolean;
}
