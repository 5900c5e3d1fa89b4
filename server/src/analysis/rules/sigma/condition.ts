/** A parsed Sigma condition: search identifiers combined with `and`, `or`, `not` and `of`. */
export type ConditionNode =
  | { kind: 'search'; name: string; offset: number }
  | { kind: 'and' | 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  /** `1 of X*` / `all of X*`; `pattern` is `them` for every search not starting with `_`. */
  | { kind: 'of'; quantifier: 'one' | 'all'; pattern: string; offset: number };

/** Why a condition cannot be used, and where in its text. */
export interface ConditionProblem {
  /** Offset in the condition's text. */
  offset: number;
  message: string;
}

interface Token {
  text: string;
  offset: number;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'near']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const word = /\(|\)|\||[^\s()|]+/g;
  for (const match of text.matchAll(word)) tokens.push({ text: match[0], offset: match.index });
  return tokens;
}

class ConditionSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

/**
 * Recursive descent over the Sigma condition grammar, loosest first:
 * `or` ← `and` ← `not` ← `( … )` | `1 of X` | `all of X` | identifier.
 */
class Parser {
  private at = 0;

  constructor(private readonly tokens: Token[], private readonly length: number) {}

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw new ConditionSyntaxError(0, 'the condition is empty');
    const node = this.or();
    const extra = this.tokens[this.at];
    if (extra?.text === '|') this.refusePipe(extra);
    if (extra) throw new ConditionSyntaxError(extra.offset, `unexpected "${extra.text}" in the condition`);
    return node;
  }

  private refusePipe(pipe: Token): never {
    const rest = this.tokens.slice(this.at + 1).map((t) => t.text.toLowerCase());
    if (rest.includes('near')) throw new ConditionSyntaxError(pipe.offset, '`near` (temporal proximity) is not supported: it relates several lines; Sigma now writes this as a correlation rule');
    throw new ConditionSyntaxError(pipe.offset, 'aggregations such as `| count() > 5` are not supported: they count over several lines; Sigma now writes this as a correlation rule');
  }

  private peek(): string | undefined {
    return this.tokens[this.at]?.text.toLowerCase();
  }

  private or(): ConditionNode {
    const items = [this.and()];
    while (this.peek() === 'or') {
      this.at++;
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  }

  private and(): ConditionNode {
    const items = [this.not()];
    while (this.peek() === 'and') {
      this.at++;
      items.push(this.not());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  }

  private not(): ConditionNode {
    if (this.peek() === 'not') {
      this.at++;
      return { kind: 'not', item: this.not() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    const token = this.tokens[this.at];
    if (!token) throw new ConditionSyntaxError(this.length, 'the condition ends where a search identifier was expected');
    const word = token.text.toLowerCase();
    if (word === '(') {
      this.at++;
      const inner = this.or();
      if (this.peek() !== ')') throw new ConditionSyntaxError(this.tokens[this.at]?.offset ?? this.length, 'missing ")" in the condition');
      this.at++;
      return inner;
    }
    if (word === '|') this.refusePipe(token);
    if (this.tokens[this.at + 1]?.text.toLowerCase() === 'of') return this.quantified(token);
    if (word === 'near') throw new ConditionSyntaxError(token.offset, '`near` (temporal proximity) is not supported: it relates several lines');
    if (KEYWORDS.has(word) || word === ')') throw new ConditionSyntaxError(token.offset, `unexpected "${token.text}" where a search identifier was expected`);
    if (!/^[A-Za-z0-9_.-]+$/.test(token.text)) {
      const hint = token.text.includes('*') ? ' (wildcards are only allowed after `1 of` or `all of`)' : '';
      throw new ConditionSyntaxError(token.offset, `"${token.text}" is not a search identifier${hint}`);
    }
    this.at++;
    return { kind: 'search', name: token.text, offset: token.offset };
  }

  private quantified(token: Token): ConditionNode {
    const word = token.text.toLowerCase();
    if (word === 'any') throw new ConditionSyntaxError(token.offset, '`any of` is not Sigma: write `1 of`');
    if (word !== '1' && word !== 'all') {
      throw new ConditionSyntaxError(token.offset, `"${token.text} of" is not supported: Sigma conditions have only \`1 of\` and \`all of\``);
    }
    this.at += 2;
    const target = this.tokens[this.at];
    if (!target || target.text === '(' || target.text === ')' || target.text === '|') {
      throw new ConditionSyntaxError(target?.offset ?? this.length, `\`${token.text} of\` needs a search identifier pattern or \`them\``);
    }
    if (!/^[A-Za-z0-9_.*-]+$/.test(target.text)) throw new ConditionSyntaxError(target.offset, `"${target.text}" is not a search identifier pattern`);
    this.at++;
    return { kind: 'of', quantifier: word === '1' ? 'one' : 'all', pattern: target.text.toLowerCase() === 'them' ? 'them' : target.text, offset: target.offset };
  }
}

/** Parses a Sigma condition; never throws: a mistake comes back as a problem with its offset. */
export function parseCondition(text: string): { node: ConditionNode } | { problem: ConditionProblem } {
  try {
    return { node: new Parser(tokenize(text), text.length).parse() };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { problem: { offset: error.offset, message: error.message } };
    throw error;
  }
}

/** The search identifiers an `of` pattern names, in the order they are defined. */
export function searchesMatching(pattern: string, names: string[]): string[] {
  if (pattern === 'them') return names.filter((name) => !name.startsWith('_'));
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.\\-]/g, '\\$&')).join('.*')}$`);
  return names.filter((name) => regex.test(name));
}
