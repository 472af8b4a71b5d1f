/**
 * What an unexpected error means for the user, in words for a report: never the runtime's own message ("Maximum call
 * stack size exceeded", an error class, a stack trace).
 */
export function internalReason(e: unknown): string {
  if (e instanceof RangeError) return 'the input nests or repeats too deeply to be processed';
  return 'an internal error (a bug in iac-vpce: please report it)';
}
