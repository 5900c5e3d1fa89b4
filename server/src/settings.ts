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

export const DEFAULT_SETTINGS: LogForensicsSettings = { windowSeconds: 60, zone: '', fileZones: {}, hostZones: {}, hostOffsets: {} };

/** Turns whatever the client sent for the `logForensics` section into clean settings. */
export function cleanSettings(raw: unknown): LogForensicsSettings {
  const section = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const correlation = (section.correlation ?? {}) as Record<string, unknown>;
  const time = (section.time ?? {}) as Record<string, unknown>;
  const window = Number(correlation.windowSeconds);
  const year = Number(time.year);
  return {
    windowSeconds: Number.isFinite(window) && window >= 0 ? Math.min(window, 86_400) : DEFAULT_SETTINGS.windowSeconds,
    year: time.year != null && Number.isInteger(year) && year >= 1970 && year <= 2200 ? year : undefined,
    zone: typeof time.zone === 'string' ? time.zone.trim() : '',
    fileZones: stringMap(time.fileZones),
    hostZones: stringMap(time.hostZones),
    hostOffsets: numberMap(time.hostOffsets),
  };
}
