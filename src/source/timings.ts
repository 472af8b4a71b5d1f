import { AsyncLocalStorage } from 'node:async_hooks';
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Opt-in stage timings, for the benchmark: with `IAC_VPCE_TIMINGS=1` in the environment, the time of each stage of a
 * scan is summed and, when the process exits, printed on stderr as one line `iac-vpce-timings {…}` of milliseconds.
 * A stage's time is its own: a stage run inside another (a module read while evaluating) counts for itself only.
 * Stages that overlap (awaited together) each count in full, so their sum may pass the wall time. Off, `timed` is a
 * plain call.
 */
export type Stage = 'discover' | 'read' | 'parse' | 'evaluate' | 'graph' | 'rules' | 'finish';

interface Frame {
  nested: number;
}

const storage = process.env.IAC_VPCE_TIMINGS === '1' ? new AsyncLocalStorage<Frame>() : undefined;
const totals: Record<string, number> = {};
const marks: { scanStart?: number; scanEnd?: number } = {};

/** Runs `fn` (synchronous or returning a promise) as part of `stage`. */
export function timed<T>(stage: Stage, fn: () => T): T {
  if (!storage) return fn();
  const parent = storage.getStore();
  const frame: Frame = { nested: 0 };
  const start = performance.now();
  const done = () => {
    const elapsed = performance.now() - start;
    totals[stage] = (totals[stage] ?? 0) + elapsed - frame.nested;
    if (parent) parent.nested += elapsed;
  };
  let result: T;
  try {
    result = storage.run(frame, fn);
  } catch (e) {
    done();
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v: unknown) => (done(), v),
      (e: unknown) => {
        done();
        throw e;
      },
    ) as T;
  }
  done();
  return result;
}

/** The summed time of each stage so far, in milliseconds (empty when timings are off). */
export function stageTotals(): Readonly<Record<string, number>> {
  return { ...totals };
}

/** Marks the start and the end of a scan: before it is start-up, after it the report. */
export function markScan(at: 'start' | 'end'): void {
  if (!storage) return;
  if (at === 'start') {
    marks.scanStart ??= performance.now();
    return;
  }
  marks.scanEnd = performance.now();
}

if (storage) {
  process.on('exit', () => {
    const now = performance.now();
    const round = (n: number) => Math.round(n * 10) / 10;
    const out: Record<string, number> = {};
    for (const [k, v] of Object.entries(totals)) out[k] = round(v);
    if (marks.scanStart !== undefined) out.startup = round(marks.scanStart);
    if (marks.scanStart !== undefined && marks.scanEnd !== undefined) {
      out.scan = round(marks.scanEnd - marks.scanStart);
      out.report = round(now - marks.scanEnd);
    }
    out.total = round(now);
    writeSync(2, `iac-vpce-timings ${JSON.stringify(out)}\n`);
  });
}
