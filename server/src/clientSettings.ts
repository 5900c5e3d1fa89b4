import { Connection } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, LogForensicsSettings, cleanSettings } from './settings';

/** The `logForensics` part of whatever a client sent as settings (`{logForensics: …}` or the section itself). */
function sectionOf(settings: unknown): unknown {
  if (typeof settings !== 'object' || settings === null) return undefined;
  const own = (settings as Record<string, unknown>).logForensics;
  return own !== undefined ? own : settings;
}

/**
 * The client's settings, however it gives them: asked for with `workspace/configuration` (per
 * log, for file-scoped settings), or pushed in the initialization options and with
 * `workspace/didChangeConfiguration` by a client that is not asked. A client that answers null
 * gets the pushed settings or the defaults.
 */
export class ClientSettings {
  private readonly cache = new Map<string, Promise<LogForensicsSettings>>();
  private pushed: unknown;
  canAsk = false;

  constructor(private readonly connection: Connection) {}

  /** Settings a client sent without being asked (initialization options, a change notification). */
  push(settings: unknown): void {
    const section = sectionOf(settings);
    if (section !== undefined) this.pushed = section;
    this.cache.clear();
  }

  /** The raw `logForensics` section, for workspace-wide settings (rules, the index). */
  async section(scopeUri?: string): Promise<unknown> {
    if (!this.canAsk) return this.pushed ?? {};
    const asked: unknown = await this.connection.workspace.getConfiguration({ scopeUri, section: 'logForensics' }).then(
      (value: unknown) => value,
      () => undefined,
    );
    return asked ?? this.pushed ?? {};
  }

  /** The clean settings a log is read with. */
  for(uri: string): Promise<LogForensicsSettings> {
    let settings = this.cache.get(uri);
    if (!settings) {
      settings = this.section(uri).then(cleanSettings, () => DEFAULT_SETTINGS);
      this.cache.set(uri, settings);
    }
    return settings;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  clear(): void {
    this.cache.clear();
  }
}
