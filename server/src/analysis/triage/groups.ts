import { AnalyzedLog } from '../service';
import { readDeclaredLevel } from '../parse/declared';
import { LineLevel } from '../parse/types';
import { CompiledRule, Finding, Severity } from '../rules/types';
import { NO_TEMPLATE } from '../templates/scanner';
import { Steps, runSteps } from '../steps';

/** Findings grouped, or groups' first lines read (from disk for a large log), between two yields of `groupFindingsSteps`. */
const GROUP_STEP = 64;

/** One log given to triage: a name to show (`id`), the path or URI it was read from, its analysis. */
export interface TriageLog {
  id: string;
  file: string;
  analyzed: AnalyzedLog;
}

/** A group gathers the findings of one rule, or the rare lines of one template. */
export type GroupKind = 'finding' | 'rare';

/** The line a group is shown by: its earliest. */
export interface GroupLine {
  /** Index of the log in the input. */
  log: number;
  /** 0-based. */
  line: number;
  text: string;
  /** UTC ms; NaN when the line has no usable time. */
  time: number;
}

/** The findings of one rule across the logs (for rare lines: of one template of one program). */
export interface FindingGroup {
  key: string;
  ruleId: string;
  kind: GroupKind;
  /** The highest severity among its findings. */
  severity: Severity;
  /** The rule's title; for rare lines the program and its template. */
  title: string;
  /** Lines its findings cover: a burst finding counts each of its lines. */
  count: number;
  first: GroupLine;
  /** Instants of its lines that have one, ascending. */
  times: Float64Array;
  /** The log (index in the input) of each of `times`. */
  timeLogs: Int32Array;
  /** Lines per log (index in the input). */
  perLog: Map<number, number>;
  /** The level word the first line's program wrote (`warning:`, `Error:`, `[error]`), unless the rule already reads it. */
  declared?: LineLevel;
  /** For rare lines: how many lines the program wrote in the first line's log. */
  programLines?: number;
  /** For rare lines of a quiet program, judged against the whole log: the lines with a program of the first line's log. */
  logLines?: number;
  program?: string;
}

/** How serious each severity is, most serious first. */
export const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/** Longest first-line text a group carries (a journal JSON line can be kilobytes). */
const MAX_TEXT = 500;

/** The lines of a finding (each of a burst's), with their instants (that of their entry). */
function memberTimes(log: AnalyzedLog, finding: Finding): { line: number; time: number }[] {
  const { times, entryStart } = log.parsed;
  const lines = finding.members && finding.members.length > 0 ? finding.members : [finding.line];
  return lines.map((line) => ({ line, time: line >= 0 && line < times.length ? times[entryStart[line]] : finding.time }));
}

/** Whether line `a` of the group is shown before `b`: earlier in time, then earlier log, then earlier line; lines without a time last. */
function before(a: GroupLine, b: GroupLine): boolean {
  const at = Number.isNaN(a.time) ? Infinity : a.time;
  const bt = Number.isNaN(b.time) ? Infinity : b.time;
  return at !== bt ? at < bt : a.log !== b.log ? a.log < b.log : a.line < b.line;
}

function clipped(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** Whether a finding is a rare line (grouped by template) rather than a rule's match (grouped by rule). */
function isRare(finding: Finding, rules: ReadonlyMap<string, CompiledRule>): boolean {
  const rule = rules.get(finding.ruleId);
  return rule ? rule.definition.rare !== undefined : finding.ruleId.startsWith('rare/');
}

function groupKey(finding: Finding, template: { program: string; text: string } | undefined): string {
  return template ? `${finding.ruleId}\u0000${template.program}\u0000${template.text}` : finding.ruleId;
}

/** The key of the group a finding of `log` falls in, as `groupFindings` keys it. */
export function findingGroupKey(log: AnalyzedLog, finding: Finding, rules: ReadonlyMap<string, CompiledRule>): string {
  return groupKey(finding, isRare(finding, rules) ? templateOf(log, finding.line) : undefined);
}

interface Building {
  group: FindingGroup;
  times: number[];
  timeLogs: number[];
}

/**
 * Groups the findings of a set of logs: one group per rule id whatever the addresses, users or
 * queue ids (the same rule against many IPs is one group), and for rare lines one group per
 * program and template text, so the same one-off in two logs is one group. Groups come in the
 * order they were first met.
 */
export function groupFindings(logs: readonly TriageLog[], rules: ReadonlyMap<string, CompiledRule>): FindingGroup[] {
  return runSteps(groupFindingsSteps(logs, rules));
}

/** `groupFindings` in steps (`Steps`). */
export function* groupFindingsSteps(logs: readonly TriageLog[], rules: ReadonlyMap<string, CompiledRule>): Steps<FindingGroup[]> {
  const byKey = new Map<string, Building>();
  let done = 0;
  for (const [index, log] of logs.entries()) {
    const { analyzed } = log;
    for (const finding of analyzed.findings) {
      if (++done % GROUP_STEP === 0) yield;
      const rule = rules.get(finding.ruleId);
      const rare = isRare(finding, rules);
      const template = rare ? templateOf(analyzed, finding.line) : undefined;
      const key = groupKey(finding, template);
      let building = byKey.get(key);
      const members = memberTimes(analyzed, finding);
      let firstLine: GroupLine = { log: index, line: members[0].line, text: '', time: members[0].time };
      for (const m of members) {
        const candidate = { log: index, line: m.line, text: '', time: m.time };
        if (before(candidate, firstLine)) firstLine = candidate;
      }
      if (!building) {
        building = {
          group: {
            key,
            ruleId: finding.ruleId,
            kind: rare ? 'rare' : 'finding',
            severity: finding.severity,
            title: template ? `${template.program}: ${template.text}` : (rule?.definition.title ?? finding.title),
            count: 0,
            first: firstLine,
            times: new Float64Array(0),
            timeLogs: new Int32Array(0),
            perLog: new Map(),
            program: template?.program,
          },
          times: [],
          timeLogs: [],
        };
        byKey.set(key, building);
      } else if (before(firstLine, building.group.first)) {
        building.group.first = firstLine;
      }
      const group = building.group;
      if (SEVERITY_ORDER.indexOf(finding.severity) < SEVERITY_ORDER.indexOf(group.severity)) group.severity = finding.severity;
      group.count += members.length;
      group.perLog.set(index, (group.perLog.get(index) ?? 0) + members.length);
      for (const m of members) {
        if (Number.isNaN(m.time)) continue;
        building.times.push(m.time);
        building.timeLogs.push(index);
      }
    }
  }
  const groups: FindingGroup[] = [];
  for (const { group, times, timeLogs } of byKey.values()) {
    if (groups.length % GROUP_STEP === GROUP_STEP - 1) yield;
    const analyzed = logs[group.first.log].analyzed;
    const line = group.first.line;
    // Read once: a second read of a line far in a file on disk would fetch its whole block.
    const text = analyzed.parsed.text.line(line);
    group.first.text = clipped(text);
    const order = Array.from(times.keys()).sort((a, b) => times[a] - times[b] || timeLogs[a] - timeLogs[b]);
    group.times = Float64Array.from(order, (k) => times[k]);
    group.timeLogs = Int32Array.from(order, (k) => timeLogs[k]);
    // A declared rule's severity is already the line's own level; saying it again would count it twice.
    const rule = rules.get(group.ruleId);
    if (!rule?.definition.declared) group.declared = statedLevel(analyzed, line, text);
    if (group.kind === 'rare' && group.program !== undefined) {
      const stats = analyzed.templates.stats;
      group.programLines = stats.programLineCount(group.program);
      const bar = rule?.definition.rare?.minProgramLines;
      if (bar !== undefined && group.programLines < bar) group.logLines = stats.attributedLineCount();
    }
    groups.push(group);
  }
  return groups;
}

/** The template of a line, if it has one. */
function templateOf(log: AnalyzedLog, line: number): { program: string; text: string } | undefined {
  const { lineTemplates, stats, miner } = log.templates;
  const id = line >= 0 && line < lineTemplates.length ? lineTemplates[line] : NO_TEMPLATE;
  if (id === NO_TEMPLATE) return undefined;
  const template = stats.template(id) ?? miner.templateOf(id);
  return template ? { program: template.program, text: template.text } : undefined;
}

/**
 * The level word a line's program wrote, if any. Not the syslog priority, which many daemons set
 * once for all their lines, nor a level guessed from the message's words ("Failed" is not the
 * program saying error).
 */
function statedLevel(log: AnalyzedLog, line: number, text: string): LineLevel | undefined {
  const lines = log.parsed.lines;
  if (line < 0 || line >= lines.length) return undefined;
  return readDeclaredLevel(text, { start: lines.messageStart(line), end: lines.messageEnd(line) })?.level;
}
