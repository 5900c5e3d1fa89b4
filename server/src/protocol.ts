/**
 * Custom messages between the Log Forensics client and server, declared once here.
 * Any LSP client may send these; the VS Code client uses them for its commands.
 */
import { NotificationType, Position, Range, RequestType, TextDocumentIdentifier } from 'vscode-languageserver-protocol';
import type { ViewKind, ViewSpec, ViewSpecInput } from './analysis/views/spec';
import type { RhythmKind } from './analysis/triage/rhythm';
import type { TriageGroup } from './analysis/triage/triage';

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
  /** The host that wrote the entry, when its header names one. */
  host?: string;
  text: string;
}

/** One log's part in the answer, for showing the entries grouped by log. */
export interface CorrelatedLogDto {
  uri: string;
  /** How many of `entries` are this log's. */
  entries: number;
  /** Where this log's nearest entry is in `nearest`; absent for the log asked from. */
  nearest?: number;
}

export interface CorrelateResult {
  /** ISO 8601 UTC instant of the line asked about. */
  center: string;
  windowSeconds: number;
  /** The entries within the window, in time order. */
  entries: CorrelatedEntryDto[];
  /** True when the list was cut to the entries nearest the centre. */
  truncated: boolean;
  /**
   * For each other log with a timed entry, its entry nearest the centre, inside the window or not,
   * nearest first: a log with nothing in the window still says how far its nearest line is.
   */
  nearest: CorrelatedEntryDto[];
  /** Every log with a timed entry, in the order to show them: the one asked from, then by nearest entry. */
  logs: CorrelatedLogDto[];
}

/**
 * Request `logForensics/correlate`, sent by the client's "Show what happened around": the entries
 * of all held logs within ± a window of a line's time, and how near each other log comes.
 */
export const CorrelateRequest = new RequestType<CorrelateParams, CorrelateResult, void>('logForensics/correlate');

/** Sent by the client once the user trusts the workspace, so workspace rule files may be loaded. */
export const WorkspaceTrustedNotification = new NotificationType<void>('logForensics/workspaceTrusted');

/** What the client tells the server at start-up (`initializationOptions`). */
export interface InitializationOptions {
  /** Whether the workspace is trusted; in restricted mode only the shipped rules are loaded. */
  trusted?: boolean;
  /**
   * Whether the client runs the product's own commands (reveal a line, pick from a list, change a
   * setting): the VS Code client does. Other clients get only the actions the server runs itself.
   */
  clientCommands?: boolean;
  /** Settings, for a client that is not asked with `workspace/configuration`: `{logForensics: …}`. */
  settings?: unknown;
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

/**
 * Sent by the client for the incident timeline view and the incident chart: what every open log
 * found, what the analyst annotated, and how busy each host and file was over time.
 */
export interface TimelineParams {
  /** Width of a chart bucket; chosen to give about 96 buckets over the range when absent. */
  bucketSeconds?: number;
  /** ISO 8601 instants bounding the chart (start inclusive, end exclusive); all of the logs when absent. */
  from?: string;
  to?: string;
}

/** One finding of an open log. */
export interface TimelineFindingDto {
  uri: string;
  /** 0-based. */
  line: number;
  /** ISO 8601 UTC, or null when the line has no usable time. */
  time: string | null;
  severity: 'error' | 'warning' | 'information' | 'hint';
  ruleId: string;
  message: string;
  host: string;
  /** The log's path relative to its workspace folder (or its file name outside one). */
  file: string;
}

/** One annotation of the workspace, placed on an open log's current line, or why it is not. */
export interface TimelineAnnotationDto {
  id: string;
  /** As stored: relative to the workspace folder, with `/`. */
  file: string;
  /** The log's URI (whether or not it is open). */
  uri: string;
  /** `placed` on `line`; `lost` (the anchor could not be found again, see `reason`); `closed` (its log is not open). */
  state: 'placed' | 'lost' | 'closed';
  /** 0-based line now (placed), or at creation (lost, closed). */
  line: number;
  /** Set when the line moved since the annotation was made. */
  movedFrom?: number;
  reason?: string;
  time: string | null;
  host: string;
  /** The annotated line's text, as recorded (lost, closed) or as it reads now (placed). */
  text: string;
  starred: boolean;
  tags: string[];
  note: string;
}

/** Counts of one host or file per bucket, and the first entry of each bucket to reveal. */
export interface TimelineGroupDto {
  key: string;
  entries: number[];
  findings: number[];
  first: ({ uri: string; line: number } | null)[];
}

export interface TimelineResult {
  /** ISO 8601 start of the first bucket; null when no open log has a timed entry. */
  from: string | null;
  bucketSeconds: number;
  bucketCount: number;
  byHost: TimelineGroupDto[];
  byFile: TimelineGroupDto[];
  /** In time order (untimed last); at most 5,000, see `findingsTruncated`. */
  findings: TimelineFindingDto[];
  findingsTruncated: boolean;
  /** In time order (untimed, lost and closed last). */
  annotations: TimelineAnnotationDto[];
  /** Problems reading the annotations files, one line each. */
  problems: string[];
  /** The logs behind the answer: how many are held, how many the workspace scan found, and what it left out and why. */
  logs?: { held: number; found: number; skipped: { path: string; reason: string }[]; skippedCount: number };
}

/** Request `logForensics/timeline`: findings, annotations and per-bucket counts over all open logs. */
export const TimelineRequest = new RequestType<TimelineParams, TimelineResult, void>('logForensics/timeline');

/**
 * Sent by the client's "Export postmortem" and "Export timeline for Timesketch": the same
 * document the command line's `report` and `export` write, built by the server from the open
 * logs and the annotated ones, each read from disk and hashed as evidence.
 */
export interface ReportParams {
  format: 'markdown' | 'timesketch-jsonl' | 'timesketch-csv';
  /** Absolute path of the folder the document will be saved in; its links are relative to it. */
  reportFolder: string;
  title?: string;
  /**
   * Absolute path to write the document to, atomically, instead of sending it back: a Timesketch
   * timeline of a large log is hundreds of megabytes. Refused when it names a log or the annotations.
   */
  target?: string;
}

export interface ReportResult {
  /** The document; empty when it was written to `target`. */
  text: string;
  /** The file written, when `target` was given. */
  written?: string;
  /** Absolute paths of the logs it covers (a save over one of them must be refused). */
  logs: string[];
  /** Annotations whose anchor was lost, entries without time, unreadable files: one line each. */
  warnings: string[];
}

/** Request `logForensics/report`: the postmortem in Markdown, or the timeline for Timesketch. */
export const ReportRequest = new RequestType<ReportParams, ReportResult, void>('logForensics/report');

/**
 * Sent by any client to read all findings of a log page by page: VS Code shows at most 1,000
 * diagnostics per file, and a busy log can have far more.
 */
export interface FindingsParams {
  textDocument: TextDocumentIdentifier;
  /** 0-based index of the first finding to return, in line order. */
  offset?: number;
  /** At most this many (default 500, at most 5,000). */
  limit?: number;
}

export interface FindingDto {
  range: Range;
  severity: 'error' | 'warning' | 'information' | 'hint';
  ruleId: string;
  message: string;
  /** ISO 8601 UTC, or null when the line has no time. */
  time: string | null;
}

export interface FindingsResult {
  total: number;
  offset: number;
  findings: FindingDto[];
}

/** Request `logForensics/findings`: one page of a log's findings, in line order. */
export const FindingsRequest = new RequestType<FindingsParams, FindingsResult, void>('logForensics/findings');

/** A log file, named by URI. */
export interface LargeLogParams {
  uri: string;
}

/**
 * Sent by the client when an editor shows a log that VS Code does not hand to extensions (over
 * 50 MB): the server reads it from disk itself, so its findings and entries still count.
 */
export const OpenLargeLogNotification = new NotificationType<LargeLogParams>('logForensics/openLargeLog');

/** Sent by the client when the last editor showing such a log closes. */
export const CloseLargeLogNotification = new NotificationType<LargeLogParams>('logForensics/closeLargeLog');

/** Lines of a log that editors show, 0-based, `end` included. */
export interface VisibleLineRange {
  start: number;
  end: number;
}

export interface VisibleRangesParams {
  uri: string;
  /** Every range of the log shown now (several editors, folded regions); empty when none is. */
  ranges: VisibleLineRange[];
}

/**
 * Sent by the client when the lines editors show of a log change (scrolled, revealed, opened;
 * for a log over the sync limit, which extensions cannot watch, the line the client revealed
 * with some lines around it): while the log is still read, the server analyses those lines out of
 * order and publishes their findings ahead of the read, as provisional.
 */
export const VisibleRangesNotification = new NotificationType<VisibleRangesParams>('logForensics/visibleRanges');

/** Sent by the client to rank what is unusual across every log the server holds (the What's Unusual view). */
export interface TriageParams {
  /** Keep the first `top` groups only. */
  top?: number;
  /** How close in time other logs' flagged lines must be to count as company; defaults to triage's 60 s, as on the command line. */
  windowSeconds?: number;
}

/**
 * One ranked group: the fields `log-forensics triage --json` prints (`file` as the workspace names
 * it, `line` 1-based), and where its first line is, for the client to reveal it.
 */
export type TriageGroupDto = Pick<TriageGroup, 'rank' | 'kind' | 'ruleId' | 'severity' | 'title' | 'count' | 'file' | 'line' | 'time' | 'text' | 'score' | 'reasons'> & {
  /** How the group fires over its logs' span; `steady` is background (see docs/triage.md). */
  rhythm: RhythmKind;
  uri: string;
  range: Range;
};

export interface TriageResult {
  groups: TriageGroupDto[];
  /** How many logs were ranked together. */
  logs: number;
}

export const TriageRequest = new RequestType<TriageParams, TriageResult, void>('logForensics/triage');

/**
 * Sent by the client for the text of a focused view of a log: a window of time (`from`, `to`, as
 * views were first asked for), or the lines `view` describes.
 */
export interface ViewParams {
  /** The log the view is of (any size: read from disk when too large to sync). */
  textDocument: TextDocumentIdentifier;
  /** ISO 8601 instants; the view holds the entries from `from` to `to`. Used when `view` is absent. */
  from?: string;
  to?: string;
  /** What the view shows; a findings view without `context` takes `logForensics.views.contextLines`. */
  view?: ViewSpecInput;
}

/** A stretch of consecutive log lines in a view: view rows `row` to `row + count - 1` show log lines `line` on. */
export interface ViewSegmentDto {
  row: number;
  line: number;
  count: number;
}

export interface ViewResult {
  text: string;
  /** The URI to open the view under (it names the log and the view with every argument filled in). */
  uri: string;
  /** The view as the server read it (a findings view's context filled in). */
  view: ViewSpec;
  /** The log's 0-based line shown as the view's first line (for a time window, view line k is the log's `startLine + k`). */
  startLine: number;
  /** The view's rows, marker rows included. */
  lineCount: number;
  /** Which log lines the rows show; the rows between segments are markers (`⋯ N lines not shown`, the cut). */
  segments: ViewSegmentDto[];
  /** The view held more lines than a view holds; its last row says so. */
  truncated: boolean;
  /** For the tab: "maillog 16:40–17:00". */
  title: string;
}

export const ViewRequest = new RequestType<ViewParams, ViewResult, void>('logForensics/view');

/** The client-side command that opens a focused view of a log (arguments: log URI, from, to as ISO instants). */
export const OPEN_TIME_WINDOW_COMMAND = 'logForensics.openTimeWindow';

/** The client-side command that asks which view of a log to open (argument: the log's URI, else the active one). */
export const OPEN_VIEW_COMMAND = 'logForensics.openView';

export interface ViewChoicesParams {
  textDocument: TextDocumentIdentifier;
}

/** One view a log can be seen through, with its size. */
export interface ViewChoice {
  kind: ViewKind;
  /** "Findings with 3 lines of context", "Program sshd". */
  label: string;
  /** "12 findings, 84 lines", "1,204 lines". */
  description: string;
  /** The log lines the view would show; absent for a time window, which is chosen afterwards. */
  lines?: number;
  /** What to send as `logForensics/view`'s `view`; absent for a time window (the client asks which window). */
  view?: ViewSpec;
}

export interface ViewChoicesResult {
  choices: ViewChoice[];
  /** How many lines the log has. */
  logLines: number;
}

/** Request `logForensics/viewChoices`: the views a log has, with their sizes (programs and hosts by line count). */
export const ViewChoicesRequest = new RequestType<ViewChoicesParams, ViewChoicesResult, void>('logForensics/viewChoices');

/**
 * The server's own "annotate this line" (`workspace/executeCommand`, arguments: URI, 0-based line,
 * `{starred?, tags?, note?}`), for a line the editor may not hold as a document: a row of a focused
 * view is annotated on the log's line, anchored on the log's text around it. Answers
 * `{written, file, line, annotation}`.
 */
export const ANNOTATE_LINE_COMMAND = 'logForensics.server.annotateLine';
