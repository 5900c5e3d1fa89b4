import { LineVisitor, LogParser, ParsedLog, ParsedPart, TimeContext } from './parse/document';
import { LinesInMemory, LogText } from './parse/logText';
import { splitLines } from './parse/text';
import { LogLine } from './parse/types';
import { Finding } from './rules/types';
import { RuleMatcher } from './rules/matcher';
import { FindingScanner, HitData } from './rules/findings';
import { TimeIndex, timeIndexSteps } from './correlate/timeIndex';
import { LogTemplates, TemplateScanner, TemplateScannerData } from './templates/scanner';
import { TemplateMiner } from './templates/miner';
import { SuppressionSet } from './rules/suppress';
import { YearEvidence, YearEvidenceOptions, yearEvidenceSteps } from './time/yearEvidence';
import { Steps, runSteps } from './steps';

/** Everything the analysis knows about one log. */
export interface AnalyzedLog {
  parsed: ParsedLog;
  findings: Finding[];
  index: TimeIndex;
  /** Findings by line, for hovers and code actions; a burst is listed under each of its lines. */
  findingsByLine: Map<number, Finding[]>;
  /** Each program's message templates, each line's template, and how rare each is. */
  templates: LogTemplates;
}

/** Parses a log held in one string, runs the signatures over it and indexes it by time. */
export function analyzeLog(content: string, context: TimeContext, matcher: RuleMatcher): AnalyzedLog {
  const analysis = new LogAnalysis(matcher);
  analysis.checkStart(content);
  const lines = splitLines(content);
  analysis.add(lines);
  return analysis.result(context, new LinesInMemory(lines));
}

/** What one analysis read of a stretch of a log, as data that can go from one thread to another. */
export interface AnalysisPart {
  parsed: ParsedPart;
  hits: HitData[];
  templates: TemplateScannerData;
}

/** Switches for measuring; the defaults are what the product runs. */
export interface AnalysisOptions {
  /**
   * Learn each line's message template (default true). Off, the log has no templates, so no rare
   * lines: only the benchmark turns it off, to weigh what the mining costs.
   */
  templates?: boolean;
  /**
   * This analysis reads a stretch of a log that another takes in (`part()` then `append`), as a
   * worker thread does: its template miner keeps what joining needs (default false).
   */
  part?: boolean;
}

/** Shows each line to the signatures and to the template miner: one pass, both visitors. */
class AnalysisVisitor implements LineVisitor {
  constructor(
    readonly findings: FindingScanner,
    readonly templates: TemplateScanner,
    readonly mining: boolean,
  ) {}

  visit(i: number, raw: string, line: LogLine, entryRaw: string, entryLine: LogLine): void {
    this.findings.visit(i, raw, line, entryRaw, entryLine);
    if (this.mining) this.templates.visit(i, raw, line, entryRaw, entryLine);
  }
}

/**
 * Analyses a log a chunk of lines at a time, in one pass (each line is parsed, matched and mined
 * for its template as it arrives), so a log never has to be one string; `result` can be taken
 * after any chunk, and again after more lines are added to a growing log. This is the only way a
 * log is analysed: `analyzeLog`, the disk scans and the worker threads all go through it.
 */
export class LogAnalysis {
  private readonly visitor: AnalysisVisitor;
  private readonly parser: LogParser;
  private readonly forPart: boolean;

  constructor(matcher: RuleMatcher, options: AnalysisOptions = {}) {
    this.visitor = new AnalysisVisitor(new FindingScanner(matcher), new TemplateScanner(new TemplateMiner({ sequenceTallies: options.part === true })), options.templates !== false);
    this.forPart = options.part === true;
    this.parser = new LogParser(this.visitor);
  }

  /** Lines parsed so far. */
  get length(): number {
    return this.parser.length;
  }

  /** Looks at the first characters of the log for signs it is not text; call before the first `add`. */
  checkStart(text: string): void {
    this.parser.checkStart(text);
  }

  /** Makes room for about `lines` lines in all (a log whose size is known). */
  reserve(lines: number): void {
    this.parser.reserve(lines);
    if (this.visitor.mining) this.visitor.templates.reserve(lines);
  }

  /** Gives back room reserved for lines that did not come. */
  trim(): void {
    this.parser.trim();
    this.visitor.templates.trim();
  }

  /** Parses, matches and mines the next lines (without their line ends). */
  add(lines: readonly string[]): void {
    this.parser.add(lines);
  }

  /** What was read, as data for another thread; this analysis must not be used afterwards. */
  part(): AnalysisPart {
    if (!this.forPart) throw new Error('only an analysis made with the option `part` can give its part to another');
    // The parser first: it shows the visitors the lines it still held back.
    const parsed = this.parser.part();
    return { parsed, hits: this.visitor.findings.hitData(), templates: this.visitor.templates.data() };
  }

  /** Adds what another analysis (with the same rules) read of the lines that follow, starting at an entry. */
  append(part: AnalysisPart): void {
    runSteps(this.appendSteps(part));
  }

  /** `append` in steps (`Steps`); until the last, this analysis holds part of `part` only. */
  *appendSteps(part: AnalysisPart): Steps<void> {
    const offset = this.parser.length;
    yield* this.parser.appendSteps(part.parsed);
    yield* this.visitor.findings.appendHitsSteps(part.hits, offset);
    yield* this.visitor.templates.appendSteps(part.templates, offset);
  }

  /**
   * What the lines added so far say about the year of their yearless stamps (`text` reads them
   * back): taken before `result`, to decide the time context's year reference with `chooseYearReference`.
   */
  yearEvidence(text: LogText, options?: YearEvidenceOptions): YearEvidence {
    return runSteps(this.yearEvidenceSteps(text, options));
  }

  /** `yearEvidence` in steps (`Steps`). */
  yearEvidenceSteps(text: LogText, options?: YearEvidenceOptions): Steps<YearEvidence> {
    return yearEvidenceSteps(this.parser.columns, text, options);
  }

  /** The analysis of every line added so far; `text` reads those lines back. */
  result(context: TimeContext, text: LogText): AnalyzedLog {
    return runSteps(this.resultSteps(context, text));
  }

  /**
   * `result` in steps (`Steps`): placing the lines in time, the time index, each line's template,
   * the findings. Of what an earlier result shows, only the templates' times change, all at once
   * after every line's template is known.
   */
  *resultSteps(context: TimeContext, text: LogText): Steps<AnalyzedLog> {
    const parsed = yield* this.parser.finishSteps(context, text);
    const index = yield* timeIndexSteps(parsed);
    const templates = yield* this.visitor.templates.resultSteps(parsed.times, parsed.entryStart);
    const findings = yield* this.visitor.findings.findingsSteps(parsed, index, templates);
    return { parsed, findings, index, findingsByLine: indexFindingsByLine(findings), templates };
  }
}

/** Lists findings under each line they concern; a burst under each of its lines. */
export function indexFindingsByLine(findings: Finding[]): Map<number, Finding[]> {
  const findingsByLine = new Map<number, Finding[]>();
  for (const finding of findings) {
    for (const line of finding.members ?? [finding.line]) {
      const list = findingsByLine.get(line) ?? [];
      list.push(finding);
      findingsByLine.set(line, list);
    }
  }
  return findingsByLine;
}

/**
 * Leaves out the findings the user marked as expected (`file`: the log's path as the suppressions
 * name it). Every reader (editor, scan, report, export) takes this same step, so they agree on
 * what is shown. Returns how many were left out; `log` is changed in place.
 */
export function withoutSuppressed(log: AnalyzedLog, suppressions: SuppressionSet | undefined, file: string): number {
  if (!suppressions || suppressions.size === 0) return 0;
  const text = log.parsed.text;
  const kept = log.findings.filter((finding) => !suppressions.has(file, finding.ruleId, text.line(finding.line)));
  const hidden = log.findings.length - kept.length;
  if (hidden > 0) {
    log.findings = kept;
    log.findingsByLine = indexFindingsByLine(kept);
  }
  return hidden;
}
