import { LineLevel } from './types';

// Word lists are deliberately short: signatures decide what is a failure; this only tints lines.
const ERROR_WORDS = /\b(?:emerg(?:ency)?|alert|crit(?:ical)?|fatal|panic|err(?:or)?|failed|failure|syserr|segfault|oops)\b/i;
const WARNING_WORDS = /\b(?:warn(?:ing)?|timeout|timed out|deferred|refused|denied|rejected?)\b/i;
const DEBUG_WORDS = /\bdebug\b/i;

/** Maps an RFC 5424 severity (0-7, the low three bits of PRI) to a level. */
export function levelFromSyslogSeverity(severity: number): LineLevel {
  if (severity <= 2) return 'emergency';
  if (severity === 3) return 'error';
  if (severity === 4) return 'warning';
  if (severity === 5) return 'notice';
  if (severity === 6) return 'info';
  return 'debug';
}

/** Guesses a level from the words of a message; undefined when nothing stands out. */
export function levelFromWords(message: string): LineLevel | undefined {
  if (ERROR_WORDS.test(message)) return 'error';
  if (WARNING_WORDS.test(message)) return 'warning';
  if (DEBUG_WORDS.test(message)) return 'debug';
  return undefined;
}
