import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * A directory of signed entries, the ground both caches stand on (the parse cache of Terraform files, the result
 * cache of scanned units). An entry is `<hex HMAC-SHA256 of the body>\n<body JSON>`, the body `{ schema, key, value }`;
 * the secret that signs lives in a key file outside any scanned tree, so a committed or restored cache directory
 * cannot forge entries. Anything that fails a check (signature, schema, key, size, a link in place of a file) reads as
 * rejected, never as an error. Entries are written to a temporary file and renamed into place, so a concurrent scan
 * never sees half an entry; no link is followed inside the store.
 */

const KEY_BYTES = 32;
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const ENTRY_NAME = /^[0-9a-f]{64}\.json$/;

/** A directory that is a real directory (never a symbolic link), created when missing. */
export async function realDirectory(dir: string): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  const info = await lstat(dir);
  return info.isDirectory() && !info.isSymbolicLink();
}

/** Reads a regular file without following a link at its name; undefined when it is not one or is over `max`. */
export async function readRegular(file: string, max: number): Promise<Buffer | undefined> {
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

/** `readRegular`, synchronously: for many small entries read one after the other, much cheaper than the async calls. */
export function readRegularSync(file: string, max: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile() || info.size > max) return undefined;
    return readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The signing key in `keyFile` (created, mode 0600, when missing or too short to use). */
export async function loadKey(keyFile: string): Promise<Buffer> {
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

export type StoreRead = { status: 'hit'; value: unknown } | { status: 'miss' } | { status: 'rejected' };

export class SignedStore {
  private constructor(
    /** The directory holding the entries. */
    readonly entries: string,
    private readonly key: Buffer,
    private readonly schema: number,
    /** An entry larger than this is neither read nor written. */
    private readonly maxEntryBytes: number,
  ) {}

  /**
   * Opens the store `<dir>/<sub>` (created when missing, `dir` marked ignored by git); throws with a message a note
   * can carry when a directory is not a real one or the key cannot be read or made.
   */
  static async open(options: { dir: string; keyFile: string; sub: string; schema: number; maxEntryBytes: number }): Promise<SignedStore> {
    if (!(await realDirectory(options.dir))) throw new Error(`${options.dir} is not a directory`);
    await writeFile(path.join(options.dir, '.gitignore'), '# Written by iac-vpce: a cache, never to be committed.\n*\n', { flag: 'wx' }).catch(() => undefined);
    const entries = path.join(options.dir, options.sub);
    if (!(await realDirectory(entries))) throw new Error(`${entries} is not a directory`);
    const key = await loadKey(options.keyFile);
    return new SignedStore(entries, key, options.schema, options.maxEntryBytes);
  }

  private sign(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest();
  }

  private file(key: string): string {
    return path.join(this.entries, `${key}.json`);
  }

  /** The value stored under `key` (64 hex digits) when its entry is there and passes every check. */
  async get(key: string): Promise<StoreRead> {
    return this.check(key, await readRegular(this.file(key), this.maxEntryBytes).catch(() => undefined));
  }

  /** `get`, synchronously. */
  getSync(key: string): StoreRead {
    return this.check(key, readRegularSync(this.file(key), this.maxEntryBytes));
  }

  private check(key: string, raw: Buffer | undefined): StoreRead {
    if (!raw) return { status: 'miss' };
    const newline = raw.indexOf(10);
    if (newline !== 64) return { status: 'rejected' };
    const given = Buffer.from(raw.subarray(0, 64).toString('latin1'), 'hex');
    const body = raw.subarray(65);
    if (given.length !== 32 || !timingSafeEqual(given, this.sign(body))) return { status: 'rejected' };
    try {
      const entry = JSON.parse(body.toString('utf8')) as { schema?: unknown; key?: unknown; value?: unknown };
      if (entry.schema !== this.schema || entry.key !== key) return { status: 'rejected' };
      return { status: 'hit', value: entry.value };
    } catch {
      return { status: 'rejected' };
    }
  }

  /** Writes `value` under `key`, atomically; false when it is over the size bound or could not be written. */
  async put(key: string, value: unknown): Promise<boolean> {
    const entry = this.entry(key, value);
    if (!entry) return false;
    try {
      await writeFile(entry.temp, entry.bytes, { flag: 'wx', mode: 0o600 });
      await rename(entry.temp, entry.file);
      return true;
    } catch {
      await unlink(entry.temp).catch(() => undefined);
      return false;
    }
  }

  /** `put`, synchronously: for many small entries written one after the other, much cheaper than the async calls. */
  putSync(key: string, value: unknown): boolean {
    const entry = this.entry(key, value);
    if (!entry) return false;
    try {
      writeFileSync(entry.temp, entry.bytes, { flag: 'wx', mode: 0o600 });
      renameSync(entry.temp, entry.file);
      return true;
    } catch {
      try {
        unlinkSync(entry.temp);
      } catch {
        /* it was never written */
      }
      return false;
    }
  }

  /** The signed bytes of an entry and where they go; undefined when over the size bound. */
  private entry(key: string, value: unknown): { file: string; temp: string; bytes: Buffer } | undefined {
    const body = Buffer.from(JSON.stringify({ schema: this.schema, key, value }), 'utf8');
    if (body.length + 65 > this.maxEntryBytes) return undefined;
    const file = this.file(key);
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    return { file, temp, bytes: Buffer.concat([Buffer.from(`${this.sign(body).toString('hex')}\n`, 'latin1'), body]) };
  }

  /**
   * Deletes what is not an entry (and temporary files an interrupted scan left over an hour ago), then, when the
   * entries pass `maxBytes`, the oldest until they fill 80% of it. Best effort: the next scan tries again.
   */
  async trim(maxBytes: number): Promise<void> {
    try {
      const names = await readdir(this.entries);
      const found: Array<{ file: string; size: number; mtime: number }> = [];
      for (const name of names) {
        const file = path.join(this.entries, name);
        const info = await lstat(file).catch(() => undefined);
        if (!info) continue;
        const stale = name.endsWith('.tmp') && Date.now() - info.mtimeMs > 3_600_000;
        if (stale || !info.isFile() || !ENTRY_NAME.test(name)) {
          if (stale || !name.endsWith('.tmp')) await unlink(file).catch(() => undefined);
          continue;
        }
        found.push({ file, size: info.size, mtime: info.mtimeMs });
      }
      let total = found.reduce((n, f) => n + f.size, 0);
      if (total <= maxBytes) return;
      found.sort((a, b) => a.mtime - b.mtime);
      for (const f of found) {
        if (total <= maxBytes * 0.8) break;
        await unlink(f.file).catch(() => undefined);
        total -= f.size;
      }
    } catch {
      /* trimming is best effort */
    }
  }
}
