// The usage text, written from the option table of args.ts: whole for `--help`, one command's for
// `COMMAND --help`, the synopsis alone after a mistake.
import { COMMANDS, Command, LOG_COMMANDS, OPTIONS, OptionSpec, READS_STANDARD_INPUT } from './args';

/** What each command does, for the usage. */
const DESCRIPTIONS: Record<Command, string> = {
  scan: 'print the findings of the signature catalogue in each file',
  timeline: 'merge the entries of all files in time order',
  triage: 'rank what is unusual across the files, most telling first: findings grouped by rule, rare lines by template, steady background low, with the reasons for each rank',
  report: 'write the postmortem in Markdown: timeline of annotated lines, findings not annotated, evidence (size, mtime, SHA-256 of each file as on disk; for .gz, the compressed bytes)',
  export: 'write the timeline for Timesketch (JSONL or CSV: message, datetime, timestamp_desc, ...)',
  rules: 'export: write the shipped signature catalogue as Sigma rules, for a SIEM through sigma-cli; what cannot be expressed is left out, counted by reason on stderr',
};

/** What follows the command: the logs, or the action of `rules`. */
function operandOf(command: Command): string {
  return command === 'rules' ? 'export' : 'FILE...';
}

/** Columns of the usage text, so it reads in a 100-column terminal without wrapping. */
const WIDTH = 100;

/** Words joined into lines of at most `WIDTH` columns, continued lines indented by `indent`. */
function wrap(words: readonly string[], first: string, indent: string): string {
  const lines: string[] = [];
  let line = first;
  for (const word of words) {
    if (line.trim() !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else line = line.length === 0 || line.endsWith(' ') ? line + word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join('\n');
}

function optionsOf(command: Command): OptionSpec[] {
  return OPTIONS.filter((option) => option.commands.includes(command));
}

/** `log-forensics scan FILE... [--format text|json|sarif] ...`, wrapped. */
function synopsis(command: Command): string {
  const words = optionsOf(command).map((option) => {
    const shown = option.value ? `${option.name} ${option.value}` : option.name;
    return `${option.required ? shown : `[${shown}]`}${option.repeatable ? '...' : ''}`;
  });
  return wrap([operandOf(command), ...words], `  log-forensics ${command}`, '      ');
}

/** Where an option's help starts; a longer name puts it on the next line. */
const HELP_COLUMN = 26;

function describeOption(option: OptionSpec, showCommands: boolean): string {
  const head = `  ${option.name}${option.value ? ` ${option.value}` : ''}`;
  const scope = showCommands && option.commands !== LOG_COMMANDS ? `${option.commands.join(', ')}: ` : '';
  const indent = ' '.repeat(HELP_COLUMN);
  const words = `${scope}${option.help}${option.repeatable ? '; repeatable' : ''}`.split(' ');
  return head.length < HELP_COLUMN - 1 ? wrap(words, head.padEnd(HELP_COLUMN), indent) : `${head}\n${wrap(words, indent, indent)}`;
}

const FILES_TEXT = [
  'FILE is a log (plain, or gzip whatever its name), a folder (the logs found in it and below, in',
  'name order; what was left out is said on stderr), or - for standard input (scan, timeline,',
  'triage; read whole within --max-size; report and export refuse it, as their evidence names each',
  'log on disk by path and SHA-256). Name a file called - as ./-.',
].join('\n');

const WORKSPACE_TEXT = [
  'The workspace: the folder of --annotations\' .log-forensics/, else the current folder, as in the',
  'editor. Its .log-forensics/suppressions.json leaves out the findings marked as expected, and its',
  '.log-forensics/disabled-rules.json ({"version":1,"disabled":["rule/id",...]}, written by any',
  'editor\'s "Disable signature ... in this workspace") drops those rules, as does that of any folder',
  'named as FILE.',
].join('\n');

const GLOBAL_TEXT = [`${'  -h, --help'.padEnd(HELP_COLUMN)}print this usage; COMMAND --help prints that command's`, `${'  -V, --version'.padEnd(HELP_COLUMN)}print the version`].join('\n');

/** The exit statuses, and when the text formats are coloured. */
function exitText(failOn: boolean): string {
  const statuses = `Exit status: 0 done;${failOn ? ' 1 a finding at or above --fail-on;' : ''} 2 a usage mistake or an input that cannot be read; 141 standard output was closed before the end (as \`| head\` does), with nothing on stderr.`;
  const colour = 'Colour: on a terminal, for text output; NO_COLOR (any value) turns it off, FORCE_COLOR (not 0) turns it on elsewhere; NO_COLOR wins.';
  return [wrap(statuses.split(' '), '', ''), wrap(colour.split(' '), '', '')].join('\n');
}

/** Everything the CLI takes: every command with every option, and what each does. */
export const USAGE = [
  'Usage:',
  COMMANDS.map(synopsis).join('\n'),
  '  log-forensics --help | --version',
  '',
  COMMANDS.map((command) => wrap(DESCRIPTIONS[command].split(' '), `  ${command.padEnd(11)}`, ' '.repeat(13))).join('\n'),
  '',
  FILES_TEXT,
  '',
  WORKSPACE_TEXT,
  '',
  'Options:',
  OPTIONS.map((option) => describeOption(option, true)).join('\n'),
  GLOBAL_TEXT,
  '',
  exitText(true),
].join('\n');

/** One command's usage: its synopsis, what it does, and each of its options. */
export function usageOf(command: Command): string {
  if (command === 'rules') return ['Usage:', synopsis(command), '', wrap(DESCRIPTIONS[command].split(' '), '  ', '  '), '', 'Options:', optionsOf(command).map((option) => describeOption(option, false)).join('\n'), GLOBAL_TEXT, '', exitText(false)].join('\n');
  const files = READS_STANDARD_INPUT.includes(command) ? 'FILE: a log, a folder of logs, or - for standard input.' : 'FILE: a log on disk or a folder of logs (not standard input: the evidence names each file).';
  return ['Usage:', synopsis(command), '', wrap(DESCRIPTIONS[command].split(' '), '  ', '  '), `  ${files}`, '', WORKSPACE_TEXT, '', 'Options:', optionsOf(command).map((option) => describeOption(option, false)).join('\n'), GLOBAL_TEXT, '', exitText(optionsOf(command).some((option) => option.name === '--fail-on'))].join('\n');
}

/** What a usage mistake prints after its message: the synopsis, and where the whole usage is. */
export function usageAfterMistake(command?: Command): string {
  if (!command) return ['Usage:', ...COMMANDS.map(synopsis), 'Run log-forensics --help for what each command and option does.'].join('\n');
  return ['Usage:', synopsis(command), `Run log-forensics ${command} --help for what each option does.`].join('\n');
}
