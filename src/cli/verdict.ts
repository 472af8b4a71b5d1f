import { writeSync } from 'node:fs';

/** The exit code of an internal error: a bug in iac-vpce, never a verdict on the files scanned. */
export const INTERNAL_ERROR_EXIT = 3;

/**
 * Makes sure the process never ends without a verdict. `run` settles with the exit code once the report is written;
 * if Node is about to exit while it is still pending (the event loop emptied under a promise that will never settle,
 * such as a call into a runtime that died, or something called `process.exit`), the process exits with code 3 and
 * says so on stderr instead of ending with 0 and no report.
 */
export function guardVerdict(run: Promise<number>, onError: (e: unknown) => string): void {
  let settled = false;
  const missing = () => `iac-vpce: internal error: the scan ended without a result; no report was written (exit ${INTERNAL_ERROR_EXIT}).\n`;
  process.once('beforeExit', () => {
    if (settled) return;
    settled = true;
    writeSync(2, missing());
    process.exitCode = INTERNAL_ERROR_EXIT;
  });
  process.once('exit', (code) => {
    if (settled) return;
    settled = true;
    writeSync(2, missing());
    if (code === 0 || code === undefined) process.exitCode = INTERNAL_ERROR_EXIT;
  });
  // Whatever escapes (a throw from a timer, a rejection no one awaits) is an internal error, not exit 1 (findings).
  const crash = (e: unknown) => {
    settled = true;
    writeSync(2, onError(e));
    process.exit(INTERNAL_ERROR_EXIT);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  run.then(
    (code) => {
      settled = true;
      process.exitCode = code;
    },
    (e: unknown) => {
      settled = true;
      writeSync(2, onError(e));
      process.exitCode = INTERNAL_ERROR_EXIT;
    },
  );
}
