import { LineMap, MAX_VIEW_LINES, buildLineMap, rowOf } from '../analysis/views/lineMap';
import { viewSourceOf } from '../analysis/views/source';
import { largest, lineCounts } from '../analysis/views/choices';
import type { ViewChoice } from '../protocol';
import { ViewSpec, specFields } from '../analysis/views/spec';
import { AnalyzedLog } from '../analysis/service';
import { formatInZone } from '../analysis/time/zone';

export { MAX_VIEW_LINES };

/** Each analysis's views, built once: a request in a view maps its position through it. */
const built = new WeakMap<AnalyzedLog, Map<string, LineMap>>();

/** The line map of a view of `log` (cached for as long as this analysis of the log is current). */
export function lineMapFor(log: AnalyzedLog, spec: ViewSpec): LineMap {
  let maps = built.get(log);
  if (!maps) built.set(log, (maps = new Map()));
  const key = JSON.stringify(specFields(spec));
  let map = maps.get(key);
  if (!map) maps.set(key, (map = buildLineMap(viewSourceOf(log), spec)));
  return map;
}

/** The tab's title: "maillog 16:40–17:00", "maillog: findings ±3", "maillog: sshd". */
export function viewTitle(log: AnalyzedLog, name: string, spec: ViewSpec): string {
  switch (spec.kind) {
    case 'time': {
      // `2010-11-08 16:40:00 -05:00` → `16:40`, as the log's own lines read.
      const clock = (iso: string) => formatInZone(Date.parse(iso), log.parsed.zone).slice(11, 16);
      return `${name} ${clock(spec.from)}–${clock(spec.to)}`;
    }
    case 'findings':
      return `${name} findings ±${spec.context}`;
    case 'program':
      return `${name} program ${spec.program}`;
    case 'host':
      return `${name} host ${spec.host}`;
    case 'routineHidden':
      return `${name} without routine`;
  }
}

/** Where a log line shows in a view; undefined when the view leaves it out. */
export function viewRowOf(log: AnalyzedLog, spec: ViewSpec, line: number): number | undefined {
  return rowOf(lineMapFor(log, spec), line);
}

/** Programs and hosts offered as views, the largest first: a log names thousands of programs at worst. */
const MAX_NAMED_CHOICES = 50;

const counted = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
const shownLines = (map: LineMap) => map.segments.reduce((sum, segment) => sum + segment.count, 0) + map.cutLines;

/** The views a log can be seen through, with the lines each holds. */
export function viewChoices(log: AnalyzedLog, contextLines: number): ViewChoice[] {
  const findings: ViewSpec = { kind: 'findings', context: contextLines };
  const findingLines = shownLines(lineMapFor(log, findings));
  const routine = shownLines(lineMapFor(log, { kind: 'routineHidden' }));
  const total = log.parsed.lines.length;
  const { programs, hosts } = lineCounts(viewSourceOf(log));
  return [
    { kind: 'time', label: 'A window of time around a finding…', description: 'the entries within ±10 minutes' },
    { kind: 'findings', label: `Findings with ${counted(contextLines, 'line')} of context`, description: `${counted(log.findings.length, 'finding')}, ${counted(findingLines, 'line')}`, lines: findingLines, view: findings },
    { kind: 'routineHidden', label: 'Without routine lines', description: `${counted(routine, 'line')}, ${counted(total - routine, 'routine line')} hidden`, lines: routine, view: { kind: 'routineHidden' } },
    ...largest(programs, MAX_NAMED_CHOICES).map(([program, lines]): ViewChoice => ({ kind: 'program', label: `Program ${program}`, description: counted(lines, 'line'), lines, view: { kind: 'program', program } })),
    ...largest(hosts, MAX_NAMED_CHOICES).map(([host, lines]): ViewChoice => ({ kind: 'host', label: `Host ${host}`, description: counted(lines, 'line'), lines, view: { kind: 'host', host } })),
  ];
}
