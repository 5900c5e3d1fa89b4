import { SuppressionSet } from '../../server/src/analysis/rules/suppress';
import { MemoryFileSystem } from '../../server/src/files/fileSystem';
import { LogCoordinator, LogHost } from '../../server/src/logs/coordinator';
import { StoredLog } from '../../server/src/logs/registry';
import { DEFAULT_SETTINGS, LogForensicsSettings } from '../../server/src/settings';
import { builtIn } from './catalogue';

/** The workspace folder of the in-memory file system. */
export const WORKSPACE = '/ws';
/** A fixed clock: the pipeline never reads the machine's. */
export const NOW = Date.UTC(2011, 2, 20, 12, 0, 0);
/** The settings every reader gets in these tests: UTC, so results never depend on the machine. */
export const UTC_SETTINGS: LogForensicsSettings = { ...DEFAULT_SETTINGS, zone: 'UTC' };

/** A coordinator over an in-memory file system with a clock and timers the test drives. */
export interface PipelineRig {
  fs: MemoryFileSystem;
  logs: LogCoordinator;
  /** What was last published per URI (undefined: cleared). */
  published: Map<string, StoredLog | undefined>;
  /** Runs the timers due, as the passing of time would. */
  tick(): void;
  suppressions: SuppressionSet;
}

/**
 * `warnings` collects what the user would be told; without it a warning fails the test.
 * `onYield` runs where requests would be answered between two steps of work.
 */
export function pipelineRig(options: { suppressions?: SuppressionSet; warnings?: string[]; onYield?: () => void } = {}): PipelineRig {
  const fs = new MemoryFileSystem(() => NOW);
  const timers: (() => void)[] = [];
  const published = new Map<string, StoredLog | undefined>();
  const suppressions = options.suppressions ?? new SuppressionSet();
  const { catalogue, matcher } = builtIn();
  const host: LogHost = {
    fs,
    now: () => NOW,
    schedule(task) {
      timers.push(task);
      return () => {
        const at = timers.indexOf(task);
        if (at >= 0) timers.splice(at, 1);
      };
    },
    yieldToRequests: () => {
      options.onYield?.();
      return Promise.resolve();
    },
    // Requests get their turn after every step: the steps show in tests of any size.
    sliceMs: 0,
    jobs: 1,
    rules: () => ({ matcher, recipe: { sources: [], disabled: [] }, catalogue }),
    settingsFor: () => Promise.resolve(UTC_SETTINGS),
    relativePath: (uri) => (uri.includes(`${WORKSPACE}/`) ? uri.slice(uri.indexOf(`${WORKSPACE}/`) + WORKSPACE.length + 1) : undefined),
    suppressionsFor: (uri) => (uri.includes(`${WORKSPACE}/`) ? { set: suppressions, file: uri.slice(uri.indexOf(`${WORKSPACE}/`) + WORKSPACE.length + 1) } : undefined),
    publish: async (uri, log) => {
      published.set(uri, log);
    },
    startProgress: async () => undefined,
    warn: (message) => {
      if (!options.warnings) throw new Error(`unexpected warning: ${message}`);
      options.warnings.push(message);
    },
  };
  return {
    fs,
    logs: new LogCoordinator(host),
    published,
    suppressions,
    tick: () => {
      for (const task of timers.splice(0)) task();
    },
  };
}
