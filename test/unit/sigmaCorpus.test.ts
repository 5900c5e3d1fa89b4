import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { loadSigmaFile } from '../../server/src/analysis/rules/sigma/loader';
import { readAuditFields } from '../../server/src/analysis/parse/auditFields';
import { RuleMatcher } from '../../server/src/analysis/rules/matcher';
import { analyzeLog } from '../../server/src/analysis/service';
import { readSigmaFolder } from '../../server/src/rulesOnDisk';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';
import { FIXED_TIME } from '../support/catalogue';

const AUDITD_RULES = ['sigmahq', 'rules', 'linux', 'auditd'];
const ENRICHED_LOG = ['plaso-syslog', 'audit_enriched.log'];

test('every SigmaHQ auditd rule loads without a warning', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const sources = readSigmaFolder(path.join(folder, ...AUDITD_RULES));
  assert.ok(sources.length > 40, `only ${sources.length} auditd rule files found`);
  for (const source of sources) {
    const loaded = loadSigmaFile(source);
    assert.deepEqual(loaded.problems.filter((problem) => problem.severity !== 'information'), [], source.source);
    assert.ok(loaded.rules.length >= 1, source.source);
  }
});

test('real audit records decode their hex arguments to what the process title says', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const lines = fs.readFileSync(path.join(folder, ...ENRICHED_LOG), 'utf8').split('\n');
  const records = lines.map((line) => readAuditFields(line)).filter((record) => record !== undefined);
  const execves = records.filter((record) => record.type === 'EXECVE');
  assert.ok(execves.length >= 2);
  let hexArguments = 0;
  for (const execve of execves) {
    const argc = Number(execve.fields.get('argc'));
    const args = Array.from({ length: argc }, (_, i) => execve.fields.get(`a${i}`));
    const title = records.find((record) => record.type === 'PROCTITLE' && record.event === execve.event)?.fields.get('proctitle');
    assert.equal(args.join(' '), title, execve.event);
    if (lines.some((line) => line.includes(execve.event) && /EXECVE.* a\d=[0-9A-F]{8}/.test(line))) hexArguments++;
  }
  assert.ok(hexArguments >= 1, 'the log should hold an EXECVE with a hex-encoded argument');
});

test('SigmaHQ auditd rules flag the account creation and the discovery command of a real audit log', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  const rules = readSigmaFolder(path.join(folder, ...AUDITD_RULES)).flatMap((source) => loadSigmaFile(source).rules);
  const text = fs.readFileSync(path.join(folder, ...ENRICHED_LOG), 'utf8');
  const lines = text.split('\n');
  const findings = analyzeLog(text, FIXED_TIME, new RuleMatcher(rules)).findings;
  const titlesAt = (line: number) => findings.filter((finding) => finding.line === line).map((finding) => finding.title);
  // lnx_auditd_create_account.yml selects `type: ADD_USER`.
  const addUser = lines.findIndex((line) => line.startsWith('type=ADD_USER '));
  assert.ok(addUser >= 0);
  assert.ok(titlesAt(addUser).includes('Creation Of An User Account'), JSON.stringify(titlesAt(addUser)));
  // lnx_auditd_user_discovery.yml selects an EXECVE whose a0 is `id` (among others).
  const id = lines.findIndex((line) => line.startsWith('type=EXECVE ') && line.endsWith(' a0="id"'));
  assert.ok(id >= 0);
  assert.ok(titlesAt(id).includes('System Owner or User Discovery - Linux'), JSON.stringify(titlesAt(id)));
  // One event, one finding per rule.
  const keys = findings.map((finding) => `${finding.ruleId} ${readAuditFields(lines[finding.line])?.event}`);
  assert.equal(new Set(keys).size, keys.length);
});
