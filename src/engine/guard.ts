import type { Diagnostic } from '../source/types.js';

/** Set (to anything but `0` or empty) to add the stack of an internal error to its diagnostic. */
export const DEBUG_ENV = 'IAC_VPCE_DEBUG';

/** The code of a diagnostic that stands for a failure of iac-vpce itself on one input. */
export const INTERNAL_ERROR = 'scan-internal-error';

/**
 * The diagnostic for an unexpected throw while scanning one input (a root module, a template, a plan, a cloud
 * assembly): what failed and where, the error's first line, and its stack only when `IAC_VPCE_DEBUG` is set.
 */
export function internalError(file: string, what: string, e: unknown, line?: number): Diagnostic {
  const d: Diagnostic = {
    severity: 'error',
    code: INTERNAL_ERROR,
    file,
    message: `Internal error while ${what}: ${errorText(e)}. Its findings are missing from this report; the other inputs were scanned. Please report this (set ${DEBUG_ENV}=1 for details).${debugStack(e)}`,
  };
  if (line !== undefined) d.line = line;
  return d;
}

/** The first line of an error's message, without its stack. */
export function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0]!.trim().slice(0, 300).replace(/\.$/, '') || 'no message';
}

/** The error's stack on a new line when `IAC_VPCE_DEBUG` is set, else nothing. */
export function debugStack(e: unknown): string {
  const debug = process.env[DEBUG_ENV];
  return debug && debug !== '0' && e instanceof Error && e.stack ? `\n${e.stack}` : '';
}

/**
 * Wraps the scan of one input so that an unexpected throw becomes an `internal-error` diagnostic for that input,
 * and the scan of every other input goes on.
 */
export function guardInput<A extends [unknown, ...unknown[]], R extends { diagnostics: Diagnostic[] }>(
  what: string,
  /** The input's file or directory, from the first argument. */
  fileOf: (input: A[0]) => string,
  empty: () => R,
  scanInput: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await scanInput(...args);
    } catch (e) {
      const out = empty();
      out.diagnostics.push(internalError(fileOf(args[0]), what, e));
      return out;
    }
  };
}
