import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeActionKind } from 'vscode-languageserver';
import { codeActionsFor, ofRequestedKinds } from '../../server/src/toLsp/codeActions';
import { StoredLog } from '../../server/src/logs/registry';
import { analyzeText, builtIn } from '../support/catalogue';

const GATEWAY = [
  'Nov  8 16:45:01 drjmailgw /usr/sbin/cron[2201]: (root) CMD (/usr/lib64/sa/sa1 1 1)',
  'Nov  8 16:49:42 drjmailgw kernel: [3018172.820223] do_IRQ: 1.221 No irq handler for vector (irq -1)',
].join('\n');
const RELAY = 'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from drjmailgw. during client greeting';

function stored(text: string, uri: string): StoredLog {
  return { ...analyzeText(text), uri, version: 0, notes: [] };
}

const gateway = stored(GATEWAY, 'file:///incident/drjmailgw/messages');
const relay = stored(RELAY, 'file:///incident/relay/maillog');
const actions = codeActionsFor(gateway, 1, builtIn().catalogue.byId, [gateway, relay]);
const titles = actions.map((a) => a.title);

test('a flagged line lists looking into it first and hiding it last', () => {
  assert.deepEqual(titles, [
    'Show what happened around 16:49:42',
    'Go to 16:49:42 in relay/maillog',
    'Open rule definition of kernel/irq-no-handler',
    'Align this line with a line of another log…',
    'Set this file\'s time zone…',
    'Set the clock offset of host drjmailgw…',
    'Disable signature kernel/irq-no-handler in this workspace',
    'This line is expected: hide kernel/irq-no-handler here',
  ]);
});

test('only the correlation action is preferred, and no action names diagnostics (VS Code would sort those first)', () => {
  assert.deepEqual(actions.filter((a) => a.isPreferred).map((a) => a.title), ['Show what happened around 16:49:42']);
  assert.ok(actions.every((a) => a.diagnostics === undefined));
});

test('every action has a kind, and it is a quick fix', () => {
  assert.ok(actions.every((a) => a.kind === CodeActionKind.QuickFix), JSON.stringify(actions.map((a) => a.kind)));
  assert.ok(codeActionsFor(gateway, 0, builtIn().catalogue.byId, [gateway, relay]).every((a) => a.kind === CodeActionKind.QuickFix));
});

test('a request for some kinds gets only actions of those kinds', () => {
  const cases: [string[] | undefined, number][] = [
    [undefined, actions.length],
    [[], actions.length],
    [[CodeActionKind.QuickFix], actions.length],
    [[CodeActionKind.Empty], actions.length],
    [[CodeActionKind.Refactor], 0],
    [[CodeActionKind.SourceFixAll], 0],
    [[`${CodeActionKind.QuickFix}.other`], 0],
  ];
  for (const [only, count] of cases) assert.equal(ofRequestedKinds(actions, only).length, count, JSON.stringify(only));
});

test('a line naming a queue id offers its trace right after the moves in time', () => {
  const relayTitles = codeActionsFor(relay, 0, builtIn().catalogue.byId, [gateway, relay]).map((a) => a.title);
  assert.deepEqual(relayTitles.slice(0, 4), [
    'Show what happened around 16:50:38',
    'Go to 16:50:38 in drjmailgw/messages',
    'Trace this message (queue-id oA8LoabX021877)',
    'Open rule definition of sendmail/timeout-greeting',
  ]);
  assert.equal(relayTitles.at(-1), 'This line is expected: hide sendmail/timeout-greeting here');
});
