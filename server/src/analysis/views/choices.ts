import { ViewSource } from './lineMap';

/** How many lines each program and each host wrote, a continuation line counted with its entry. */
export interface LineCounts {
  programs: Map<string, number>;
  hosts: Map<string, number>;
}

/** One pass over the log's columns: the sizes of its program and host views. */
export function lineCounts(source: Pick<ViewSource, 'lines' | 'entryStart'>): LineCounts {
  const programs = new Map<string, number>();
  const hosts = new Map<string, number>();
  let program: string | undefined;
  let host: string | undefined;
  let entry = -1;
  for (let line = 0; line < source.lines.length; line++) {
    const start = source.entryStart[line] >= 0 ? source.entryStart[line] : line;
    if (start !== entry) {
      entry = start;
      program = source.lines.program(start);
      host = source.lines.host(start);
    }
    if (program !== undefined) programs.set(program, (programs.get(program) ?? 0) + 1);
    if (host !== undefined) hosts.set(host, (hosts.get(host) ?? 0) + 1);
  }
  return { programs, hosts };
}

/** The `limit` largest entries of a count, largest first, then by name. */
export function largest(counts: Map<string, number>, limit: number): [string, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, limit);
}
