import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MarkupContent } from 'vscode-languageserver';
import { hoverFor } from '../../server/src/toLsp/hover';
import { fillPlaceholders, firstCheck } from '../../server/src/toLsp/explanation';
import { StoredLog } from '../../server/src/logs/registry';
import { TimeContext } from '../../server/src/analysis/parse/document';
import { FIXED_TIME, analyzeText, builtIn } from '../support/catalogue';

const IRQ = 'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)';
const GREETING = 'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw. during client greeting';
const IMAP = [
  '[17/Feb/2006:13:30:14 -0500] northuist imapd[31550]: Account Information: login [198.51.100.77] cfh97 proxyauth',
  '[17/Feb/2006:13:30:18 -0500] northuist imapd[31550]: Store Critical: Mailbox database error',
].join('\n');

function stored(text: string, context: TimeContext = FIXED_TIME): StoredLog {
  return { ...analyzeText(text, context), uri: 'file:///incident/messages', version: 0, notes: [] };
}

function hoverText(log: StoredLog, line: number, character: number): string {
  const hover = hoverFor(log, { line, character }, builtIn().catalogue.byId);
  assert.ok(hover, `no hover at ${line}:${character}`);
  return (hover.contents as MarkupContent).value;
}

const NAMES = new Set(['peer', 'ip', 'phase']);

test('placeholders are filled with the line\'s values, safely, in text and in code spans', () => {
  const cases: [string, Record<string, string | undefined>, string][] = [
    ['connected to {peer} and', { peer: 'mx1.example.net' }, 'connected to ` mx1.example.net ` and'],
    ['run `telnet {peer} 25` now', { peer: 'mx1.example.net' }, 'run `telnet mx1.example.net 25` now'],
    ['address {ip} here', { ip: '2001:db8::25' }, 'address ` 2001:db8::25 ` here'],
    // A group the line did not capture shows as its name.
    ['connected to {peer} and', {}, 'connected to ` peer ` and'],
    ['run `telnet {peer} 25`', { peer: undefined }, 'run `telnet peer 25`'],
    // A value that is not plain is escaped in text, and never put inside a code span.
    ['during {phase}', { phase: 'client greeting' }, 'during client greeting'],
    ['from {peer}', { peer: '[x](command:evil)' }, 'from \\[x\\]\\(command\\:evil\\)'],
    ['run `telnet {peer} 25`', { peer: '[x](command:evil)' }, 'run `telnet peer 25`'],
    ['see {peer}', { peer: 'http://evil.example/' }, 'see http\\://evil\\.example/'],
    // Anything that is no placeholder of this rule stays as written.
    ['{other}, ${peer}, {300}, { peer }', { peer: 'mx1' }, '{other}, ${peer}, {300}, { peer }'],
    // An unclosed backtick opens no code span.
    ['a ` and {peer}', { peer: 'mx1' }, 'a ` and ` mx1 `'],
  ];
  for (const [markdown, values, expected] of cases) assert.equal(fillPlaceholders(markdown, NAMES, values), expected, markdown);
});

test('the first check is the first sentence or command of How to confirm', () => {
  const cases: [string, string | undefined][] = [
    ['**What it means.** A. B.\n\n**How to confirm.** Look at `a.b c`. Then `d`.\n\n**What fixed it for others.** X.', 'Look at `a.b c`.'],
    ['**How to confirm.** `journalctl -u {unit}` just before; the kernel log.', '`journalctl -u {unit}` just before'],
    ['**How to confirm.** Count them (per host; per user) and compare; then more.', 'Count them (per host; per user) and compare'],
    ['**How to confirm.** Compare, e.g. the relay\'s log, with\n  this one. Then more.', "Compare, e.g. the relay's log, with this one."],
    ['**How to confirm.** Run it by hand\n**What fixed it for others.** Nothing.', 'Run it by hand'],
    ['**What it means.** Nothing to confirm.', undefined],
  ];
  for (const [explanation, expected] of cases) assert.equal(firstCheck(explanation), expected, explanation);
});

test('a finding\'s hover leads with what happened and the first thing to check, then the whole explanation', () => {
  const log = stored(IRQ);
  const finding = log.findings.find((f) => f.ruleId === 'kernel/irq-no-handler');
  assert.ok(finding);
  const explanation = builtIn().catalogue.byId.get('kernel/irq-no-handler')!.definition.explanation;
  const value = hoverText(log, 0, IRQ.indexOf('No irq'));
  const [first, second] = value.split('\n');
  const plain = (text: string) => text.replace(/\\(.)/g, '$1');
  assert.equal(plain(first), `**${finding.message}**  `);
  assert.ok(second.startsWith('**Check first:** Look for the same second in the other logs'), second);
  assert.ok(explanation.replace(/\s+/g, ' ').includes(second.slice('**Check first:** '.length)), 'the first check is not taken from How to confirm');
  // Every section follows the summary, the vector filled with the line's value.
  const sections = ['**What it means.**', '**Usual causes.**', '**How to confirm.**', '**What fixed it for others.**', '**References:**'].map((heading) => value.indexOf(heading));
  assert.ok(sections.every((at, i) => at > second.length && (i === 0 || at > sections[i - 1])), JSON.stringify(sections));
  assert.match(value, /interrupt on vector ` 1\.221 `/);
  assert.doesNotMatch(value, /\{vector\}|CPU\.VECTOR/);
  assert.match(value, /`kernel\/irq-no-handler`|` kernel\/irq-no-handler `/);
});

test('the greeting timeout names the peer of the line, in the text and in the command to run', () => {
  const value = hoverText(stored(GREETING), 0, GREETING.indexOf('timeout'));
  assert.match(value, /accepted a connection from\) ` drjmailgw\. ` and/);
  assert.match(value, /`telnet drjmailgw\. 25`/);
  assert.doesNotMatch(value, /`peer`|telnet peer/);
});

test('a burst keeps only the groups all its lines share', () => {
  const text = ['root', 'admin', 'oracle', 'test', 'guest'].map((user, i) => `Nov  8 16:49:4${i} gw sshd[41${i}]: Failed password for ${user} from 203.0.113.9 port 22 ssh2`).join('\n');
  const bursts = analyzeText(text).findings.filter((f) => f.members);
  assert.equal(bursts.length, 1);
  assert.deepEqual(bursts[0].groups, { ip: '203.0.113.9' });
});

test('the stamp of an imapd line with its own -0500 offset tells the time story only', () => {
  const log = stored(IMAP);
  const value = hoverText(log, 1, 3);
  assert.ok(value.includes('[17/Feb/2006:13:30:18 -0500]'), value);
  assert.match(value, /its own offset -05:00/);
  assert.match(value, /\*\*2006-02-17T18:30:18Z\*\* \(UTC\)/);
  // Read in UTC, the file's zone would only repeat the UTC instant: it is named, not shown again.
  assert.equal(value.split('18:30:18').length - 1, 1, value);
  assert.match(value, /offset written in the stamp \(this file's zone UTC from .* does not apply to it\)/);
  assert.match(value, /year written in the stamp/);
  assert.match(value, /\+4 s after the previous entry \(line 1\)/);
  const title = log.findingsByLine.get(1)![0].title;
  assert.ok(value.endsWith(`1 finding on this line: ${title} (hover the message for what to do)`), value);
  assert.doesNotMatch(value, /What it means|How to confirm|Check first/);
});

test('in a file read in another zone, the stamp\'s hover gives that zone\'s time as well', () => {
  const value = hoverText(stored(IMAP, { ...FIXED_TIME, zone: 'Europe/Berlin' }), 1, 3);
  assert.match(value, /\*\*2006-02-17T18:30:18Z\*\* \(UTC\) · 2006-02-17 19:30:18 \+01:00 in Europe\/Berlin/);
});

test('the stamp of an unflagged line has no pointer to findings; an unstamped, unflagged spot no hover', () => {
  const log = stored(IMAP);
  assert.doesNotMatch(hoverText(log, 0, 3), /finding/);
  assert.equal(hoverFor(log, { line: 0, character: 80 }, builtIn().catalogue.byId), null);
});
