// Log lines are written by whoever can reach the logged service: a user name in `Failed password
// for <name>` may carry Markdown links, HTML, terminal escapes and backticks. Hovers must show it
// as the characters it is: no link, image, HTML or command built from log text.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Diagnostic, HoverRequest, MarkupContent, MarkupKind } from 'vscode-languageserver-protocol';
import { TestClient } from '../support/lspClient';
import { fileUri } from '../support/robustness';

const PAYLOADS = [
  '[click](command:workbench.action.terminal.new)',
  'invalid user <img src=x onerror=alert(1)>',
  '\u001b[31mroot\u001b[0m`x`',
  'http://evil.example/x ![i](http://evil.example/i.png) www.evil.example',
  '<a href="command:workbench.action.terminal.new">x</a> *bold* _it_ # ~~s~~ &amp; \\',
  '``` fenced ``` <script>alert(1)</script>',
];
const LINES = [
  // One address each: from a single address these lines would fold into one burst finding.
  ...PAYLOADS.map((name, i) => `Nov  8 16:49:4${i} gw sshd[41${i}]: Failed password for ${name} from 192.0.2.${i + 7} port 22 ssh2`),
  'Nov  8 16:50:38 relay1 sendmail[21877]: oA8LoabX021877: timeout waiting for input from [x](command:workbench.action.terminal.new) during client greeting',
  'Nov  8 16:50:39 store imapd[1]: Store Critical: <script>alert(1)</script> [a](command:workbench.action.terminal.new) \u001b]8;;http://evil.example\u0007link\u001b]8;;\u0007',
];
const TEXT = LINES.join('\n');

type Render = (markdown: string) => string;

/** A CommonMark renderer with HTML and bare-URL links enabled (the most permissive reading), when one is installed. */
function markdownRenderer(): Render | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const MarkdownIt = require('markdown-it') as new (options: object) => { render(text: string): string };
    const md = new MarkdownIt({ html: true, linkify: true });
    return (text) => md.render(text);
  } catch {
    return undefined;
  }
}

let client: TestClient;
let folder: string;
let uri: string;
let diagnostics: Diagnostic[];

before(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-hostile-'));
  const file = path.join(folder, 'secure');
  fs.writeFileSync(file, TEXT);
  uri = fileUri(file);
  client = await TestClient.start({ time: { zone: 'UTC', year: 2010 } });
  await client.open(uri, TEXT);
  diagnostics = await client.diagnosticsFor(uri, (d) => d.length > 0);
});

after(async () => {
  await client.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

/** Every hover of a line: on its stamp, and at the start of each finding on it. */
async function hoversOf(line: number): Promise<string[]> {
  const positions = [{ line, character: 3 }, ...diagnostics.filter((d) => d.range.start.line === line).map((d) => d.range.start)];
  const values: string[] = [];
  for (const position of positions) {
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    assert.ok(hover, `no hover at ${JSON.stringify(position)}`);
    const contents = hover.contents as MarkupContent;
    assert.equal(contents.kind, MarkupKind.Markdown);
    values.push(contents.value);
  }
  return values;
}

test('the hostile lines are flagged, so their hovers echo attacker text', () => {
  const flagged = new Set(diagnostics.filter((d) => typeof d.code === 'string' && d.code !== 'input').map((d) => d.range.start.line));
  assert.deepEqual([...flagged].sort((a, b) => a - b), LINES.map((_, i) => i), `only lines ${[...flagged].join(', ')} are flagged: ${JSON.stringify(diagnostics.map((d) => [d.range.start.line, d.code]))}`);
});

test('hovers carry no link, image, HTML, command or terminal escape taken from log text', async () => {
  for (let line = 0; line < LINES.length; line++) {
    for (const value of await hoversOf(line)) {
      const where = `line ${line + 1}: ${value}`;
      assert.doesNotMatch(value, /command:/, where);
      assert.doesNotMatch(value, /\]\(/, where);
      assert.doesNotMatch(value, /<(?:img|a|script)\b/i, where);
      assert.doesNotMatch(value, /https?:\/\//, where);
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(value, /[\u0000-\u0008\u000b-\u001f\u007f]/, where);
    }
  }
});

test('rendered as Markdown, a hover shows the attacker text as plain characters', async (t) => {
  const render = markdownRenderer();
  if (!render) {
    t.skip('no Markdown renderer (markdown-it) installed to render hovers with');
    return;
  }
  for (let line = 0; line < PAYLOADS.length; line++) {
    const values = await hoversOf(line);
    const html = values.map(render).join('\n');
    assert.doesNotMatch(html, /<(?:a|img|script)\b/i, html);
    assert.doesNotMatch(html, /<[^>]*\bhref=/i, html);
    // The finding's message keeps the user name, character for character (control characters as marks).
    const text = html.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    // eslint-disable-next-line no-control-regex
    const expected = PAYLOADS[line].replace(/^invalid user /, '').replace(/[\u0000-\u001f]/g, '\uFFFD');
    assert.ok(text.includes(expected), `line ${line + 1} does not show ${JSON.stringify(expected)} as text:\n${text}`);
  }
});
