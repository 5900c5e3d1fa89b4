import { ParsedLog, TimeContext, parseLog } from './parse/document';
import { Finding } from './rules/types';
import { RuleMatcher } from './rules/matcher';
import { findFindings } from './rules/findings';
import { TimeIndex, buildTimeIndex } from './correlate/timeIndex';

/** Everything the analysis knows about one log. */
export interface AnalyzedLog {
  parsed: ParsedLog;
  findings: Finding[];
  index: TimeIndex;
  /** Findings by line, for hovers and code actions; a burst is listed under each of its lines. */
  findingsByLine: Map<number, Finding[]>;
}

/** Parses a log, runs the signatures over it and indexes it by time. */
export function analyzeLog(content: string, context: TimeContext, matcher: RuleMatcher): AnalyzedLog {
  const parsed = parseLog(content, context);
  const findings = findFindings(parsed, matcher);
  return { parsed, findings, index: buildTimeIndex(parsed), findingsByLine: indexFindingsByLine(findings) };
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
