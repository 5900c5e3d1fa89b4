import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { createHash } from 'crypto';
import { LogFileSystem, MemoryFileSystem, nodeFileSystem } from '../../server/src/files/fileSystem';
import { LineChunkOptions, LineOffsets, nextLineStart, readLineChunks } from '../../server/src/files/lineReader';
import { DiskLines } from '../../server/src/files/diskLines';
import { LogFileScan, plainLogStat } from '../../server/src/files/logFileScan';
import { entryCuts, scanInParallel, startWorkerReads } from '../../server/src/files/parallelScan';
import { openLogSource } from '../../server/src/logs/source';
import { evidenceStamp } from '../../server/src/logs/readWhole';
import { readRuleFolder, builtInRulesFolder } from '../../server/src/rulesOnDisk';
import { splitLines } from '../../server/src/analysis/parse/text';
import { analyzeText, builtIn, FIXED_TIME } from '../support/catalogue';
import { summary } from '../support/analysisSummary';
import { repoPath } from '../support/paths';

const GATEWAY = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages'), 'utf8');
const RELAY = fs.readFileSync(repoPath('samples', 'mailgw-incident', 'relay', 'maillog'), 'utf8');
const recipe = () => ({ sources: readRuleFolder(builtInRulesFolder()).map((source) => ({ ...source, engine: 'native' as const })), disabled: [] });

let folder: string;
before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-memory-'));
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

let fileCount = 0;
function diskFile(content: string | Buffer): string {
  const file = path.join(folder, `log-${fileCount++}.log`);
  fs.writeFileSync(file, content);
  return file;
}

function memoryWith(file: string, content: string | Uint8Array): MemoryFileSystem {
  const memory = new MemoryFileSystem();
  memory.write(file, content);
  return memory;
}

function errorCode(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code;
  }
}

describe('MemoryFileSystem', () => {
  test('stat gives the size in bytes and the mtime of the clock, and folders implied by the paths', () => {
    let clock = 1000;
    const memory = new MemoryFileSystem(() => clock);
    memory.write('/var/log/messages', 'é\n');
    clock = 2000;
    memory.write('/var/log/nginx/access.log', 'x');
    assert.deepEqual(memory.stat('/var/log/messages'), { size: 3, mtimeMs: 1000, isFile: true, isDirectory: false, isFIFO: false });
    assert.equal(memory.stat('/var/log/nginx/access.log').mtimeMs, 2000);
    for (const implied of ['/var', '/var/log', '/var/log/nginx']) assert.equal(memory.stat(implied).isDirectory, true, implied);
    assert.equal(errorCode(() => memory.stat('/var/lo')), 'ENOENT', 'a prefix of a name is no folder');
  });

  test('a folder lists its files and its sub-folders once each, as the disk lists the same tree', () => {
    const memory = new MemoryFileSystem();
    const root = path.join(folder, 'tree');
    for (const name of ['messages', 'nginx/access.log', 'nginx/error.log', 'old/2010/maillog.1']) {
      memory.write(`/logs/${name}`, name);
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), name);
    }
    const sorted = (fsys: LogFileSystem, at: string) => fsys.readdir(at).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(sorted(memory, '/logs'), sorted(nodeFileSystem, root));
    assert.deepEqual(sorted(memory, '/logs/old'), [{ name: '2010', isFile: false, isDirectory: true }]);
    assert.deepEqual(sorted(memory, '/logs/'), sorted(memory, '/logs'), 'a trailing slash names the same folder');
  });

  test('what cannot be read fails with the code the disk gives', () => {
    const memory = new MemoryFileSystem();
    memory.write('/logs/messages', 'line\n');
    const root = path.join(folder, 'codes');
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'messages'), 'line\n');
    const cases: [string, (fsys: LogFileSystem, at: (name: string) => string) => unknown][] = [
      ['stat of a missing file', (fsys, at) => fsys.stat(at('missing'))],
      ['open of a missing file', (fsys, at) => fsys.open(at('missing'))],
      ['readFile of a missing file', (fsys, at) => fsys.readFile(at('missing'))],
      ['readdir of a missing folder', (fsys, at) => fsys.readdir(at('missing'))],
      ['readdir of a file', (fsys, at) => fsys.readdir(at('messages'))],
      ['readFile of a folder', (fsys, at) => fsys.readFile(at(''))],
    ];
    for (const [what, read] of cases) {
      const onDisk = errorCode(() => read(nodeFileSystem, (name) => path.join(root, name)));
      assert.ok(onDisk !== undefined, `${what} fails on disk`);
      assert.equal(errorCode(() => read(memory, (name) => (name ? `/logs/${name}` : '/logs'))), onDisk, what);
    }
  });

  test('an open handle sees what is appended and what replaces the file, and keeps a removed file', () => {
    const memory = memoryWith('/logs/messages', 'first\n');
    const handle = memory.open('/logs/messages');
    const buffer = Buffer.alloc(16);
    assert.equal(handle.read(buffer, 6), 0, 'nothing past the end yet');
    memory.append('/logs/messages', 'second\n');
    assert.equal(handle.size(), 13);
    assert.equal(buffer.subarray(0, handle.read(buffer, 6)).toString(), 'second\n');
    memory.write('/logs/messages', 'new');
    assert.equal(buffer.subarray(0, handle.read(buffer, 0)).toString(), 'new');
    memory.remove('/logs/messages');
    assert.equal(errorCode(() => memory.stat('/logs/messages')), 'ENOENT');
    assert.equal(buffer.subarray(0, handle.read(buffer, 1)).toString(), 'ew', 'as a descriptor on an unlinked file');
  });
});

describe('readLineChunks over memory', () => {
  const cases: [string, string | Buffer][] = [
    ['LF', 'one\ntwo\n\nfour\n'],
    ['CRLF', 'one\r\ntwo\r\n\r\nfour\r\n'],
    ['lone CR', 'one\rtwo\r\rfour\r'],
    ['mixed, a CR before an LF-ended line', 'a\r\nb\rc\n\r\nd'],
    ['no final newline', 'first line\nsecond line without end'],
    ['a line longer than the chunk', `short\n${'long '.repeat(40)}\nafter\n`],
    ['multi-byte UTF-8 across chunk boundaries', 'ab\nc€d\nééé\n𝄞x\n€'.repeat(3)],
    ['an invalid UTF-8 byte', Buffer.from([0x61, 0xff, 0x0a, 0xc3, 0x0a, 0xe2, 0x82])],
  ];
  const chunkSizes = [1, 2, 3, 4, 5, 7, 8, 13, 16, 64, undefined];

  for (const [name, content] of cases) {
    test(`gives what the disk gives: ${name}`, () => {
      const bytes = Buffer.from(content);
      const disk = diskFile(bytes);
      const memory = memoryWith('/logs/case.log', bytes);
      assert.deepEqual(
        [...readLineChunks('/logs/case.log', {}, memory)].flatMap((chunk) => chunk.lines),
        splitLines(bytes.toString('utf8')),
        'lines as splitLines gives them',
      );
      for (const chunkBytes of chunkSizes) {
        for (const range of [{}, { fromByte: 0, toByte: 5 }, { fromByte: nextLineStart(disk, 3), toByte: bytes.length - 2 }]) {
          const options: LineChunkOptions = { ...range, chunkBytes };
          const where = `${JSON.stringify(options)}`;
          assert.deepEqual([...readLineChunks('/logs/case.log', options, memory)], [...readLineChunks(disk, options)], where);
        }
      }
      for (let byte = 0; byte <= bytes.length + 1; byte++) assert.equal(nextLineStart('/logs/case.log', byte, memory), nextLineStart(disk, byte), `nextLineStart(${byte})`);
    });
  }
});

describe('LogFileScan over memory', () => {
  test('reads on after an append with the findings of a fresh scan of the whole text', () => {
    const cut = GATEWAY.indexOf('\n', GATEWAY.length >> 1) + 1;
    const memory = memoryWith('/var/log/messages', GATEWAY.slice(0, cut));
    const scan = new LogFileScan('/var/log/messages', builtIn().matcher, 256, memory);
    scan.readAll();
    assert.equal(scan.bytesRead, Buffer.byteLength(GATEWAY.slice(0, cut)));
    assert.equal(scan.change(), 'unchanged');
    memory.append('/var/log/messages', GATEWAY.slice(cut) + RELAY);
    assert.equal(scan.change(), 'appended');
    scan.readAll();
    const whole = GATEWAY + RELAY;
    const fresh = new LogFileScan('/var/log/messages', builtIn().matcher, undefined, memory);
    fresh.readAll();
    const read = scan.result(FIXED_TIME);
    assert.ok(read.findings.length > 0);
    assert.deepEqual(summary(read), summary(fresh.result(FIXED_TIME)));
    assert.deepEqual(summary(read), summary(analyzeText(whole)));
  });

  test('a file rewritten in memory, before its end or shorter, is seen as rewritten', () => {
    const memory = memoryWith('/var/log/messages', GATEWAY);
    const scan = new LogFileScan('/var/log/messages', builtIn().matcher, undefined, memory);
    scan.readAll();
    memory.write('/var/log/messages', GATEWAY.replace('drjmailgw', 'xrjmailgw') + RELAY);
    assert.equal(scan.change(), 'rewritten');
    memory.write('/var/log/messages', GATEWAY.slice(0, 100));
    assert.equal(scan.change(), 'rewritten', 'a shorter file');
    scan.reset();
    scan.readAll();
    assert.equal(scan.bytesRead, 100);
    assert.equal(scan.change(), 'unchanged');
  });

  test('lines are read back from memory, and empty once the file has shrunk', () => {
    const text = GATEWAY.replace(/\n/g, '\r\n') + 'é'.repeat(40_000) + '\n' + 'z'.repeat(70_000) + '\nlast';
    const memory = memoryWith('/var/log/messages', text);
    const scan = new LogFileScan('/var/log/messages', builtIn().matcher, 4096, memory);
    scan.readAll();
    const lines = scan.result(FIXED_TIME).parsed.text;
    const expected = splitLines(text);
    assert.equal(lines.length, expected.length);
    for (const k of [expected.length - 1, 0, 5, expected.length - 3, expected.length - 2, 1]) assert.equal(lines.line(k), expected[k], `line ${k}`);
    for (let k = 0; k < expected.length; k++) assert.equal(lines.line(k), expected[k], `line ${k}`);
    memory.write('/var/log/messages', text.slice(0, 1000));
    // Fresh lines, not the cached blocks of the ones read above.
    const shrunk = scan.result(FIXED_TIME).parsed.text;
    assert.equal(shrunk.line(expected.length - 1), '');
    assert.equal(shrunk.line(0), expected[0]);
    scan.close();
  });

  test('DiskLines reads a memory file across block boundaries, and gives empty lines for a missing one', () => {
    const lines = ['x'.repeat(65_530), 'crosses the 64 KiB boundary', '€'.repeat(30_000), 'last'];
    const bytes = Buffer.from(lines.join('\n'));
    const memory = memoryWith('/logs/long.log', bytes);
    const offsets = new LineOffsets();
    for (const chunk of readLineChunks('/logs/long.log', {}, memory)) offsets.push(chunk.starts);
    const starts = offsets.finish(bytes.length);
    const disk = new DiskLines('/logs/long.log', starts, memory);
    for (const k of [3, 1, 0, 2, 1, 3]) assert.equal(disk.line(k), lines[k], `line ${k}`);
    disk.close();
    const missing = new DiskLines('/logs/missing.log', starts, memory);
    assert.equal(missing.line(1), '');
  });
});

describe('gzip logs and threads over memory', () => {
  test('a gzip log is unpacked into memory by its magic bytes and scanned as its plain text is', () => {
    const gz = zlib.gzipSync(GATEWAY);
    const memory = new MemoryFileSystem(() => 5000);
    // No `.gz` in the name: the bytes tell.
    memory.write('/logs/messages.1', gz);
    assert.equal(plainLogStat('/logs/messages.1', memory), undefined);
    assert.equal(plainLogStat('/logs', memory), undefined);
    const source = openLogSource('/logs/messages.1', memory);
    assert.equal(source.kind, 'gzip');
    assert.deepEqual(source.written, { ms: 5000, fromGzip: false });
    const scan = new LogFileScan(source.path, builtIn().matcher, undefined, source.fs);
    scan.readAll();
    assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(analyzeText(GATEWAY)));
    assert.throws(() => openLogSource('/logs/messages.1', memory, gz.length + 16), /decompresses to more than \d+ bytes; refused/);
  });

  test('a source names what cannot be read as a log, and hashes the bytes on disk', () => {
    const gz = zlib.gzipSync(RELAY);
    const memory = new MemoryFileSystem(() => 5000);
    memory.write('/logs/maillog.gz', new Uint8Array(gz.buffer.slice(gz.byteOffset, gz.byteOffset + gz.length)));
    memory.write('/logs/maillog', RELAY);
    const plain = openLogSource('/logs/maillog', memory);
    assert.equal(plain.kind, 'plain');
    assert.equal(plain.fs, memory);
    assert.equal(Buffer.from(openLogSource('/logs/maillog.gz', memory).fs.readFile('/logs/maillog.gz')).toString('utf8'), RELAY);
    const evidence = evidenceStamp('/logs/maillog.gz', memory);
    assert.equal(evidence.sha256, createHash('sha256').update(gz).digest('hex'));
    assert.equal(evidence.sizeBytes, gz.length);
    assert.throws(() => openLogSource('/logs', memory), /is a directory/);
    memory.write('/logs/broken.gz', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    assert.throws(() => openLogSource('/logs/broken.gz', memory), /is not a readable gzip file/);
  });

  test('a memory file is cut as the disk file is, but read on this thread alone', async () => {
    const text = (GATEWAY + RELAY).repeat(3);
    const disk = diskFile(text);
    const memory = memoryWith('/logs/messages', text);
    const cuts = entryCuts('/logs/messages', 5, 0, memory);
    assert.ok(cuts.length >= 2, `cuts: ${cuts}`);
    assert.deepEqual(cuts, entryCuts(disk, 5));
    const onDisk = startWorkerReads(disk, recipe(), 3, { minBytes: 0, headStart: 0 });
    assert.ok(onDisk, 'workers for the same text on disk');
    onDisk.stop();
    assert.equal(startWorkerReads('/logs/messages', recipe(), 3, { minBytes: 0, headStart: 0 }, memory), undefined);
    const scan = await scanInParallel('/logs/messages', builtIn().matcher, recipe(), 3, { minBytes: 0, headStart: 0 }, memory);
    assert.deepEqual(summary(scan.result(FIXED_TIME)), summary(analyzeText(text)));
  });
});
