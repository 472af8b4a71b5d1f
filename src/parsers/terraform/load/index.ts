import { internalReason } from '../../../source/internal-error.js';
import type { Diagnostic, Span } from '../../../source/types.js';
import { hclToJson, type Hcl2JsonResult } from './hcl2json.js';
import { fileJson } from './hcl-json.js';
import { treeSitterParser, withTree } from './tree-sitter.js';
import { readJson } from '../../../source/json.js';
import { locateHcl } from './locate.js';
import { decodeText, MAX_NESTING, tooDeep } from './text.js';
import { jsonErrorDiagnostic, jsonToRaw, loadTfJsonText } from './tf-json.js';
import type { RawValue, TfFile } from './types.js';
import { attributesFrom, blocksFrom, mismatchReporter, setOwn } from './zip.js';

export type { RawValue, TfAttribute, TfBlock, TfComment, TfFile } from './types.js';
export { MAX_FILE_BYTES, MAX_NESTING } from './text.js';

export interface LoadedFile {
  file: TfFile | undefined;
  diagnostics: Diagnostic[];
}

export interface LoadedTfvars {
  values: Record<string, { value: RawValue; span: Span }>;
  diagnostics: Diagnostic[];
}

const isJsonPath = (p: string) => p.toLowerCase().endsWith('.json');

function internalError(file: string, e: unknown): Diagnostic {
  return { severity: 'error', code: 'tf-load-failed', file, message: `The file could not be loaded: ${internalReason(e)}.` };
}

/**
 * Loads one `.tf` or `.tf.json` file into blocks with positions. A pure function of (path, text) returning plain
 * data that survives structuredClone, so it can run in a worker; it never throws. `path` is used as given, in
 * diagnostics and in the result.
 */
export async function loadTerraformFile(path: string, text: string | Uint8Array): Promise<LoadedFile> {
  try {
    const decoded = decodeText(path, text);
    if (decoded.diagnostic) return { file: undefined, diagnostics: [decoded.diagnostic] };
    if (isJsonPath(path)) return loadTfJsonText(path, decoded.text);
    return await loadHcl(path, decoded.text);
  } catch (e) {
    return { file: undefined, diagnostics: [internalError(path, e)] };
  }
}

/** hcl2json's JSON of a file: from tree-sitter's fast path when it takes the file, else from hcl2json itself. */
async function hclJson(path: string, text: string): Promise<Hcl2JsonResult> {
  const parser = await treeSitterParser();
  const fast = parser ? withTree(parser, text, fileJson) : undefined;
  return fast ? { json: fast } : hclToJson(path, text);
}

async function loadHcl(path: string, text: string): Promise<LoadedFile> {
  const located = locateHcl(text);
  if (located.tooDeep) return { file: undefined, diagnostics: [tooDeep(path, located.tooDeep.line, located.tooDeep.column)] };
  const parsed = await hclJson(path, text);
  if (parsed.error) return { file: undefined, diagnostics: [parsed.error] };
  const diagnostics: Diagnostic[] = [];
  const blocks = blocksFrom(located.blocks, parsed.json, mismatchReporter(path, diagnostics));
  for (const attr of located.attributes) {
    diagnostics.push({
      severity: 'warning',
      code: 'tf-unexpected-attribute',
      file: path,
      line: attr.span.start.line,
      column: attr.span.start.column,
      message: `"${attr.name}" is set outside any block, where Terraform accepts none; it was ignored.`,
    });
  }
  return { file: { path, blocks, comments: located.comments }, diagnostics };
}

/**
 * Loads variable values from `.tfvars` (HCL attributes) or `.tfvars.json` (literal JSON values, whose strings are
 * escaped so that the template parser reads them back as written). Never throws.
 */
export async function loadTfvars(path: string, text: string | Uint8Array): Promise<LoadedTfvars> {
  const values: LoadedTfvars['values'] = {};
  try {
    const decoded = decodeText(path, text);
    if (decoded.diagnostic) return { values, diagnostics: [decoded.diagnostic] };
    if (isJsonPath(path)) return tfvarsFromJson(path, decoded.text);
    const located = locateHcl(decoded.text);
    if (located.tooDeep) return { values, diagnostics: [tooDeep(path, located.tooDeep.line, located.tooDeep.column)] };
    const parsed = await hclJson(path, decoded.text);
    if (parsed.error) return { values, diagnostics: [parsed.error] };
    const diagnostics: Diagnostic[] = [];
    const report = mismatchReporter(path, diagnostics);
    for (const attr of Object.values(attributesFrom(located.attributes, parsed.json, report)))
      setOwn(values, attr.name, { value: attr.value, span: attr.span });
    for (const block of located.blocks) {
      diagnostics.push({
        severity: 'warning',
        code: 'tf-unexpected-block',
        file: path,
        line: block.span.start.line,
        column: block.span.start.column,
        message: `A variables file holds only assignments; the "${block.type}" block was ignored.`,
      });
    }
    return { values, diagnostics };
  } catch (e) {
    return { values, diagnostics: [internalError(path, e)] };
  }
}

function tfvarsFromJson(path: string, text: string): LoadedTfvars {
  const values: LoadedTfvars['values'] = {};
  let root;
  try {
    root = readJson(text, { maxNesting: MAX_NESTING });
  } catch (e) {
    return { values, diagnostics: [jsonErrorDiagnostic(path, e)] };
  }
  if (root.kind !== 'object') {
    return {
      values,
      diagnostics: [
        {
          severity: 'error',
          code: 'tf-parse-error',
          file: path,
          line: root.span.start.line,
          column: root.span.start.column,
          message: 'A variables file in JSON must hold one object.',
        },
      ],
    };
  }
  for (const e of root.entries) setOwn(values, e.key, { value: jsonToRaw(e.value, true), span: { start: e.keySpan.start, end: e.value.span.end } });
  return { values, diagnostics: [] };
}
