import { availableParallelism } from 'node:os';
import path from 'node:path';
import { ParseCache } from '../parsers/terraform/parse/cache.js';
import { inProcessParser, type FileParser } from '../parsers/terraform/parse/file.js';
import { ParsePool } from '../parsers/terraform/parse/pool.js';
import type { Diagnostic } from '../source/types.js';

/**
 * Below this many Terraform files a scan parses in-process: starting a worker and loading the parser's WebAssembly in
 * it costs more than the parsing it would take over.
 */
export const WORKER_MIN_FILES = 64;
/** Each worker should have at least this many files to parse, or fewer workers are started. */
const FILES_PER_WORKER = 32;

/** How the parse stage runs: how many workers, which cache. */
export interface ParseStageOptions {
  /** Parse workers at most (`--jobs`); 1 parses in-process. Default 1. */
  jobs?: number;
  /** The parse cache (`--cache-dir`); absent: no cache. `minFileBytes`: see PARSE_CACHE_MIN_FILE_BYTES (tests use 0). */
  cache?: { dir: string; keyFile: string; minFileBytes?: number };
  /** Overrides WORKER_MIN_FILES (tests use 0 to put every scan through workers). */
  workerMinFiles?: number;
  /** The worker script, when not the compiled one beside the pool (tests running from source pass the built one). */
  workerScript?: string;
  /** Overrides UNIT_WORKER_MIN_UNITS (tests use 0 to put every scan through unit workers). */
  unitWorkerMinUnits?: number;
  /** The unit worker script, when not the compiled one beside the unit pool (tests pass the built one). */
  unitWorkerScript?: string;
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

/** The parser a scan of `terraformFiles` files uses, wrapped in the cache when there is one. */
export async function openFileParser(options: ParseStageOptions, terraformFiles: number): Promise<{ parser: FileParser; diagnostics: Diagnostic[] }> {
  const jobs = Math.max(1, Math.floor(options.jobs ?? 1));
  const workers = Math.min(jobs, Math.ceil(terraformFiles / FILES_PER_WORKER));
  const useWorkers = jobs > 1 && terraformFiles > 0 && terraformFiles >= (options.workerMinFiles ?? WORKER_MIN_FILES);
  const base = useWorkers
    ? new ParsePool({ size: Math.max(1, workers), ...(options.workerScript !== undefined ? { script: options.workerScript } : {}) })
    : inProcessParser;
  if (!options.cache) return { parser: base, diagnostics: [] };
  return ParseCache.open(options.cache, base);
}
