import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ParseCache } from '../parsers/terraform/parse/cache.js';
import { inProcessParser, type FileParser } from '../parsers/terraform/parse/file.js';
import type { Diagnostic } from '../source/types.js';

/** How the parse stage runs: how many workers, which cache. */
export interface ParseStageOptions {
  /** Unit workers at most (`--jobs`, see `unitPoolFor` in scan.ts); 1 scans on one thread. Default 1. */
  jobs?: number;
  /** The parse cache (`--cache-dir`); absent: no cache. `minFileBytes`: see PARSE_CACHE_MIN_FILE_BYTES (tests use 0). */
  cache?: { dir: string; keyFile: string; minFileBytes?: number };
  /** Overrides UNIT_WORKER_MIN_UNITS (tests use 0 to put every scan through unit workers). */
  unitWorkerMinUnits?: number;
  /** The unit worker script, when not the compiled one beside the unit pool (tests pass the built one). */
  unitWorkerScript?: string;
  /** Overrides UNIT_TIME_LIMIT_MS (tests use a short one). */
  unitTimeLimitMs?: number;
}

export function defaultJobs(): number {
  return Math.max(1, availableParallelism());
}

/**
 * The default cache location: the user's cache directory (`$XDG_CACHE_HOME/iac-vpce`, else `~/.cache/iac-vpce`,
 * `%LOCALAPPDATA%\iac-vpce` on Windows), never the scanned tree, so a checkout cannot bring its own entries. Undefined
 * when the environment names no home.
 */
export function defaultCacheHome(env: NodeJS.ProcessEnv): string | undefined {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'iac-vpce');
  if (process.platform === 'win32' && env['LOCALAPPDATA']) return path.join(env['LOCALAPPDATA'], 'iac-vpce');
  const home = env['HOME'] ?? env['USERPROFILE'];
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'iac-vpce') : undefined;
}

/**
 * The parser a scan uses: in-process, wrapped in the parse cache when there is one. (Parsing files in worker threads
 * no longer pays since the fast parse path: sending a parsed file back costs about what parsing it does; `--jobs`
 * puts whole units in workers instead.)
 */
export async function openFileParser(options: ParseStageOptions): Promise<{ parser: FileParser; diagnostics: Diagnostic[] }> {
  if (!options.cache) return { parser: inProcessParser, diagnostics: [] };
  return ParseCache.open(options.cache, inProcessParser);
}
