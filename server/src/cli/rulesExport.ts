import * as fs from 'fs';
import * as path from 'path';
import { createHash } from 'crypto';
import { buildCatalogue } from '../analysis/rules/catalogue';
import { SigmaExport, exportSigma } from '../analysis/rules/sigma/export';
import { shippedRuleSources } from '../rulesOnDisk';
import { printRuleProblems } from './output';
import { writeFileAtomic } from '../files/atomicWrite';
import { CliArgs } from './args';

/** The namespace of the catalogue's Sigma ids: fixed, so a rule keeps its id from one export to the next. */
const SIGMA_NAMESPACE = '5e8ede2d-c0fd-4077-9b06-75023128f71b';

/** The RFC 4122 version 5 (SHA-1, name-based) UUID of `name` in the catalogue's namespace. */
export function sigmaUuidOf(name: string): string {
  const namespace = Buffer.from(SIGMA_NAMESPACE.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The shipped catalogue as Sigma rules, dated today (UTC). */
export function exportShippedCatalogue(today = new Date()): SigmaExport {
  const catalogue = buildCatalogue(shippedRuleSources());
  printRuleProblems(catalogue.problems);
  return exportSigma(catalogue.rules.map((rule) => rule.definition), { uuidOf: sigmaUuidOf, date: today.toISOString().slice(0, 10), author: 'Log Forensics signature catalogue' });
}

/** What was exported and what was left out, counted by reason, for stderr. */
function summaryOf(result: SigmaExport): string {
  const { line, burst, paired } = result.exported;
  const lines = [`log-forensics: exported ${line + burst + paired} rules as Sigma (${line} line, ${burst} burst with event_count, ${paired} paired with temporal_ordered); left out ${result.leftOut.length}:`];
  const byReason = new Map<string, number>();
  for (const { reason } of result.leftOut) byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
  for (const [reason, count] of [...byReason].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(count).padStart(4)}  ${reason}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Runs `rules export --format sigma`: one `.yml` per catalogue rule in `--out` (created if need
 * be; files of the same name are replaced, others left alone), or every rule as one YAML stream
 * on standard output. Returns the exit status.
 */
export async function runRulesExport(args: CliArgs): Promise<number> {
  const result = exportShippedCatalogue();
  if (args.out === undefined) {
    process.stdout.write(result.files.map((file) => file.yamlText).join('---\n'));
    process.stderr.write(summaryOf(result));
    return 0;
  }
  try {
    await fs.promises.mkdir(args.out, { recursive: true });
    for (const file of result.files) await writeFileAtomic(path.join(args.out, file.fileName), file.yamlText);
  } catch (error) {
    process.stderr.write(`log-forensics: cannot write the Sigma rules to ${args.out}: ${(error as Error).message}\n`);
    return 2;
  }
  process.stderr.write(summaryOf(result));
  process.stderr.write(`log-forensics: wrote ${result.files.length} files to ${args.out}\n`);
  return 0;
}
