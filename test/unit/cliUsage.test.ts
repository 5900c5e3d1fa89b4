import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, Command, OPTIONS, UsageError, parseArgs } from '../../server/src/cli/args';
import { USAGE, usageOf } from '../../server/src/cli/usage';

/** The `--options` a command's synopsis in `text` names (its `log-forensics COMMAND` lines). */
function synopsisOptions(text: string, command: Command): Set<string> {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`  log-forensics ${command} `));
  assert.ok(start >= 0, `no synopsis of ${command}`);
  let end = start + 1;
  while (end < lines.length && lines[end].startsWith('      ')) end++;
  return new Set(lines.slice(start, end).join(' ').match(/--[a-z][a-z-]*/g) ?? []);
}

/** Whether parseArgs takes `option` for `command` (a bad or missing value is still taking it). */
function accepts(command: Command, option: string): boolean {
  try {
    parseArgs([command, option, '1', 'some.log']);
    return true;
  } catch (error) {
    assert.ok(error instanceof UsageError, String(error));
    return !/unknown option|is not an option of/.test(error.message);
  }
}

describe('the usage text and the parser agree', () => {
  const everyName = new Set([...OPTIONS.map((option) => option.name), ...(USAGE.match(/--[a-z][a-z-]*/g) ?? [])]);
  everyName.delete('--help');
  everyName.delete('--version');

  for (const command of COMMANDS) {
    it(`${command}: every option the parser takes is in its synopsis, and every option there is taken`, () => {
      const taken = [...everyName].filter((name) => accepts(command, name)).sort();
      assert.deepEqual([...synopsisOptions(USAGE, command)].sort(), taken);
      assert.deepEqual([...synopsisOptions(usageOf(command), command)].sort(), taken);
    });

    it(`${command} --help explains each of its options on a line of its own`, () => {
      const text = usageOf(command);
      for (const option of OPTIONS.filter((spec) => spec.commands.includes(command))) {
        assert.match(text, new RegExp(`^ {2}${option.name}${option.value ? ` ${option.value.replace(/[|]/g, '\\|')}` : ''}(?: |$)`, 'm'), option.name);
      }
    });
  }

  it('the whole usage explains every option of the table', () => {
    for (const option of OPTIONS) assert.ok(USAGE.includes(`\n  ${option.name}${option.value ? ` ${option.value}` : ''}`), option.name);
  });

  it('no line of the usage is wider than 100 columns', () => {
    for (const text of [USAGE, ...COMMANDS.map(usageOf)]) for (const line of text.split('\n')) assert.ok(line.length <= 100, line);
  });

  it('-h, --help, help and --version are requests, not mistakes', () => {
    assert.deepEqual(parseArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseArgs(['help', 'export']), { kind: 'help', command: 'export' });
    assert.deepEqual(parseArgs(['export', 'x.log', '-h']), { kind: 'help', command: 'export' });
    assert.deepEqual(parseArgs(['-V']), { kind: 'version' });
    // After `--`, every word is a file.
    const request = parseArgs(['scan', '--', '-h', '--version']);
    assert.equal(request.kind, 'run');
    assert.deepEqual(request.kind === 'run' && request.args.files, ['-h', '--version']);
  });
});
