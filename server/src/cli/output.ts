import { RuleProblem, Severity } from '../analysis/rules/types';

/** How the text formats mark up what they print: ANSI colours on a terminal, nothing elsewhere. */
export interface Paint {
  /** A severity word, in its colour. */
  severity(severity: Severity, text: string): string;
  /** `file:line` where a finding is: bold. */
  location(text: string): string;
  /** `file:line` beside a line's own text: dim, so the text stands out. */
  faint(text: string): string;
}

const plain = (text: string): string => text;

/** Prints as given: for pipes, files, JSON and SARIF. */
export const PLAIN: Paint = { severity: (_severity, text) => text, location: plain, faint: plain };

const SEVERITY_COLOUR: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '2' };

function sgr(on: string, off: string): (text: string) => string {
  return (text) => `\x1b[${on}m${text}\x1b[${off}m`;
}

/** ANSI colours: severity words red, yellow, cyan (hint dim); locations bold. */
export const COLOURED: Paint = {
  severity: (severity, text) => sgr(SEVERITY_COLOUR[severity], severity === 'hint' ? '22' : '39')(text),
  location: sgr('1', '22'),
  faint: sgr('2', '22'),
};

/**
 * Whether the text formats are coloured, by the no-color.org rule: `NO_COLOR` set to anything
 * turns colour off and wins; `FORCE_COLOR` (other than `0` or `false`) turns it on wherever the
 * output goes; otherwise only a terminal that is not `TERM=dumb` gets colour.
 */
export function wantsColour(env: NodeJS.ProcessEnv, isTerminal: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return isTerminal && env.TERM !== 'dumb';
}

/**
 * Characters a terminal acts on rather than shows: C0 controls but tab, DEL, C1 controls, and the
 * bidirectional overrides that make text read other than it is stored.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A log's text made safe to print in the text formats: a line an attacker wrote could otherwise
 * retitle the terminal, clear it, or hide what follows (`\x1b]0;…\x07`, `\x1b[2J`). Each such
 * character is shown as its escape (`\x1b`, `\u202e`), as rsyslog writes `#033`; JSON and SARIF
 * carry the text unchanged, escaped by JSON itself.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (char) => {
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/** The paint for standard output as it is now. */
export function paintForStdout(): Paint {
  return wantsColour(process.env, process.stdout.isTTY === true) ? COLOURED : PLAIN;
}

/** The status of a program stopped by SIGPIPE (128 + 13), as the shell reports `cat` stopped by `head`. */
export const CLOSED_PIPE_STATUS = 141;

/**
 * Ends the process quietly with `CLOSED_PIPE_STATUS` when the reader of standard output (or
 * error) goes away (`log-forensics scan big.log | head -1`): what is left to print has nowhere to
 * go, and a stack trace would only say so. Other write errors stay errors.
 */
export function endQuietlyWhenOutputCloses(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(CLOSED_PIPE_STATUS);
    });
  }
}

/** Problems of the rule files on stderr, one a line, as `file:line:column: message`. */
export function printRuleProblems(problems: readonly RuleProblem[]): void {
  for (const problem of problems) process.stderr.write(`${problem.source}:${problem.line + 1}:${problem.column + 1}: ${problem.message}\n`);
}
