import { LogParser, ParsedLog, ParsedPart, TimeContext, parseLog } from './parse/document';
import { LogText } from './parse/logText';
import { Finding } from './rules/types';
import { RuleMatcher } from './rules/matcher';
import { FindingScanner, HitData } from './rules/findings';
import { TimeIndex, buildTimeIndex } from './correlate/timeIndex';

/** Everything the analysis knows about one log. */
export interface AnalyzedLog {
  parsed: ParsedLog;
  findings: Finding[];
  index: TimeIndex;
  /** Findings by line, for hovers and code actions; a burst is listed under each of its lines. */
  findingsByLine: Map<number, Finding[]>;
}

/** Parses a log held in one string, runs the signatures over it and indexes it by time. */
export function analyzeLog(content: string, context: TimeContext, matcher: RuleMatcher): AnalyzedLog {
  const scanner = new FindingScanner(matcher);
  const parsed = parseLog(content, context, scanner);
  return completeAnalysis(parsed, scanner);
}

function completeAnalysis(parsed: ParsedLog, scanner: FindingScanner): AnalyzedLog {
  const index = buildTimeIndex(parsed);
  const findings = scanner.findings(parsed, index);
  return { parsed, findings, index, findingsByLine: indexFindingsByLine(findings) };
}

/** What one analysis read of a stretch of a log, as data that can go from one thread to another. */
export interface AnalysisPart {
  parsed: ParsedPart;
  hits: HitData[];
}

/**
 * Analyses a log a chunk of lines at a time, in one pass (each line is parsed and matched as it
 * arrives), so a log never has to be one string; `result` can be taken after any chunk, and again
 * after more lines are added to a growing log.
 */
export class LogAnalysis {
  private readonly scanner: FindingScanner;
  private readonly parser: LogParser;

  constructor(matcher: RuleMatcher) {
    this.scanner = new FindingScanner(matcher);
    this.parser = new LogParser(this.scanner);
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
  }

  /** Gives back room reserved for lines that did not come. */
  trim(): void {
    this.parser.trim();
  }

  /** Parses and matches the next lines (without their line ends). */
  add(lines: readonly string[]): void {
    this.parser.add(lines);
  }

  /** What was read, as data for another thread; this analysis must not be used afterwards. */
  part(): AnalysisPart {
    return { parsed: this.parser.part(), hits: this.scanner.hitData() };
  }

  /** Adds what another analysis (with the same rules) read of the lines that follow, starting at an entry. */
  append(part: AnalysisPart): void {
    const offset = this.parser.length;
    this.parser.append(part.parsed);
    this.scanner.appendHits(part.hits, offset);
  }

  /** The analysis of every line added so far; `text` reads those lines back. */
  result(context: TimeContext, text: LogText): AnalyzedLog {
    return completeAnalysis(this.parser.finish(context, text), this.scanner);
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
