import * as fs from 'fs';
import { URI } from 'vscode-uri';
import { AnalyzedLog, indexFindingsByLine } from './analysis/service';
import { GrowingTexts } from './growingTexts';
import { SuppressionSet } from './analysis/rules/suppress';

const WORKSPACE_SUPPRESSIONS = '.log-forensics/suppressions.json';
import { RuleMatcher } from './analysis/rules/matcher';
import { YearReference } from './analysis/time/year';
import { isKnownZone } from './analysis/time/zone';
import { firstGlobMatch } from './analysis/time/glob';
import { TimeContext } from './analysis/parse/document';
import { IndexedLog } from './analysis/correlate/around';
import { LogForensicsSettings } from './settings';

/** A log the server has analysed, with the settings it was read with. */
export interface StoredLog extends AnalyzedLog {
  uri: string;
  version: number;
  /** Why a setting was not honoured (an unknown zone), for the user. */
  notes: string[];
}

/** The machine's own zone, used when no setting names one. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function dateParts(ms: number, zone: string): { year: number; month: number; day: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(new Date(ms));
  const field = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: field('year'), month: field('month'), day: field('day') };
}

/**
 * Decides the year reference of a document: a setting, else the file's mtime (or the mtime a
 * gzip member recorded, passed as `knownMtimeMs`), else now.
 */
export function yearReferenceFor(uri: string, settings: LogForensicsSettings, zone: string, knownMtimeMs?: { ms: number; fromGzip: boolean }): YearReference {
  if (settings.year !== undefined) return { year: settings.year, month: 12, day: 31, source: 'setting' };
  if (knownMtimeMs) return { ...dateParts(knownMtimeMs.ms, zone), source: knownMtimeMs.fromGzip ? 'gzip member time' : 'file modification time' };
  const parsed = URI.parse(uri);
  if (parsed.scheme === 'file') {
    try {
      const mtime = fs.statSync(parsed.fsPath).mtimeMs;
      return { ...dateParts(mtime, zone), source: 'file modification time' };
    } catch {
      // A file that vanished or cannot be read falls back to the clock, like an unsaved buffer.
    }
  }
  return { ...dateParts(Date.now(), zone), source: 'current clock' };
}

/**
 * Decides how a log's times are read, from the settings: the zone (a file glob, else the
 * workspace zone, else the machine's), zones per host and host clock offsets. Unknown zones are
 * dropped with a note for the user.
 */
export function timeContextFor(settings: LogForensicsSettings, relativePath: string, notes: string[]): Omit<TimeContext, 'yearReference'> {
  const known = (zone: string, where: string): boolean => {
    if (isKnownZone(zone)) return true;
    notes.push(`The time zone "${zone}" in ${where} is unknown; it is ignored.`);
    return false;
  };
  let zone = machineZone();
  let zoneSource = 'the machine\'s zone (no setting names one)';
  if (settings.zone && known(settings.zone, 'logForensics.time.zone')) {
    zone = settings.zone;
    zoneSource = 'setting logForensics.time.zone';
  }
  const byFile = firstGlobMatch(settings.fileZones, relativePath);
  if (byFile && known(byFile[1], `logForensics.time.fileZones["${byFile[0]}"]`)) {
    zone = byFile[1];
    zoneSource = `setting logForensics.time.fileZones["${byFile[0]}"]`;
  }
  const zoneByHost: Record<string, string> = {};
  for (const [host, hostZone] of Object.entries(settings.hostZones)) if (known(hostZone, `logForensics.time.hostZones["${host}"]`)) zoneByHost[host] = hostZone;
  const hostOffsetsMs: Record<string, number> = {};
  for (const [host, seconds] of Object.entries(settings.hostOffsets)) hostOffsetsMs[host] = Math.round(seconds * 1000);
  return { zone, zoneSource, zoneByHost, hostOffsetsMs };
}

/** Which suppressions apply to a log, and the log's path as they name it. */
export type SuppressionLookup = (uri: string) => { set: SuppressionSet; file: string } | undefined;

/** Holds the analysis of every open log, keyed by URI. */
export class LogStore {
  private readonly logs = new Map<string, StoredLog>();
  private suppressionsFor: SuppressionLookup = () => undefined;
  private readonly growing = new GrowingTexts();

  constructor(private matcher: RuleMatcher) {}

  /** Sets how to find the suppressions of a log; callers re-analyse the open logs afterwards. */
  setSuppressions(lookup: SuppressionLookup): void {
    this.suppressionsFor = lookup;
  }

  /**
   * Marks every analysis as out of date (settings or rules changed): the next request on an open
   * log analyses it again instead of answering from the old reading.
   */
  invalidate(): void {
    for (const log of this.logs.values()) log.version = Number.NaN;
  }

  /** Replaces the rules; callers re-analyse the open logs afterwards. */
  setMatcher(matcher: RuleMatcher): void {
    this.matcher = matcher;
  }

  /**
   * Analyses (or re-analyses) a log: its text, or a function that completes an analysis already
   * under way (a log read from disk in chunks) for the time context the settings give.
   * `relativePath` is its path in its workspace folder. `upTo` analyses only the lines in the
   * text's first `upTo` characters (to show them before the rest); a text that only grew at its
   * end since the last analysis is read on from there.
   */
  analyze(uri: string, version: number, source: string | ((context: TimeContext) => AnalyzedLog), settings: LogForensicsSettings, relativePath?: string, knownMtime?: { ms: number; fromGzip: boolean }, upTo?: number): StoredLog {
    const notes: string[] = [];
    const zoned = timeContextFor(settings, relativePath ?? URI.parse(uri).path, notes);
    const context = { ...zoned, yearReference: yearReferenceFor(uri, settings, zoned.zone, knownMtime) };
    const analyzed = typeof source === 'string' ? this.growing.analysis(uri, source, this.matcher, upTo)(context) : source(context);
    const suppressions = this.suppressionsFor(uri);
    if (suppressions && suppressions.set.size > 0) {
      const lines = analyzed.parsed.text;
      const kept = analyzed.findings.filter((finding) => !suppressions.set.has(suppressions.file, finding.ruleId, lines.line(finding.line)));
      if (kept.length !== analyzed.findings.length) {
        notes.push(`${analyzed.findings.length - kept.length} finding(s) marked as expected in ${WORKSPACE_SUPPRESSIONS} are not shown.`);
        analyzed.findings = kept;
        analyzed.findingsByLine = indexFindingsByLine(kept);
      }
    }
    const stored: StoredLog = { ...analyzed, uri, version, notes };
    this.logs.set(uri, stored);
    return stored;
  }

  /** Lets go of what was kept to read a closed document on (its text and lines). */
  forgetText(uri: string): void {
    this.growing.forget(uri);
  }

  /** Reads a large document's lines up to `upTo` characters ahead of `analyze`, which then reads on from there. */
  advance(uri: string, text: string, upTo: number): void {
    this.growing.advance(uri, text, this.matcher, upTo);
  }

  get(uri: string): StoredLog | undefined {
    return this.logs.get(uri);
  }

  delete(uri: string): void {
    this.logs.delete(uri);
    this.growing.forget(uri);
  }

  uris(): string[] {
    return [...this.logs.keys()];
  }

  /** All logs in the shape correlation wants. */
  indexed(): IndexedLog[] {
    return [...this.logs.values()].map((log) => ({ id: log.uri, log: log.parsed, index: log.index }));
  }
}
