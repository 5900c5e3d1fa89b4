// Bundles the extension client, the language server, the CLI, and the incident chart's page
// script (for the browser) with its stylesheet and icons.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
// The CLI starts node with the product's own flags (server/src/nodeFlags.ts).
const nodeFlags = JSON.parse(fs.readFileSync('server/src/nodeFlags.json', 'utf8')).flags;
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: `#!/usr/bin/env -S node ${nodeFlags.join(' ')}` } }),
  // Next to the CLI and the server, which start it to read a large log on a second core.
  esbuild.build({ ...common, entryPoints: ['server/src/files/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
  esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/media/chart.ts'], outfile: 'dist/media/chart.js' }),
]);
// Runnable as a program of its own (`./dist/cli.js`), as npm makes a package's bin.
fs.chmodSync('dist/cli.js', 0o755);
for (const name of fs.readdirSync('client/media')) {
  if (/\.(css|svg)$/.test(name)) fs.copyFileSync(`client/media/${name}`, `dist/media/${name}`);
}

// The shipped catalogue already read, so that the CLI, the server and the scan's workers need not
// parse its YAML (they still do for any file whose text differs from the one read here).
const snapshotter = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'log-forensics-build-')), 'snapshot.js');
await esbuild.build({
  ...common,
  sourcemap: false,
  stdin: { contents: "export { catalogueSnapshot, SNAPSHOT_FILE } from './server/src/ruleSnapshot'; export { readRuleFolder } from './server/src/rulesOnDisk';", resolveDir: process.cwd(), loader: 'ts' },
  outfile: snapshotter,
});
const { catalogueSnapshot, readRuleFolder, SNAPSHOT_FILE } = createRequire(import.meta.url)(snapshotter);
const snapshot = catalogueSnapshot(readRuleFolder('rules'));
fs.writeFileSync(`dist/${SNAPSHOT_FILE}.tmp`, JSON.stringify(snapshot));
fs.renameSync(`dist/${SNAPSHOT_FILE}.tmp`, `dist/${SNAPSHOT_FILE}`);
fs.rmSync(path.dirname(snapshotter), { recursive: true, force: true });
console.log(`built dist/extension.js, dist/server.js, dist/cli.js, dist/scanWorker.js, dist/media/, dist/${SNAPSHOT_FILE} (${snapshot.files.length} rule files)`);
