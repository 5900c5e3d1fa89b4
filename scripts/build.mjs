// Bundles the extension client, the language server, the CLI, and the incident chart's page
// script (for the browser) with its stylesheet and icons.
import * as fs from 'fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
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
  esbuild.build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
  // Next to the CLI and the server, which start it to read a large log on a second core.
  esbuild.build({ ...common, entryPoints: ['server/src/files/scanWorker.ts'], outfile: 'dist/scanWorker.js' }),
  esbuild.build({ ...common, platform: 'browser', target: 'es2022', format: 'iife', entryPoints: ['client/media/chart.ts'], outfile: 'dist/media/chart.js' }),
]);
for (const name of fs.readdirSync('client/media')) {
  if (/\.(css|svg)$/.test(name)) fs.copyFileSync(`client/media/${name}`, `dist/media/${name}`);
}
console.log('built dist/extension.js, dist/server.js, dist/cli.js, dist/scanWorker.js, dist/media/');
