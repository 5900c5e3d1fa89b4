import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogFileSystem, MemoryFileSystem } from '../../server/src/files/fileSystem';
import { LogFileScan } from '../../server/src/files/logFileScan';
import { triage } from '../../server/src/analysis/triage/triage';
import { builtIn, FIXED_TIME } from '../support/catalogue';

const FLAGGED = [
  'drjmailgw kernel: [3003257.771783] bnx2: eth0 NIC Copper Link is Down',
  'drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'drjmailgw sshd[4242]: Failed password for root from 203.0.113.9 port 52311 ssh2',
];

/** A file system that counts the bytes read through it. */
function counting(inner: LogFileSystem): { fs: LogFileSystem; bytes: () => number } {
  let bytes = 0;
  const fs: LogFileSystem = {
    stat: (file) => inner.stat(file),
    readdir: (folder) => inner.readdir(folder),
    readFile: (file) => inner.readFile(file),
    open: (file) => {
      const handle = inner.open(file);
      return {
        read: (target, position) => {
          const read = handle.read(target, position);
          bytes += read;
          return read;
        },
        size: () => handle.size(),
        close: () => handle.close(),
      };
    },
  };
  return { fs, bytes: () => bytes };
}

test('the triage of a log on disk reads the first line of each group once, not the blocks around it', () => {
  // Flagged lines 2,000 routine lines apart: each far from the last one read.
  const lines: string[] = [];
  for (let k = 0; k < 9; k++) {
    lines.push(`Nov  8 1${k}:00:00 ${FLAGGED[k % FLAGGED.length]}`);
    for (let r = 0; r < 2000; r++) lines.push(`Nov  8 1${k}:${String(r % 60).padStart(2, '0')}:30 drjmailgw CRON[${r}]: (root) CMD (run-parts /etc/cron.hourly)`);
  }
  const written = Date.UTC(2010, 10, 9);
  const memory = new MemoryFileSystem(() => written);
  memory.write('/logs/messages', `${lines.join('\n')}\n`, written);
  const disk = counting(memory);
  const scan = new LogFileScan('/logs/messages', builtIn().matcher, undefined, disk.fs);
  scan.readAll();
  const analyzed = scan.result(FIXED_TIME);
  const before = disk.bytes();
  const groups = triage([{ id: 'messages', file: 'messages', analyzed }], builtIn().catalogue.byId);
  const read = disk.bytes() - before;
  assert.ok(groups.length >= 2, `${groups.length} groups`);
  // Each group's first line once (with its line end); a block read around one would be 64 KiB.
  const firstLines = groups.reduce((sum, group) => sum + Buffer.byteLength(lines[group.line - 1]) + 1, 0);
  assert.ok(read <= firstLines, `${read} bytes read for ${groups.length} groups whose first lines hold ${firstLines}`);
  assert.ok(groups.every((group) => group.text === lines[group.line - 1]));
  scan.close();
});
