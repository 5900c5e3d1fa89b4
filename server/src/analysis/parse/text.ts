/** A problem with the input as a whole or with one line; parsing reports these instead of throwing. */
export interface InputProblem {
  /** 0-based line, or -1 for the whole file. */
  line: number;
  message: string;
}

/**
 * Signatures are looked for in the first this many characters of a message. An unanchored
 * pattern that starts with `\S+` costs time quadratic in a run without blanks: a 100 KB line of
 * base64 or binary would keep the rule engine busy for minutes.
 */
export const MATCHED_CHARS = 4096;

/** V8 cuts strings of at least this many characters as views into the string they came from. */
const SLICE_MIN = 13;

/**
 * A copy of `s` that does not keep alive the larger string it was cut from: a few characters kept
 * from each of many lines (a host name, a match's groups) would otherwise pin every chunk of a
 * large log in memory.
 */
export function detached(s: string): string {
  return s.length < SLICE_MIN ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/**
 * `detached`, four times quicker, for strings kept a short while: joining makes a new string that
 * V8 copies out flat before cutting it, so the view left pins only that copy (about 20 bytes
 * more per string than `detached`'s).
 */
export function detachedQuickly(s: string): string {
  return s.length < SLICE_MIN ? s : (' ' + s).slice(1);
}

/**
 * Splits text into lines at `\n`, `\r\n` and lone `\r`. The line ends are not kept; a trailing
 * line end does not make an extra empty line.
 */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  const length = text.length;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code === 10 || code === 13) {
      lines.push(text.slice(start, i));
      if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
  }
  if (start < length) lines.push(text.slice(start));
  return lines;
}

/** How many NUL and other control or undecodable characters the start of a text holds. */
export interface ControlCounts {
  /** Characters looked at. */
  sample: number;
  nul: number;
  /** Control characters other than tab, line ends and ESC (colour codes), and U+FFFD (bytes that were not UTF-8). */
  control: number;
}

/** Counts the control characters among the first `limit` characters of `text`. */
export function countControlCharacters(text: string, limit: number): ControlCounts {
  const sample = Math.min(text.length, limit);
  let control = 0;
  let nul = 0;
  for (let i = 0; i < sample; i++) {
    const code = text.charCodeAt(i);
    if (code === 0) nul++;
    else if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 27) || code === 0xfffd) control++;
  }
  return { sample, nul, control };
}

/** Whether counted characters say binary: more than one in ten is a control character. */
export function looksBinary(counts: ControlCounts): boolean {
  return counts.nul + counts.control > counts.sample * 0.1;
}

/**
 * Looks at the start of a text for signs it is not a log: NUL bytes or many control characters
 * (a core file, a gzip without its extension). Returns a problem describing it, or undefined.
 */
export function detectBinary(text: string): InputProblem | undefined {
  const counts = countControlCharacters(text, 8192);
  const { sample, nul, control } = counts;
  if (sample === 0) return undefined;
  if (looksBinary(counts)) {
    return { line: -1, message: `This file looks binary (${nul} NUL and ${control} other control or undecodable characters in its first ${sample} characters); it is shown as text, but few lines will parse.` };
  }
  if (nul > 0) return { line: -1, message: `This file holds ${nul} NUL bytes in its first ${sample} characters; lines with them are parsed as far as they go.` };
  return undefined;
}
