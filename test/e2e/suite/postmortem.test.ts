import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { parseStore } from '../../../server/src/analysis/annotate/store';
import type { Annotation } from '../../../server/src/analysis/annotate/types';
import type { ExportResult } from '../../../client/src/exportReport';
import type { PostmortemApi } from '../../../client/src/postmortem';
import type { TimelineNode } from '../../../client/src/timelineView';
import { incidentFolder, lineContaining, showLog, waitFor } from './editor';

/** The annotations placed in the timeline's rows, in the order shown. */
function placedAnnotations(nodes: readonly TimelineNode[]): { file: string; line: number; time: string | null; tags: string[] }[] {
  return nodes.flatMap((node) => (node.kind === 'hour' ? node.children : [])).flatMap((node) => (node.kind === 'annotation' ? [node.annotation] : []));
}

suite('Postmortem: annotate two lines, see the timeline and the chart, export', () => {
  let api: PostmortemApi;
  let messages: vscode.TextDocument;
  let relay: vscode.TextDocument;
  let irqLine: number;
  let relayLine: number;
  let annotationsFile: string;
  let exportFolder: string;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<PostmortemApi>('log-forensics.log-forensics');
    assert.ok(extension, 'the extension is not loaded');
    api = await extension.activate();
    annotationsFile = path.join(incidentFolder(), '.log-forensics', 'annotations.json');
    fs.rmSync(annotationsFile, { force: true });
    exportFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-export-'));
    messages = (await showLog(path.join(incidentFolder(), 'drjmailgw', 'messages'))).document;
    relay = (await showLog(path.join(incidentFolder(), 'relay', 'maillog'))).document;
    irqLine = lineContaining(messages, 'Nov  8 16:49:42', 'do_IRQ: 1.221 No irq handler for vector');
    relayLine = lineContaining(relay, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.dirname(annotationsFile), { recursive: true, force: true });
    fs.rmSync(exportFolder, { recursive: true, force: true });
  });

  test('the samples put the two lines where the issue names them', () => {
    assert.strictEqual(irqLine + 1, 118);
    assert.strictEqual(relayLine + 1, 127);
  });

  test('every log line offers "Annotate this line…"', async () => {
    const range = new vscode.Range(irqLine, 0, irqLine, 0);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>('vscode.executeCodeActionProvider', messages.uri, range);
    const action = actions.find((candidate) => candidate.title === 'Annotate this line…') as vscode.CodeAction | undefined;
    assert.ok(action, `no "Annotate this line…" among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.deepStrictEqual(action.command?.arguments, [messages.uri.toString(), irqLine]);
  });

  test('annotating a line in each file writes both to .log-forensics/annotations.json, not to the logs', async () => {
    const before = [messages.getText(), relay.getText()];
    // The later line first: the timeline and the report must order by the lines' time.
    const impact = await vscode.commands.executeCommand<Annotation>('logForensics.annotateLine', relay.uri.toString(), relayLine, { tags: ['impact'], note: 'relay1 gives up on drjmailgw and delivers to drjmailgw2' });
    const cause = await vscode.commands.executeCommand<Annotation>('logForensics.annotateLine', messages.uri, irqLine, { starred: true, tags: ['cause'], note: 'eth0 stops passing traffic' });
    assert.ok(impact && cause, 'the command returned no annotation');
    const parsed = parseStore(fs.readFileSync(annotationsFile, 'utf8'));
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(
      parsed.store.annotations.map((a) => [a.file, a.anchor.line, a.starred, a.tags, a.note]),
      [
        ['drjmailgw/messages', irqLine, true, ['cause'], 'eth0 stops passing traffic'],
        ['relay/maillog', relayLine, false, ['impact'], 'relay1 gives up on drjmailgw and delivers to drjmailgw2'],
      ],
    );
    assert.strictEqual(parsed.store.annotations[0].anchor.text, messages.lineAt(irqLine).text);
    assert.deepStrictEqual([messages.getText(), relay.getText()], before, 'a log changed');
    assert.strictEqual(messages.isDirty || relay.isDirty, false);
  });

  test('the note is shown above its line as a code lens, however long the line, and clicking it edits the note', async () => {
    const lenses = await waitFor('a code lens on the annotated kernel line', async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', messages.uri);
      const mine = found.filter((lens) => lens.command?.command === 'logForensics.editNote');
      return mine.length > 0 ? mine : undefined;
    });
    assert.deepStrictEqual(lenses.map((lens) => lens.range.start.line), [irqLine]);
    assert.strictEqual(lenses[0].command?.title, '★  #cause  eth0 stops passing traffic');
    assert.deepStrictEqual(lenses[0].command?.arguments, [messages.uri.toString(), irqLine]);
  });

  test('toggling the star and editing the note change the same annotation', async () => {
    const starred = await vscode.commands.executeCommand<Annotation>('logForensics.toggleStar', relay.uri, relayLine);
    assert.strictEqual(starred.starred, true);
    const unstarred = await vscode.commands.executeCommand<Annotation>('logForensics.toggleStar', relay.uri, relayLine);
    assert.strictEqual(unstarred.starred, false);
    assert.strictEqual(unstarred.id, starred.id);
    const noted = await vscode.commands.executeCommand<Annotation>('logForensics.editNote', relay.uri, relayLine, 'relay1 gives up after 60 s and delivers to drjmailgw2');
    assert.deepStrictEqual(noted.tags, ['impact']);
    assert.strictEqual(parseStore(fs.readFileSync(annotationsFile, 'utf8')).store.annotations.length, 2);
  });

  test('the incident timeline view lists both annotations in time order, among the findings', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.logForensics');
    await waitFor('the incident timeline to become visible', () => (api.timeline.view?.visible ? true : undefined));
    const placed = await waitFor(
      () => `both annotations in the timeline; rows: ${JSON.stringify(placedAnnotations(api.timeline.current.nodes))}`,
      async () => {
        const rows = placedAnnotations(await api.timeline.refresh());
        return rows.length === 2 ? rows : undefined;
      },
    );
    assert.deepStrictEqual(placed.map((a) => [a.file, a.line, a.time]), [
      ['drjmailgw/messages', irqLine, '2010-11-08T21:49:42Z'],
      ['relay/maillog', relayLine, '2010-11-08T21:50:38Z'],
    ]);
    const findings = api.timeline.current.data?.findings ?? [];
    assert.ok(findings.some((f) => f.ruleId === 'kernel/irq-no-handler' && f.line === irqLine), 'the do_IRQ finding is not in the timeline');
    const hourRow = api.timeline.getTreeItem(api.timeline.current.nodes.find((node) => node.kind === 'hour' && node.children.some((c) => c.kind === 'annotation'))!);
    assert.match(String(hourRow.label), /^2010-11-08 21:00 UTC$/);
  });

  test('filtering the timeline by the tag "cause" keeps only that annotation', async () => {
    const nodes = await vscode.commands.executeCommand<TimelineNode[]>('logForensics.timeline.filter', { tags: ['cause'] });
    assert.deepStrictEqual(placedAnnotations(nodes).map((a) => a.file), ['drjmailgw/messages']);
    assert.strictEqual(api.timeline.view?.description, 'tags: cause');
    const all = await vscode.commands.executeCommand<TimelineNode[]>('logForensics.timeline.filter', {});
    assert.strictEqual(placedAnnotations(all).length, 2);
  });

  test('clicking an annotation in the timeline reveals its line', async () => {
    const item = api.timeline.getTreeItem({ kind: 'annotation', annotation: api.timeline.current.data!.annotations.find((a) => a.file === 'relay/maillog')! });
    assert.ok(item.command);
    await vscode.commands.executeCommand(item.command.command, ...(item.command.arguments ?? []));
    const editor = await waitFor('relay/maillog to become the active editor', () => {
      const active = vscode.window.activeTextEditor;
      return active?.document.uri.toString() === relay.uri.toString() ? active : undefined;
    });
    assert.strictEqual(editor.selection.active.line, relayLine);
  });

  test('the incident chart draws its bars under the strict Content-Security-Policy', async () => {
    await vscode.commands.executeCommand('logForensics.showChart');
    const state = await waitFor('the incident chart to report its bars', () => (api.chart.state.rendered && api.chart.state.rendered.bars > 0 ? api.chart.state : undefined), 30_000);
    assert.strictEqual(state.rendered?.groupBy, 'host');
    assert.deepStrictEqual(state.cspViolations, []);
    // Every open log counts: the imapd suite's log may still be open beside these two.
    const hosts = state.data?.byHost.map((g) => g.key) ?? [];
    assert.ok(hosts.includes('drjmailgw') && hosts.includes('relay1'), JSON.stringify(hosts));
    // It opens on the incident: the stretch drawn holds the do_IRQ line, and is no wider than everything.
    const irq = Date.parse('2010-11-08T21:49:42Z');
    const drawn = { from: Date.parse(state.rendered?.from ?? ''), to: Date.parse(state.rendered?.to ?? '') };
    assert.ok(drawn.from <= irq && irq < drawn.to, JSON.stringify(state.rendered));
    assert.ok(state.extent && state.initial, 'the chart did not learn the span of the data');
    assert.ok(state.initial.to - state.initial.from <= state.extent.to - state.extent.from);
  });

  test('the exported postmortem lists both annotations in time order with links to existing lines', async () => {
    const target = path.join(exportFolder, 'postmortem.md');
    const result = await vscode.commands.executeCommand<ExportResult>('logForensics.exportPostmortem', target, { title: 'drjmailgw inner NIC', open: false });
    assert.ok(result, 'the export returned nothing');
    const text = fs.readFileSync(target, 'utf8');
    assert.match(text, /^# Postmortem: drjmailgw inner NIC/);
    const timeline = text.slice(text.indexOf('## Timeline'), text.indexOf('\n## ', text.indexOf('## Timeline') + 1));
    const links = [...timeline.matchAll(/\]\(([^)#]+)#L(\d+)\)/g)].map((match) => ({ file: path.resolve(exportFolder, decodeURI(match[1])), line: Number(match[2]) }));
    assert.deepStrictEqual(links.map((link) => [path.relative(incidentFolder(), link.file), link.line]), [
      [path.join('drjmailgw', 'messages'), 118],
      [path.join('relay', 'maillog'), 127],
    ], timeline);
    for (const link of links) {
      assert.ok(fs.existsSync(link.file), `${link.file} does not exist`);
      assert.ok(fs.readFileSync(link.file, 'utf8').split('\n').length >= link.line);
    }
    assert.match(timeline, /eth0 stops passing traffic[\s\S]*relay1 gives up after 60 s/);
    assert.match(text, /## Evidence[\s\S]*drjmailgw\/messages \| \d+ \|/);
  });

  test('exporting over a log is refused and the log is left as it was', async () => {
    const log = messages.uri.fsPath;
    const before = fs.readFileSync(log);
    const result = await vscode.commands.executeCommand<ExportResult | undefined>('logForensics.exportPostmortem', log, { open: false });
    assert.strictEqual(result, undefined);
    assert.ok(fs.readFileSync(log).equals(before), 'the log was overwritten');
  });

  test('the timeline exports for Timesketch as JSON Lines with the annotations on their entries', async () => {
    const target = path.join(exportFolder, 'timeline.jsonl');
    const result = await vscode.commands.executeCommand<ExportResult>('logForensics.exportTimesketch', target, 'jsonl', { open: false });
    assert.ok(result);
    const rows = fs.readFileSync(target, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { datetime: string; file: string; line: number; tag: string[]; starred: boolean });
    // Timesketch's own tag list, a star among the tags.
    const tagged = rows.filter((row) => row.tag.length > 0);
    assert.deepStrictEqual(tagged.map((row) => [row.file, row.line, row.tag, row.starred]), [
      ['drjmailgw/messages', 118, ['cause', 'starred'], true],
      ['relay/maillog', 127, ['impact'], false],
    ]);
    assert.ok(rows.every((row, i) => i === 0 || rows[i - 1].datetime <= row.datetime), 'rows are not in time order');
  });

  test('removing an annotation takes it out of the file', async () => {
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('logForensics.removeAnnotation', relay.uri, relayLine), true);
    const left = parseStore(fs.readFileSync(annotationsFile, 'utf8')).store.annotations;
    assert.deepStrictEqual(left.map((a) => a.file), ['drjmailgw/messages']);
  });

  test('in a time window of the relay\'s log, the star, the note and removing land on the log\'s own line', async function () {
    this.timeout(60_000);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('logForensics.openTimeWindow', relay.uri.toString(), '2000-01-01T00:00:00Z', '2040-01-01T00:00:00Z');
    assert.ok(editor, 'no editor for the view');
    const view = editor.document;
    assert.strictEqual(view.uri.scheme, 'log-forensics-view');
    const row = lineContaining(view, 'Nov  8 16:50:38', 'timeout waiting for input from drjmailgw');
    const relayOnes = () => (fs.existsSync(annotationsFile) ? parseStore(fs.readFileSync(annotationsFile, 'utf8')).store.annotations : []).filter((a) => a.file === 'relay/maillog');
    assert.deepStrictEqual(relayOnes(), []);
    const starred = await vscode.commands.executeCommand<Annotation>('logForensics.toggleStar', view.uri.toString(), row);
    assert.strictEqual(starred?.starred, true);
    assert.deepStrictEqual(relayOnes().map((a) => [a.anchor.line, a.starred]), [[relayLine, true]]);
    await vscode.commands.executeCommand<Annotation>('logForensics.editNote', view.uri.toString(), row, 'the relay gives up on the gateway');
    assert.deepStrictEqual(relayOnes().map((a) => [a.anchor.line, a.note, a.starred]), [[relayLine, 'the relay gives up on the gateway', true]]);
    assert.strictEqual(await vscode.commands.executeCommand<boolean>('logForensics.removeAnnotation', view.uri.toString(), row), true);
    assert.deepStrictEqual(relayOnes(), []);
    assert.strictEqual(relay.getText().includes('the relay gives up'), false);
  });
});
