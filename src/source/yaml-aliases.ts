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

/** Lexer tokens that carry no text of their own: the scalar, document and flow-error markers. */
const MARKERS = new Set(['\x1f', '\x02', '\x18']);

/**
 * Where a YAML text holds more than `limit` nodes: the offset of the first node past the limit, or undefined when it
 * holds no more. Counted on YAML's lexer tokens, before any parser builds nodes: each scalar, alias, anchor, flow
 * collection and `-` or `?` entry counts one. A few megabytes of tiny nodes (`[x,x,…]`, `[&a x,…]`) cost the YAML
 * parser tens of seconds and gigabytes. Each counted token takes at least one character, so a text no longer than
 * the limit is not lexed.
 */
export function yamlNodesOverLimit(text: string, limit: number): number | undefined {
  if (text.length <= limit) return undefined;
  let nodes = 0;
  let offset = 0;
  let scalar = false;
  for (const token of new Lexer().lex(text)) {
    if (MARKERS.has(token)) {
      if (token === '\x1f') scalar = true;
      continue;
    }
    const c = token[0];
    const counts = scalar || c === '"' || c === "'" || c === '*' || c === '&' || token === '[' || token === '{' || token === '-' || token === '?';
    scalar = false;
    if (counts && ++nodes > limit) return offset;
    offset += token.length;
  }
  return undefined;
}
