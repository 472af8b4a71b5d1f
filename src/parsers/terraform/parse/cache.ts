import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageVersion } from '../../../source/package.js';
import type { Diagnostic } from '../../../source/types.js';
import type { FileParser, ParsedOutcome } from './file.js';

/** Bumped whenever the parsed form changes shape: older entries then simply never match. */
const SCHEMA = 1;
/** An entry larger than this is not read (a parsed 5 MB file stays well below it). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
/** When the entries pass this total, the oldest are deleted until they fill 80% of it. */
export const MAX_CACHE_BYTES = 512 * 1024 * 1024;
const KEY_BYTES = 32;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

export interface ParseCacheOptions {
  /** The cache directory (created when missing). */
  dir: string;
  /**
   * The file holding the secret that signs entries, outside any scanned tree: a committed or restored cache
   * directory cannot forge entries without it. Created (mode 0600) when missing.
   */
  keyFile: string;
  maxBytes?: number;
}

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

/** A directory that is a real directory (never a symbolic link), created when missing. */
async function realDirectory(dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const info = await lstat(dir);
  return info.isDirectory() && !info.isSymbolicLink();
}

/** Reads a regular file without following a link at its name; undefined when it is not one or is over `max`. */
async function readRegular(file: string, max: number): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const info = await handle.stat();
    if (!info.isFile() || info.size > max) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function loadKey(keyFile: string): Promise<Buffer> {
  if (!(await realDirectory(path.dirname(keyFile)))) throw new Error(`${path.dirname(keyFile)} is not a directory`);
  const existing = await readRegular(keyFile, 1024);
  if (existing && existing.length >= KEY_BYTES) return existing;
  try {
    await writeFile(keyFile, randomBytes(KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = await readRegular(keyFile, 1024);
  if (!key || key.length < KEY_BYTES) throw new Error(`${keyFile} is not a usable key file`);
  return key;
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
    private readonly entries: string,
    private readonly key: Buffer,
    private readonly inner: FileParser,
    private readonly maxBytes: number,
  ) {
    this.salt = JSON.stringify([SCHEMA, packageVersion(), parserVersion()]);
  }

  /** Opens the cache, or returns the inner parser with a note when the directory or key cannot be used. */
  static async open(options: ParseCacheOptions, inner: FileParser): Promise<{ parser: FileParser; cache?: ParseCache; diagnostics: Diagnostic[] }> {
    try {
      if (!(await realDirectory(options.dir))) return { parser: inner, diagnostics: [unavailable(`${options.dir} is not a directory`)] };
      await writeFile(path.join(options.dir, '.gitignore'), '# Written by iac-vpce: a cache, never to be committed.\n*\n', { flag: 'wx' }).catch(
        () => undefined,
      );
      const entries = path.join(options.dir, `v${SCHEMA}`);
      if (!(await realDirectory(entries))) return { parser: inner, diagnostics: [unavailable(`${entries} is not a directory`)] };
      const key = await loadKey(options.keyFile);
      const cache = new ParseCache(entries, key, inner, options.maxBytes ?? MAX_CACHE_BYTES);
      return { parser: cache, cache, diagnostics: [] };
    } catch (e) {
      return { parser: inner, diagnostics: [unavailable(e instanceof Error ? e.message : String(e))] };
    }
  }

  private entryKey(rel: string, bytes: Uint8Array): string {
    return createHash('sha256').update(this.salt).update('\0').update(rel).update('\0').update(bytes).digest('hex');
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }

  async parse(rel: string, bytes: Uint8Array): Promise<ParsedOutcome> {
    const key = this.entryKey(rel, bytes);
    const file = path.join(this.entries, `${key}.json`);
    const raw = await readRegular(file, MAX_ENTRY_BYTES).catch(() => undefined);
    if (raw) {
      const hit = this.check(raw, key);
      if (hit) {
        this.stats.hits++;
        return hit;
      }
      this.stats.rejected++;
    } else {
      this.stats.misses++;
    }
    const outcome = await this.inner.parse(rel, bytes);
    const write = this.write(file, key, outcome);
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    return outcome;
  }

  private check(raw: Buffer, key: string): ParsedOutcome | undefined {
    const newline = raw.indexOf(10);
    if (newline !== 64) return undefined;
    const given = Buffer.from(raw.subarray(0, 64).toString('latin1'), 'hex');
    const body = raw.subarray(65);
    if (given.length !== 32 || !timingSafeEqual(given, this.sign(body))) return undefined;
    try {
      const entry = JSON.parse(body.toString('utf8')) as { schema?: unknown; key?: unknown; value?: unknown };
      if (entry.schema !== SCHEMA || entry.key !== key || !isOutcome(entry.value)) return undefined;
      return entry.value;
    } catch {
      return undefined;
    }
  }

  private async write(file: string, key: string, value: ParsedOutcome): Promise<void> {
    const body = Buffer.from(JSON.stringify({ schema: SCHEMA, key, value }), 'utf8');
    if (body.length + 65 > MAX_ENTRY_BYTES) return;
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temp, Buffer.concat([Buffer.from(`${this.sign(body).toString('hex')}\n`, 'latin1'), body]), { flag: 'wx', mode: 0o600 });
      await rename(temp, file);
      this.stats.written++;
    } catch {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Waits for pending writes, then, when this scan wrote entries, trims the cache to its size bound (oldest first). */
  async close(): Promise<void> {
    await Promise.all([...this.writes]);
    await this.inner.close();
    if (this.stats.written === 0) return;
    try {
      const names = await readdir(this.entries);
      const found: Array<{ file: string; size: number; mtime: number }> = [];
      for (const name of names) {
        const file = path.join(this.entries, name);
        const info = await lstat(file).catch(() => undefined);
        if (!info) continue;
        // A temporary file an interrupted scan left behind an hour ago, or anything that is not an entry, goes.
        const stale = name.endsWith('.tmp') && Date.now() - info.mtimeMs > 3_600_000;
        if (stale || !info.isFile() || !/^[0-9a-f]{64}\.json$/.test(name)) {
          if (stale || !name.endsWith('.tmp')) await unlink(file).catch(() => undefined);
          continue;
        }
        found.push({ file, size: info.size, mtime: info.mtimeMs });
      }
      let total = found.reduce((n, f) => n + f.size, 0);
      if (total <= this.maxBytes) return;
      found.sort((a, b) => a.mtime - b.mtime);
      for (const f of found) {
        if (total <= this.maxBytes * 0.8) break;
        await unlink(f.file).catch(() => undefined);
        total -= f.size;
      }
    } catch {
      /* trimming is best effort: the next scan tries again */
    }
  }
}
