import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Diagnostic } from './types.js';

/**
 * The most bytes read from one input of each kind. A file above its limit is not read at all; a file that grows while
 * it is read stops at the limit. The parsers' own limits (`MAX_FILE_BYTES`, `MAX_TEMPLATE_BYTES`, …) are these.
 */
export const INPUT_SIZE_LIMITS = {
  /** `.tf` and `.tf.json` files. */
  terraform: 5 * 1024 * 1024,
  /** `terraform.tfvars`, `*.auto.tfvars`, `.tfvars.json` and `--var-file` files. */
  tfvars: 5 * 1024 * 1024,
  /** `.terraform/modules/modules.json`, written by `terraform init`. */
  modulesJson: 4 * 1024 * 1024,
  /** The JSON of `terraform show -json`. */
  plan: 32 * 1024 * 1024,
  /** CloudFormation templates, loose or in a cloud assembly. */
  template: 5 * 1024 * 1024,
  /** A cloud assembly's `manifest.json`. */
  cdkManifest: 32 * 1024 * 1024,
  /** `cdk.json`. */
  cdkJson: 1024 * 1024,
  /** The TypeScript of a CDK app, read to point findings at constructs. */
  typescript: 2 * 1024 * 1024,
  /** `.iac-vpce.yml` / `.iac-vpce.yaml`. */
  config: 1024 * 1024,
} as const;

export type InputKind = keyof typeof INPUT_SIZE_LIMITS;

/** The diagnostic codes of the policy; callers with an older code for the same refusal (`cfn-file-too-large`) keep it. */
export const INPUT_DIAGNOSTIC_CODES = {
  notRegularFile: 'input-not-regular-file',
  outsideRoot: 'input-outside-root',
  tooLarge: 'input-too-large',
  readError: 'input-read-error',
} as const;

export type InputRefusal = 'missing' | 'not-regular-file' | 'outside-root' | 'too-large' | 'read-error';

export type ReadOutcome =
  { ok: true; bytes: Buffer; real: string } | { ok: false; reason: InputRefusal; detail: string; real?: string; size?: number; limit?: number };

/** What a path is, by `stat` (through links) and its real path. */
export type Inspection =
  | { kind: 'file' | 'directory'; real: string; inside: boolean; size: number }
  | { kind: 'other'; real: string; inside: boolean; what: string }
  | { kind: 'missing' };

const CHUNK = 1024 * 1024;
const megabytes = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;

export function isInsideDir(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/** A FIFO, a device or a socket, named for a diagnostic. */
function typeName(s: Stats): string {
  if (s.isFIFO()) return 'a named pipe (FIFO)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  if (s.isDirectory()) return 'a directory';
  return 'not a regular file';
}

/**
 * Reads an opened file (and closes it): a regular file only, no more than `limit` bytes, read one byte past the stat
 * size at most so that a file growing while it is read is caught at the limit.
 */
function readOpened(fd: number, real: string, limit: number): ReadOutcome {
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { ok: false, reason: 'not-regular-file', detail: `it is ${typeName(s)}`, real };
    if (s.size > limit) return tooLarge(real, s.size, limit);
    const bytes = readUpToSync(s.size, limit, (buffer, offset, length, position) => readSync(fd, buffer, offset, length, position));
    if (bytes.length > limit) return tooLarge(real, bytes.length, limit);
    return { ok: true, bytes, real };
  } catch (e) {
    return { ok: false, reason: 'read-error', detail: errorText(e), real };
  } finally {
    closeSync(fd);
  }
}

/**
 * Where iac-vpce may read. Every input is read through one of these: only regular files (a symbolic link counts as the
 * file it resolves to) whose real path lies inside one of the allowed roots, and no more than the kind's size limit.
 * FIFOs, devices and sockets are never opened (checked with `stat` first, and opened non-blocking, so a file swapped
 * for a pipe in between does not block either).
 */
export class InputPolicy {
  private constructor(
    /** Real paths of the directories (or files) inputs may resolve into. */
    readonly roots: readonly string[],
    /** The root diagnostics name: the scan root's read boundary. */
    readonly boundary: string,
  ) {}

  /** A policy allowing `roots` (made real; a root that does not exist is kept as given). */
  static async create(roots: readonly string[]): Promise<InputPolicy> {
    const real = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
    return new InputPolicy([...new Set(real)], real[0] ?? path.resolve('/'));
  }

  static createSync(roots: readonly string[]): InputPolicy {
    const real = roots.map((r) => {
      try {
        return realpathSync(r);
      } catch {
        return path.resolve(r);
      }
    });
    return new InputPolicy([...new Set(real)], real[0] ?? path.resolve('/'));
  }

  /** Reads anywhere (still only regular files, still capped): for inputs the user named, and for callers without a scan. */
  static anywhere(): InputPolicy {
    return new InputPolicy([path.parse(process.cwd()).root], path.parse(process.cwd()).root);
  }

  allows(real: string): boolean {
    return this.roots.some((r) => isInsideDir(real, r));
  }

  /** What `abs` resolves to. (Synchronous underneath: a small call costs less than a thread-pool round trip.) */
  inspect(abs: string): Promise<Inspection> {
    return Promise.resolve(this.inspectSync(abs));
  }

  inspectSync(abs: string): Inspection {
    let real: string;
    let s: Stats;
    try {
      real = realpathSync.native(abs);
      s = statSync(real);
    } catch {
      return { kind: 'missing' };
    }
    return inspection(real, s, this.allows(real));
  }

  /**
   * The bytes of a regular file inside the roots, no more than `limit` of them; else why not. (Synchronous underneath,
   * as `inspect`.)
   */
  read(abs: string, limit: number): Promise<ReadOutcome> {
    return Promise.resolve(this.readResolved(abs, limit));
  }

  readSync(abs: string, limit: number): ReadOutcome {
    return this.readResolved(abs, limit);
  }

  /**
   * Like `readSync`, for a directory entry the listing said is a regular file and not a link, at `real`: the real path
   * of its directory joined with its name. The path is not resolved again; it is opened without following a link, so
   * an entry swapped for a link (or anything else) since the listing is read the long way, resolved and checked.
   */
  readEntrySync(abs: string, real: string, limit: number): ReadOutcome {
    if (!this.allows(real)) return this.readResolved(abs, limit);
    let fd: number;
    try {
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    } catch {
      return this.readResolved(abs, limit);
    }
    return readOpened(fd, real, limit);
  }

  /** Resolves `abs`, checks it against the roots and its type and size, then reads it. */
  private readResolved(abs: string, limit: number): ReadOutcome {
    const before = this.inspectSync(abs);
    const refused = this.refusal(abs, before, limit);
    if (refused) return refused;
    const real = (before as { real: string }).real;
    let fd: number;
    try {
      fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      return { ok: false, reason: 'read-error', detail: errorText(e), real };
    }
    return readOpened(fd, real, limit);
  }

  private refusal(abs: string, found: Inspection, limit: number): ReadOutcome | undefined {
    if (found.kind === 'missing') return { ok: false, reason: 'missing', detail: `${abs} does not exist or cannot be resolved` };
    if (!found.inside) return { ok: false, reason: 'outside-root', detail: `it resolves to ${found.real}, outside ${this.describeRoots()}`, real: found.real };
    if (found.kind === 'other') return { ok: false, reason: 'not-regular-file', detail: `it is ${found.what}`, real: found.real };
    if (found.kind === 'directory') return { ok: false, reason: 'not-regular-file', detail: 'it is a directory', real: found.real };
    if (found.size > limit) return tooLarge(found.real, found.size, limit);
    return undefined;
  }

  describeRoots(): string {
    const others = this.roots.filter((r) => r !== this.boundary);
    return others.length === 0 ? `the scanned tree ${this.boundary}` : `the scanned tree ${this.boundary} and the allowed paths ${others.join(', ')}`;
  }
}

/** Reads `length` bytes into `buffer` at `offset` from the file's byte `position`; how many it read. */
type ReadAt<R> = (buffer: Buffer, offset: number, length: number, position: number) => R;

/**
 * Where a read of a file `fstat` said is `size` bytes long goes on, after `total` bytes in `buffer` and a last read of
 * `n` bytes out of `asked`: undefined when it is done, else the buffer to read on into. The first buffer holds the
 * size and one byte more, so one read sees a file that grew; a file that grew is read on in steps of at most `CHUNK`,
 * up to one byte past the limit.
 */
function readOn(buffer: Buffer, total: number, n: number, asked: number, size: number, limit: number): Buffer | undefined {
  // A short read at or past the size is the end of the file as it is now; one before it (a file that shrank) reads on.
  if (n === 0 || (n < asked && total >= size) || total > limit) return undefined;
  if (total < buffer.length) return buffer;
  const grown = Buffer.allocUnsafe(Math.min(total + CHUNK, limit + 1));
  buffer.copy(grown, 0, 0, total);
  return grown;
}

/** The file's bytes, no more than one past `limit` (more than `limit` means it grew past it while read). */
function readUpToSync(size: number, limit: number, readAt: ReadAt<number>): Buffer {
  // Not zero-filled: only the bytes read are returned.
  let buffer: Buffer | undefined = Buffer.allocUnsafe(Math.min(size, limit) + 1);
  let total = 0;
  let last = buffer;
  while (buffer) {
    last = buffer;
    const asked = buffer.length - total;
    const n = readAt(buffer, total, asked, total);
    total += n;
    buffer = readOn(buffer, total, n, asked, size, limit);
  }
  return last.subarray(0, total);
}

function inspection(real: string, s: Stats, inside: boolean): Inspection {
  if (s.isFile()) return { kind: 'file', real, inside, size: s.size };
  if (s.isDirectory()) return { kind: 'directory', real, inside, size: s.size };
  return { kind: 'other', real, inside, what: typeName(s) };
}

function tooLarge(real: string, size: number, limit: number): ReadOutcome {
  // A file that grew past the limit while it was read is known only to be larger than the limit.
  const detail = size > limit + 1 ? `it is ${megabytes(size)}, over the ${megabytes(limit)} limit` : `it is larger than the ${megabytes(limit)} limit`;
  return { ok: false, reason: 'too-large', detail, real, size, limit };
}

/** The message of a file-system error without the path (the diagnostic names the file). */
function errorText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return 'permission denied';
  if (err.code === 'ENXIO') return 'it is a socket or a device without a reader';
  if (err.code === 'EISDIR') return 'it is a directory';
  return err.code ?? (e instanceof Error ? e.message : String(e));
}

export interface RefusalOptions {
  /** The file the diagnostic points at (the input itself, or the file holding the reference). */
  file: string;
  line?: number;
  /**
   * What the input is, for the messages of a file over its limit or unreadable (`Variables file`, `Template`). A link out
   * of the tree and a FIFO are worded the same whoever meets them (discovery, then the loader), so they are said once.
   */
  what: string;
  /** The older code some callers keep for a file over the limit (`cfn-file-too-large`). */
  tooLargeCode?: string;
  /** The older code some callers keep for a read that failed (`tf-read-error`). */
  readErrorCode?: string;
}

/** The diagnostic for a refused read; undefined for a file that is simply missing (callers decide whether that matters). */
export function refusalDiagnostic(outcome: Extract<ReadOutcome, { ok: false }>, opts: RefusalOptions): Diagnostic {
  const at = { file: opts.file, ...(opts.line !== undefined ? { line: opts.line } : {}) };
  switch (outcome.reason) {
    case 'outside-root':
      return {
        severity: 'warning',
        code: INPUT_DIAGNOSTIC_CODES.outsideRoot,
        ...at,
        message: `Not read: ${outcome.detail}. Pass --allow-outside-root ${outcome.real ?? ''} (or list it under allow-outside-root in .iac-vpce.yml) to read it.`,
      };
    case 'not-regular-file':
      return {
        severity: 'warning',
        code: INPUT_DIAGNOSTIC_CODES.notRegularFile,
        ...at,
        message: `Not read: ${outcome.detail}, not a regular file.`,
      };
    case 'too-large':
      return {
        severity: 'warning',
        code: opts.tooLargeCode ?? INPUT_DIAGNOSTIC_CODES.tooLarge,
        ...at,
        message: `${opts.what} was not read: ${outcome.detail}.`,
      };
    default:
      return {
        severity: 'warning',
        code: opts.readErrorCode ?? INPUT_DIAGNOSTIC_CODES.readError,
        ...at,
        message: `${opts.what} cannot be read: ${outcome.detail}.`,
      };
  }
}
