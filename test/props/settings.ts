import fc from 'fast-check';

/**
 * Runs per property: short in `npm test`, longer with `FC_NUM_RUNS=5000 npx vitest run test/props`. A failure prints
 * the seed and the path of the shrunk counterexample; `FC_SEED=<seed>` (and `FC_PATH=<path>`) replays it.
 */
export function runs(short: number): number {
  const n = Number(process.env['FC_NUM_RUNS']);
  return Number.isInteger(n) && n > 0 ? n : short;
}

export function params<T>(short: number): fc.Parameters<T> {
  const seed = Number(process.env['FC_SEED']);
  const path = process.env['FC_PATH'];
  return {
    numRuns: runs(short),
    ...(Number.isInteger(seed) ? { seed } : {}),
    ...(path ? { path } : {}),
    // fast-check puts the seed and path in the error it throws: `Property failed after N tests { seed: …, path: … }`.
    verbose: process.env['FC_QUIET'] ? 0 : 1,
  };
}

/** Codes of diagnostics that stand for a caught crash: a parser or the evaluator threw. */
export const INTERNAL = /internal|load-failed/;
