import { InvalidArgumentError } from 'commander';

/*
 * The `--jobs` value, checked where the command line is read. Kept apart from `parse-flags.ts`, which loads the parse
 * stage, so that `--version` and `--help` load nothing of it.
 */

/** Commander's parser for `--jobs <n>`: a whole number from 1. */
export function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}
