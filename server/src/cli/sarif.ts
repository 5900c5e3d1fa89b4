import { withPlaceholderNames } from '../analysis/rules/placeholders';
import { CompiledRule, Finding, Severity } from '../analysis/rules/types';

const LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

/** A file's findings, for the SARIF log. */
export interface FileFindings {
  file: string;
  uri: string;
  findings: Finding[];
}

/** Builds a SARIF 2.1.0 log of findings, with the rules that produced them. */
export function toSarif(files: FileFindings[], rules: Map<string, CompiledRule>, version: string): object {
  const used = [...new Set(files.flatMap((f) => f.findings.map((finding) => finding.ruleId)))].sort();
  const ruleIndex = new Map(used.map((id, index) => [id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'log-forensics',
            version,
            rules: used.map((id) => {
              const definition = rules.get(id)?.definition;
              return {
                id,
                shortDescription: { text: definition?.title ?? id },
                fullDescription: { text: definition?.title ?? id },
                help: { text: withPlaceholderNames(definition?.explanation ?? ''), markdown: withPlaceholderNames(definition?.explanation ?? '') },
                defaultConfiguration: { level: LEVEL[definition?.severity ?? 'warning'] },
              };
            }),
          },
        },
        artifacts: files.map((f) => ({ location: { uri: f.uri } })),
        results: files.flatMap((f, artifactIndex) =>
          f.findings.map((finding) => ({
            ruleId: finding.ruleId,
            ruleIndex: ruleIndex.get(finding.ruleId),
            level: LEVEL[finding.severity],
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: f.uri, index: artifactIndex },
                  region: { startLine: finding.line + 1, endLine: finding.endLine + 1, startColumn: finding.start + 1, endColumn: finding.end + 1 },
                },
              },
            ],
            ...(Number.isNaN(finding.time) ? {} : { properties: { time: new Date(finding.time).toISOString() } }),
          })),
        ),
      },
    ],
  };
}
