import { after, before, test } from 'node:test';
import { tempDir } from '../support/tempDir';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { ResponseError } from 'vscode-languageserver-protocol';
import { createAnchor } from '../../server/src/analysis/annotate/anchor';
import { addAnnotation, emptyStore, serializeStore } from '../../server/src/analysis/annotate/store';
import { ReportRequest, TimelineRequest } from '../../server/src/protocol';
import { TestClient } from '../support/lspClient';

const GATEWAY = [
  'Nov  8 16:45:01 drjmailgw cron[2201]: (root) CMD (sa1)',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
  'Nov  8 16:49:45 drjmailgw kernel: [3018175.071200] bnx2: eth0 NIC Copper Link is Down',
];
const RELAY = [
  'Nov  8 16:48:01 relay1 sendmail[21001]: oA8Lm1aa021001: to=<a@example.com>, stat=Sent',
  'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw. during client greeting',
];

let client: TestClient;
let folder: string;
let gatewayUri: string;
let relayUri: string;

before(async () => {
  folder = tempDir('lf-timeline-');
  fs.mkdirSync(path.join(folder, 'gw'));
  fs.mkdirSync(path.join(folder, 'relay'));
  fs.mkdirSync(path.join(folder, '.log-forensics'));
  fs.writeFileSync(path.join(folder, 'gw', 'messages'), GATEWAY.join('\n'));
  fs.writeFileSync(path.join(folder, 'relay', 'maillog'), RELAY.join('\n'));
  // Annotated in the reverse of time order, plus one whose line is gone from the log.
  let store = emptyStore();
  store = addAnnotation(store, { file: 'relay/maillog', anchor: createAnchor(RELAY, 1), tags: ['impact'], note: 'relay gives up' }, '2026-01-01T00:00:00Z').store;
  store = addAnnotation(store, { file: 'gw/messages', anchor: createAnchor(GATEWAY, 1), starred: true, tags: ['cause'], note: 'NIC goes deaf' }, '2026-01-01T00:00:01Z').store;
  store = addAnnotation(store, { file: 'gw/messages', anchor: { line: 7, text: 'Nov  8 17:00:00 drjmailgw gone', before: [], after: [] }, note: 'vanished' }, '2026-01-01T00:00:02Z').store;
  fs.writeFileSync(path.join(folder, '.log-forensics', 'annotations.json'), serializeStore(store));
  gatewayUri = pathToFileURL(path.join(folder, 'gw', 'messages')).href;
  relayUri = pathToFileURL(path.join(folder, 'relay', 'maillog')).href;
  client = await TestClient.start({ time: { zone: 'America/New_York', year: 2010 } }, { folders: [pathToFileURL(folder).href] });
  await client.open(gatewayUri, GATEWAY.join('\n'));
  await client.open(relayUri, RELAY.join('\n'));
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

test('the timeline lists the findings of every open log in time order, with host and file', async () => {
  const result = await client.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual(result.findings.map((f) => [f.time, f.ruleId, f.host, f.file, f.line]), [
    ['2010-11-08T21:49:42Z', 'kernel/irq-no-handler', 'drjmailgw', 'gw/messages', 1],
    ['2010-11-08T21:49:45Z', 'kernel/nic-link-down', 'drjmailgw', 'gw/messages', 2],
    ['2010-11-08T21:50:38Z', 'sendmail/timeout-greeting', 'relay1', 'relay/maillog', 1],
  ]);
  assert.equal(result.findings[0].uri, gatewayUri);
  assert.equal(result.findingsTruncated, false);
});

test('annotations are placed on their lines in time order; a lost anchor says why', async () => {
  const result = await client.connection.sendRequest(TimelineRequest, {});
  assert.deepEqual(result.annotations.map((a) => [a.state, a.file, a.line, a.time, a.tags.join(), a.starred]), [
    ['placed', 'gw/messages', 1, '2010-11-08T21:49:42Z', 'cause', true],
    ['placed', 'relay/maillog', 1, '2010-11-08T21:50:38Z', 'impact', false],
    ['lost', 'gw/messages', 7, null, '', false],
  ]);
  assert.match(result.annotations[2].reason ?? '', /fewer than 8/);
  assert.equal(result.annotations[0].host, 'drjmailgw');
  assert.equal(result.annotations[1].uri, relayUri);
  assert.deepEqual(result.problems, []);
});

test('the chart counts are per bucket, per host and per file, with the first entry to reveal', async () => {
  const result = await client.connection.sendRequest(TimelineRequest, { bucketSeconds: 60 });
  assert.equal(result.from, '2010-11-08T21:45:00Z');
  assert.equal(result.bucketSeconds, 60);
  assert.equal(result.bucketCount, 6);
  const gateway = result.byHost.find((g) => g.key === 'drjmailgw');
  assert.deepEqual(gateway?.entries, [1, 0, 0, 0, 2, 0]);
  assert.deepEqual(gateway?.findings, [0, 0, 0, 0, 2, 0]);
  assert.deepEqual(gateway?.first[4], { uri: gatewayUri, line: 1 });
  assert.deepEqual(result.byFile.map((g) => g.key).sort(), ['gw/messages', 'relay/maillog']);
});

test('a time range narrows the counts and the bucket width follows it', async () => {
  const result = await client.connection.sendRequest(TimelineRequest, { from: '2010-11-08T21:49:40Z', to: '2010-11-08T21:49:50Z' });
  assert.equal(result.bucketSeconds, 1);
  assert.equal(result.bucketCount, 10);
  assert.deepEqual(result.byHost.map((g) => g.key), ['drjmailgw']);
});

test('a range that is not a time is refused as invalid params, and the server keeps serving', async () => {
  await assert.rejects(client.connection.sendRequest(TimelineRequest, { from: 'yesterday' }), (error: ResponseError<unknown>) => /not an ISO 8601 instant/.test(error.message));
  await assert.rejects(client.connection.sendRequest(TimelineRequest, { bucketSeconds: -5 }), /bucketSeconds/);
  const again = await client.connection.sendRequest(TimelineRequest, {});
  assert.equal(again.findings.length, 3);
});

test('the report request builds the CLI\'s postmortem: both annotations in time order with links, the lost one listed', async () => {
  const result = await client.connection.sendRequest(ReportRequest, { format: 'markdown', reportFolder: folder, title: 'mail gateway' });
  const text = result.text;
  assert.match(text, /^# Postmortem: mail gateway/);
  const timeline = text.slice(text.indexOf('## Timeline'), text.indexOf('## Findings not annotated'));
  const cause = timeline.indexOf('](gw/messages#L2)');
  const impact = timeline.indexOf('](relay/maillog#L2)');
  assert.ok(cause > 0 && impact > cause, timeline);
  assert.match(text, /## Annotations not placed[\s\S]*was line 8/);
  assert.match(text, /## Evidence[\s\S]*gw\/messages \| \d+ \|/);
  assert.deepEqual(result.logs, [path.join(folder, 'gw', 'messages'), path.join(folder, 'relay', 'maillog')]);
  assert.ok(result.warnings.some((w) => /former line 8 not found/.test(w)), JSON.stringify(result.warnings));
});

test('the report request exports the Timesketch timeline as JSONL and CSV', async () => {
  const jsonl = await client.connection.sendRequest(ReportRequest, { format: 'timesketch-jsonl', reportFolder: folder });
  const rows = jsonl.text.trim().split('\n').map((line) => JSON.parse(line) as { datetime: string; file: string; tag: string[] });
  assert.equal(rows.length, 5);
  assert.deepEqual(rows.map((r) => r.file), ['gw/messages', 'relay/maillog', 'gw/messages', 'gw/messages', 'relay/maillog'], 'the two logs interleave in time order');
  assert.deepEqual(rows.filter((r) => r.tag.length > 0).map((r) => [r.file, r.tag]), [['gw/messages', ['cause', 'starred']], ['relay/maillog', ['impact']]]);
  const csv = await client.connection.sendRequest(ReportRequest, { format: 'timesketch-csv', reportFolder: folder });
  assert.match(csv.text, /^message,datetime,timestamp,timestamp_desc,file,line/);
});

test('with a target, the server writes the export there itself, the same bytes it would send', async () => {
  const exports = tempDir('lf-export-');
  for (const format of ['timesketch-jsonl', 'timesketch-csv', 'markdown'] as const) {
    const target = path.join(exports, 'nested', `out-${format}`);
    const sent = await client.connection.sendRequest(ReportRequest, { format, reportFolder: path.dirname(target) });
    const written = await client.connection.sendRequest(ReportRequest, { format, reportFolder: path.dirname(target), target });
    assert.equal(written.text, '', `${format}: nothing comes back over the wire`);
    assert.equal(written.written, target);
    const onDisk = fs.readFileSync(target, 'utf8');
    // The postmortem names when it was made, to the second; everything else must agree.
    const undated = (text: string): string => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g, 'WHEN');
    assert.equal(undated(onDisk), undated(sent.text), format);
    assert.deepEqual(written.logs, sent.logs);
  }
  assert.deepEqual(fs.readdirSync(path.join(exports, 'nested')).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left');
});

test('a target that is one of the logs, the annotations file, or not absolute is refused and nothing is written', async () => {
  const log = path.join(folder, 'gw', 'messages');
  const before = fs.readFileSync(log);
  await assert.rejects(client.connection.sendRequest(ReportRequest, { format: 'timesketch-jsonl', reportFolder: folder, target: log }), (error: ResponseError<unknown>) => error.code === -32602 && /is a log; evidence is read-only/.test(error.message));
  assert.deepEqual(fs.readFileSync(log), before, 'the log is untouched');
  await assert.rejects(client.connection.sendRequest(ReportRequest, { format: 'markdown', reportFolder: folder, target: path.join(folder, '.log-forensics', 'annotations.json') }), /annotations file/);
  await assert.rejects(client.connection.sendRequest(ReportRequest, { format: 'markdown', reportFolder: folder, target: 'out.md' }), /target must be an absolute path/);
});

test('a report folder that is not absolute is refused', async () => {
  await assert.rejects(client.connection.sendRequest(ReportRequest, { format: 'markdown', reportFolder: 'relative' }), /absolute/);
});
