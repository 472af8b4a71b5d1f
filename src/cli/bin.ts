#!/usr/bin/env node
import { internalError, main } from './main.js';

// main() reports its own internal errors (exit 3); this catches what escapes it, such as a module that fails to load.
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(internalError(e, process.env));
    process.exitCode = 3;
  },
);
