import { AnalyzedLog } from '../../server/src/analysis/service';
import { linesOf } from '../../server/src/analysis/parse/logText';

/** What an analysis yields that callers read, in comparable form. */
export function summary(log: AnalyzedLog): unknown {
  const lines = log.parsed.lines;
  const columns = [];
  for (let i = 0; i < lines.length; i++) columns.push([lines.kind(i), lines.format(i), lines.level(i), lines.host(i), lines.program(i), lines.pid(i), lines.messageStart(i), lines.messageEnd(i)]);
  return {
    text: linesOf(log.parsed.text),
    times: [...log.parsed.times],
    entryStart: [...log.parsed.entryStart],
    format: log.parsed.format,
    problems: log.parsed.problems,
    findings: log.findings,
    index: [...log.index.lines],
    columns,
  };
}
