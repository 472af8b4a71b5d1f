import { decodeSourceText, type DecodedText } from '../../../source/text.js';
import { INPUT_SIZE_LIMITS } from '../../../source/fs-policy.js';
import type { Diagnostic } from '../../../source/types.js';

export type { DecodedText } from '../../../source/text.js';

/** Files above this size are not parsed: real configuration files are far smaller, generated blobs are not worth it. */
export const MAX_FILE_BYTES = INPUT_SIZE_LIMITS.terraform;

/**
 * Deepest nesting a file may have (blocks, brackets, templates, operator chains). hcl2json's parser is recursive and
 * overflows the stack somewhere above a thousand levels, after which its WASM instance is corrupted; real
 * configurations stay under twenty.
 */
export const MAX_NESTING = 100;

/**
 * Turns whatever was read into text, refusing what no Terraform or JSON file can be. The byte-order mark is
 * dropped so that columns match what editors show.
 */
export function decodeText(file: string, input: string | Uint8Array): DecodedText {
  return decodeSourceText(file, input, { maxBytes: MAX_FILE_BYTES, codePrefix: 'tf', noun: 'File' });
}

export function tooDeep(file: string, line: number, column: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'tf-nesting-too-deep',
    file,
    line,
    column,
    message: `Nesting is deeper than ${MAX_NESTING} levels; the file was not parsed.`,
  };
}
