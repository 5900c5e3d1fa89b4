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
  const used = [...new Set(files.flatMap((f) => f.findings.map((finding) => finding.ruleId)))].sort();
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
              const tags = definition?.tags ?? [];
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
        invocations: [{ executionSuccessful: true, exitCode: run.exitCode, workingDirectory: { uri: baseUri } }],
        artifacts: files.map((f) => ({ location: artifactLocation(f.file, run.base) })),
        results: files.flatMap((f, artifactIndex) => {
          const prints = fingerprints(f);
          return f.findings.map((finding, k) => ({
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
            partialFingerprints: { 'logForensics/v1': prints[k] },
            ...(Number.isNaN(finding.time) ? {} : { properties: { time: new Date(finding.time).toISOString() } }),
          }));
        }),
      },
    ],
  };
}
