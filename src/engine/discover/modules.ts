import path from 'node:path';
import { HclScanner, unquoteLiteral, type Token } from '../../parsers/terraform/load/hcl-scanner.js';

const LOCAL_SOURCE = /^\.{1,2}([\\/]|$)/;

/**
 * Local module sources (`./…`, `../…`) written in a Terraform file. Reading `source = "…"` through the tokenizer keeps
 * commented-out calls and `/*` inside policy ARNs from confusing it; which block the attribute sits in is left to the
 * evaluator: only module calls take a relative path as `source`.
 */
export function localModuleSources(fileName: string, text: string): string[] {
  const found = fileName.toLowerCase().endsWith('.json') ? jsonSources(text) : hclSources(text);
  return found.filter((s) => LOCAL_SOURCE.test(s)).map((s) => s.replace(/\\/g, '/'));
}

/**
 * What a file must hold to call a local module: the word `source` and a quoted string starting with a dot (or with an
 * escape, which could spell one). A file without both is not tokenized: most files call no local module.
 */
const MAY_CALL_LOCAL = [/\bsource\b/, /"(?:\.|\\[uU])/];

function hclSources(text: string): string[] {
  if (!MAY_CALL_LOCAL.every((re) => re.test(text))) return [];
  const scanner = new HclScanner(text);
  const out: string[] = [];
  const window: Token[] = [];
  for (;;) {
    const t = scanner.next();
    if (t.kind === 'eof') break;
    window.push(t);
    if (window.length > 5) window.shift();
    const [name, assign, open, literal, close] = window;
    if (
      window.length === 5 &&
      name!.kind === 'ident' &&
      name!.text === 'source' &&
      assign!.kind === 'assign' &&
      open!.kind === 'template-open' &&
      open!.quoted &&
      literal!.kind === 'template-literal' &&
      close!.kind === 'template-close'
    ) {
      out.push(unquoteLiteral(literal!.text));
    }
  }
  return out;
}

function jsonSources(text: string): string[] {
  return [...text.matchAll(/"source"\s*:\s*"((?:[^"\\]|\\.)*)"/g)].map((m) => {
    try {
      return JSON.parse(`"${m[1]}"`) as string;
    } catch {
      return m[1]!;
    }
  });
}

/** The module directory a call from `dir` (relative, forward slashes) refers to. */
export function resolveSource(dir: string, source: string): string {
  const joined = path.posix.normalize(path.posix.join(dir, source)).replace(/\/$/, '');
  return joined === '' ? '.' : joined;
}
