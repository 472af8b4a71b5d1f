import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node, Parser, Tree } from 'web-tree-sitter';

/**
 * The fast HCL parse path: tree-sitter's Terraform grammar (WebAssembly, started in milliseconds, one call per file)
 * reads the files hcl2json would read, and the converters beside this module turn its syntax tree into exactly what
 * hcl2json gives (`hcl-json.ts`) and what its expression parser gives (`../expr/tree-sitter.ts`). tree-sitter
 * recovers from errors where HCL stops, and its grammar is looser than HCL's in places, so the fast path only ever
 * accepts: a file or expression with any syntax error, or with anything the converters do not mirror exactly, is
 * declined and goes to hcl2json, which reports HCL's own diagnostics. `test/terraform/tree-sitter-parity.test.ts`
 * holds the two paths equal over every Terraform file of the fixtures, the examples, the corpus and the peer suites.
 *
 * One parser per thread (each worker has its own). If the WebAssembly cannot be loaded, the fast path is off and
 * hcl2json parses everything.
 */

const require = createRequire(import.meta.url);

/** The bundled Action carries the two `.wasm` files beside its own code, where the packages cannot be resolved. */
function wasmFile(specifier: string): string {
  try {
    return require.resolve(specifier);
  } catch {
    return path.join(path.dirname(fileURLToPath(import.meta.url)), path.basename(specifier));
  }
}

let ready: Promise<Parser | undefined> | undefined;

async function start(): Promise<Parser | undefined> {
  try {
    const ts = await import('web-tree-sitter');
    await ts.Parser.init({ wasmBinary: readFileSync(wasmFile('web-tree-sitter/web-tree-sitter.wasm')) } as never);
    const language = await ts.Language.load(readFileSync(wasmFile('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm')));
    const parser = new ts.Parser();
    parser.setLanguage(language);
    return parser;
  } catch {
    return undefined;
  }
}

/** This thread's parser, started on first use; undefined when it cannot run (hcl2json then parses everything). */
export function treeSitterParser(): Promise<Parser | undefined> {
  if (process.env['IAC_VPCE_HCL_PARSER'] === 'hcl2json') return Promise.resolve(undefined);
  ready ??= start();
  return ready;
}

/** Runs `read` on the syntax tree of `text` when it has no error, and frees the tree; undefined otherwise. */
export function withTree<T>(parser: Parser, text: string, read: (root: Node, text: string) => T | undefined): T | undefined {
  let tree: Tree | null = null;
  try {
    tree = parser.parse(text);
    if (!tree || tree.rootNode.hasError || !asHclReadsIt(tree.rootNode, text)) return undefined;
    return read(tree.rootNode, text);
  } catch (e) {
    if (e instanceof Declined) return undefined;
    throw e;
  } finally {
    tree?.delete();
  }
}

/** A backslash that starts none of HCL's escapes. */
const BAD_ESCAPE = /\\(?![nrt"\\]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})/;

/**
 * What tree-sitter takes and HCL rejects, looked for in one pass over the tree:
 * - HCL reads a number greedily and rejects what follows a fraction (`10.11.10.12/32` is an invalid number, where
 *   tree-sitter reads `10.11` and two legacy indexes), and it has no hexadecimal numbers;
 * - HCL rejects a quoted string split over lines, and a backslash escape it does not know (heredocs take their text
 *   as written).
 */
function asHclReadsIt(root: Node, text: string): boolean {
  for (const n of root.descendantsOfType(['numeric_lit', 'string_lit', 'quoted_template'])) {
    if (!n) continue;
    if (n.type === 'numeric_lit') {
      if (text[n.endIndex] === '.' || /[xX]/.test(n.text)) return false;
      continue;
    }
    // The string's own text: its interpolations and directives cut out.
    const whole = text.slice(n.startIndex, n.endIndex);
    let own = '';
    let from = n.startIndex;
    for (const c of n.children) {
      if (!c || (c.type !== 'template_interpolation' && c.type !== 'template_directive')) continue;
      own += whole.slice(from - n.startIndex, c.startIndex - n.startIndex);
      from = c.endIndex;
    }
    own += whole.slice(from - n.startIndex);
    if (own.includes('\n') || own.includes('\r') || BAD_ESCAPE.test(own.replace(/\\\\/g, ''))) return false;
  }
  return true;
}

/** Thrown by a converter that meets something it does not mirror exactly: the input goes to hcl2json instead. */
export class Declined extends Error {
  constructor(readonly why: string) {
    super(why);
    this.name = 'Declined';
  }
}

export const decline = (why: string): never => {
  throw new Declined(why);
};

/** A node's children, comments left out. */
export const childrenOf = (n: Node): Node[] => n.children.filter((c): c is Node => c !== null && c.type !== 'comment');
/** A node's named children, comments left out. */
export const namedOf = (n: Node): Node[] => n.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');

/**
 * The elements of a tuple or object, without its brackets; anything else there is declined, as are object elements
 * HCL would not take: HCL separates them with a comma or a line break (tree-sitter's grammar also takes neither), and
 * a comma follows its element on the element's last line.
 */
export function elements(c: Node, type: string): Node[] {
  const all = childrenOf(c);
  const inner = all.filter((e) => e.isNamed && !e.type.endsWith('_start') && !e.type.endsWith('_end'));
  for (const e of inner) if (e.type !== type) decline(`the element ${e.type}`);
  for (let i = 1; i < inner.length; i++) {
    const between = all.slice(all.indexOf(inner[i - 1]!) + 1, all.indexOf(inner[i]!));
    if (!between.some((t) => t.type === ',') && inner[i]!.startPosition.row === inner[i - 1]!.endPosition.row) decline('elements without a separator');
  }
  if (type === 'object_elem')
    all.forEach((t, i) => {
      if (t.type === ',' && all[i - 1] && all[i - 1]!.endPosition.row !== t.startPosition.row) decline('a comma on a line of its own');
    });
  return inner;
}

export type { Node } from 'web-tree-sitter';
