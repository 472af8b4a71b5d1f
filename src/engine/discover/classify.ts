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
  const byName = kindFromName(name);
  if (byName !== 'sniff') return byName;
  const head = await readHead(abs);
  return head === undefined ? undefined : kindFromContent(name, head, parentDir);
}
