import { LineVisitor, ParsedLog } from '../parse/document';
import { MATCHED_CHARS, detached } from '../parse/text';
import { LogLine, Span } from '../parse/types';
import { CompiledRule, DeclaredLevelName, Finding, Severity } from './types';
import { readDeclaredLevel } from '../parse/declared';
import { LineFields } from './patterns';
import { RuleMatcher } from './matcher';
import { AuditEvents } from './auditEvents';
import { correlate } from './sigma/correlation';
import { gatherBursts } from './bursts';
import { findSilencesSteps } from './silence';
import { formatDuration } from '../time/duration';
import { TimeIndex } from '../correlate/timeIndex';
import { LogTemplates } from '../templates/scanner';
import { findRareLinesSteps } from '../templates/rare';
import { Steps, endsStep, runSteps } from '../steps';

/** The parts of a parsed line matching reads. */
export type MatchedLine = Pick<LogLine, 'line' | 'kind' | 'host' | 'program' | 'pid' | 'message' | 'level'>;

/** A rule's pattern (or its end pattern) matched a line: all a finding needs but the time. */
interface RuleHit {
  line: number;
  rule: CompiledRule;
  /** The end of a paired rule rather than a start. */
  end: boolean;
  host: string;
  groups?: Record<string, string | undefined>;
  /** The match, as offsets within the line. */
  start: number;
  stop: number;
  /** A declared rule's finding takes its severity from the line's own level. */
  severity?: Severity;
}

/** A hit as data another thread can send: the rule named by its id. */
export type HitData = Omit<RuleHit, 'rule'> & { ruleId: string };

/** How many characters of a line's own words a declared finding's message keeps. */
const DECLARED_TEXT = 200;

/** The severity a stated level gives, before a rule's `severity` caps it. */
const DECLARED_SEVERITY: Readonly<Record<DeclaredLevelName, Severity>> = { emergency: 'error', error: 'error', warning: 'warning', notice: 'information' };

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, information: 2, hint: 3 };

/** The less severe of two severities. */
function lowerOf(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Fills `{name}` placeholders from a match's named groups. */
function renderMessage(template: string, groups: Record<string, string | undefined> | undefined): string {
  return template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => (groups && name in groups ? (groups[name] ?? '') : whole));
}

/** A match's groups, copied out of the line so that keeping them does not keep the text read with it. */
function detachedGroups(groups: Record<string, string | undefined> | undefined): Record<string, string | undefined> | undefined {
  if (!groups) return undefined;
  const copy: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(groups)) copy[name] = value === undefined ? undefined : detached(value);
  return copy;
}

function sliceOf(raw: string, span: Span | undefined): string | undefined {
  return span ? raw.slice(span.start, span.end) : undefined;
}

/** What groups a burst: the host and the rule's key groups. */
function burstKeyOf(hit: RuleHit): string {
  return `${hit.host}\u0000${(hit.rule.definition.key ?? []).map((k) => hit.groups?.[k] ?? '').join('\u0000')}`;
}

/** What pairs a start with its end: the rule, the host and the rule's key groups. */
function pairKeyOf(hit: RuleHit): string {
  return `${hit.rule.definition.id}\u0000${burstKeyOf(hit)}`;
}

interface OpenPair {
  finding: Finding;
  time: number;
  withinMs: number;
}

/**
 * Runs the catalogue over each line as the parser reads it, keeping only what matched; `findings`
 * then turns the matches into findings once every line has its time. Rules with an `end` pair up
 * a start with the next end of the same key on the same host, and report the duration, or that
 * no end followed.
 */
export class FindingScanner implements LineVisitor {
  private readonly hits: RuleHit[] = [];
  /** Only kept when a rule reads audit events: reading a record's fields costs more than a rule's look. */
  private readonly auditEvents?: AuditEvents;

  constructor(private readonly matcher: RuleMatcher) {
    if (matcher.all.some((rule) => rule.readsAuditEvents)) this.auditEvents = new AuditEvents();
  }

  visit(i: number, raw: string, line: MatchedLine, entryRaw: string, entryLine: MatchedLine): void {
    if (line.kind === 'blank') return;
    const matcher = this.matcher;
    // Program (for a continuation), host and pid missing from the line come from its entry's first line.
    const program = sliceOf(raw, line.program) ?? (line.kind === 'continuation' ? sliceOf(entryRaw, entryLine.program) : undefined);
    const messageStart = line.message.start;
    const message = raw.slice(messageStart, Math.min(line.message.end, messageStart + MATCHED_CHARS));
    const scope = matcher.scope(program);
    // Most lines hold no literal of any rule: one pass over the message turns them away before
    // any work, leaving only the few rules that have no literal to look for.
    const { starts, startCount, ends, endCount } = matcher.select(scope, message);
    if (startCount === 0 && endCount === 0) {
      if (scope.declared.length > 0 && (line.kind === 'entry' || line.kind === 'continuation')) this.declare(i, raw, line, scope.declared, entryRaw, entryLine);
      return;
    }
    const hostName = sliceOf(raw, line.host) ?? sliceOf(entryRaw, entryLine.host);
    const host = hostName ?? '';
    const fields: LineFields = { message, host: hostName, program, pid: sliceOf(raw, line.pid) ?? sliceOf(entryRaw, entryLine.pid), line: raw };
    const lead = message.charCodeAt(0);
    if (this.auditEvents && (lead === 116 /* t */ || lead === 110 /* n */ || lead === 97 /* a */)) fields.audit = this.auditEvents.add(message, raw, hostName);

    for (let k = 0; k < endCount; k++) {
      const rule = matcher.withEnd[ends[k]];
      const end = rule.endPattern!.exec(fields);
      if (end) this.hits.push({ line: i, rule, end: true, host: detached(host), groups: detachedGroups(end.groups), start: messageStart + end.index, stop: messageStart + end.index + end.length });
    }
    // Catch-all rules run only where no specific rule matched: the second pass.
    let claimed = false;
    for (let pass = 0; pass < 2 && !claimed; pass++) {
      for (let k = 0; k < startCount; k++) {
        const rule = scope.rules[starts[k]];
        if ((rule.definition.fallback === true) !== (pass === 1)) continue;
        const match = rule.pattern!.exec(fields);
        if (!match) continue;
        claimed = true;
        this.hits.push({ line: i, rule, end: false, host: detached(host), groups: detachedGroups(match.groups), start: messageStart + match.index, stop: messageStart + match.index + match.length });
      }
    }
    // A bare kernel message or a pasted line has no stamp, and still its own level word.
    if (!claimed && scope.declared.length > 0 && (line.kind === 'entry' || line.kind === 'continuation')) this.declare(i, raw, line, scope.declared, entryRaw, entryLine);
  }

  /** The line states its own level: the closest declared rule that claims that level flags it. */
  private declare(i: number, raw: string, line: MatchedLine, rules: readonly CompiledRule[], entryRaw: string, entryLine: MatchedLine): void {
    const declared = readDeclaredLevel(raw, line.message, line.level);
    if (!declared) return;
    const rule = rules.find((candidate) => candidate.definition.declared!.includes(declared.level as DeclaredLevelName));
    if (!rule) return;
    // A line may state its level and nothing else: the finding then says what the rule is about.
    const text = raw.slice(declared.textStart, Math.min(line.message.end, declared.textStart + DECLARED_TEXT)).trim() || rule.definition.title;
    this.hits.push({
      line: i,
      rule,
      end: false,
      // The host is cut only for the few lines that state a level.
      host: detached(sliceOf(raw, line.host) ?? sliceOf(entryRaw, entryLine.host) ?? ''),
      groups: { level: declared.level, text: detached(text) },
      start: declared.word.end > declared.word.start ? declared.word.start : line.message.start,
      stop: line.message.end,
      // A bare priority of warning is weak evidence (the kernel and many daemons use it for chatter):
      // information unless the program also wrote the word.
      severity: lowerOf(declared.word.end > declared.word.start || declared.level !== 'warning' ? DECLARED_SEVERITY[declared.level as DeclaredLevelName] : 'information', rule.definition.severity),
    });
  }

  /** The matches so far, as data for another thread. */
  hitData(): HitData[] {
    return this.hits.map(({ rule, ...hit }) => ({ ...hit, ruleId: rule.definition.id }));
  }

  /** Adds the matches another scanner (with the same rules) found in the `offset` lines that follow. */
  appendHits(hits: readonly HitData[], offset: number): void {
    runSteps(this.appendHitsSteps(hits, offset));
  }

  /** `appendHits` in steps of matches (`Steps`). */
  *appendHitsSteps(hits: readonly HitData[], offset: number): Steps<void> {
    const byId = new Map([...this.matcher.all, ...this.matcher.declared].map((rule) => [rule.definition.id, rule]));
    for (let k = 0; k < hits.length; k++) {
      if (endsStep(k)) yield;
      const { ruleId, ...hit } = hits[k];
      const rule = byId.get(ruleId);
      if (!rule) throw new Error(`a match names the rule ${ruleId}, which these rules do not have`);
      this.hits.push({ ...hit, rule, line: hit.line + offset });
    }
  }

  /**
   * The findings of the lines seen so far, in line order, timed by `log`; with `templates`, also
   * the rare lines no other rule flagged. Can be called again as lines are added.
   */
  findings(log: ParsedLog, index?: TimeIndex, templates?: LogTemplates): Finding[] {
    return runSteps(this.findingsSteps(log, index, templates));
  }

  /** `findings` in steps of matches (`Steps`). */
  *findingsSteps(log: ParsedLog, index?: TimeIndex, templates?: LogTemplates): Steps<Finding[]> {
    const findings: Finding[] = [];
    const burstKeys = new Map<Finding, string>();
    const open = new Map<string, OpenPair>();
    const count = log.lines.length;
    for (let k = 0; k < this.hits.length; k++) {
      if (endsStep(k)) yield;
      const hit = this.hits[k];
      if (hit.line >= count) break;
      const time = log.times[log.entryStart[hit.line]];
      const definition = hit.rule.definition;
      if (hit.end) {
        const pairKey = pairKeyOf(hit);
        const pending = open.get(pairKey);
        if (!pending) continue;
        const duration = time - pending.time;
        if (Number.isNaN(duration) || duration <= pending.withinMs) {
          pending.finding.endedAt = { line: hit.line, durationMs: Number.isNaN(duration) ? NaN : duration };
          pending.finding.message += Number.isNaN(duration) ? ` (ended at line ${hit.line + 1})` : ` (lasted ${formatDuration(duration)}, until line ${hit.line + 1})`;
        }
        open.delete(pairKey);
        continue;
      }
      const finding: Finding = {
        ruleId: definition.id,
        severity: hit.severity ?? definition.severity,
        title: definition.title,
        message: renderMessage(definition.message ?? (definition.declared ? '{text}' : definition.title), hit.groups),
        line: hit.line,
        endLine: hit.line,
        start: hit.start,
        end: hit.stop,
        time,
      };
      if (hit.groups) finding.groups = hit.groups;
      findings.push(finding);
      if (definition.burst) burstKeys.set(finding, burstKeyOf(hit));
      if (hit.rule.endPattern) {
        const pairKey = pairKeyOf(hit);
        const previous = open.get(pairKey);
        if (previous) previous.finding.message += ' (no end seen before it started again)';
        open.set(pairKey, { finding, time, withinMs: (definition.end?.withinSeconds ?? Infinity) * 1000 });
      }
    }
    for (const pending of open.values()) pending.finding.message += ' (no end follows in this log)';
    const correlated = this.matcher.correlations.length > 0 ? correlate(this.matcher.correlations, findings) : undefined;
    const kept = correlated && correlated.hidden.size > 0 ? findings.filter((finding) => !correlated.hidden.has(finding.ruleId)) : findings;
    const gathered = burstKeys.size > 0 ? gatherBursts(kept, burstKeys, this.matcher) : kept;
    yield;
    const silences = yield* findSilencesSteps(log, this.matcher.silence, index);
    const extra = correlated ? [...silences, ...correlated.added] : silences;
    const flagged = extra.length === 0 ? gathered : [...gathered, ...extra].sort((a, b) => a.line - b.line);
    if (!templates || this.matcher.rare.length === 0) return flagged;
    // Rarity is the last resort: any line a signature, a fallback, a declared level or a silence
    // already speaks for keeps that finding alone.
    const claimed = new Set<number>();
    for (let k = 0; k < this.hits.length; k++) {
      if (endsStep(k)) yield;
      claimed.add(this.hits[k].line);
    }
    for (const finding of silences) claimed.add(finding.line);
    yield;
    const rare = yield* findRareLinesSteps(log, templates, this.matcher.rare, claimed);
    return rare.length === 0 ? flagged : [...flagged, ...rare].sort((a, b) => a.line - b.line);
  }
}
