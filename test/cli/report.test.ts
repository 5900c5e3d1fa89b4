import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { createAnchor } from '../../server/src/analysis/annotate/anchor';
import { addAnnotation, emptyStore, serializeStore } from '../../server/src/analysis/annotate/store';
import { TIMESKETCH_COLUMNS } from '../../server/src/analysis/annotate/timesketch';
import { repoPath } from '../support/paths';

let workspace: string;
let gateway: string;
let relay: string;

const GATEWAY_LINES = [
  'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (true)',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:50 drjmailgw sshd[4711]: Failed password for [x](command:evil) <img src=x> | pipe from 203.0.113.9 port 22 ssh2',
  'Nov  8 16:49:55 drjmailgw postfix/smtpd[90]: warning: "quoted", with comma',
];
const RELAY_LINES = ['Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw during client greeting'];

/** Runs the built CLI in the workspace; TZ is pinned so yearless stamps read the same everywhere. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { cwd: workspace, encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

before(() => {
  workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-report-'));
  fs.mkdirSync(path.join(workspace, 'gw'));
  fs.mkdirSync(path.join(workspace, 'relay'));
  gateway = path.join(workspace, 'gw', 'messages');
  relay = path.join(workspace, 'relay', 'maillog.1.gz');
  fs.writeFileSync(gateway, `${GATEWAY_LINES.join('\n')}\n`);
  const packed = zlib.gzipSync(`${RELAY_LINES.join('\n')}\n`);
  packed.writeUInt32LE(Date.UTC(2010, 10, 9) / 1000, 4);
  fs.writeFileSync(relay, packed);
  const mtime = new Date(Date.UTC(2010, 10, 9));
  fs.utimesSync(gateway, mtime, mtime);
  fs.utimesSync(relay, mtime, mtime);

  const now = '2010-11-09T10:00:00.000Z';
  let store = emptyStore();
  store = addAnnotation(store, { file: 'gw/messages', anchor: createAnchor(GATEWAY_LINES, 2), tags: ['detection'], note: 'brute force, note, "quoted"', starred: true }, now).store;
  store = addAnnotation(store, { file: 'relay/maillog.1.gz', anchor: createAnchor(RELAY_LINES, 0), tags: ['impact'], note: 'mail stops' }, now).store;
  store = addAnnotation(store, { file: 'gw/messages', anchor: createAnchor(['Nov  8 16:40:00 drjmailgw gone: away'], 0), note: 'lost one' }, now).store;
  fs.mkdirSync(path.join(workspace, '.log-forensics'));
  fs.writeFileSync(path.join(workspace, '.log-forensics', 'annotations.json'), serializeStore(store));
});

after(() => fs.rmSync(workspace, { recursive: true, force: true }));

test('report prints the postmortem with each log\'s size, mtime and SHA-256 as recomputed from the files', () => {
  const { status, stdout, stderr } = cli('report', 'gw/messages', 'relay/maillog.1.gz');
  assert.equal(status, 0, stderr);
  assert.match(stdout, /^# Postmortem: incident$/m);
  assert.match(stdout, new RegExp(`^\\| gw/messages \\| ${fs.statSync(gateway).size} \\| 2010-11-09 00:00:00 \\| \` ${sha256(gateway)} \` \\|$`, 'm'));
  assert.match(stdout, new RegExp(`^\\| relay/maillog\\\\\\.1\\\\\\.gz \\(gzip\\) \\| ${fs.statSync(relay).size} \\| 2010-11-09 00:00:00 \\| \` ${sha256(relay)} \` \\|$`, 'm'));
  assert.match(stdout, /compressed file as it is on disk/);
});

test('report links are relative paths with line anchors, from the folder the report is read in', () => {
  const { stdout } = cli('report', 'gw/messages', 'relay/maillog.1.gz');
  assert.match(stdout, /\[gw\/messages\\:3\]\(gw\/messages#L3\)/);
  assert.match(stdout, /\[relay\/maillog\\\.1\\\.gz\\:1\]\(relay\/maillog\.1\.gz#L1\)/);
  assert.match(stdout, /\[gw\/messages\\:2\]\(gw\/messages#L2\)/, 'the unannotated finding links its line');
  assert.doesNotMatch(stdout, new RegExp(workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')), 'no absolute path');

  const { status } = cli('report', 'gw/messages', 'relay/maillog.1.gz', '--out', 'reports/postmortem.md');
  assert.notEqual(status, 0, 'the --out folder must exist');
  fs.mkdirSync(path.join(workspace, 'reports'));
  const written = cli('report', 'gw/messages', 'relay/maillog.1.gz', '--out', 'reports/postmortem.md', '--title', 'relay outage');
  assert.equal(written.status, 0, written.stderr);
  assert.equal(written.stdout, '');
  const report = fs.readFileSync(path.join(workspace, 'reports', 'postmortem.md'), 'utf8');
  assert.match(report, /^# Postmortem: relay outage$/m);
  assert.match(report, /\[gw\/messages\\:3\]\(\.\.\/gw\/messages#L3\)/);
});

test('report lists the annotation it could not place and says so on standard error', () => {
  const { stdout, stderr } = cli('report', 'gw/messages', 'relay/maillog.1.gz');
  assert.match(stderr, /gw\/messages: annotation on former line 1 not found/);
  assert.match(stdout, /was line 1: ` Nov {2}8 16:40:00 drjmailgw gone: away ` — .*Note: lost one/);
});

test('--out refuses to write onto an input log, by name or through a hard link, and leaves it intact', () => {
  const before = sha256(gateway);
  const direct = cli('report', 'gw/messages', '--out', 'gw/messages');
  assert.equal(direct.status, 2);
  assert.match(direct.stderr, /evidence is read-only/);
  const link = path.join(workspace, 'same-inode');
  fs.linkSync(gateway, link);
  const linked = cli('export', 'gw/messages', '--format', 'timesketch-jsonl', '--out', 'same-inode');
  assert.equal(linked.status, 2);
  assert.equal(sha256(gateway), before);
  const annotations = cli('report', 'gw/messages', '--out', '.log-forensics/annotations.json');
  assert.equal(annotations.status, 2);
});

test('export writes Timesketch JSONL with the mandatory fields and the annotations', () => {
  const { status, stdout, stderr } = cli('export', 'gw/messages', 'relay/maillog.1.gz', '--format', 'timesketch-jsonl');
  assert.equal(status, 0, stderr);
  const rows = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(rows.length, 5);
  for (const row of rows) {
    assert.equal(typeof row.message, 'string');
    assert.match(row.datetime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    assert.equal(row.timestamp_desc, 'Log entry time');
  }
  assert.deepEqual(rows.map((r) => [r.file, r.line]), [['gw/messages', 1], ['gw/messages', 2], ['gw/messages', 3], ['gw/messages', 4], ['relay/maillog.1.gz', 1]]);
  assert.deepEqual({ ...rows[2], message: undefined }, {
    message: undefined, datetime: '2010-11-08T16:49:50.000+00:00', timestamp: Date.UTC(2010, 10, 8, 16, 49, 50) * 1000, timestamp_desc: 'Log entry time',
    file: 'gw/messages', line: 3, host: 'drjmailgw', program: 'sshd', pid: 4711, rule_id: 'sshd/failed-password', severity: rows[2].severity,
    starred: true, tag: ['detection', 'starred'], note: 'brute force, note, "quoted"',
  });
  assert.equal(rows[1].rule_id, 'kernel/irq-no-handler');
});

/** A small RFC 4180 reader, to check the CSV parses back to the same values. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    }
    else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      field = '';
      record = [];
      i++;
    } else field += ch;
  }
  return records;
}

test('export writes Timesketch CSV whose header and quoted fields parse back to the JSONL values', () => {
  const csv = cli('export', 'gw/messages', 'relay/maillog.1.gz', '--format', 'timesketch-csv');
  assert.equal(csv.status, 0, csv.stderr);
  const jsonl = cli('export', 'gw/messages', 'relay/maillog.1.gz', '--format', 'timesketch-jsonl').stdout.trim().split('\n').map((line) => JSON.parse(line));
  const [header, ...records] = parseCsv(csv.stdout);
  assert.deepEqual(header, [...TIMESKETCH_COLUMNS]);
  assert.deepEqual(header.slice(0, 4), ['message', 'datetime', 'timestamp', 'timestamp_desc']);
  assert.equal(records.length, jsonl.length);
  records.forEach((record, i) => assert.deepEqual(record, header.map((column) => String(jsonl[i][column]))));
  assert.equal(records[3][0], GATEWAY_LINES[3]);
});

test('export without a Timesketch format is a usage mistake', () => {
  for (const args of [['export', 'gw/messages'], ['export', 'gw/messages', '--format', 'sarif'], ['report', 'gw/messages', '--annotations', 'no-such.json']]) {
    const { status, stderr } = cli(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, /log-forensics: /);
  }
});

test('export and report read time as scan does: a host clock offset moves that host\'s lines', () => {
  const plain = cli('export', 'relay/maillog.1.gz', '--format', 'timesketch-jsonl');
  const shifted = cli('export', 'relay/maillog.1.gz', '--format', 'timesketch-jsonl', '--offset', 'relay1=18');
  assert.equal(shifted.status, 0, shifted.stderr);
  const at = (out: string) => JSON.parse(out.trim().split('\n')[0]).timestamp as number;
  assert.equal(at(plain.stdout) - at(shifted.stdout), 18_000_000, 'an 18 s fast clock puts the line 18 s earlier');
});

test('with nothing annotated, report drafts a suggested timeline from the most telling lines, in time order; with annotations it does not', () => {
  const empty = path.join(workspace, 'none.json');
  fs.writeFileSync(empty, serializeStore(emptyStore()));
  const { status, stdout, stderr } = cli('report', '--annotations', empty, 'gw/messages', 'relay/maillog.1.gz');
  assert.equal(status, 0, stderr);
  const section = stdout.slice(stdout.indexOf('## Suggested timeline'), stdout.indexOf('\n## ', stdout.indexOf('## Suggested timeline') + 1));
  assert.ok(section.startsWith('## Suggested timeline'), stdout);
  const irq = section.indexOf('do\\_IRQ') >= 0 ? section.indexOf('do\\_IRQ') : section.indexOf('do_IRQ');
  const greeting = section.indexOf('timeout waiting for input');
  assert.ok(irq > 0 && greeting > irq, `the do_IRQ row, then the relay's timeout: ${section}`);
  assert.match(section, /gw\/messages#L2\)/);
  assert.doesNotMatch(cli('report', 'gw/messages', 'relay/maillog.1.gz').stdout, /## Suggested timeline/);
});
