import { ParsedLog } from '../parse/document';
import { KIND_ENTRY, KIND_MARKER } from '../parse/lineTable';
import { CompiledRule, Finding } from '../rules/types';
import { formatDuration } from '../time/duration';
import { LogTemplates, NO_TEMPLATE } from './scanner';
import { Steps, endsStep, runSteps } from '../steps';

/** The limits of rare-line findings, in one place. */
export const RARE_LIMITS = {
  /**
   * Rare findings kept per log, the rarest first. A log whose variables masking misses (free
   * text, a chatty program with ids in words) can have thousands of one-off templates: past a
   * couple of hundred they bury the findings that matter and slow the editor, and the rarest are
   * the needles worth reading.
   */
  maxFindings: 200,
  /**
   * How long after a boot marker (`Linux version …`, `-- Boot … --`) lines are a boot sequence,
   * and up to which kernel uptime: a boot writes its one-off lines (probes, versions, the first
   * start of each daemon) once per boot, rare by nature and routine.
   */
  bootWindowMs: 120_000,
  /** Characters of the usual template quoted in the message. */
  usualChars: 120,
} as const;

/** Whether a list of program names (lower case) covers a normalised program name, as matcher.ts scopes (family, last part). */
function namesProgram(names: readonly string[], program: string): boolean {
  const parts = program.split('/').filter((part) => part !== '');
  return names.some((name) => name === program || name === parts[0] || name === parts[parts.length - 1]);
}

/** Whether a rule's `programs` cover a normalised program name. */
function inScope(rule: CompiledRule, program: string): boolean {
  return !rule.programs || namesProgram(rule.programs, program);
}

/**
 * The lines a template of `program` is judged rare against under a rule: the program's own when
 * it wrote at least `minProgramLines`; for one of the rule's `quietPrograms` that wrote fewer,
 * the log's (its lines with a program), when they are as many; else none (0): a daemon heard
 * once has no routine to stand out from, and may just be starting. The kernel writes nothing
 * routine of its own past boot (boot sequences are left out below), so one of its lines in a
 * busy log is a device, a filesystem or a driver speaking, however quiet it was before.
 */
function routineLines(rule: CompiledRule, program: string, programLines: number, logLines: number): number {
  const { minProgramLines, quietPrograms } = rule.definition.rare!;
  if (programLines >= minProgramLines) return programLines;
  return quietPrograms && namesProgram(quietPrograms, program) && logLines >= minProgramLines ? logLines : 0;
}

/** Lines of the log in a boot sequence: after a boot marker for `bootWindowMs`, and kernel lines of low uptime. */
function* bootLines(log: ParsedLog, templates: LogTemplates, candidates: readonly number[]): Steps<Set<number>> {
  const boot = new Set<number>();
  const lines = log.lines;
  const bootTemplates = new Set<number>();
  for (const template of templates.miner.templates()) {
    // The kernel's message may start with its uptime stamp (`[    0.000000] Linux version …`).
    if (template.program === 'kernel' && /^(?:\S+ ){0,2}Linux version /.test(template.text)) bootTemplates.add(template.id);
  }
  // Boot markers in file order, and the instant each starts its window (its own or the next stamped line's).
  const markers: { line: number; time: number }[] = [];
  const count = lines.length;
  for (let i = 0; i < count; i++) {
    if (endsStep(i)) yield;
    const kind = lines.kindCode(i);
    const isMarker = (kind === KIND_MARKER && /^-- (?:Boot|Reboot)\b/.test(log.text.line(i))) || (kind === KIND_ENTRY && bootTemplates.has(templates.lineTemplates[i]));
    if (isMarker) markers.push({ line: i, time: NaN });
    const last = markers[markers.length - 1];
    if (last && Number.isNaN(last.time) && Number.isFinite(log.times[i])) last.time = log.times[i];
  }
  let m = -1;
  for (const line of candidates) {
    while (m + 1 < markers.length && markers[m + 1].line <= line) m++;
    const uptime = lines.uptime(line);
    if (!Number.isNaN(uptime) && uptime * 1000 < RARE_LIMITS.bootWindowMs) {
      boot.add(line);
      continue;
    }
    if (m < 0) continue;
    const time = log.times[log.entryStart[line]];
    const start = markers[m].time;
    // A line without a usable time right after a marker is taken as part of that boot.
    if (Number.isNaN(start) || (Number.isNaN(time) ? true : time - start <= RARE_LIMITS.bootWindowMs)) boot.add(line);
  }
  return boot;
}

interface RareLine {
  line: number;
  template: number;
  count: number;
  /** The lines it is judged against (its program's, or the log's for a quiet program). */
  routine: number;
  share: number;
  time: number;
}

/**
 * The lines whose template is rare within their program: for each rare rule, a template with at
 * most `maxCount` lines in a program that wrote at least `minProgramLines` (a quiet program: in
 * a log of that many, `routineLines`). Left out: a line
 * another rule flagged (`claimed`), a line without a program, continuation lines, lines of a boot
 * sequence. A burst of one template within seconds is never rare: it has more than `maxCount`
 * lines. At most `RARE_LIMITS.maxFindings`, the rarest first (then the earliest), in line order.
 */
export function findRareLines(log: ParsedLog, templates: LogTemplates, rules: readonly CompiledRule[], claimed: ReadonlySet<number>): Finding[] {
  return runSteps(findRareLinesSteps(log, templates, rules, claimed));
}

/** `findRareLines` in steps of lines (`Steps`). */
export function* findRareLinesSteps(log: ParsedLog, templates: LogTemplates, rules: readonly CompiledRule[], claimed: ReadonlySet<number>): Steps<Finding[]> {
  if (rules.length === 0) return [];
  const { stats, lineTemplates, miner } = templates;
  const live = miner.templates();
  const size = live.reduce((max, t) => Math.max(max, t.id + 1), 0);
  const logLines = stats.attributedLineCount();
  // For each template id, the first rule that finds it rare (0: none), and the lines it was judged against.
  const ruleOf = new Uint16Array(size);
  const routineOf = new Float64Array(size);
  for (const template of live) {
    if (template.overflow || template.program === '') continue;
    const programLines = stats.programLineCount(template.program);
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index];
      if (template.count > rule.definition.rare!.maxCount || !inScope(rule, template.program)) continue;
      const routine = routineLines(rule, template.program, programLines, logLines);
      if (routine === 0) continue;
      ruleOf[template.id] = index + 1;
      routineOf[template.id] = routine;
      break;
    }
  }
  const candidates: number[] = [];
  const count = Math.min(lineTemplates.length, log.lines.length);
  for (let i = 0; i < count; i++) {
    if (endsStep(i)) yield;
    const id = lineTemplates[i];
    if (id === NO_TEMPLATE || id >= size || ruleOf[id] === 0 || claimed.has(i) || log.lines.kindCode(i) !== KIND_ENTRY) continue;
    candidates.push(i);
  }
  if (candidates.length === 0) return [];
  const boot = yield* bootLines(log, templates, candidates);
  const rare: RareLine[] = [];
  for (const line of candidates) {
    if (boot.has(line)) continue;
    const template = lineTemplates[line];
    const count = stats.template(template)!.count;
    rare.push({ line, template, count, routine: routineOf[template], share: count / routineOf[template], time: log.times[log.entryStart[line]] });
  }
  rare.sort((a, b) => a.count - b.count || a.share - b.share || timeOrder(a.time, b.time) || a.line - b.line);
  const shown = rare.slice(0, RARE_LIMITS.maxFindings).sort((a, b) => a.line - b.line);
  // Each finding says when its program was last heard: that index, over every line, in steps first.
  if (shown.some((entry) => !Number.isNaN(entry.time))) yield* stats.prepareLastHeard();
  return shown.map((entry) => rareFinding(log, templates, rules[ruleOf[entry.template] - 1], entry));
}

/** Earlier first; lines without a time after those with one. */
function timeOrder(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  return Number.isNaN(b) ? -1 : a - b;
}

/**
 * `rare for postfix/smtpd: this template 1× in 4,812 lines; usually "connect from <HOST>[<IP>]";
 * postfix/smtpd last heard 3 min 5 s before`; for a quiet program judged against the log,
 * `rare for kernel: this template 1× in the log's 3,282 lines (kernel wrote 1)`.
 */
function rareFinding(log: ParsedLog, templates: LogTemplates, rule: CompiledRule, entry: RareLine): Finding {
  const { stats } = templates;
  const template = stats.template(entry.template)!;
  const program = template.program;
  const programLines = stats.programLineCount(program);
  const parts = [
    entry.routine === programLines
      ? `rare for ${program}: this template ${entry.count}× in ${programLines.toLocaleString('en-US')} lines`
      : `rare for ${program}: this template ${entry.count}× in the log's ${entry.routine.toLocaleString('en-US')} lines (${program} wrote ${programLines.toLocaleString('en-US')})`,
  ];
  const usual = stats.nearest(entry.template, 1)[0]?.template.text;
  if (usual !== undefined) parts.push(`usually "${usual.length > RARE_LIMITS.usualChars ? `${usual.slice(0, RARE_LIMITS.usualChars)}…` : usual}"`);
  const heard = Number.isNaN(entry.time) ? undefined : stats.lastHeardBefore(program, entry.time);
  if (heard !== undefined) parts.push(`${program} last heard ${formatDuration(entry.time - heard)} before`);
  const definition = rule.definition;
  return {
    ruleId: definition.id,
    severity: definition.severity,
    title: definition.title,
    message: parts.join('; '),
    line: entry.line,
    endLine: entry.line,
    start: log.lines.messageStart(entry.line),
    end: log.lines.messageEnd(entry.line),
    time: entry.time,
  };
}
