import { IdentityKey, IdentityKind } from './types';

/** The text a scanner reads, and where it writes what it finds. */
export interface KeyScan {
  text: string;
  /** Where the message starts; scanners never look into the header (`[pid]` is no address). */
  from: number;
  /** The program that wrote the line, '' when unknown; some ids only mean something from it. */
  program: string;
  /** Whether the line is an exim main-log line (stamp, then the message id). */
  exim: boolean;
  out: IdentityKey[];
}

/** Adds a key to a scan's output. */
export function addKey(scan: KeyScan, kind: IdentityKind, value: string, start: number, end: number): void {
  scan.out.push({ kind, value, start, end });
}

/** Whether the program is one of postfix's daemons (`postfix/smtpd`, `postfix-in/smtpd`). */
export function isPostfixProgram(program: string): boolean {
  return program.startsWith('postfix');
}

/** Whether the character before `at` lets a `key=` start there (not the tail of a longer word). */
export function startsWord(text: string, at: number): boolean {
  if (at === 0) return true;
  const code = text.charCodeAt(at - 1);
  return !((code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45);
}

/** The end of the token starting at `at`: the first blank, `,`, `;`, `)`, `"` or `>`. */
export function tokenEnd(text: string, at: number, limit = 256): number {
  let p = at;
  const stop = Math.min(text.length, at + limit);
  while (p < stop) {
    const code = text.charCodeAt(p);
    if (code === 32 || code === 9 || code === 44 || code === 59 || code === 41 || code === 34 || code === 62) break;
    p++;
  }
  return p;
}
