import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeFileAtomic, writeFileAtomicSync } from '../../server/src/files/atomicWrite';
import { annotationPathOf, readAnnotationsFile, updateAnnotationsFile, UnreadableAnnotationsError, workspaceRootOf } from '../../server/src/files/annotationsFile';
import { addAnnotation } from '../../server/src/analysis/annotate/store';
import { createAnchor } from '../../server/src/analysis/annotate/anchor';
import { largeContent } from '../support/atomicWriter';

let folder: string;
before(() => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-atomic-'));
});
after(() => fs.rmSync(folder, { recursive: true, force: true }));

const WRITER = path.join(__dirname, '..', 'support', 'atomicWriter.js');
const MIB = 64;
const OLD = Buffer.from('the old annotations\n');

function temporaryFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

/** Resolves when `ready()` holds, checking between event-loop turns; rejects after `ms`. */
function waitFor(ready: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = (): void => {
      if (ready()) resolve();
      else if (Date.now() > deadline) reject(new Error(`timed out waiting for ${what}`));
      else setImmediate(poll);
    };
    poll();
  });
}

test('a writer killed at any point leaves the old file or the complete new one, never a partial one', async () => {
  const expected = largeContent(MIB);
  // Kill points: as soon as it starts, at growing fractions of the temporary file, and never.
  const killAt = [0, 0.1, 0.3, 0.6, 0.9, undefined];
  const outcomes: string[] = [];
  for (const [round, fraction] of killAt.entries()) {
    const dir = fs.mkdtempSync(path.join(folder, `round-${round}-`));
    const target = path.join(dir, 'annotations.json');
    fs.writeFileSync(target, OLD);
    const child = spawn(process.execPath, [WRITER, target, String(MIB)], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let done = false;
    void exited.then(() => (done = true));
    if (fraction !== undefined) {
      if (fraction > 0) {
        const size = (): number => temporaryFiles(dir).reduce((sum, name) => sum + (fs.statSync(path.join(dir, name), { throwIfNoEntry: false })?.size ?? 0), 0);
        await waitFor(() => done || size() >= fraction * expected.length, 30_000, 'the temporary file to grow');
      }
      child.kill('SIGKILL');
    }
    await exited;
    const content = fs.readFileSync(target);
    const isOld = content.equals(OLD);
    assert.ok(isOld || content.equals(expected), `round ${round}: target is ${content.length} bytes, neither old nor complete new`);
    outcomes.push(isOld ? 'old' : 'new');
  }
  assert.equal(outcomes.at(-1), 'new', 'a writer left alone completes');
  assert.equal(outcomes[0], 'old', 'a writer killed before writing leaves the old file');
});

test('a completed atomic write replaces the content, keeps the mode and leaves no temporary file', async () => {
  const target = path.join(folder, 'mode.json');
  fs.writeFileSync(target, 'old');
  fs.chmodSync(target, 0o600);
  writeFileAtomicSync(target, 'new sync');
  assert.equal(fs.readFileSync(target, 'utf8'), 'new sync');
  await writeFileAtomic(target, 'new async');
  assert.equal(fs.readFileSync(target, 'utf8'), 'new async');
  if (process.platform !== 'win32') assert.equal(fs.statSync(target).mode & 0o777, 0o600);
  assert.deepEqual(temporaryFiles(folder), []);
});

test('a failed atomic write throws and leaves neither target nor temporary file', async () => {
  const target = path.join(folder, 'a-folder-not-a-file');
  fs.mkdirSync(target);
  assert.throws(() => writeFileAtomicSync(target, 'x'));
  await assert.rejects(writeFileAtomic(target, 'x'));
  assert.ok(fs.statSync(target).isDirectory());
  assert.deepEqual(temporaryFiles(folder), []);
});

test('concurrent updates of the annotations file both land', async () => {
  const root = fs.mkdtempSync(path.join(folder, 'ws-'));
  const file = path.join(root, '.log-forensics', 'annotations.json');
  assert.equal(workspaceRootOf(file), root);
  const logPath = annotationPathOf(root, path.join(root, 'gw', 'messages'));
  assert.equal(logPath, 'gw/messages');
  assert.equal(annotationPathOf(root, path.join(folder, 'elsewhere.log')), undefined);
  const lines = ['one', 'two', 'three'];
  await Promise.all(lines.map((_, line) =>
    updateAnnotationsFile(file, (store) => addAnnotation(store, { file: logPath!, anchor: createAnchor(lines, line), note: `note ${line}` }, '2010-11-09T10:00:00.000Z').store),
  ));
  const read = await readAnnotationsFile(file);
  assert.equal(read.lossless, true);
  assert.deepEqual(read.store.annotations.map((a) => a.note), ['note 0', 'note 1', 'note 2']);
  assert.ok(!fs.existsSync(`${file}.lock`), 'the lock is released');
});

test('an annotations file that cannot be read completely is not overwritten', async () => {
  const root = fs.mkdtempSync(path.join(folder, 'ws-'));
  const file = path.join(root, '.log-forensics', 'annotations.json');
  fs.mkdirSync(path.dirname(file));
  fs.writeFileSync(file, '{"version": 1, "annotations": [ {"id": "half');
  await assert.rejects(updateAnnotationsFile(file, (store) => store), UnreadableAnnotationsError);
  assert.equal(fs.readFileSync(file, 'utf8'), '{"version": 1, "annotations": [ {"id": "half');
  assert.deepEqual((await readAnnotationsFile(path.join(root, 'missing.json'))).lossless, true);
});
