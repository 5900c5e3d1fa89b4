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
  /** Findings by line, for hovers and code actions. */
  findingsByLine: Map<number, Finding[]>;
}

/** Parses a log, runs the signatures over it and indexes it by time. */
export function analyzeLog(content: string, context: TimeContext, matcher: RuleMatcher): AnalyzedLog {
  const parsed = parseLog(content, context);
  const findings = findFindings(parsed, matcher);
  const findingsByLine = new Map<number, Finding[]>();
  for (const finding of findings) {
    const list = findingsByLine.get(finding.line) ?? [];
    list.push(finding);
    findingsByLine.set(finding.line, list);
  }
  return { parsed, findings, index: buildTimeIndex(parsed), findingsByLine };
}
