import { test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { LogFileScan, plainLogStat } from '../../server/src/files/logFileScan';
import { TimedChunks } from '../../server/src/files/timedChunks';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { summary } from '../support/analysisSummary';
import { repoPath } from '../support/paths';

const GATEWAY = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8');
const RELAY = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'relay', 'maillog'), 'utf8');

function tempLog(text: string): string {
  const dir = tempDir('lf-scan-');
  const file = path.join(dir, 'messages');
  fs.writeFileSync(file, text);
  return file;
}

test('a log scanned from disk in small chunks gives what its text gives in memory', () => {
  const file = tempLog(GATEWAY);
  const scan = new LogFileScan(file, builtIn().matcher, 97);
  const progress = [...scan.read()];
  assert.ok(progress.length > 10, 'read in many chunks');
  assert.equal(progress[progress.length - 1].bytesRead, Buffer.byteLength(GATEWAY));
  const fromDisk = scan.result(FIXED_TIME);
  assert.ok(fromDisk.findings.length > 0);
  assert.deepEqual(summary(fromDisk), summary(analyzeText(GATEWAY)));
  scan.close();
});

test('a log read in chunks sized by their time gives what its text gives, its chunks growing from the least size', () => {
  const file = tempLog(GATEWAY);
  // A budget no chunk can miss: each is twice the one before, up to the largest size.
  const scan = new LogFileScan(file, builtIn().matcher, new TimedChunks(1e6, 64, 1024));
  const progress = [...scan.read()];
  const spans = progress.map((step, k) => step.bytesRead - (k === 0 ? 0 : progress[k - 1].bytesRead));
  // Chunks hold whole lines (up to 356 bytes here), so a span is its size give or take a line.
  assert.ok(spans[0] < 300, `the first chunk is about the least size (${spans[0]} bytes)`);
  const later = spans.slice(10, -1).sort((a, b) => a - b);
  assert.ok(later.length > 5 && later[later.length >> 1] > 700, `later chunks are about the largest size: ${later}`);
  assert.ok(Math.max(...spans) <= 1024 + 400, `no chunk far beyond the largest size: ${Math.max(...spans)}`);
  assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(analyzeText(GATEWAY)));
  scan.close();
});

test('a log that grows is read again only from where it grew, with the same result as reading it whole', () => {
  const half = GATEWAY.length >> 1;
  const cut = GATEWAY.indexOf('\n', half) + 1;
  const file = tempLog(GATEWAY.slice(0, cut));
  const scan = new LogFileScan(file, builtIn().matcher, 256);
  scan.readAll();
  assert.equal(scan.change(), 'unchanged');
  fs.appendFileSync(file, GATEWAY.slice(cut) + RELAY);
  assert.equal(scan.change(), 'appended');
  const before = scan.bytesRead;
  const first = scan.read().next();
  assert.ok(!first.done && first.value.bytesRead > before && first.value.bytesRead <= before + 256 * 2, 'the first chunk after growth starts at the old end');
  scan.readAll();
  const whole = GATEWAY + RELAY;
  assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(analyzeText(whole)));
  scan.close();
});

test('a log rewritten before its end, or cut while a line was written, is read again from the start', () => {
  const file = tempLog(GATEWAY);
  const scan = new LogFileScan(file, builtIn().matcher);
  scan.readAll();
  fs.writeFileSync(file, GATEWAY.replace('drjmailgw', 'xrjmailgw') + RELAY);
  assert.equal(scan.change(), 'rewritten');
  fs.writeFileSync(file, GATEWAY.slice(0, 100));
  assert.equal(scan.change(), 'rewritten', 'a shorter file');

  const open = tempLog('Nov  8 16:49:42 drjmailgw kernel: bnx2: eth0 NIC Copper Li');
  const partial = new LogFileScan(open, builtIn().matcher);
  partial.readAll();
  fs.appendFileSync(open, 'nk is Down\n');
  assert.equal(partial.change(), 'rewritten', 'the last line had no line end when read');
  partial.reset();
  partial.readAll();
  assert.deepEqual(partial.result(FIXED_TIME).findings.map((f) => f.ruleId), analyzeText('Nov  8 16:49:42 drjmailgw kernel: bnx2: eth0 NIC Copper Link is Down\n').findings.map((f) => f.ruleId));
  assert.ok(partial.result(FIXED_TIME).findings.length > 0);
});

test('a CRLF log cut between its \\r and \\n is read again, not given an extra empty line', () => {
  const crlf = GATEWAY.replace(/\n/g, '\r\n');
  const file = tempLog(crlf.slice(0, -1));
  const scan = new LogFileScan(file, builtIn().matcher);
  scan.readAll();
  fs.appendFileSync(file, '\n' + RELAY.replace(/\n/g, '\r\n'));
  assert.equal(scan.change(), 'rewritten');
  scan.reset();
  scan.readAll();
  const whole = crlf + RELAY.replace(/\n/g, '\r\n');
  assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(analyzeText(whole)));
});

test('only plain regular files are scanned from disk; gzip and folders are not', () => {
  const plain = tempLog(GATEWAY);
  assert.equal(plainLogStat(plain)?.size, Buffer.byteLength(GATEWAY));
  const gz = path.join(path.dirname(plain), 'messages.1.gz');
  fs.writeFileSync(gz, zlib.gzipSync(GATEWAY));
  assert.equal(plainLogStat(gz), undefined);
  assert.equal(plainLogStat(path.dirname(plain)), undefined);
});
