import * as fs from 'fs';
import * as path from 'path';

/** The folder, in each workspace folder, of the files that decide the rules and what is hidden. */
const STATE_DIR = '.log-forensics';

/** Watches one folder; a folder that cannot be watched is left unwatched (the next reload still reads it). */
function watchFolder(folder: string, onEvent: (name: string) => void): fs.FSWatcher | undefined {
  try {
    const watcher = fs.watch(folder, { persistent: false }, (_event, name) => onEvent(name === null ? '' : String(name)));
    watcher.on('error', () => watcher.close());
    return watcher;
  } catch {
    return undefined;
  }
}

/**
 * For clients that watch no files for the server (no `workspace.didChangeWatchedFiles`): the
 * server watches each workspace folder's `.log-forensics/` itself, and the folder for
 * `.log-forensics/` appearing, and calls `changed` on any event there (an atomic write is a
 * rename, which a folder watch sees). Returns the way to stop watching.
 */
export function watchWorkspaceState(folders: readonly string[], changed: () => void): () => void {
  const watchers: fs.FSWatcher[] = [];
  const watchState = (folder: string) => {
    const state = watchFolder(path.join(folder, STATE_DIR), () => changed());
    if (state) watchers.push(state);
    return state !== undefined;
  };
  for (const folder of folders) {
    if (watchState(folder)) continue;
    let appeared = false;
    const root = watchFolder(folder, (name) => {
      if (appeared || name !== STATE_DIR || !fs.existsSync(path.join(folder, STATE_DIR))) return;
      appeared = watchState(folder);
      if (appeared) changed();
    });
    if (root) watchers.push(root);
  }
  return () => {
    for (const watcher of watchers.splice(0)) watcher.close();
  };
}
