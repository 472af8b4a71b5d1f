import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
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
export async function readHead(abs: string, bytes = SNIFF_BYTES): Promise<string | undefined> {
  let handle;
  try {
    // Non-blocking, and only a regular file: a FIFO swapped in after the walk looked must not hang the scan.
    handle = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK);
    if (!(await handle.stat()).isFile()) return undefined;
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    const head = buffer.subarray(0, bytesRead);
    if (head.indexOf(0) !== -1) return undefined;
    return head.toString('utf8');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
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

export async function classifyFile(abs: string, name: string, parentDir: string): Promise<FileKind | undefined> {
  return (await classifyFileOrSkip(abs, name, parentDir)).kind;
}

/** A file of a kind this tool reads, or the reason one that may be of such a kind is skipped (for a diagnostic). */
export type Classified = { kind?: FileKind; skipped?: undefined } | { kind?: undefined; skipped: string };

/**
 * Like classifyFile, and says why a file that looks like one of ours is skipped: it cannot be read (a `.tf` that
 * cannot be read is reported when its module is loaded), or it is a template encoded in UTF-16.
 */
export async function classifyFileOrSkip(abs: string, name: string, parentDir: string): Promise<Classified> {
  const byName = kindFromName(name);
  if (byName !== 'sniff') return { kind: byName };
  let bytes: Buffer;
  try {
    bytes = await readHeadBytes(abs, SNIFF_BYTES);
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

async function readHeadBytes(abs: string, bytes: number): Promise<Buffer> {
  const handle = await open(abs, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close().catch(() => undefined);
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
