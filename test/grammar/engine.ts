import * as fs from 'fs';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { repoPath } from '../support/paths';

/** The grammar's root scope, as package.json declares it. */
export const SCOPE_NAME = 'text.log.forensics';

/** The grammar file and the language configuration under test. */
export const GRAMMAR_FILE = repoPath('syntaxes', 'log-forensics.tmLanguage.json');
export const LANGUAGE_CONFIGURATION_FILE = repoPath('syntaxes', 'language-configuration.json');

/** How long one line may take, in milliseconds, before the engine gives up on it. */
export const LINE_TIME_LIMIT_MS = 1000;

let loaded: Promise<vsctm.IGrammar> | undefined;

/** The grammar, loaded once with the same engine VS Code uses (vscode-textmate on Oniguruma). */
export function loadGrammar(): Promise<vsctm.IGrammar> {
  loaded ??= load();
  return loaded;
}

async function load(): Promise<vsctm.IGrammar> {
  const wasm = fs.readFileSync(repoPath('node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(fs.readFileSync(GRAMMAR_FILE, 'utf8'), GRAMMAR_FILE) : null,
  });
  const grammar = await registry.loadGrammar(SCOPE_NAME);
  if (!grammar) throw new Error(`no grammar for ${SCOPE_NAME} in ${GRAMMAR_FILE}`);
  return grammar;
}

/**
 * The scopes of every token that overlaps the first occurrence of `fragment` in `line`, one list
 * per token, with the root scope left out. A fragment may name its target inside context with
 * guillemets: `') + «4»'` is the 4 after `) + `, not the first 4 of the line. Throws when the
 * fragment is not in the line, so a typo in a test table fails loudly instead of passing vacuously.
 */
export async function scopesAt(line: string, fragment: string): Promise<string[][]> {
  const marked = /^(.*)«(.+)»(.*)$/.exec(fragment);
  const [before, target, after] = marked ? [marked[1], marked[2], marked[3]] : ['', fragment, ''];
  const found = line.indexOf(before + target + after);
  if (found < 0 || target.length === 0) throw new Error(`"${before + target + after}" is not in "${line}"`);
  const at = found + before.length;
  const { tokens } = (await loadGrammar()).tokenizeLine(line, vsctm.INITIAL, LINE_TIME_LIMIT_MS);
  return tokens
    .filter((token) => token.startIndex < at + target.length && token.endIndex > at)
    .map((token) => token.scopes.filter((scope) => scope !== SCOPE_NAME));
}

/** What tokenizing one line of a file showed. */
export interface LineTokenization {
  /** The engine hit the time limit and left the rest of the line untokenized. */
  stoppedEarly: boolean;
  /** Tokens start at 0, follow each other without gap or overlap, and reach the line's end. */
  coversLine: boolean;
  /** The grammar is back at its root after the line: no rule ran on into the next line. */
  endsAtRoot: boolean;
  /** The scopes at each character offset's token, for spot checks. */
  scopesAt(offset: number): readonly string[];
}

/**
 * Tokenizes the lines of a file one after the other, as the editor does, carrying the state from
 * line to line.
 */
export function tokenizeLines(grammar: vsctm.IGrammar, lines: readonly string[]): LineTokenization[] {
  let state: vsctm.StateStack = vsctm.INITIAL;
  return lines.map((line) => {
    const result = grammar.tokenizeLine(line, state, LINE_TIME_LIMIT_MS);
    state = result.ruleStack;
    const tokens = result.tokens;
    let next = 0;
    let contiguous = true;
    for (const token of tokens) {
      if (token.startIndex !== next) contiguous = false;
      next = token.endIndex;
    }
    return {
      stoppedEarly: result.stoppedEarly,
      coversLine: tokens.length > 0 && contiguous && next >= line.length,
      endsAtRoot: result.ruleStack.depth === 1,
      scopesAt: (offset: number) => tokens.find((token) => token.startIndex <= offset && offset < token.endIndex)?.scopes ?? [],
    };
  });
}
