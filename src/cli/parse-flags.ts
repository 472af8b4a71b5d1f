import path from 'node:path';
import { defaultCacheHome, defaultJobs, type ParseStageOptions } from '../engine/parse-setup.js';
import type { Diagnostic } from '../source/types.js';
import type { Io } from './io.js';

/** `--jobs`, `--no-cache` and `--cache-dir`, as the scan command receives them. */
export interface ParseFlags {
  /** Parse workers at most; default: the machine's cores. */
  jobs?: number;
  /** False with --no-cache. Only `true` turns the cache on: a caller that does not say (the Action) gets none. */
  cache?: boolean;
  cacheDir?: string;
}

/**
 * The parse stage the flags ask for. The cache lives in `--cache-dir` (relative to the working directory) or in the
 * user's cache directory; the key that signs its entries always lives in the user's cache directory, outside any
 * scanned tree. Without a home directory there is no default cache, and an explicit `--cache-dir` gets a note.
 */
export function parseStageOf(flags: ParseFlags, io: Io): { parse: ParseStageOptions; diagnostics: Diagnostic[] } {
  const parse: ParseStageOptions = { jobs: flags.jobs ?? defaultJobs() };
  if (flags.cache !== true) return { parse, diagnostics: [] };
  const home = defaultCacheHome(io.env);
  if (home === undefined) {
    if (flags.cacheDir === undefined) return { parse, diagnostics: [] };
    const note: Diagnostic = {
      severity: 'note',
      code: 'cache-unavailable',
      file: '',
      message: 'The parse cache is off for this scan: no home directory (HOME, XDG_CACHE_HOME) to keep the key that signs its entries.',
    };
    return { parse, diagnostics: [note] };
  }
  const dir = flags.cacheDir !== undefined ? path.resolve(io.cwd, flags.cacheDir) : path.join(home, 'parse');
  return { parse: { ...parse, cache: { dir, keyFile: path.join(home, 'key') } }, diagnostics: [] };
}
