import type { Diagnostic } from '../../../source/types.js';
import { loadTerraformFile } from '../load/index.js';
import { parseFileExpressions, type ParsedFile } from '../evaluate/parsed.js';

/** One `.tf` or `.tf.json` file, loaded and every expression parsed: plain data that survives `structuredClone`. */
export interface ParsedOutcome {
  file?: ParsedFile;
  /** The loader's diagnostics, then the expression parser's, in the order they were found. */
  diagnostics: Diagnostic[];
}

/** Turns a file's bytes into its parsed form. The in-process parser, the worker pool and the cache all do this. */
export interface FileParser {
  parse(rel: string, bytes: Uint8Array): Promise<ParsedOutcome>;
  /** Releases what the parser holds (workers, pending cache writes). Never throws. */
  close(): Promise<void>;
}

/** The parse stage for one file: a pure function of (path, bytes); never throws. */
export async function parseTerraformFile(rel: string, bytes: Uint8Array): Promise<ParsedOutcome> {
  const loaded = await loadTerraformFile(rel, bytes);
  if (!loaded.file) return { diagnostics: loaded.diagnostics };
  const parsed = await parseFileExpressions(loaded.file);
  return { file: parsed.file, diagnostics: [...loaded.diagnostics, ...parsed.diagnostics] };
}

export const inProcessParser: FileParser = { parse: parseTerraformFile, close: () => Promise.resolve() };
