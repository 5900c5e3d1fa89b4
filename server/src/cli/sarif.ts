import { createHash } from 'crypto';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { withPlaceholderNames } from '../analysis/rules/placeholders';
import { CompiledRule, Finding, Severity } from '../analysis/rules/types';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };
/** Code-scanning platforms rank security results by this (0–10) where a rule carries the `security` tag. */
const SECURITY_SEVERITY: Record<Severity, string> = { error: '8.0', warning: '5.0', information: '2.0', hint: '1.0' };
/** The base the artifacts' URIs are relative to: the folder the scan was run from (or `--base`). */
const BASE_ID = 'SRCROOT';

/** A file's findings, for the SARIF log. */
export interface FileFindings {
  file: string;
  findings: Finding[];
  /** The text of a line, for fingerprints that survive lines moving. */
  lineText(line: number): string;
}

/** How the scan ran, for `invocations`. */
export interface SarifRun {
  version: string;
  /** The folder artifact URIs are relative to. */
  base: string;
  exitCode: number;
  /** The most results to write (code scanning shows 5,000 a run and refuses more than 25,000). */
  maxResults: number;
}

/** Code scanning keeps 10 of a rule's tags and refuses more than 20. */
const MAX_TAGS = 10;

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'information', 'hint'];

/**
 * Which findings fit in `max`: the most severe first and, within a severity, each rule's in turn,
 * so one rule firing thousands of times does not crowd out a rule that fired once. Returns the
 * kept findings' keys (`file index:finding index`).
 */
function keptFindings(files: readonly FileFindings[], max: number): Set<string> {
  const byRule = new Map<string, string[]>();
  files.forEach((file, f) => file.findings.forEach((finding, k) => {
    const group = `${SEVERITY_ORDER.indexOf(finding.severity)}\u0000${finding.ruleId}`;
    const list = byRule.get(group);
    if (list) list.push(`${f}:${k}`);
    else byRule.set(group, [`${f}:${k}`]);
  }));
  const kept = new Set<string>();
  for (let severity = 0; severity < SEVERITY_ORDER.length && kept.size < max; severity++) {
    const groups = [...byRule].filter(([group]) => group.startsWith(`${severity}\u0000`)).map(([, keys]) => keys);
    for (let turn = 0; kept.size < max && groups.some((keys) => turn < keys.length); turn++) {
      for (const keys of groups) {
        if (kept.size >= max) break;
        if (turn < keys.length) kept.add(keys[turn]);
      }
    }
  }
  return kept;
}

/** The first paragraph of an explanation, without its bold lead-in: what the rule means, in short. */
function firstParagraph(explanation: string): string {
  const paragraph = explanation.trim().split(/\n\s*\n/)[0] ?? '';
  return paragraph.replace(/^\*\*[^*]+\*\*\s*/, '').replace(/\s+/g, ' ').trim();
}

/** The artifact's URI: relative to the base when the file is inside it, else absolute. */
function artifactLocation(file: string, base: string): { uri: string; uriBaseId?: string } {
  const relative = path.relative(base, path.resolve(file));
  if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: BASE_ID };
  return { uri: pathToFileURL(path.resolve(file)).href };
}

/**
 * Fingerprints that name a result by what it is, not where: the rule, the line's text with its
 * digits masked (pids and counters change between rotations) and which occurrence of that text it
 * is in the file. A line moving down the file keeps its fingerprint; a second identical line gets
 * its own.
 */
function fingerprints(file: FileFindings): string[] {
  const seen = new Map<string, number>();
  return file.findings.map((finding) => {
    const key = `${finding.ruleId}\u0000${file.lineText(finding.line).replace(/\d+/g, '0')}`;
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** Builds a SARIF 2.1.0 log of findings, with the rules that produced them, as code-scanning platforms take it. */
export function toSarif(files: FileFindings[], rules: Map<string, CompiledRule>, run: SarifRun): object {
  const total = files.reduce((sum, f) => sum + f.findings.length, 0);
  const kept = total > run.maxResults ? keptFindings(files, run.maxResults) : undefined;
  const shown = files.map((f, fileIndex) => ({ ...f, prints: fingerprints(f), keep: (k: number) => kept === undefined || kept.has(`${fileIndex}:${k}`) }));
  const used = [...new Set(shown.flatMap((f) => f.findings.filter((_, k) => f.keep(k)).map((finding) => finding.ruleId)))].sort();
  const notifications = kept === undefined ? [] : [{ level: 'warning', message: { text: `${(total - kept.size).toLocaleString('en-US')} of ${total.toLocaleString('en-US')} results left out to stay within ${run.maxResults.toLocaleString('en-US')} (--max-results): the most severe are kept, every rule's first ones before any rule's later ones.` } }];
  const ruleIndex = new Map(used.map((id, index) => [id, index]));
  const baseUri = pathToFileURL(path.resolve(run.base)).href.replace(/\/?$/, '/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'log-forensics',
            version: run.version,
            rules: used.map((id) => {
              const definition = rules.get(id)?.definition;
              const explanation = withPlaceholderNames(definition?.explanation ?? '');
              const tags = (definition?.tags ?? []).slice(0, MAX_TAGS);
              return {
                id,
                name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, next: string | undefined) => (next ?? '').toUpperCase()),
                shortDescription: { text: definition?.title ?? id },
                fullDescription: { text: firstParagraph(explanation) || (definition?.title ?? id) },
                help: { text: explanation.replace(/\*\*/g, ''), markdown: explanation },
                defaultConfiguration: { level: LEVEL[definition?.severity ?? 'warning'] },
                properties: { tags, ...(tags.includes('security') ? { 'security-severity': SECURITY_SEVERITY[definition?.severity ?? 'warning'] } : {}) },
              };
            }),
          },
        },
        originalUriBaseIds: { [BASE_ID]: { uri: baseUri } },
        invocations: [{ executionSuccessful: true, exitCode: run.exitCode, workingDirectory: { uri: baseUri }, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }],
        artifacts: files.map((f) => ({ location: artifactLocation(f.file, run.base) })),
        results: shown.flatMap((f, artifactIndex) => {
          return f.findings.flatMap((finding, k) => (!f.keep(k) ? [] : [{
            ruleId: finding.ruleId,
            ruleIndex: ruleIndex.get(finding.ruleId),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { ...artifactLocation(f.file, run.base), index: artifactIndex },
                  region: { startLine: finding.line + 1, endLine: finding.endLine + 1, startColumn: finding.start + 1, endColumn: finding.end + 1 },
                },
              },
            ],
            partialFingerprints: { 'logForensics/v1': f.prints[k] },
            ...(Number.isNaN(finding.time) ? {} : { properties: { time: new Date(finding.time).toISOString() } }),
          }]));
        }),
      },
    ],
  };
}
