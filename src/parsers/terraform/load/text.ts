import type { Diagnostic } from '../../../source/types.js';

/** Files above this size are not parsed: real configuration files are far smaller, generated blobs are not worth it. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Deepest nesting a file may have (blocks, brackets, templates, operator chains). hcl2json's parser is recursive and
 * overflows the stack somewhere above a thousand levels, after which its WASM instance is corrupted; real
 * configurations stay under twenty.
 */
export const MAX_NESTING = 100;

export type DecodedText = { text: string; diagnostic?: undefined } | { text?: undefined; diagnostic: Diagnostic };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file: string, bytes: number): Diagnostic {
  return {
    severity: 'warning',
    code: 'tf-file-too-large',
    file,
    message: `File is ${megabytes(bytes)}, over the ${megabytes(MAX_FILE_BYTES)} limit; it was not parsed.`,
  };
}

function binary(file: string): Diagnostic {
  return { severity: 'warning', code: 'tf-binary-file', file, message: 'File contains NUL bytes and looks binary; it was not parsed.' };
}

function invalidUtf8(file: string): Diagnostic {
  return { severity: 'warning', code: 'tf-invalid-utf8', file, message: 'File is not valid UTF-8; it was not parsed.' };
}

/** A JS string can carry lone surrogates that no UTF-8 file could have produced. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/**
 * Turns whatever was read into text, refusing what no Terraform or JSON file can be. The byte-order mark is
 * dropped so that columns match what editors show.
 */
export function decodeText(file: string, input: string | Uint8Array): DecodedText {
  let text: string;
  if (typeof input === 'string') {
    // Three bytes per UTF-16 unit bounds the UTF-8 size; only measure exactly when it could matter.
    if (input.length * 3 > MAX_FILE_BYTES) {
      const bytes = Buffer.byteLength(input, 'utf8');
      if (bytes > MAX_FILE_BYTES) return { diagnostic: tooLarge(file, bytes) };
    }
    if (input.includes('\0')) return { diagnostic: binary(file) };
    if (hasLoneSurrogate(input)) return { diagnostic: invalidUtf8(file) };
    text = input;
  } else {
    if (input.byteLength > MAX_FILE_BYTES) return { diagnostic: tooLarge(file, input.byteLength) };
    if (input.indexOf(0) !== -1) return { diagnostic: binary(file) };
    try {
      text = utf8.decode(input);
    } catch {
      return { diagnostic: invalidUtf8(file) };
    }
  }
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
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
