/**
 * Workspace folders holding a log over VS Code's 50 MB sync limit, written to the system's
 * temporary folder for the checks through the user interface (largeLogUi.ts) and removed after.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Lines no rule flags, of several programs, so the read parses and matches as on a real log. */
const ROUTINE: ((n: number) => string)[] = [
  (n) => `postfix/qmgr[880]: ${hexId(n)}: removed`,
  (n) => `postfix/smtpd[${2000 + (n % 97)}]: connect from mail${n % 211}.example.net[192.0.2.${n % 250}]`,
  (n) => `postfix/cleanup[${3000 + (n % 13)}]: ${hexId(n)}: message-id=<${n}.${n % 7919}@example.org>`,
  (n) => `postfix/qmgr[880]: ${hexId(n)}: from=<user${n % 503}@example.org>, size=${1000 + (n % 90000)}, nrcpt=1 (queue active)`,
  (n) => `CRON[${4000 + (n % 31)}]: (root) CMD (run-parts /etc/cron.hourly)`,
];

const MONTH_DAY = 'Nov  8';

function hexId(n: number): string {
  return (0x3f1a2b4c5d + n).toString(16).toUpperCase().slice(-10);
}

function stamp(second: number): string {
  const clock = [Math.floor(second / 3600) % 24, Math.floor(second / 60) % 60, second % 60].map((part) => String(part).padStart(2, '0')).join(':');
  return `${MONTH_DAY} ${clock}`;
}

/** The last line of every large log here: a finding at the very end of the file. */
export const GREETING_TIMEOUT = 'Nov  8 23:50:38 relay1 sendmail[21930]: oA8LnYiw021929: timeout waiting for input from drjmailgw during client greeting';

/** A finding in the first lines, kept when the read is stopped. */
export const IRQ_LINE = 'Nov  8 00:00:00 drjmailgw kernel: do_IRQ: 1.221 No irq handler for vector (irq -1)';

/** A large log in a folder of its own, beside a small log, as a workspace. */
export interface LargeLogFolder {
  folder: string;
  /** The large log's path and size in bytes. */
  largeLog: string;
  bytes: number;
  /** The 0-based index of its last line (the greeting timeout). */
  lastLine: number;
  /** A small log holding {@link IRQ_LINE} only. */
  smallLog: string;
  remove(): void;
}

/**
 * Writes `maillog` of at least `megabytes` MB (10^6 bytes): the interrupt line, routine lines of
 * the mail system between 00:00 and 23:50, and the greeting timeout last; and `messages`, a small
 * log with the interrupt line. `settings` goes to the folder's .vscode/settings.json.
 */
export function writeLargeLogFolder(megabytes: number, settings: Record<string, unknown> = {}): LargeLogFolder {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-large-ui-'));
  const largeLog = path.join(folder, 'maillog');
  const smallLog = path.join(folder, 'messages');
  fs.mkdirSync(path.join(folder, '.vscode'));
  fs.writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(smallLog, `${IRQ_LINE}\n`);

  const target = megabytes * 1_000_000;
  const out = fs.openSync(largeLog, 'w');
  let bytes = 0;
  let lines = 0;
  const write = (text: string): void => {
    bytes += fs.writeSync(out, text);
  };
  try {
    write(`${IRQ_LINE}\n`);
    lines++;
    const perChunk = 10_000;
    // Spread from midnight to 23:50 by the bytes written, whatever the size, so the greeting
    // timeout follows the routine without a silence.
    const lastSecond = 23 * 3600 + 50 * 60;
    for (let n = 0; bytes < target; ) {
      const chunk: string[] = [];
      let at = bytes;
      for (let i = 0; i < perChunk; i++, n++) {
        const line = `${stamp(Math.min(lastSecond, Math.floor((at / target) * lastSecond)))} mx ${ROUTINE[n % ROUTINE.length](n)}\n`;
        at += line.length;
        chunk.push(line);
      }
      write(chunk.join(''));
      lines += perChunk;
    }
    write(`${GREETING_TIMEOUT}\n`);
    lines++;
  } finally {
    fs.closeSync(out);
  }
  return { folder, largeLog, bytes, lastLine: lines - 1, smallLog, remove: () => fs.rmSync(folder, { recursive: true, force: true }) };
}
