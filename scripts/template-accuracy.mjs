// Grouping Accuracy of the template miner against a Loghub-style ground truth, as the Loghub
// benchmark defines it: a line counts as right when the set of lines the miner grouped it with
// equals the set its ground-truth event holds. Reads a `*_structured.csv` (columns `Content` and
// `EventId`; `--raw LOG` also reads the raw log the CSV was made from, one line per row, through
// the product's own parser, so the program comes from the syslog tag as in the editor).
//
//   node scripts/template-accuracy.mjs STRUCTURED.csv [--raw RAW.log]
//
// Nothing is written; the data stays wherever it is (the benchmark's logs are not ours to ship).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { bundleCore } from './bench/core.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The fields of one CSV record (RFC 4180 quoting), and where the next record starts. */
function csvRecord(text, from) {
  const fields = [];
  let i = from;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        if (quote < 0) throw new Error(`an unterminated quoted field from offset ${from}`);
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      let end = i;
      while (end < text.length && text[end] !== ',' && text[end] !== '\n' && text[end] !== '\r') end++;
      field = text.slice(i, end);
      i = end;
    }
    fields.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    return { fields, next: i };
  }
}

function readStructured(file) {
  const text = fs.readFileSync(file, 'utf8');
  let { fields: header, next } = csvRecord(text, 0);
  const content = header.indexOf('Content');
  const event = header.indexOf('EventId');
  if (content < 0 || event < 0) throw new Error(`${file} has no Content and EventId columns (it has ${header.join(', ')})`);
  const rows = [];
  while (next < text.length) {
    const record = csvRecord(text, next);
    next = record.next;
    if (record.fields.length === 1 && record.fields[0] === '') continue;
    rows.push({ content: record.fields[content], event: record.fields[event] });
  }
  return rows;
}

/** Grouping Accuracy of `predicted` against `truth` (one label per line each). */
function groupingAccuracy(predicted, truth) {
  const members = (labels) => {
    const groups = new Map();
    labels.forEach((label, line) => (groups.get(label) ?? groups.set(label, []).get(label)).push(line));
    return groups;
  };
  const truthGroups = members(truth);
  let right = 0;
  for (const lines of members(predicted).values()) {
    const expected = truthGroups.get(truth[lines[0]]);
    if (expected.length === lines.length && lines.every((line) => truth[line] === truth[lines[0]])) right += lines.length;
  }
  return right / truth.length;
}

async function loadCore() {
  const outfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-accuracy-')), 'core.cjs');
  const entry = "export { TemplateMiner } from './server/src/analysis/templates/miner';\nexport { parseLogLine } from './server/src/analysis/parse/line';";
  const core = await bundleCore(root, outfile, entry);
  fs.rmSync(path.dirname(outfile), { recursive: true, force: true });
  return core;
}

/** Each row's final template id, the miner fed `messages` in order. */
function mine(core, messages) {
  const miner = new core.TemplateMiner();
  const sequences = messages.map(({ program, message }, line) => {
    miner.add(program, message, line);
    return miner.lastSequence;
  });
  return { labels: sequences.map((sequence) => miner.templateOfSequence(sequence)), templates: miner.templates().length };
}

const [csv, ...rest] = process.argv.slice(2);
if (!csv || (rest.length > 0 && !(rest[0] === '--raw' && rest[1]))) {
  console.error('usage: node scripts/template-accuracy.mjs STRUCTURED.csv [--raw RAW.log]');
  process.exit(2);
}
const rows = readStructured(csv);
const truth = rows.map((row) => row.event);
const core = await loadCore();
const content = mine(core, rows.map((row) => ({ program: undefined, message: row.content })));
console.log(`${path.basename(csv)}: ${rows.length} lines, ${new Set(truth).size} events`);
console.log(`content: grouping accuracy ${groupingAccuracy(content.labels, truth).toFixed(3)}, ${content.templates} templates`);
if (rest[0] === '--raw') {
  const raw = fs.readFileSync(rest[1], 'utf8').split(/\r?\n/);
  if (raw.at(-1) === '') raw.pop();
  if (raw.length !== rows.length) throw new Error(`${rest[1]} has ${raw.length} lines, the CSV ${rows.length} rows`);
  const messages = raw.map((text, line) => {
    const parsed = core.parseLogLine(text, line);
    const program = parsed.program ? text.slice(parsed.program.start, parsed.program.end) : undefined;
    return { program, message: text.slice(parsed.message.start, parsed.message.end) };
  });
  const product = mine(core, messages);
  console.log(`product: grouping accuracy ${groupingAccuracy(product.labels, truth).toFixed(3)}, ${product.templates} templates`);
}
