import * as path from 'path';
import { CodeAction, CodeActionKind, Command, ExecuteCommandParams, LSPErrorCodes, Location, CodeActionParams, DefinitionParams, DocumentHighlightParams, FoldingRangeParams, ErrorCodes, HoverParams, ReferenceParams, ResponseError, SemanticTokensParams } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { correlateAround } from './analysis/correlate/around';
import { traceMessage } from './analysis/identity/trace';
import { ClientSettings } from './clientSettings';
import { IdentityStore } from './identityStore';
import { LogCoordinator } from './logs/coordinator';
import { StoredLog } from './logs/registry';
import { CorrelateParams, FindingsParams, ReportParams, TimelineParams, TraceMessageParams, TriageParams, TriageResult, ViewChoicesParams, ViewChoicesResult, ViewParams, ViewResult } from './protocol';
import { viewOriginOf, viewUriOf } from './logs/logUris';
import { lineMapFor, viewChoices, viewRowOf, viewTitle } from './logs/views';
import { logLineOf, viewText } from './analysis/views/lineMap';
import { ViewSpec, readViewSpec } from './analysis/views/spec';
import { DEFAULT_WINDOW_SECONDS, triage } from './analysis/triage/triage';
import { RuleState } from './ruleState';
import { DISABLE_RULE_IN_WORKSPACE_COMMAND, SUPPRESS_FINDING_COMMAND, codeActionsFor, ofRequestedKinds, workspaceDisableActionsFor } from './toLsp/codeActions';
import { disableRuleIn } from './files/disabledRulesFile';
import { addSuppressionIn } from './files/suppressionsFile';
import { correlateResponse } from './toLsp/correlate';
import { findingsPage } from './toLsp/diagnostics';
import { hoverFor } from './toLsp/hover';
import { definitionAt, highlightsAt, referencesAt, traceResponse } from './toLsp/identity';
import { semanticTokensFor } from './toLsp/semanticTokens';
import { KeptAnswer, PartialAnswers } from './partialAnswers';
import { foldingRangesFor } from './toLsp/folding';
import { REVEAL_LINE_COMMAND } from './toLsp/timeActions';
import { timelineResponse } from './toLsp/timeline';
import { ExportTargetError, folderAnnotations, readWorkspaceAnnotations, workspaceExport, workspacePathOf } from './workspaceExport';
import { WorkspaceIndex } from './workspaceIndex';
import { Annotation } from './analysis/annotate/types';
import { ANNOTATE_LINE_COMMAND, annotateLogLine, readAnnotateValues } from './annotateLine';
import { filePathOf } from './logs/logUris';

/** What the requests read. */
export interface LogRequestContext {
  /** Whether the client runs the product's own commands (the VS Code client); others get only the server's. */
  clientCommands(): boolean;
  /** The workspace's rule files or suppressions were written: read them again. */
  rulesChanged(): void;
  logs: LogCoordinator;
  identities: IdentityStore;
  rules: RuleState;
  settings: ClientSettings;
  folders(): string[];
  index: WorkspaceIndex;
  partialAnswers: PartialAnswers;
}

/** The commands the server runs itself (`executeCommandProvider`): they work in any client. */
export const SERVER_COMMANDS: readonly string[] = [SUPPRESS_FINDING_COMMAND, DISABLE_RULE_IN_WORKSPACE_COMMAND, ANNOTATE_LINE_COMMAND];

function locationOf(uri: string, line: number): Location {
  return { uri, range: { start: { line, character: 0 }, end: { line, character: 0 } } };
}

/** Why a view of a log would be empty, after the log's name. */
function emptyView(spec: ViewSpec): string {
  switch (spec.kind) {
    case 'time':
      return `has no entry between ${spec.from} and ${spec.to}`;
    case 'findings':
      return 'has no findings to show';
    case 'program':
      return `has no line of the program ${spec.program}`;
    case 'host':
      return `has no line of the host ${spec.host}`;
    case 'routineHidden':
      return 'holds routine lines alone';
  }
}

function invalid(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

/**
 * The answers to every request, over the logs the coordinator holds: a log read from disk is
 * answered exactly as an open document is (hover, actions, correlation, references, timeline, export).
 */
export class LogRequests {
  constructor(private readonly context: LogRequestContext) {}

  /** The log a request names, brought up to date; requests on unknown logs are refused with a reason. */
  private async log(uri: unknown): Promise<StoredLog> {
    if (typeof uri !== 'string') throw invalid('textDocument.uri must be a string.');
    const log = await this.context.logs.current(uri);
    if (!log) throw invalid(`${uri} is not a log the server has read.`);
    return log;
  }

  /** The log and line a positional request names; undefined when the server holds no such log. */
  private async at(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown } }): Promise<{ log: StoredLog; line: number } | undefined> {
    const uri = params.textDocument?.uri;
    const line = params.position?.line;
    if (typeof uri !== 'string' || typeof line !== 'number' || !Number.isInteger(line)) throw invalid('textDocument.uri and position.line are required.');
    const inView = await this.inView(uri, line);
    if (inView !== undefined) return inView ?? undefined;
    const log = await this.context.logs.current(uri);
    return log && { log, line };
  }

  /**
   * A row of a focused view as the line of the log it shows, so a request in a view is answered
   * by the whole log's analysis; null on a marker row; undefined when `uri` is no view of a held log.
   */
  private async inView(uri: string, row: number): Promise<{ log: StoredLog; line: number; view: ViewSpec } | null | undefined> {
    const origin = viewOriginOf(uri);
    const log = origin && (await this.context.logs.current(origin.uri));
    if (!origin || !log) return undefined;
    const line = logLineOf(lineMapFor(log, origin.view), row);
    return line === undefined ? null : { log, line, view: origin.view };
  }

  /** A view's line of its log back as its row (the same line for any other log); undefined when the view leaves it out. */
  private rowIn(uri: string, log: StoredLog, line: number): number | undefined {
    const origin = viewOriginOf(uri);
    return origin && origin.uri === log.uri ? viewRowOf(log, origin.view, line) : line;
  }

  private async withLine(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown } }): Promise<{ log: StoredLog; line: number }> {
    const found = await this.at(params);
    if (!found) throw invalid(`${String(params.textDocument?.uri)} is not a log the server has read.`);
    if (found.line < 0 || found.line >= found.log.parsed.lines.length) throw invalid(`Line ${found.line + 1} is outside the log.`);
    return found;
  }

  async hover(params: HoverParams) {
    const found = await this.at(params);
    const hover = found ? hoverFor(found.log, { ...params.position, line: found.line }, this.context.rules.current.catalogue.byId) : null;
    // In a view the range is on the row the hover was asked on: the line's text is the same.
    if (hover?.range) hover.range = { start: { ...hover.range.start, line: params.position.line }, end: { ...hover.range.end, line: params.position.line } };
    return hover;
  }

  async codeActions(params: CodeActionParams) {
    const row = params.range?.start?.line;
    if (typeof row !== 'number') throw invalid('range.start.line is required.');
    const found = await this.at({ textDocument: params.textDocument, position: { line: row } });
    if (!found) return [];
    const { log, line } = found;
    const others = await this.context.logs.all();
    const back = this.fullLogAction(params.textDocument.uri, log.uri, line);
    const all = [...codeActionsFor(log, line, this.context.rules.current.catalogue.byId, others), ...back];
    // A client that does not run the product's commands would fail on them: it gets the server's own.
    const actions = this.context.clientCommands() ? all : [...all.filter((action) => action.command && SERVER_COMMANDS.includes(action.command.command)), ...workspaceDisableActionsFor(log, line)];
    return ofRequestedKinds(actions, params.context?.only);
  }

  /** `workspace/executeCommand` for the commands the server runs itself (`SERVER_COMMANDS`). */
  async executeCommand(params: ExecuteCommandParams): Promise<{ written: string }> {
    if (params.command === SUPPRESS_FINDING_COMMAND) return this.suppressFinding(params.arguments ?? []);
    if (params.command === DISABLE_RULE_IN_WORKSPACE_COMMAND) return this.disableRule(params.arguments ?? []);
    if (params.command === ANNOTATE_LINE_COMMAND) return this.annotateLine(params.arguments ?? []);
    throw invalid(`${String(params.command)} is not a command this server runs.`);
  }

  /** The workspace folder holding a log on disk, where its `.log-forensics/` files are written. */
  private folderOf(uri: string, what: string): string {
    const file = filePathOf(uri);
    const folder = file === undefined ? undefined : this.context.folders().find((candidate) => file.startsWith(candidate + path.sep));
    if (file === undefined || folder === undefined || viewOriginOf(uri)) throw invalid(`Only logs inside a workspace folder can have ${what}.`);
    return folder;
  }

  /** Runs a write of the workspace's `.log-forensics/` files, then has the rules read again. */
  private written(write: () => string): { written: string } {
    let written: string;
    try {
      written = write();
    } catch (error) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (error as Error).message);
    }
    this.context.rulesChanged();
    return { written };
  }

  private async suppressFinding([uri, line, ruleId]: unknown[]): Promise<{ written: string }> {
    if (typeof uri !== 'string' || typeof line !== 'number' || typeof ruleId !== 'string') throw invalid(`${SUPPRESS_FINDING_COMMAND} takes the log's URI, a 0-based line and a rule id.`);
    const log = await this.log(uri);
    if (!Number.isInteger(line) || line < 0 || line >= log.parsed.lines.length) throw invalid(`Line ${line + 1} is outside the log.`);
    const folder = this.folderOf(uri, 'expected lines recorded');
    const relative = path.relative(folder, filePathOf(uri)!).split(path.sep).join('/');
    return this.written(() => addSuppressionIn(folder, { file: relative, ruleId, text: log.parsed.text.line(line) }));
  }

  private async disableRule([uri, ruleId]: unknown[]): Promise<{ written: string }> {
    if (typeof uri !== 'string' || typeof ruleId !== 'string' || ruleId.trim() === '') throw invalid(`${DISABLE_RULE_IN_WORKSPACE_COMMAND} takes the log's URI and a rule id.`);
    await this.log(uri);
    const folder = this.folderOf(uri, 'rules disabled for their workspace');
    return this.written(() => disableRuleIn(folder, ruleId.trim()));
  }

  /** `ANNOTATE_LINE_COMMAND` (uri, 0-based line, values with `op`): in a view, the annotation is the log's line's. */
  private async annotateLine([uri, row, given]: unknown[]): Promise<{ written: string; file: string; line: number; annotation: Annotation | null }> {
    const values = readAnnotateValues(given);
    if (typeof uri !== 'string' || typeof row !== 'number' || !Number.isInteger(row) || typeof values === 'string') throw invalid(`${ANNOTATE_LINE_COMMAND} takes the log's URI, a 0-based line and {op?, starred?, tags?, note?}${typeof values === 'string' ? `: ${values}` : '.'}`);
    const found = await this.at({ textDocument: { uri }, position: { line: row } });
    if (!found) throw invalid(viewOriginOf(uri) ? `Line ${row + 1} of the view is no line of the log.` : `${uri} is not a log the server has read.`);
    if (found.line < 0 || found.line >= found.log.parsed.lines.length) throw invalid(`Line ${row + 1} is outside the log.`);
    try {
      const { annotation, written, file } = await annotateLogLine(found.log, found.line, values, this.context.folders());
      return { written, file, line: found.line, annotation: annotation ?? null };
    } catch (error) {
      throw new ResponseError(LSPErrorCodes.RequestFailed, (error as Error).message);
    }
  }

  /** In a focused view: "Open at this line in the full log". */
  private fullLogAction(uri: string, logUri: string, line: number): CodeAction[] {
    if (uri === logUri) return [];
    const title = 'Open at this line in the full log';
    return [{ title, kind: CodeActionKind.QuickFix, command: Command.create(title, REVEAL_LINE_COMMAND, logUri, line) }];
  }

  /** The view a `logForensics/view` request asks for: `view`, else the window `from`–`to`. */
  private async viewSpecOf(params: ViewParams, uri: string): Promise<ViewSpec> {
    const given = params.view ?? { kind: 'time', from: params.from, to: params.to };
    const spec = readViewSpec(given, (await this.context.settings.for(uri)).contextLines);
    if (typeof spec === 'string') throw invalid(spec);
    if (spec.kind === 'time') {
      const from = Date.parse(spec.from);
      const to = Date.parse(spec.to);
      if (Number.isNaN(from) || Number.isNaN(to) || to < from) throw invalid(`from and to must be ISO 8601 instants, from before to, not ${spec.from} and ${spec.to}.`);
    }
    return spec;
  }

  /** The text of a focused view: a log's lines in a window of time, around its findings, of one program or host, or without its routine runs. */
  async view(params: ViewParams): Promise<ViewResult> {
    const log = await this.log(params.textDocument?.uri);
    const spec = await this.viewSpecOf(params, log.uri);
    const file = workspacePathOf(this.context.folders(), log.uri);
    const map = lineMapFor(log, spec);
    if (map.rows.length === 0) throw invalid(`${file} ${emptyView(spec)}.`);
    const title = viewTitle(log, file.split('/').pop()!, spec);
    const text = viewText(map, (line) => log.parsed.text.line(line));
    return { text, uri: viewUriOf({ uri: log.uri, view: spec }, title), view: spec, startLine: map.segments[0].line, lineCount: map.rows.length, segments: map.segments, truncated: map.cutLines > 0, title };
  }

  /** The views a log can be opened in, with their sizes. */
  async viewChoices(params: ViewChoicesParams): Promise<ViewChoicesResult> {
    const log = await this.log(params.textDocument?.uri);
    if (viewOriginOf(log.uri)) throw invalid('A focused view has no views of its own: ask for those of the log it shows.');
    return { choices: viewChoices(log, (await this.context.settings.for(log.uri)).contextLines), logLines: log.parsed.lines.length };
  }

  async semanticTokens(params: SemanticTokensParams) {
    const log = await this.keptFrom('tokens', params.textDocument?.uri);
    return log ? semanticTokensFor(log) : { data: [] };
  }

  async foldingRanges(params: FoldingRangeParams) {
    const log = await this.keptFrom('folding', params.textDocument?.uri);
    return log ? foldingRangesFor(log) : [];
  }

  /** The log an answer the client keeps is made from; noted when it is partial, so the client asks again later. */
  private async keptFrom(kind: KeptAnswer, uri: unknown): Promise<StoredLog | undefined> {
    if (typeof uri !== 'string') return undefined;
    const log = await this.context.logs.current(uri);
    if (log) this.context.partialAnswers.answered(kind, log, this.context.logs.isPartial(uri));
    return log;
  }

  async correlate(params: CorrelateParams) {
    const { log, line } = await this.withLine(params);
    const center = log.parsed.times[log.parsed.entryStart[line]];
    if (Number.isNaN(center)) throw invalid(`Line ${line + 1} has no timestamp to correlate from.`);
    const window = params.windowSeconds ?? (await this.context.settings.for(log.uri)).windowSeconds;
    if (typeof window !== 'number' || !Number.isFinite(window) || window < 0) throw invalid(`windowSeconds must be a number of seconds ≥ 0, not ${String(params.windowSeconds)}.`);
    const all = await this.context.logs.all();
    const indexed = all.map((other) => ({ id: other.uri, log: other.parsed, index: other.index }));
    return correlateResponse(correlateAround(indexed, { center, windowMs: window * 1000, origin: log.uri }), center, window, (id) => this.context.logs.get(id)?.parsed.zone ?? 'UTC');
  }

  /** The identity index over every held log, brought up to date. */
  private async identityIndex() {
    await this.context.logs.all();
    return this.context.identities.current();
  }

  /**
   * The moment a position on a line's timestamp names, with what every other log recorded around
   * it: the same answer as `logForensics/correlate`, for clients that only speak standard LSP.
   * Undefined when the position is not on a stamp.
   */
  private async aroundStamp(params: { textDocument?: { uri?: unknown }; position?: { line?: unknown; character?: unknown } }) {
    const found = await this.at(params);
    const character = params.position?.character;
    if (!found || typeof character !== 'number' || found.line < 0 || found.line >= found.log.parsed.lines.length) return undefined;
    const stamp = found.log.parsed.lines.fields(found.line).stamp;
    const center = found.log.parsed.times[found.log.parsed.entryStart[found.line]];
    if (!stamp || character < stamp.start || character > stamp.end || Number.isNaN(center)) return undefined;
    const window = (await this.context.settings.for(found.log.uri)).windowSeconds;
    const indexed = (await this.context.logs.all()).map((other) => ({ id: other.uri, log: other.parsed, index: other.index }));
    return { ...correlateAround(indexed, { center, windowMs: window * 1000, origin: found.log.uri }), uri: found.log.uri, line: found.line };
  }

  /** On a timestamp: the lines of every log within ± the window, nearest first; elsewhere, the line's shared identities. */
  async references(params: ReferenceParams) {
    const around = await this.aroundStamp(params);
    if (around) {
      const nearestFirst = [...around.entries].sort((a, b) => Math.abs(a.deltaMs) - Math.abs(b.deltaMs));
      return nearestFirst.map((entry) => locationOf(entry.id, entry.line));
    }
    const place = await this.identityPlace(params);
    return place && referencesAt(await this.identityIndex(), place.uri, place.line, params.position?.character);
  }

  async highlights(params: DocumentHighlightParams) {
    const uri = params.textDocument?.uri;
    const found = typeof uri === 'string' && typeof params.position?.line === 'number' ? await this.inView(uri, params.position.line) : undefined;
    if (found === null) return [];
    if (found === undefined) return highlightsAt(await this.identityIndex(), uri, params.position?.line, params.position?.character);
    // The log's highlights, on the rows of the view that show them.
    const highlights = highlightsAt(await this.identityIndex(), found.log.uri, found.line, params.position?.character) ?? [];
    return highlights.flatMap((highlight) => {
      const row = this.rowIn(uri as string, found.log, highlight.range.start.line);
      return row === undefined ? [] : [{ ...highlight, range: { start: { ...highlight.range.start, line: row }, end: { ...highlight.range.end, line: row } } }];
    });
  }

  /** On a timestamp: the nearest line of each other log (in the window or not); elsewhere, the first appearance of the identity. */
  async definition(params: DefinitionParams) {
    const around = await this.aroundStamp(params);
    if (around) return around.nearest.map((entry) => locationOf(entry.id, entry.line));
    const place = await this.identityPlace(params);
    return place && definitionAt(await this.identityIndex(), place.uri, place.line, params.position?.character);
  }

  /** Where an identity request points: in a view, the log's line; null on a marker row. */
  private async identityPlace(params: ReferenceParams | DefinitionParams): Promise<{ uri: string; line: number } | null> {
    const uri = params.textDocument?.uri;
    const line = params.position?.line;
    const found = typeof uri === 'string' && typeof line === 'number' ? await this.inView(uri, line) : undefined;
    if (found === null) return null;
    return found ? { uri: found.log.uri, line: found.line } : { uri, line };
  }

  async findings(params: FindingsParams) {
    return findingsPage(await this.log(params.textDocument?.uri), params.offset, params.limit);
  }

  async traceMessage(params: TraceMessageParams) {
    const { log, line } = await this.withLine(params);
    const index = await this.identityIndex();
    return traceResponse(index, traceMessage(index, { logId: log.uri, line }));
  }

  /** The incident timeline and chart (client/src/timelineView.ts, chartView.ts): every log held, open or not. */
  async timeline(params: TimelineParams) {
    const folders = this.context.folders();
    const logs = (await this.context.logs.all()).map((log) => ({ ...log, file: workspacePathOf(folders, log.uri) }));
    const { folders: annotated, problems } = await readWorkspaceAnnotations(folders);
    try {
      const { found, skipped, skippedCount } = this.context.index.lastScan;
      return { ...timelineResponse(logs, folderAnnotations(annotated), params, problems), logs: { held: logs.length, found, skipped, skippedCount } };
    } catch (error) {
      throw error instanceof RangeError ? invalid(error.message) : error;
    }
  }

  /** What is unusual across every held log, ranked: the same answer as `log-forensics triage --json`. */
  async triage(params: TriageParams): Promise<TriageResult> {
    const top = params.top;
    if (top !== undefined && (typeof top !== 'number' || !Number.isInteger(top) || top < 1)) throw invalid(`top must be a whole number ≥ 1, not ${String(top)}.`);
    // Company is scored over triage's own window, as on the command line, not the wider window an
    // admin browses with: the same logs rank the same in both.
    const window = params.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
    if (typeof window !== 'number' || !Number.isFinite(window) || window < 0) throw invalid(`windowSeconds must be a number of seconds ≥ 0, not ${String(params.windowSeconds)}.`);
    const folders = this.context.folders();
    const logs = await this.context.logs.all();
    const groups = triage(logs.map((log) => ({ id: log.uri, file: workspacePathOf(folders, log.uri), analyzed: log })), this.context.rules.current.catalogue.byId, { windowSeconds: window, top });
    return {
      logs: logs.length,
      groups: groups.map(({ key: _key, logId, lastTime: _last, rhythm, profile: _profile, ...group }) => ({ ...group, rhythm: rhythm.kind, uri: logId, range: { start: { line: group.line - 1, character: 0 }, end: { line: group.line - 1, character: group.text.length } } })),
    };
  }

  /** The postmortem or the Timesketch export of the logs the editor shows (synced or too large to be) and the annotated ones. */
  async report(params: ReportParams) {
    if (!path.isAbsolute(params.reportFolder ?? '')) throw invalid('reportFolder must be an absolute path.');
    if (params.target !== undefined && (typeof params.target !== 'string' || !path.isAbsolute(params.target))) throw invalid('target must be an absolute path.');
    const { logs, rules, settings } = this.context;
    const shown = [...logs.heldBy('document'), ...logs.heldBy('large')].filter((uri) => !rules.isRuleDocument(uri));
    const openFiles = [...new Set(shown.map(filePathOf).filter((file): file is string => file !== undefined))];
    const context = { folders: this.context.folders(), openFiles, matcher: rules.current.matcher, recipe: rules.current.recipe, rules: rules.current.catalogue.byId, suppressions: rules.current.suppressions, timeOf: (file: string) => settings.for(URI.file(file).toString()) };
    return workspaceExport(params, context).catch((error: unknown) => {
      throw error instanceof ExportTargetError ? invalid(error.message) : error;
    });
  }
}
