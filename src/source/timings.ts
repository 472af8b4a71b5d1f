import { AsyncLocalStorage } from 'node:async_hooks';
import { writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

/**
 * Opt-in stage timings, for the benchmark: with `IAC_VPCE_TIMINGS=1` in the environment, the wall time of a scan is
 * shared out among its stages and, when the process exits, printed on stderr as one line `iac-vpce-timings {…}` of
 * milliseconds. Each moment goes to one stage: a stage running inside another (a module read while evaluating) takes
 * the moment from the outer one, and when stages overlap (files parsed in workers while a module is evaluated), the
 * stage doing work on this thread comes before one waiting for parsing, which comes before one waiting for a read.
 * The stages therefore add up to the scan's wall time, less the moments no stage was running. Off, `timed` is a plain
 * call.
 */
export type Stage = 'discover' | 'read' | 'parse' | 'evaluate' | 'graph' | 'rules' | 'finish';

/** Which stage a moment goes to when several are running, first first. */
const PRIORITY: Stage[] = ['evaluate', 'graph', 'rules', 'finish', 'discover', 'parse', 'read'];

interface Frame {
  stage: Stage;
  parent: Frame | undefined;
  /** Frames started inside this one and still running: while there are any, this frame's moments go to them. */
  running: number;
  done: boolean;
}

const storage = process.env.IAC_VPCE_TIMINGS === '1' ? new AsyncLocalStorage<Frame>() : undefined;
const totals: Record<string, number> = {};
/** How many frames of each stage are running with no frame running inside them. */
const innermost: Record<string, number> = {};
const marks: { scanStart?: number; scanEnd?: number } = {};
let last = 0;

/** Gives the time since the last change to the stage that owns it. */
function settle(): void {
  const now = performance.now();
  const owner = PRIORITY.find((s) => (innermost[s] ?? 0) > 0);
  if (owner) totals[owner] = (totals[owner] ?? 0) + now - last;
  last = now;
}

const bump = (stage: Stage, by: number) => (innermost[stage] = (innermost[stage] ?? 0) + by);

function enter(stage: Stage): Frame {
  settle();
  const parent = storage!.getStore();
  const live = parent && !parent.done ? parent : undefined;
  if (live && live.running++ === 0) bump(live.stage, -1);
  bump(stage, 1);
  return { stage, parent: live, running: 0, done: false };
}

function leave(frame: Frame): void {
  settle();
  frame.done = true;
  if (frame.running === 0) bump(frame.stage, -1);
  const parent = frame.parent;
  if (parent && --parent.running === 0 && !parent.done) bump(parent.stage, 1);
}

/** Runs `fn` (synchronous or returning a promise) as part of `stage`. */
export function timed<T>(stage: Stage, fn: () => T): T {
  if (!storage) return fn();
  const frame = enter(stage);
  let result: T;
  try {
    result = storage.run(frame, fn);
  } catch (e) {
    leave(frame);
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (v: unknown) => (leave(frame), v),
      (e: unknown) => {
        leave(frame);
        throw e;
      },
    ) as T;
  }
  leave(frame);
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
