import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isLogFileName } from '../../server/src/analysis/parse/logKind';
import { filePathOf, logUriOf } from '../../server/src/logs/logUris';
import { compileGlob } from '../../server/src/analysis/time/glob';

const LOGS = ['messages', 'messages-20260301', 'messages.1', 'maillog', 'maillog.2.gz', 'maillog-20260301.gz', 'mail.log', 'mail.log.1', 'mail.err', 'secure', 'auth.log.1.gz', 'kern.log', 'daemon.log', 'dmesg', 'syslog.3.gz', 'imap', 'app.log', 'app.log.2', 'core.pstack'];
const NOT_LOGS = ['notes.txt', 'package.json', 'maillogger.py', 'messages.txt', 'README.md', 'logo.png', 'catalog'];

test('log files are recognised by name, plain, rotated and compressed', () => {
  assert.deepEqual(LOGS.filter((name) => !isLogFileName(name)), []);
  assert.deepEqual(NOT_LOGS.filter((name) => isLogFileName(name)), []);
});

test('compressed logs get the read-only scheme and map back to their file', () => {
  assert.equal(logUriOf('/srv/incident/maillog.2.gz'), 'log-forensics-gz:/srv/incident/maillog.2.gz');
  assert.equal(logUriOf('/srv/incident/messages'), 'file:///srv/incident/messages');
  assert.equal(filePathOf('log-forensics-gz:/srv/incident/maillog.2.gz'), '/srv/incident/maillog.2.gz');
  assert.equal(filePathOf('untitled:x'), undefined);
});

test('file globs in settings match paths relative to the workspace folder', () => {
  const cases: [string, string, boolean][] = [
    ['relay/*', 'relay/maillog', true],
    ['relay/*', 'relay/old/maillog', false],
    ['**/relay/*', 'site/relay/maillog', true],
    ['**/relay/*', 'relay/maillog', true],
    ['maillog*', 'relay/maillog.1.gz', true],
    ['maillog*', 'relay/messages', false],
    ['*.log', 'a/b/app.log', true],
    ['gw/messages?', 'gw/messages1', true],
    ['**/node_modules/**', 'node_modules/a/app.log', true],
    ['**/node_modules/**', 'site/node_modules/a/app.log', true],
    ['**/node_modules/**', 'site/node_modules_old/app.log', false],
    ['*.{txt,out}', 'relay/dump.out', true],
    ['*.{txt,out}', 'relay/dump.log', false],
    ['{gw,relay}/*', 'relay/maillog', true],
    ['{gw,relay}/*', 'mx/maillog', false],
    ['odd{name', 'odd{name', true],
    ['a,b', 'a,b', true],
    ['**', 'a/b/c', true],
    ['a/**/b', 'a/b', true],
    ['a/**/b', 'a/x/y/b', true],
    ['a/**/b', 'a/xb', false],
    ['a/**', 'a/x/y', true],
    ['*.log', 'app.log.1', false],
    ['{a,b}/{c,d}.log', 'b/c.log', true],
    ['x{a,{b,c}}y', 'xcy', true],
  ];
  for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob).test(path), expected, `${glob} ~ ${path}`);
});

test('a glob with many wildcards is matched in time linear in the path, not by backtracking', () => {
  // As a regular expression this glob takes seconds on one such name; here it is one pass.
  const glob = compileGlob('*a*a*a*a*a*a*a*a*b');
  const names = Array.from({ length: 2000 }, (_, i) => `${'a'.repeat(60)}${i}`);
  assert.deepEqual(names.filter((name) => glob.test(name)), []);
  assert.equal(glob.test(`${'a'.repeat(60)}b`), true);
});
