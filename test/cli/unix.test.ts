import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { repoPath } from '../support/paths';

/** How a run of the CLI ended. */
interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The environment without colour settings, so each test says what it wants. */
function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC', ...extra };
  if (!('NO_COLOR' in extra)) delete env.NO_COLOR;
  if (!('FORCE_COLOR' in extra)) delete env.FORCE_COLOR;
  return env;
}

/** Runs the built CLI with `input` (text, bytes, or an open file descriptor) as its standard input. */
function cli(args: string[], options: { input?: string | Buffer | number; env?: Record<string, string> } = {}): Run {
  const { input, env } = options;
  const stdin = typeof input === 'number' ? input : 'pipe';
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], {
    encoding: 'utf8',
    env: baseEnv(env),
    stdio: [stdin, 'pipe', 'pipe'],
    input: typeof input === 'number' ? undefined : (input ?? ''),
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ESC = '\x1b[';
const IRQ_LINE = 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)';
const WARNING_LINE = 'Nov  8 16:50:01 app1 systemd[1]: backup.service: Main process exited, code=exited, status=1/FAILURE';
const QUIET_LINE = 'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)';

let folder: string;
let withError: string;
let withWarning: string;
let quiet: string;

before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-unix-'));
  withError = path.join(folder, 'messages');
  withWarning = path.join(folder, 'daemon.log');
  quiet = path.join(folder, 'cron.log');
  fs.writeFileSync(withError, `${QUIET_LINE}\n${IRQ_LINE}\n`);
  fs.writeFileSync(withWarning, `${WARNING_LINE}\n`);
  fs.writeFileSync(quiet, `${QUIET_LINE}\n`);
  const mtime = new Date(Date.UTC(2010, 10, 9));
  for (const file of [withError, withWarning, quiet]) fs.utimesSync(file, mtime, mtime);
});

after(() => fs.rmSync(folder, { recursive: true, force: true }));

describe('--fail-on', () => {
  it('exits with status 1 when a finding is at or above the severity, and still prints the findings', () => {
    const cases: [string, string, number][] = [
      [withError, 'error', 1],
      [withError, 'information', 1],
      [withWarning, 'error', 0],
      [withWarning, 'warning', 1],
      [withWarning, 'information', 1],
      [quiet, 'information', 0],
    ];
    for (const [file, severity, expected] of cases) {
      const run = cli(['scan', '--fail-on', severity, file]);
      assert.equal(run.status, expected, `${path.basename(file)} --fail-on ${severity}: ${run.stderr}`);
      assert.match(run.stdout, /\d+ findings? in 1 file/);
    }
  });

  it('leaves the status 0 without it, whatever the findings', () => {
    assert.equal(cli(['scan', withError]).status, 0);
    assert.equal(cli(['triage', withError]).status, 0);
  });

  it('applies to triage, over every finding even when --top prints fewer groups', () => {
    assert.equal(cli(['triage', '--fail-on', 'error', withWarning, quiet]).status, 0);
    const run = cli(['triage', '--fail-on', 'error', '--top', '1', withWarning, withError]);
    assert.equal(run.status, 1, run.stderr);
    assert.doesNotMatch(run.stdout, /^2\. /m);
  });

  it('refuses a severity it does not know, and is no option of timeline, with status 2', () => {
    const unknown = cli(['scan', '--fail-on', 'hint', withError]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--fail-on must be error, warning or information/);
    const timeline = cli(['timeline', '--fail-on', 'error', withError]);
    assert.equal(timeline.status, 2);
    assert.match(timeline.stderr, /--fail-on is not an option of timeline/);
  });
});

describe('- reads standard input', () => {
  it('scan names the log -, with its findings, and --fail-on weighs them', () => {
    const run = cli(['scan', '--format', 'json', '--fail-on', 'error', '-'], { input: `${QUIET_LINE}\n${IRQ_LINE}\n` });
    assert.equal(run.status, 1, run.stderr);
    const findings = JSON.parse(run.stdout) as { file: string; line: number; ruleId: string }[];
    assert.deepEqual(findings.map((f) => [f.file, f.line, f.ruleId]), [['-', 2, 'kernel/irq-no-handler']]);
  });

  it('takes gzip by its magic bytes, as a file', () => {
    const run = cli(['timeline', '--json', '--year', '2010', '-'], { input: zlib.gzipSync(`${QUIET_LINE}\n${IRQ_LINE}\n`) });
    assert.equal(run.status, 0, run.stderr);
    const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { time: string; file: string; line: number });
    assert.deepEqual(rows.map((r) => [r.time, r.file, r.line]), [['2010-11-08T16:45:01.000Z', '-', 1], ['2010-11-08T16:49:42.000Z', '-', 2]]);
  });

  it('merges with files in the timeline, and a redirected file lends its mtime to yearless stamps', () => {
    const fd = fs.openSync(withWarning, 'r');
    try {
      const run = cli(['timeline', '--json', withError, '-'], { input: fd });
      assert.equal(run.status, 0, run.stderr);
      const rows = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { time: string; file: string });
      assert.deepEqual(rows.map((r) => [r.time, r.file === '-' ? '-' : path.basename(r.file)]), [
        ['2010-11-08T16:45:01.000Z', 'messages'],
        ['2010-11-08T16:49:42.000Z', 'messages'],
        ['2010-11-08T16:50:01.000Z', '-'],
      ]);
    } finally {
      fs.closeSync(fd);
    }
  });

  it('triage ranks what standard input holds', () => {
    const run = cli(['triage', '--json', '-'], { input: `${IRQ_LINE}\n` });
    assert.equal(run.status, 0, run.stderr);
    const groups = JSON.parse(run.stdout) as { ruleId: string; file: string }[];
    assert.deepEqual(groups.filter((g) => g.ruleId === 'kernel/irq-no-handler').map((g) => g.file), ['-']);
  });

  it('refuses more than --max-size MiB with status 2', () => {
    const run = cli(['scan', '--max-size', '1', '-'], { input: Buffer.alloc(1024 * 1024 + 1, 'x') });
    assert.equal(run.status, 2);
    assert.match(run.stderr, /^log-forensics: -: standard input holds more than 1 MiB; refused/m);
    assert.equal(run.stdout, '');
  });

  it('is refused by report and export, whose evidence names files on disk, and given twice', () => {
    for (const args of [['report', '-'], ['export', '--format', 'timesketch-csv', '-'], ['scan', '-', '-']]) {
      const run = cli(args, { input: `${IRQ_LINE}\n` });
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, args[0] === 'scan' ? /can be given only once/ : /does not read standard input/, args.join(' '));
      assert.equal(run.stdout, '');
    }
  });
});

describe('help and version', () => {
  const version = (JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;

  it('--help, -h and help print the whole usage on standard output with status 0', () => {
    for (const args of [['--help'], ['-h'], ['help'], []]) {
      const run = cli(args);
      assert.equal(run.status, 0, args.join(' '));
      assert.equal(run.stderr, '', args.join(' '));
      for (const command of ['scan', 'timeline', 'triage', 'report', 'export']) assert.match(run.stdout, new RegExp(`^  log-forensics ${command} FILE\\.\\.\\.`, 'm'), `${args.join(' ')} lists ${command}`);
    }
  });

  it('COMMAND --help prints that command with its options, not the others\'', () => {
    for (const args of [['triage', '--help'], ['triage', withError, '-h'], ['help', 'triage']]) {
      const run = cli(args);
      assert.equal(run.status, 0, args.join(' '));
      assert.match(run.stdout, /^ {2}log-forensics triage FILE\.\.\./m);
      assert.doesNotMatch(run.stdout, /log-forensics scan/);
      for (const option of ['--top N', '--window S', '--fail-on', '--json', '--rules DIR', '--max-size MIB']) assert.ok(run.stdout.includes(option), `${args.join(' ')} names ${option}`);
      assert.ok(!run.stdout.includes('--out'), `${args.join(' ')} names --out, which triage does not take`);
    }
  });

  it('a usage mistake still goes to standard error with status 2', () => {
    const run = cli(['scan', '--top', '3', withError]);
    assert.equal(run.status, 2);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^log-forensics: --top is not an option of scan\nUsage:\n {2}log-forensics scan /);
  });

  it(`--version and -V print the version of package.json`, () => {
    for (const flag of ['--version', '-V']) {
      const run = cli([flag]);
      assert.equal(run.status, 0);
      assert.equal(run.stdout, `log-forensics ${version}\n`);
    }
    assert.equal(cli(['scan', '--version']).stdout, `log-forensics ${version}\n`);
  });

  it('runs as a program of its own, node started with the product flags its shebang names', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
    const { flags } = JSON.parse(fs.readFileSync(repoPath('server', 'src', 'nodeFlags.json'), 'utf8')) as { flags: string[] };
    assert.ok(flags.length > 0);
    // Reading standard input, it waits while its command line is read.
    const child = spawn(repoPath('dist', 'cli.js'), ['scan', '-'], { env: baseEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    let commandLine: string[] = [];
    for (let tries = 0; tries < 200 && !commandLine.some((part) => part.endsWith('cli.js')); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      commandLine = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
    }
    child.stdin.end(`${IRQ_LINE}\n`);
    assert.equal(await ended, 0);
    const script = commandLine.findIndex((part) => part.endsWith('cli.js'));
    assert.deepEqual(commandLine.slice(script - flags.length, script), flags, commandLine.join(' '));
    assert.match(stdout, /kernel\/irq-no-handler/);
  });
});

describe('a closed standard output', () => {
  it('ends the CLI quietly with status 141 when the reader goes after the first chunk', async () => {
    const big = path.join(folder, 'big.log');
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) lines.push(`Nov  8 ${String(10 + Math.floor(i / 3600)).padStart(2, '0')}:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} host cron[${i}]: (root) CMD (run-parts /etc/cron.hourly) ${i}`);
    fs.writeFileSync(big, `${lines.join('\n')}\n`);
    const child = spawn(process.execPath, [repoPath('dist', 'cli.js'), 'timeline', big], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let chunks = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => (stderr += text));
    child.stdout.on('data', () => {
      chunks++;
      child.stdout.destroy();
    });
    const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    assert.equal(chunks, 1);
    assert.equal(status, 141, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Error/);
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours severity words and locations of scan, triage and the timeline', () => {
    const scan = cli(['scan', withError], { env: { FORCE_COLOR: '1' } });
    assert.ok(scan.stdout.includes(`${ESC}31merror${ESC}39m`), scan.stdout);
    assert.ok(scan.stdout.includes(`${ESC}1m${withError}:2${ESC}22m`), scan.stdout);
    const warning = cli(['scan', withWarning], { env: { FORCE_COLOR: '1' } });
    assert.ok(warning.stdout.includes(`${ESC}33mwarning${ESC}39m`), warning.stdout);
    const triage = cli(['triage', withError], { env: { FORCE_COLOR: '1' } });
    assert.ok(triage.stdout.includes(`. [${ESC}31merror${ESC}39m] `), triage.stdout);
    assert.ok(triage.stdout.includes(`  ${ESC}1m${withError}:2${ESC}22m  `), triage.stdout);
    const timeline = cli(['timeline', withError], { env: { FORCE_COLOR: '1' } });
    assert.ok(timeline.stdout.includes(`${ESC}2m${withError}:1${ESC}22m`), timeline.stdout);
  });

  it('is never used through a pipe, with NO_COLOR (which wins over FORCE_COLOR), or for JSON and SARIF', () => {
    const runs = [
      cli(['scan', withError]),
      cli(['scan', withError], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }),
      cli(['scan', withError], { env: { FORCE_COLOR: '0' } }),
      cli(['scan', '--format', 'json', withError], { env: { FORCE_COLOR: '1' } }),
      cli(['scan', '--format', 'sarif', withError], { env: { FORCE_COLOR: '1' } }),
      cli(['triage', '--json', withError], { env: { FORCE_COLOR: '1' } }),
      cli(['timeline', '--json', withError], { env: { FORCE_COLOR: '1' } }),
    ];
    runs.forEach((run, k) => {
      assert.equal(run.status, 0, `run ${k}: ${run.stderr}`);
      assert.match(run.stdout, /kernel|do_IRQ/, `run ${k} printed the finding`);
      assert.ok(!run.stdout.includes('\x1b'), `run ${k} is coloured: ${run.stdout}`);
    });
  });
});

describe('a folder as FILE', () => {
  let logs: string;

  before(() => {
    logs = path.join(folder, 'incident');
    fs.mkdirSync(path.join(logs, 'relay'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'messages'), `${IRQ_LINE}\n`);
    fs.writeFileSync(path.join(logs, 'relay', 'maillog'), 'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw during client greeting\n');
    fs.writeFileSync(path.join(logs, 'app-output'), `${WARNING_LINE}\n${QUIET_LINE}\n`);
    fs.writeFileSync(path.join(logs, 'kern.log'), Buffer.concat([Buffer.from('Nov  8 16:49:42 gw kernel: x\n'), Buffer.alloc(4096, 0)]));
    fs.writeFileSync(path.join(logs, 'notes.txt'), 'what we did on the night\n');
  });

  it('reads the logs found in it and below, in name order, and names on stderr what it left out', () => {
    const run = cli(['scan', '--format', 'json', logs]);
    assert.equal(run.status, 0, run.stderr);
    const findings = JSON.parse(run.stdout) as { file: string; ruleId: string }[];
    assert.deepEqual(findings.map((f) => [path.relative(logs, f.file), f.ruleId]), [
      ['app-output', 'systemd/main-process-exited'],
      ['messages', 'kernel/irq-no-handler'],
      ['relay/maillog', 'sendmail/timeout-greeting'],
    ]);
    assert.ok(run.stderr.includes(`${path.join(logs, 'kern.log')}: skipped: binary (NUL bytes)`), run.stderr);
    assert.ok(!run.stderr.includes('notes.txt'), run.stderr);
  });

  it('reads a log once when it is named and also in a folder given', () => {
    const run = cli(['scan', '--format', 'json', path.join(logs, 'messages'), logs]);
    assert.equal(run.status, 0, run.stderr);
    const files = (JSON.parse(run.stdout) as { file: string }[]).map((f) => path.relative(logs, f.file));
    assert.deepEqual(files, ['messages', 'app-output', 'relay/maillog']);
  });

  it('holding no log, exits with status 2 and says so', () => {
    const empty = path.join(folder, 'empty');
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, 'README'), 'nothing here is a log\n');
    const run = cli(['timeline', empty]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /: no logs found in this folder/);
    assert.equal(run.stdout, '');
  });
});

describe('text a terminal would act on', () => {
  // A line written by whoever reached the log: an OSC title change, a screen clear, and a
  // right-to-left override that would make the rest read backwards.
  const HOSTILE = 'Nov  8 16:52:00 drjmailgw postfix/smtpd[4242]: warning: \x1b]0;owned\x07 hello \x1b[2J \u202egnp.exe';

  it('is shown as escapes in the text formats, and kept as it is in JSON', () => {
    const log = path.join(folder, 'hostile.log');
    fs.writeFileSync(log, `${QUIET_LINE}\n${HOSTILE}\n`);
    for (const args of [['scan', log], ['timeline', log]]) {
      const run = cli(args, { env: { FORCE_COLOR: '1' } });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /\\x1b\]0;owned\\x07 hello \\x1b\[2J \\u202egnp\.exe/, `${args[0]} shows the escapes`);
      // The only escape sequences left are the colours the CLI paints itself.
      // eslint-disable-next-line no-control-regex -- the CLI's own colour sequences
      const unpainted = run.stdout.replace(/\x1b\[\d+m/g, '');
      // eslint-disable-next-line no-control-regex -- what must not reach the terminal
      assert.doesNotMatch(unpainted, /[\x00-\x08\x0b-\x1f\x7f\u202e]/, `${args[0]} prints no control character of the log`);
    }
    const json = cli(['timeline', '--json', log]);
    const rows = json.stdout.trim().split('\n').map((row) => JSON.parse(row) as { text: string });
    assert.ok(rows.some((row) => row.text === HOSTILE), 'JSON carries the line unchanged');
  });
});
