import { Lexer } from 'yaml';

/** An asterisk where a YAML node starts (line start, after a space, `[`, `{` or `,`) followed by an anchor name. */
const CANDIDATE = /(?:^|[\s[{,])\*[^\s,[\]{}]/g;

/**
 * Where a YAML text holds more than `limit` aliases: the offset of the first alias past the limit, or undefined when
 * it holds no more. Counted on the text, before any parser builds nodes: a few megabytes of aliases cost the YAML
 * parser tens of seconds and gigabytes, whatever the later expansion limits. A regular expression counts candidates
 * (it may count an asterisk inside a quoted or block string); only past the limit does YAML's lexer count exactly.
 */
export function yamlAliasesOverLimit(text: string, limit: number): number | undefined {
  let candidates = 0;
  let at: number | undefined;
  for (const m of text.matchAll(CANDIDATE)) {
    if (++candidates > limit) {
      at = m.index + m[0].length - 2;
      break;
    }
  }
  if (at === undefined) return undefined;
  let aliases = 0;
  for (const token of new Lexer().lex(text)) if (token.startsWith('*') && ++aliases > limit) return at;
  return undefined;
}
