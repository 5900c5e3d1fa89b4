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
  /** The same instant as wall-clock time in that log's zone (`2010-11-08 16:50:38 -05:00`), as its lines read. */
  localTime: string;
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

/** Sent by the client to follow one message through every open log (queue ids, message ids). */
export interface TraceMessageParams {
  textDocument: TextDocumentIdentifier;
  position: Position;
}

/** One line of a message's life. */
export interface TraceItemDto {
  uri: string;
  range: Range;
  /** ISO 8601 UTC, or null when the line has no time. */
  time: string | null;
  /** What happened to the message on this line: received, queued, delivered, relayed, deferred, bounced, rejected, removed, other. */
  role: string;
  /** The key that joined this line to the trace, as `kind value`; absent on the starting line. */
  via?: string;
  text: string;
}

export interface TraceMessageResult {
  items: TraceItemDto[];
  /** Why the trace stopped early, or why it could not start. */
  note?: string;
}

/** Request `logForensics/traceMessage`: the life of the message on a line, across all open logs, in time order. */
export const TraceMessageRequest = new RequestType<TraceMessageParams, TraceMessageResult, void>('logForensics/traceMessage');
