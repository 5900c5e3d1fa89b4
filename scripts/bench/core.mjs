// The analysis core for the benchmark: bundled from the TypeScript sources as they stand (so the
// in-process phases measure the current code), and the literal signatures grep and ripgrep search.
// The exports are the pieces the phases take apart: the chunked line reader, the parser alone,
// the one-pass analysis (parse and match), the disk scan the CLI runs on plain files, and the
// triage that ranks its findings, and the template miner with its masking (`templates.mjs` times
// them alone).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const ENTRY = `
export { readRuleFolder } from './server/src/rulesOnDisk';
export { buildCatalogue } from './server/src/analysis/rules/catalogue';
export { RuleMatcher } from './server/src/analysis/rules/matcher';
export { readLineChunks, LineOffsets } from './server/src/files/lineReader';
export { LogParser } from './server/src/analysis/parse/document';
export { LinesInMemory } from './server/src/analysis/parse/logText';
export { LogAnalysis, indexFindingsByLine } from './server/src/analysis/service';
export { LogFileScan } from './server/src/files/logFileScan';
export { buildTimeIndex } from './server/src/analysis/correlate/timeIndex';
export { triage } from './server/src/analysis/triage/triage';
export { TemplateMiner } from './server/src/analysis/templates/miner';
export { TemplateScanner } from './server/src/analysis/templates/scanner';
export { maskMessage, maskInto, MaskedMessage } from './server/src/analysis/templates/mask';
`;

/** Bundles the core (or the modules `entry` exports) into `outfile` (CommonJS) and returns it loaded. */
export async function bundleCore(root, outfile, entry = ENTRY) {
  await esbuild.build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(outfile);
}

/** ERE and Rust-regex metacharacters: escaping only these keeps the pattern valid in both. */
const escapeRegex = (literal) => literal.replace(/[.[\]()*+?{}|^$\\]/g, '\\$&');

/**
 * The literal signatures of the shipped catalogue, as grep and ripgrep get them: for each rule,
 * the literals its prefilter requires (one, or one per alternative; a line holding none of them
 * cannot match the rule), as the matcher chose them. These are exactly what the core's
 * one-search-per-line gate looks for.
 * Writes one escaped pattern a line to `file`; returns counts for the report.
 */
export function writeSignatures(core, root, file) {
  const sources = core.readRuleFolder(path.join(root, 'rules')).map((source) => ({ ...source, engine: 'native' }));
  const { rules } = core.buildCatalogue(sources);
  // The prefilters of the scope for lines that name no program: every rule, as the matcher chose them.
  const { prefilters } = new core.RuleMatcher(rules).scope(undefined);
  const literals = new Set();
  let withLiteral = 0;
  let caseless = 0;
  const lineRules = prefilters.length;
  for (const prefilter of prefilters) {
    if (!prefilter) continue;
    withLiteral++;
    if (prefilter.ignoreCase) caseless++;
    for (const literal of prefilter.literals) if (!literal.includes('\n')) literals.add(literal);
  }
  fs.writeFileSync(file, [...literals].map(escapeRegex).join('\n') + '\n');
  return { rules: lineRules, withLiteral, literals: literals.size, caseless };
}
