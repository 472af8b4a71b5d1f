import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { packageVersion } from '../../../source/package.js';
import { SignedStore } from '../../../source/signed-store.js';
import type { Diagnostic } from '../../../source/types.js';
import type { FileParser, ParsedOutcome } from './file.js';

/** Bumped whenever the parsed form changes shape: older entries then simply never match. */
const SCHEMA = 1;
/** An entry larger than this is not read (a parsed 5 MB file stays well below it). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** When the entries pass this total, the oldest are deleted until they fill 80% of it. */
export const MAX_CACHE_BYTES = 512 * 1024 * 1024;

export interface ParseCacheOptions {
  /** The cache directory (created when missing). */
  dir: string;
  /**
   * The file holding the secret that signs entries, outside any scanned tree: a committed or restored cache
   * directory cannot forge entries without it. Created (mode 0600) when missing.
   */
  keyFile: string;
  maxBytes?: number;
  /** Files smaller than this are parsed, not cached (default PARSE_CACHE_MIN_FILE_BYTES; tests use 0). */
  minFileBytes?: number;
}

/**
 * Below this size a file is parsed rather than cached: the fast parse path reads such a file in about the time an
 * entry takes to open, verify and decode, and writing the entry costs more. An unchanged root module is answered by
 * the result cache without its files being read at all.
 */
export const PARSE_CACHE_MIN_FILE_BYTES = 16 * 1024;

export interface ParseCacheStats {
  hits: number;
  misses: number;
  /** Entries present but refused (bad signature, schema, key, shape or size): re-parsed and rewritten. */
  rejected: number;
  written: number;
}

/** The versions of both parse paths (hcl2json, and tree-sitter with its HCL grammar): a cached parse is theirs. */
function parserVersion(): string {
  const req = createRequire(import.meta.url);
  return ['@cdktf/hcl2json', 'web-tree-sitter', '@tree-sitter-grammars/tree-sitter-hcl']
    .map((name) => {
      try {
        const manifest = req(`${name}/package.json`) as { version?: unknown };
        return typeof manifest.version === 'string' ? manifest.version : 'unknown';
      } catch {
        return 'unknown';
      }
    })
    .join('+');
}

function unavailable(why: string): Diagnostic {
  return { severity: 'note', code: 'cache-unavailable', file: '', message: `The parse cache is off for this scan: ${why}.` };
}

/** The parsed form's outline, checked on every entry read (the signature already vouches for its origin). */
function isOutcome(v: unknown): v is ParsedOutcome {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  if (!Array.isArray(o['diagnostics'])) return false;
  if (o['file'] === undefined) return true;
  const f = o['file'] as Record<string, unknown> | null;
  return typeof f === 'object' && f !== null && typeof f['path'] === 'string' && Array.isArray(f['blocks']) && Array.isArray(f['comments']);
}

/**
 * A content-addressed cache of parsed files in front of another parser. The key hashes the schema, the tool's and
 * the HCL parser's versions, the file's path (diagnostics and source ranges name it) and its bytes. An entry is
 * `<hex HMAC-SHA256 of the body>\n<body JSON>`; anything that fails a check is ignored and re-parsed, silently, so a
 * report never depends on what the cache held. Entries are written to a temporary file and renamed into place, so
 * concurrent scans never see half an entry; no link is followed inside the cache.
 */
export class ParseCache implements FileParser {
  readonly stats: ParseCacheStats = { hits: 0, misses: 0, rejected: 0, written: 0 };
  private readonly salt: string;
  private readonly writes = new Set<Promise<void>>();

  private constructor(
    private readonly store: SignedStore,
    private readonly inner: FileParser,
    private readonly maxBytes: number,
    private readonly minFileBytes: number,
  ) {
    this.salt = JSON.stringify([SCHEMA, packageVersion(), parserVersion()]);
  }

  /** Opens the cache, or returns the inner parser with a note when the directory or key cannot be used. */
  static async open(options: ParseCacheOptions, inner: FileParser): Promise<{ parser: FileParser; cache?: ParseCache; diagnostics: Diagnostic[] }> {
    try {
      const store = await SignedStore.open({ dir: options.dir, keyFile: options.keyFile, sub: `v${SCHEMA}`, schema: SCHEMA, maxEntryBytes: MAX_ENTRY_BYTES });
      const cache = new ParseCache(store, inner, options.maxBytes ?? MAX_CACHE_BYTES, options.minFileBytes ?? PARSE_CACHE_MIN_FILE_BYTES);
      return { parser: cache, cache, diagnostics: [] };
    } catch (e) {
      return { parser: inner, diagnostics: [unavailable(e instanceof Error ? e.message : String(e))] };
    }
  }

  private entryKey(rel: string, bytes: Uint8Array): string {
    return createHash('sha256').update(this.salt).update('\0').update(rel).update('\0').update(bytes).digest('hex');
  }

  async parse(rel: string, bytes: Uint8Array): Promise<ParsedOutcome> {
    if (bytes.length < this.minFileBytes) return this.inner.parse(rel, bytes);
    const key = this.entryKey(rel, bytes);
    const read = await this.store.get(key);
    if (read.status === 'hit' && isOutcome(read.value)) {
      this.stats.hits++;
      return read.value;
    }
    if (read.status === 'miss') this.stats.misses++;
    else this.stats.rejected++;
    const outcome = await this.inner.parse(rel, bytes);
    const write = this.store.put(key, outcome).then((ok) => {
      if (ok) this.stats.written++;
    });
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    return outcome;
  }

  /** Waits for pending writes, then, when this scan wrote entries, trims the cache to its size bound (oldest first). */
  async close(): Promise<void> {
    await Promise.all([...this.writes]);
    await this.inner.close();
    if (this.stats.written > 0) await this.store.trim(this.maxBytes);
  }
}
