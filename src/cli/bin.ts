#!/usr/bin/env node
import { internalError, main } from './main.js';
import { guardVerdict } from './verdict.js';

// main() reports its own internal errors (exit 3); the guard catches what escapes it, such as a module that fails to
// load, and a scan that never settles: the process never ends with 0 and no report.
guardVerdict(main(process.argv.slice(2)), (e) => internalError(e, process.env));
