import { AnalyzedLog } from '../service';
import { routineRuns } from '../templates/routine';
import { ViewSource } from './lineMap';

/** What a view reads of an analysed log: the parser's columns, its time index, its findings, its routine runs. */
export function viewSourceOf(log: AnalyzedLog): ViewSource {
  return {
    lines: log.parsed.lines,
    entryStart: log.parsed.entryStart,
    index: log.index,
    findings: log.findings,
    routineRuns: () => routineRuns({ templates: log.templates, findingsByLine: log.findingsByLine, entryStart: log.parsed.entryStart }, log.parsed.lines.length),
  };
}
