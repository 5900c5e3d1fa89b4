import { CodeAction, CodeActionKind, Command, Diagnostic } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { StoredLog } from '../logs/registry';
import { CompiledRule } from '../analysis/rules/types';
import { wallClock } from './time';
import { extractKeys } from '../analysis/identity/keys';

/** The client-side command that lists and reveals correlated entries (see client/src/showAround.ts). */
export const SHOW_AROUND_COMMAND = 'logForensics.showAround';
/** Client-side: adds a rule id to `logForensics.rules.disabled` in the workspace settings. */
export const DISABLE_RULE_COMMAND = 'logForensics.disableRule';
/** Client-side: records one finding as expected in `.log-forensics/suppressions.json`. */
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
 * Code actions for a line: "Show what happened around HH:MM:SS" when its entry has a time, and
 * for each finding on it the quick fixes: disable the signature in this workspace, mark this line
 * as expected, open the rule's definition. None of them edits the log.
 */
export function codeActionsFor(log: StoredLog, line: number, rules: Map<string, CompiledRule>, diagnostics: Diagnostic[] = []): CodeAction[] {
  const parsed = log.parsed;
  if (line < 0 || line >= parsed.lines.length) return [];
  const actions: CodeAction[] = [];
  for (const finding of log.findingsByLine.get(line) ?? []) {
    const related = diagnostics.filter((d) => d.code === finding.ruleId);
    const withDiagnostics = related.length > 0 ? { diagnostics: related } : {};
    const suppressTitle = `This line is expected: hide ${finding.ruleId} here`;
    actions.push({ title: suppressTitle, kind: CodeActionKind.QuickFix, ...withDiagnostics, command: Command.create(suppressTitle, SUPPRESS_FINDING_COMMAND, log.uri, finding.line, finding.ruleId) });
    const disableTitle = `Disable signature ${finding.ruleId} in this workspace`;
    actions.push({ title: disableTitle, kind: CodeActionKind.QuickFix, ...withDiagnostics, command: Command.create(disableTitle, DISABLE_RULE_COMMAND, finding.ruleId) });
    const rule = rules.get(finding.ruleId);
    if (rule) {
      const openTitle = `Open rule definition of ${finding.ruleId}`;
      actions.push({ title: openTitle, kind: CodeActionKind.QuickFix, command: Command.create(openTitle, OPEN_RULE_COMMAND, ruleLocation(rule), rule.origin.line) });
    }
  }
  const entry = parsed.entryStart[line];
  if (!Number.isNaN(parsed.times[entry])) {
    const civil = parsed.lines.get(entry).civil;
    const label = civil ? wallClock(civil) : new Date(parsed.times[entry]).toISOString().slice(11, 19);
    const title = `Show what happened around ${label}`;
    actions.unshift({ title, kind: CodeActionKind.Empty, command: Command.create(title, SHOW_AROUND_COMMAND, log.uri, entry) });
  }
  const message = extractKeys(parsed.text.line(line), parsed.lines.fields(line)).find((key) => key.kind === 'queue-id' || key.kind === 'message-id');
  if (message) {
    const title = `Trace this message (${message.kind} ${message.value.length > 40 ? `${message.value.slice(0, 40)}…` : message.value})`;
    actions.splice(Number.isNaN(parsed.times[entry]) ? 0 : 1, 0, { title, kind: CodeActionKind.Empty, command: Command.create(title, TRACE_MESSAGE_COMMAND, log.uri, line) });
  }
  return actions;
}
