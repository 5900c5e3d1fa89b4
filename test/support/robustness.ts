import assert from 'node:assert/strict';
import { spawn, spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import { pathToFileURL } from 'url';
import { DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, HoverRequest, ResponseError } from 'vscode-languageserver-protocol';
import { CorrelateRequest } from '../../server/src/protocol';
import { repoPath } from './paths';
import { TestClient } from './lspClient';

/** What a run of the built CLI printed. */
export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `dist/cli.js` with TZ pinned to UTC. */
export function runCli(args: string[], options: SpawnSyncOptions = {}): CliRun {
  const result = spawnSync(process.execPath, [repoPath('dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 30, ...options, env: { ...process.env, TZ: 'UTC' } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs the CLI without waiting, so a test can change its input while it reads. */
export function startCli(args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [repoPath('dist', 'cli.js'), ...args], { env: { ...process.env, TZ: 'UTC' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Fails when output carries a JavaScript stack trace (a crash rather than a message). */
export function assertNoStackTrace(output: string, what: string): void {
  assert.doesNotMatch(output, /^\s+at .+:\d+:\d+\)?$/m, `${what} shows a stack trace:\n${output.slice(0, 2000)}`);
  assert.doesNotMatch(output, /^Node\.js v\d+/m, `${what} shows a crash:\n${output.slice(0, 2000)}`);
}

/** Parses `timeline --json` output: one object per line. */
export function timelineRows(stdout: string): { time: string; file: string; line: number; host: string | null; program: string | null; text: string }[] {
  return stdout.split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
}

/** Rejects when `promise` has not settled within `ms`: a hang is a failure, never a stuck suite. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} got no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A request's outcome: its result, or the LSP error it was answered with. */
export type Answer<T> = { result: T; error?: undefined } | { result?: undefined; error: ResponseError<unknown> };

/** Sends a request and waits for an answer; a result or a clean LSP error both count. */
export async function answer<T>(request: Promise<T>, what: string, ms = 60_000): Promise<Answer<T>> {
  try {
    return { result: await withTimeout(request, ms, what) };
  } catch (error) {
    if (error instanceof ResponseError) {
      assert.equal(typeof error.code, 'number');
      assert.ok(error.message.length > 0, `${what}: an error without a message`);
      return { error };
    }
    throw error;
  }
}

/** Asks for a hover and a correlation on a line of `uri`; both must be answered. */
export async function probe(client: TestClient, uri: string, line = 0, character = 1): Promise<{ hover: Answer<unknown>; correlate: Answer<unknown> }> {
  const hover = await answer(client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), `hover on ${uri}`);
  const correlate = await answer(client.connection.sendRequest(CorrelateRequest, { textDocument: { uri }, position: { line, character } }), `correlate on ${uri}`);
  return { hover, correlate };
}

/** Sends a whole-document change, as an editor does when it reloads a file from disk. */
export async function replaceText(client: TestClient, uri: string, version: number, text: string): Promise<void> {
  await client.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
}

export async function close(client: TestClient, uri: string): Promise<void> {
  await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
}

/** The file:// URI of a path. */
export function fileUri(file: string): string {
  return pathToFileURL(file).href;
}

/** A file's bytes as an editor shows them: UTF-8, undecodable bytes as U+FFFD. */
export function editorText(file: string): string {
  return new TextDecoder('utf-8').decode(fs.readFileSync(file));
}

/** Deterministic pseudo-random bytes (xorshift), so generated binary inputs are the same every run. */
export function pseudoRandomBytes(length: number, seed = 0x2545f491): Buffer {
  const bytes = Buffer.alloc(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    bytes[i] = state & 0xff;
  }
  return bytes;
}
