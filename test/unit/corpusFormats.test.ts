import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseLog } from '../../server/src/analysis/parse/document';
import { CORPUS_SKIP, corpusFolder } from '../support/paths';

const context = { zone: 'UTC', yearReference: { year: 2026, month: 12, day: 31, source: 'setting' as const } };

/**
 * Real files in formats the parser reads, each with a pattern that recognises a stamped line of
 * the format independently of the parser, and what such a line must give.
 */
const FILES: { file: string; stamped: RegExp; host: boolean; program: boolean; time: boolean }[] = [
  { file: 'lnav-journald/logfile_journald.json', stamped: /^\{.*"__REALTIME_TIMESTAMP"/, host: true, program: true, time: true },
  { file: 'plaso-syslog/audit_enriched.log', stamped: /^type=\S+ msg=audit\(\d+\.\d+:\d+\)/, host: false, program: true, time: true },
  { file: 'plaso-syslog/selinux.log', stamped: /^type=\S* msg=audit\(\d+\.\d+:\d+\)/, host: false, program: true, time: true },
  { file: 'fail2ban/roundcube-auth', stamped: /^\[\d\d-[A-Z][a-z]{2}-\d{4} \d\d:\d\d:\d\d [^\]]+\]:/, host: false, program: true, time: true },
  { file: 'fail2ban/roundcube-auth', stamped: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+:/, host: true, program: true, time: true },
  { file: 'abrt-examples/xorg_journal_crash1.test', stamped: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+\[\d+\]:/, host: true, program: true, time: true },
  { file: 'plaso-syslog/syslog_osx', stamped: /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+\[\d+\]/, host: true, program: true, time: true },
  { file: 'lkp-tests/stats-kmsg/01', stamped: /^kern {2}:[a-z]+ *: \[ *\d+\.\d+\]/, host: false, program: true, time: false },
];

test('real files in the journal, audit, roundcube, macOS and dmesg -x formats: >= 99 % of stamped lines are read', (t) => {
  const folder = corpusFolder();
  if (!folder) return t.skip(CORPUS_SKIP);
  for (const { file, stamped, host, program, time } of FILES) {
    const full = path.join(folder, file);
    if (!fs.existsSync(full)) {
      t.diagnostic(`missing: ${file}`);
      continue;
    }
    const log = parseLog(fs.readFileSync(full, 'utf8'), context);
    let claimed = 0;
    const wrong: string[] = [];
    for (let i = 0; i < log.lines.length; i++) {
      const raw = log.text.line(i);
      if (!stamped.test(raw)) continue;
      claimed++;
      const missing = [
        time && Number.isNaN(log.times[i]) ? 'time' : '',
        host && log.lines.host(i) === undefined ? 'host' : '',
        program && log.lines.program(i) === undefined ? 'program' : '',
        log.lines.kind(i) !== 'entry' ? 'entry' : '',
      ].filter((what) => what !== '');
      if (missing.length > 0) wrong.push(`${file}:${i + 1} no ${missing.join(', ')}: ${raw.slice(0, 100)}`);
    }
    t.diagnostic(`${file}: ${claimed} stamped lines, ${claimed - wrong.length} read`);
    assert.ok(claimed > 0, `${file}: no line of the format`);
    assert.ok(claimed - wrong.length >= 0.99 * claimed, wrong.slice(0, 5).join('\n'));
  }
});
