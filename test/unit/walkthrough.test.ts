import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { repoPath } from '../support/paths';

interface Step {
  id: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Manifest {
  contributes: {
    commands: { command: string }[];
    views: Record<string, { id: string }[]>;
    walkthroughs: { id: string; steps: Step[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(repoPath('package.json'), 'utf8')) as Manifest;
const commands = new Set(manifest.contributes.commands.map((entry) => entry.command));
const views = new Set(Object.values(manifest.contributes.views).flat().map((view) => view.id));
const steps = manifest.contributes.walkthroughs.flatMap((walkthrough) => walkthrough.steps);
/** The folders the package takes in: the `!folder/**` lines of .vscodeignore. */
const packaged = fs
  .readFileSync(repoPath('.vscodeignore'), 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('!') && line.endsWith('/**'))
  .map((line) => line.slice(1, -2));

/** Whether VS Code runs this command id: one the extension contributes, a view's focus command, or the workbench's own. */
function runs(command: string): boolean {
  if (commands.has(command)) return true;
  if (command.endsWith('.focus')) return views.has(command.slice(0, -'.focus'.length));
  return command.startsWith('workbench.');
}

test('every walkthrough step shows a page that exists and goes into the package', () => {
  assert.ok(steps.length >= 5, `only ${steps.length} steps`);
  for (const step of steps) {
    const page = step.media.markdown ?? step.media.image;
    assert.ok(page && fs.existsSync(repoPath(page)), `${step.id}: no page at ${page}`);
    assert.ok(packaged.some((folder) => page.startsWith(folder)), `${step.id}: ${page} is left out of the package by .vscodeignore`);
  }
});

test('every button and completion event of the walkthrough names a command or view that exists', () => {
  for (const step of steps) {
    const links = [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map((match) => match[1]);
    assert.ok(links.length > 0, `${step.id} has no button`);
    for (const command of links) assert.ok(runs(command), `${step.id}: button runs unknown command ${command}`);
    assert.ok(step.completionEvents && step.completionEvents.length > 0, `${step.id} never completes`);
    for (const event of step.completionEvents) {
      const [kind, name] = event.split(':');
      if (kind === 'onCommand') assert.ok(runs(name), `${step.id}: completes on unknown command ${name}`);
      else if (kind === 'onView') assert.ok(views.has(name), `${step.id}: completes on unknown view ${name}`);
      else assert.fail(`${step.id}: unexpected completion event ${event}`);
    }
  }
});

test('the sample incident the walkthrough opens is packaged with the log it shows first', () => {
  assert.ok(commands.has('logForensics.openSampleIncident'));
  assert.ok(fs.existsSync(repoPath('samples', 'mailgw-incident', 'drjmailgw', 'messages')));
  assert.ok(packaged.includes('samples/mailgw-incident/'), `packaged folders: ${packaged.join(', ')}`);
});

/** Seconds into the day of a classic syslog line's stamp (`Nov  8 16:49:42 …`). */
function secondsOf(line: string): number {
  const [hours, minutes, seconds] = line.slice(7, 15).split(':').map(Number);
  return hours * 3600 + minutes * 60 + seconds;
}

test('the pages name the sample\'s lines by their own times, and the gap between them as the logs give it', () => {
  const sample = (...parts: string[]) => fs.readFileSync(repoPath('samples', 'mailgw-incident', ...parts), 'utf8').split('\n');
  const findings = fs.readFileSync(repoPath('client', 'media', 'walkthrough', 'findings.md'), 'utf8').replace(/\s+/g, ' ');
  const [, time, text] = /kernel line at (\d\d:\d\d:\d\d), `([^`]+)`/.exec(findings) ?? [];
  assert.ok(time && text, 'findings.md names no kernel line');
  const irq = sample('drjmailgw', 'messages').find((line) => line.includes(text));
  assert.ok(irq, `drjmailgw/messages has no line with ${text}`);
  assert.equal(irq.slice(7, 15), time);
  // Both logs keep the same zone (the sample's settings name one for all) and neither clock is offset.
  const greeting = sample('relay', 'maillog').find((line) => line.includes('timeout waiting for input from drjmailgw during client greeting') && secondsOf(line) >= secondsOf(irq));
  assert.ok(greeting, 'relay/maillog has no greeting timeout after the kernel line');
  const around = fs.readFileSync(repoPath('client', 'media', 'walkthrough', 'around.md'), 'utf8').replace(/\s+/g, ' ');
  assert.match(around, new RegExp(`during client greeting\\* is there, ${secondsOf(greeting) - secondsOf(irq)} s later`));
});
