import { InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LIMITS, LIMIT_NAMES, type EvalLimits } from '../source/budget.js';

/** `--max-collection <n>` and its kin: a positive whole number; the default is shown, the config file may set it. */
export function limitOption(limit: keyof EvalLimits, what: string): Option {
  return new Option(`--${LIMIT_NAMES[limit]} <n>`, `evaluation limit: ${what} (default ${DEFAULT_LIMITS[limit]}); past it the value is unknown`).argParser(
    (raw: string) => {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1.');
      return n;
    },
  );
}
