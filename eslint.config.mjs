// Lint configuration. The analysis core must stay pure: no editor, protocol or file-system
// imports, so it can be unit tested directly and reused by the CLI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'fs/promises', 'path', 'os', 'child_process', 'net', 'http', 'https', 'zlib', 'worker_threads', 'readline', 'stream', 'process'];

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', '.vscode-test/', '.e2e/', 'bench-data/', 'test/fixtures/', 'samples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test collects its tests itself; their returned promises are not ours to await.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'it', 'describe', 'suite', 'before', 'after'] }] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'eqeqeq': ['error', 'smart'],
    },
  },
  {
    files: ['server/src/analysis/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((name) => [{ name, message: 'The analysis core is pure: pass data in, do not read it.' }, { name: `node:${name}`, message: 'The analysis core is pure: pass data in, do not read it.' }]),
          { name: 'vscode', message: 'The analysis core knows nothing of the editor.' },
        ],
        patterns: [
          { group: ['vscode-languageserver*', 'vscode-languageclient*'], message: 'The analysis core knows nothing of LSP; convert in server/src/toLsp.' },
          { group: ['**/toLsp/**', '**/cli/**', '../server', '../../server'], message: 'The analysis core must not depend on its callers.' },
        ],
      }],
      'no-restricted-globals': ['error', { name: 'process', message: 'The analysis core takes settings as arguments.' }, { name: 'require', message: 'No dynamic loading in the analysis core.' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', fetch: 'readonly', __dirname: 'readonly' } },
  },
);
