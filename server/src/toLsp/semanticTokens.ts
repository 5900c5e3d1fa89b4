import { SemanticTokens, SemanticTokensBuilder, SemanticTokensLegend } from 'vscode-languageserver';
import { StoredLog } from '../logs/registry';

/**
 * Token types the server assigns from its own parse (the grammar only guesses); the client's
 * package.json maps each to TextMate scopes so themes colour them.
 */
export const TOKEN_TYPES = ['logTimestamp', 'logHost', 'logProgram', 'logPid', 'logUptime', 'logFrame'] as const;

export const SEMANTIC_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [] };

/** Semantic tokens for a whole log, at most `maxLines` lines (the rest keep grammar colours). */
export function semanticTokensFor(log: StoredLog, maxLines = 200_000): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  const lines = log.parsed.lines;
  const limit = Math.min(lines.length, maxLines);
  for (let i = 0; i < limit; i++) {
    const record = lines.fields(i);
    if (record.kind === 'frame') {
      builder.push(i, record.message.start, record.message.end - record.message.start, 5, 0);
      continue;
    }
    const spans: [{ start: number; end: number } | undefined, number][] = [
      [record.stamp, 0],
      [record.host, 1],
      [record.program, 2],
      [record.pid, 3],
      [record.format === 'dmesg' ? undefined : record.uptimeSpan, 4],
    ];
    const present = spans.filter((entry): entry is [{ start: number; end: number }, number] => entry[0] !== undefined && entry[0].end > entry[0].start);
    present.sort((a, b) => a[0].start - b[0].start);
    for (const [span, type] of present) builder.push(i, span.start, span.end - span.start, type, 0);
  }
  return builder.build();
}
