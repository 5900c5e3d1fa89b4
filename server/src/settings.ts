import { MAX_CONTEXT_LINES } from './analysis/views/spec';

/** The server's view of the extension settings, cleaned and with defaults applied. */
export interface LogForensicsSettings {
  windowSeconds: number;
  /** Year of the last yearless line of a file, or undefined to use the file's modification time. */
  year?: number;
  /** IANA zone for stamps without an offset; empty means the machine's zone. */
  zone: string;
  /** Zones for files matching a glob (relative to the workspace folder); win over `zone`. */
  fileZones: Record<string, string>;
  /** Zones for lines written by a host; win over file zones. */
  hostZones: Record<string, string>;
  /** Seconds each host's clock ran ahead of true time (negative: behind). */
  hostOffsets: Record<string, number>;
  /** Lines shown either side of each finding in a findings view. */
  contextLines: number;
}

function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) if (typeof item === 'string' && item.trim() !== '') out[key] = item.trim();
  }
  return out;
}

function numberMap(value: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    for (const [key, item] of Object.entries(value)) if (typeof item === 'number' && Number.isFinite(item) && Math.abs(item) <= 366 * 86_400) out[key] = item;
  }
  return out;
}

/** Settings that apply to the whole workspace: where rules come from and which are off. */
export interface RuleSettings {
  /** Extra rule folders (absolute, or relative to the first workspace folder). */
  folders: string[];
  /** Folders of Sigma rules. */
  sigmaFolders: string[];
  /** Rule ids switched off. */
  disabled: string[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string' && item.trim() !== '').map((item) => item.trim()) : [];
}

/** Cleans the rule-related part of the `logForensics` section. */
export function cleanRuleSettings(raw: unknown): RuleSettings {
  const section = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const rules = (section.rules ?? {}) as Record<string, unknown>;
  const sigma = (section.sigma ?? {}) as Record<string, unknown>;
  return { folders: stringList(rules.folders), sigmaFolders: stringList(sigma.folders), disabled: stringList(rules.disabled) };
}

/** Which files of the workspace folders are logs, beyond what their names and first lines say. */
export interface WorkspaceLogSettings {
  /** Globs (relative to the workspace folder, `/`-separated) of files indexed as logs whatever they hold. */
  include: string[];
  /** Globs of files never indexed; they win over names, content and `include`. */
  exclude: string[];
}

/** Globs kept of each list: a setting is typed by hand, so more are a mistake, not a need. */
const MAX_GLOBS = 100;
/** Longest glob kept; the matcher ignores longer ones anyway. */
const MAX_GLOB_CHARS = 500;

function globList(value: unknown): string[] {
  const out: string[] = [];
  for (const item of stringList(value)) {
    // Paths are matched with `/`, relative to the folder: `relay\*.log`, `./relay/*` and `/relay/*` mean `relay/*`.
    const glob = item.replace(/\\/g, '/').replace(/^(?:\.?\/)+/, '');
    if (glob === '' || glob.length > MAX_GLOB_CHARS || out.includes(glob)) continue;
    out.push(glob);
    if (out.length === MAX_GLOBS) break;
  }
  return out;
}

/** Cleans `logForensics.workspace.include` and `.exclude` from the `logForensics` section. */
export function cleanWorkspaceLogSettings(raw: unknown): WorkspaceLogSettings {
  const section = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const workspace = (typeof section.workspace === 'object' && section.workspace !== null ? section.workspace : {}) as Record<string, unknown>;
  return { include: globList(workspace.include), exclude: globList(workspace.exclude) };
}

/**
 * The correlation window defaults to ± 5 minutes: SMTP gives a silent peer 5 minutes to greet
 * (RFC 5321 4.5.3.2, sendmail's `Timeout.initial`), so a hang on one host can surface in another's
 * log minutes later, and a field case had the relay's timeout 62 s after the gateway's fault.
 */
export const DEFAULT_SETTINGS: LogForensicsSettings = { windowSeconds: 300, zone: '', fileZones: {}, hostZones: {}, hostOffsets: {}, contextLines: 3 };

/** Turns whatever the client sent for the `logForensics` section into clean settings. */
export function cleanSettings(raw: unknown): LogForensicsSettings {
  const section = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const correlation = (section.correlation ?? {}) as Record<string, unknown>;
  const time = (section.time ?? {}) as Record<string, unknown>;
  const views = (section.views ?? {}) as Record<string, unknown>;
  const window = Number(correlation.windowSeconds);
  const year = Number(time.year);
  const context = Number(views.contextLines);
  return {
    windowSeconds: Number.isFinite(window) && window >= 0 ? Math.min(window, 86_400) : DEFAULT_SETTINGS.windowSeconds,
    year: time.year != null && Number.isInteger(year) && year >= 1970 && year <= 2200 ? year : undefined,
    zone: typeof time.zone === 'string' ? time.zone.trim() : '',
    fileZones: stringMap(time.fileZones),
    hostZones: stringMap(time.hostZones),
    hostOffsets: numberMap(time.hostOffsets),
    contextLines: views.contextLines != null && Number.isInteger(context) && context >= 0 ? Math.min(context, MAX_CONTEXT_LINES) : DEFAULT_SETTINGS.contextLines,
  };
}
