import { resolveAnchors } from '../analysis/annotate/anchor';
import { whatHappened } from '../analysis/annotate/report';
import { Annotation } from '../analysis/annotate/types';
import { BucketGroup, countBuckets } from '../analysis/correlate/buckets';
import { ParsedLog } from '../analysis/parse/document';
import { Finding } from '../analysis/rules/types';
import { TimelineAnnotationDto, TimelineFindingDto, TimelineGroupDto, TimelineParams, TimelineResult } from '../protocol';
import { isoUtc } from './time';

/** Findings listed at most in one answer; the chart still counts them all. */
export const MAX_TIMELINE_FINDINGS = 5000;

/** An open log as the timeline sees it. */
export interface TimelineLog {
  uri: string;
  /** Path relative to its workspace folder, with `/`; how annotations name it. */
  file: string;
  parsed: ParsedLog;
  findings: readonly Finding[];
}

/** The annotations of one workspace folder, with how to name the URI of one of its files. */
export interface FolderAnnotations {
  annotations: readonly Annotation[];
  uriOf: (file: string) => string;
}

function timeOrNull(ms: number): string | null {
  return Number.isNaN(ms) ? null : isoUtc(ms);
}

/** Orders by ISO time (null last), then by `tie`. */
function byTime<T extends { time: string | null }>(tie: (a: T, b: T) => number): (a: T, b: T) => number {
  return (a, b) => (a.time === b.time ? tie(a, b) : a.time === null ? 1 : b.time === null ? -1 : a.time < b.time ? -1 : 1);
}

function annotationsOf(logs: readonly TimelineLog[], folders: readonly FolderAnnotations[]): TimelineAnnotationDto[] {
  const byUri = new Map(logs.map((log) => [log.uri, log]));
  const out: TimelineAnnotationDto[] = [];
  for (const folder of folders) {
    const byFile = new Map<string, Annotation[]>();
    for (const annotation of folder.annotations) byFile.set(annotation.file, [...(byFile.get(annotation.file) ?? []), annotation]);
    for (const [file, annotations] of byFile) {
      const uri = folder.uriOf(file);
      const log = byUri.get(uri);
      const resolutions = log ? resolveAnchors(log.parsed.text, annotations.map((a) => a.anchor)) : [];
      annotations.forEach((annotation, i) => {
        const common = { id: annotation.id, file, uri, starred: annotation.starred, tags: annotation.tags, note: annotation.note };
        const resolution = resolutions[i];
        if (!log || !resolution) {
          out.push({ ...common, state: 'closed', line: annotation.anchor.line, time: null, host: '', text: annotation.anchor.text });
        } else if ('lost' in resolution) {
          out.push({ ...common, state: 'lost', line: annotation.anchor.line, reason: resolution.lost, time: null, host: '', text: annotation.anchor.text });
        } else {
          const entry = log.parsed.entryStart[resolution.line] ?? resolution.line;
          const what = whatHappened(log.parsed, resolution.line);
          out.push({
            ...common,
            state: 'placed',
            line: resolution.line,
            ...(resolution.movedFrom !== undefined ? { movedFrom: resolution.movedFrom } : {}),
            time: timeOrNull(log.parsed.times[entry]),
            host: what.host ?? '',
            text: log.parsed.text.line(resolution.line) ?? '',
          });
        }
      });
    }
  }
  const rank = { placed: 0, lost: 1, closed: 2 };
  return out.sort(byTime((a, b) => rank[a.state] - rank[b.state] || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line));
}

function findingsOf(logs: readonly TimelineLog[]): TimelineFindingDto[] {
  const out: TimelineFindingDto[] = [];
  for (const log of logs) {
    for (const finding of log.findings) {
      const entry = log.parsed.entryStart[finding.line] ?? finding.line;
      out.push({
        uri: log.uri,
        line: finding.line,
        time: timeOrNull(finding.time),
        severity: finding.severity,
        ruleId: finding.ruleId,
        message: finding.message,
        host: whatHappened(log.parsed, entry).host ?? '',
        file: log.file,
      });
    }
  }
  return out.sort(byTime((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line));
}

function groupDto(group: BucketGroup, logs: readonly TimelineLog[]): TimelineGroupDto {
  return { key: group.key, entries: group.entries, findings: group.findings, first: group.first.map((at) => (at ? { uri: logs[at.log].uri, line: at.line } : null)) };
}

/**
 * Builds the `logForensics/timeline` answer: every finding and annotation of the open logs in time
 * order, and the per-bucket counts of entries and findings per host and per file.
 */
export function timelineResponse(logs: readonly TimelineLog[], folders: readonly FolderAnnotations[], params: TimelineParams, problems: string[] = []): TimelineResult {
  const instant = (iso?: string): number | undefined => {
    if (iso === undefined) return undefined;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) throw new RangeError(`"${iso}" is not an ISO 8601 instant`);
    return ms;
  };
  if (params.bucketSeconds !== undefined && !(params.bucketSeconds > 0)) throw new RangeError(`bucketSeconds must be > 0, not ${String(params.bucketSeconds)}`);
  const counts = countBuckets(
    logs.map((log) => ({ file: log.file, parsed: log.parsed, findings: log.findings })),
    { bucketMs: params.bucketSeconds !== undefined ? params.bucketSeconds * 1000 : undefined, from: instant(params.from), to: instant(params.to) },
  );
  const findings = findingsOf(logs);
  return {
    from: timeOrNull(counts.from),
    bucketSeconds: counts.bucketMs / 1000,
    bucketCount: counts.count,
    byHost: counts.byHost.map((group) => groupDto(group, logs)),
    byFile: counts.byFile.map((group) => groupDto(group, logs)),
    findings: findings.slice(0, MAX_TIMELINE_FINDINGS),
    findingsTruncated: findings.length > MAX_TIMELINE_FINDINGS,
    annotations: annotationsOf(logs, folders),
    problems,
  };
}
