// Offsets in a rule file turned into the positions an editor shows.
import { upperBound } from '../sorted';

/** A 0-based position in a file. */
export interface Position {
  line: number;
  column: number;
}

/**
 * Turns offsets into 0-based line and column as an editor counts them (`\n`, `\r\n` and lone
 * `\r` end lines). The YAML library's own line counter can place an error past the end of its
 * line when the newline sits inside a broken token.
 */
export function positionsIn(text: string): (offset: number) => Position {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 13 && text.charCodeAt(i + 1) === 10) i++;
    if (code === 10 || code === 13) starts.push(i + 1);
  }
  return (offset) => {
    const at = Math.min(Math.max(offset, 0), text.length);
    const line = upperBound(starts, at) - 1;
    return { line, column: at - starts[line] };
  };
}
