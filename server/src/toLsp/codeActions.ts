import { CodeAction, CodeActionKind, Command } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { StoredLog } from '../logs/registry';
import { CompiledRule, Finding } from '../analysis/rules/types';
import { wallClock } from './time';
import { extractKeys } from '../analysis/identity/keys';
import { momentActionsFor, timeCorrectionActionsFor } from './timeActions';

/** The client-side command that lists and reveals correlated entries (see client/src/showAround.ts). */
export const SHOW_AROUND_COMMAND = 'logForensics.showAround';
/** Client-side: adds a rule id to `logForensics.rules.disabled` in the workspace settings. */
export const DISABLE_RULE_COMMAND = 'logForensics.disableRule';
/** Server-side: adds a rule id to `.log-forensics/disabled-rules.json`, for clients without the settings command. */
export const DISABLE_RULE_IN_WORKSPACE_COMMAND = 'logForensics.disableRuleInWorkspace';
/** Server-side: records one finding as expected in `.log-forensics/suppressions.json`. */
export const SUPPRESS_FINDING_COMMAND = 'logForensics.suppressFinding';
/** Client-side: opens a rule file at the rule's line. */
export const OPEN_RULE_COMMAND = 'logForensics.openRule';
/** Client-side: lists a message's life across the open logs (request `logForensics/traceMessage`). */
export const TRACE_MESSAGE_COMMAND = 'logForensics.traceMessage';

/** Where a rule is defined, as a URI (origins are file paths or URIs). */
function ruleLocation(rule: CompiledRule): string {
  const source = rule.origin.source;
  return /^[a-z][a-z0-9+.-]*:/i.test(source) && !/^[a-z]:[\\/]/i.test(source) ? source : URI.file(source).toString();
}

/**
 * An action of the line menu. Every one is a quick fix: VS Code lists quick fixes first and in
 * the order given, and drops (with a warning) an action of another kind when quick fixes are
 * asked for. None names the diagnostics it concerns, because VS Code sorts actions that do ahead
 * of all others, which would put hiding the finding before looking into it.
 */
function action(title: string, command: string, ...args: unknown[]): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, command: Command.create(title, command, ...args) };
}

/** "Show what happened around HH:MM:SS": the preferred action of any timed line. */
function aroundAction(log: StoredLog, line: number): CodeAction[] {
  const parsed = log.parsed;
  const entry = parsed.entryStart[line];
  if (Number.isNaN(parsed.times[entry])) return [];
  const civil = parsed.lines.get(entry).civil;
  const label = civil ? wallClock(civil) : new Date(parsed.times[entry]).toISOString().slice(11, 19);
  return [{ ...action(`Show what happened around ${label}`, SHOW_AROUND_COMMAND, log.uri, entry), isPreferred: true }];
}

/** "Trace this message" when the line names a queue id or a message id. */
function traceAction(log: StoredLog, line: number): CodeAction[] {
  const parsed = log.parsed;
  const message = extractKeys(parsed.text.line(line), parsed.lines.fields(line)).find((key) => key.kind === 'queue-id' || key.kind === 'message-id');
  if (!message) return [];
  return [action(`Trace this message (${message.kind} ${message.value.length > 40 ? `${message.value.slice(0, 40)}…` : message.value})`, TRACE_MESSAGE_COMMAND, log.uri, line)];
}

/** One finding per rule: a rule flagging the line twice (a burst and a pair) needs its actions once. */
function byRule(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => !seen.has(finding.ruleId) && seen.add(finding.ruleId));
}

/**
 * The actions of a line, from looking into it to hiding it: what happened around its time, the
 * same moment in the other logs (`others`), the message's trace; then each finding's rule
 * definition; then the corrections of its time (align, zone, clock offset); then disabling the
 * signature, and last marking the line as expected. Only the first is preferred. None of them
 * edits the log.
 */
export function codeActionsFor(log: StoredLog, line: number, rules: Map<string, CompiledRule>, others: StoredLog[] = []): CodeAction[] {
  if (line < 0 || line >= log.parsed.lines.length) return [];
  const findings = byRule(log.findingsByLine.get(line) ?? []);
  const openRule = findings.flatMap((finding) => {
    const rule = rules.get(finding.ruleId);
    return rule ? [action(`Open rule definition of ${finding.ruleId}`, OPEN_RULE_COMMAND, ruleLocation(rule), rule.origin.line)] : [];
  });
  return [
    ...aroundAction(log, line),
    ...momentActionsFor(log, line, others),
    ...traceAction(log, line),
    ...openRule,
    ...timeCorrectionActionsFor(log, line),
    ...findings.map((finding) => action(`Disable signature ${finding.ruleId} in this workspace`, DISABLE_RULE_COMMAND, finding.ruleId)),
    ...findings.map((finding) => action(`This line is expected: hide ${finding.ruleId} here`, SUPPRESS_FINDING_COMMAND, log.uri, finding.line, finding.ruleId)),
  ];
}

/**
 * For a client that does not run the product's commands: disabling each rule of the line's
 * findings through the workspace's `disabled-rules.json`, which the server writes itself. It
 * goes after every other action (the most sweeping way to hide a finding), never preferred.
 */
export function workspaceDisableActionsFor(log: StoredLog, line: number): CodeAction[] {
  if (line < 0 || line >= log.parsed.lines.length) return [];
  return byRule(log.findingsByLine.get(line) ?? []).map((finding) => action(`Disable signature ${finding.ruleId} in this workspace (.log-forensics/disabled-rules.json)`, DISABLE_RULE_IN_WORKSPACE_COMMAND, log.uri, finding.ruleId));
}

/**
 * The actions of the kinds a request asks for (`only`, as in `CodeActionContext`): a kind asked
 * for takes in its sub-kinds, and the empty kind takes in every one.
 */
export function ofRequestedKinds(actions: CodeAction[], only: readonly string[] | undefined): CodeAction[] {
  if (!only || only.length === 0) return actions;
  return actions.filter((a) => only.some((kind) => kind === '' || a.kind === kind || (a.kind ?? '').startsWith(`${kind}.`)));
}
