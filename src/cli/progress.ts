import type { Io } from './io.js';

const AFTER_MS = 1000;

/**
 * A progress line on stderr for a scan that takes longer than a second, only when stderr is a terminal: redirected
 * output and CI logs never see it. The line is rewritten in place (`\r`) and erased when the scan ends.
 */
export function startProgress(io: Io): { tick: (filesRead: number) => void; end: () => void } {
  const now = io.now ?? Date.now;
  const started = now();
  let shown = false;
  return {
    tick: (filesRead) => {
      if (!io.stderrIsTty || now() - started < AFTER_MS) return;
      shown = true;
      io.stderr(`\r\u001b[2Kiac-vpce: scanning… ${filesRead} file${filesRead === 1 ? '' : 's'} read`);
    },
    end: () => {
      if (shown) io.stderr('\r\u001b[2K');
    },
  };
}
