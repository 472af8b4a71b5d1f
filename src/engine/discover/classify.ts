import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { headLooksLikeTemplate } from '../../parsers/cloudformation/detect.js';

/** `cdk-project` is a `cdk.json`: the app it names is scanned through its synthesized cloud assembly. */
export type FileKind = 'terraform' | 'tfvars' | 'tfplan' | 'cloudformation' | 'cdk-assembly' | 'cdk-project';

/** How much of a JSON or YAML file is read to decide what it is: enough for the keys that come first. */
export const SNIFF_BYTES = 64 * 1024;

/** Kinds decided by the name alone; undefined when the content has to be looked at (or the file is not ours). */
export function kindFromName(name: string): FileKind | 'sniff' | undefined {
  const lower = name.toLowerCase();
  if (lower.endsWith('.tf') || lower.endsWith('.tf.json')) return 'terraform';
  if (lower.endsWith('.tfvars') || lower.endsWith('.tfvars.json')) return 'tfvars';
  if (lower === 'cdk.json') return 'cdk-project';
  if (/\.(json|ya?ml|template)$/.test(lower)) return 'sniff';
  return undefined;
}

/** Reads the head of a file; undefined when it cannot be read or holds NUL bytes (binary). */
export function readHead(abs: string, bytes = SNIFF_BYTES): string | undefined {
  try {
    // Non-blocking, and only a regular file: a FIFO swapped in after the walk looked must not hang the scan.
    const head = readHeadBytes(abs, bytes);
    if (head.indexOf(0) !== -1) return undefined;
    return head.toString('utf8');
  } catch {
    return undefined;
  }
}

/**
 * Decides from the first kilobytes what a JSON or YAML file is. A CloudFormation template either says so
 * (`AWSTemplateFormatVersion`) or has a top-level `Resources` map of `AWS::` types; a Serverless Framework file
 * nests `Resources` under `resources:` and a Kubernetes manifest has none, so neither matches.
 */
export function kindFromContent(name: string, head: string, parentDir: string): FileKind | undefined {
  const lower = name.toLowerCase();
  const isJson = lower.endsWith('.json');
  if (lower === 'manifest.json' && (parentDir === 'cdk.out' || (head.includes('"artifacts"') && head.includes('aws:cloudformation:stack')))) {
    return 'cdk-assembly';
  }
  // `terraform show -json` writes format_version first; plans saved by other tools may lack it but keep the rest.
  if (isJson && head.includes('"planned_values"') && /"(format_version|terraform_version|resource_changes|configuration)"\s*:/.test(head)) return 'tfplan';
  if (headLooksLikeTemplate(head, isJson)) return 'cloudformation';
  return undefined;
}

export function classifyFile(abs: string, name: string, parentDir: string): FileKind | undefined {
  return classifyFileOrSkip(abs, name, parentDir).kind;
}

/** A file of a kind this tool reads, or the reason one that may be of such a kind is skipped (for a diagnostic). */
export type Classified = { kind?: FileKind; skipped?: undefined } | { kind?: undefined; skipped: string };

/**
 * Like classifyFile, and says why a file that looks like one of ours is skipped: it cannot be read (a `.tf` that
 * cannot be read is reported when its module is loaded), or it is a template encoded in UTF-16.
 */
export function classifyFileOrSkip(abs: string, name: string, parentDir: string): Classified {
  const byName = kindFromName(name);
  if (byName !== 'sniff') return { kind: byName };
  let bytes: Buffer;
  try {
    bytes = readHeadBytes(abs, SNIFF_BYTES);
  } catch (e) {
    return { skipped: `The file cannot be read (${readErrorWords(e)}); it was not scanned.` };
  }
  if (bytes.indexOf(0) === -1) return { kind: kindFromContent(name, bytes.toString('utf8'), parentDir) };
  const utf16 = utf16Text(bytes);
  if (utf16 !== undefined && kindFromContent(name, utf16, parentDir) === 'cloudformation') {
    return { skipped: 'The template is encoded in UTF-16; CloudFormation and iac-vpce read UTF-8 only. It was not scanned: save it as UTF-8.' };
  }
  return {};
}

/**
 * The first bytes of a regular file (a buffer the size of the file, at most `bytes`). Synchronous: a small read costs
 * less than a round trip through the thread pool, and discovery has nothing else to do meanwhile. Opened non-blocking,
 * and anything but a regular file is an error: a FIFO swapped in after the walk looked must not hang the scan.
 */
function readHeadBytes(abs: string, bytes: number): Buffer {
  const fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw Object.assign(new Error('not a regular file'), { code: s.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    // One byte more than the size, so a file that grew since is still read to `bytes`; not zero-filled: only what was read is used.
    const buffer = Buffer.allocUnsafe(Math.min(bytes, s.size + 1));
    let total = 0;
    for (;;) {
      const asked = buffer.length - total;
      const n = readSync(fd, buffer, total, asked, total);
      total += n;
      // A short read of a regular file is its end.
      if (n < asked || total === buffer.length) break;
    }
    return buffer.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** The text of UTF-16 bytes (with a byte-order mark, or without one when ASCII text leaves every other byte NUL). */
function utf16Text(bytes: Buffer): string | undefined {
  const even = bytes.length - (bytes.length % 2);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2, even).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2, even)).swap16().toString('utf16le');
  const pairs = Math.min(even, 512) / 2;
  let lowNul = 0;
  let highNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) lowNul++;
    if (bytes[2 * i + 1] === 0) highNul++;
  }
  if (pairs > 4 && highNul > pairs * 0.9) return bytes.subarray(0, even).toString('utf16le');
  if (pairs > 4 && lowNul > pairs * 0.9) return Buffer.from(bytes.subarray(0, even)).swap16().toString('utf16le');
  return undefined;
}

/** A read error in words (no path, no errno text). */
export function readErrorWords(e: unknown): string {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it no longer exists';
    case 'EISDIR':
      return 'it is a directory';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return 'an error reading it';
  }
}
