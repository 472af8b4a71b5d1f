import { TEMPLATE_SECTIONS } from './template.js';
import { decodeTemplateText } from './text.js';
import { parseTree, type CfnNode } from './tree.js';

/** `AWS::EC2::VPC`, `AWS::Serverless::Function`, `Custom::Thing`, `Org::Service::Thing::MODULE`. */
const RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+(::[A-Za-z0-9]+){0,2}$/;
const SERVICE_RESOURCE_TYPE = /^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+/;

/** How much of a file the text check reads: enough for the keys that come first. */
const HEAD_CHARS = 64 * 1024;

const CFN_VERSION = /(^|[\s{,])["']?AWSTemplateFormatVersion["']?\s*:/m;
const YAML_RESOURCES = /^["']?Resources["']?\s*:/m;
const JSON_RESOURCES = /"Resources"\s*:\s*\{/;
const AWS_TYPE = /(^|[\s{,])["']?Type["']?\s*:\s*["']?AWS::[A-Za-z0-9]+::/m;

/**
 * Decides from the first kilobytes of a JSON or YAML text whether it is a template, without parsing it: a template
 * either says so (`AWSTemplateFormatVersion`) or has a top-level `Resources` map of `AWS::` types; a Serverless
 * Framework file nests `Resources` under `resources:` and a Kubernetes manifest has none, so neither matches.
 */
export function headLooksLikeTemplate(head: string, isJson: boolean): boolean {
  if (CFN_VERSION.test(head)) return true;
  return (isJson ? JSON_RESOURCES : YAML_RESOURCES).test(head) && AWS_TYPE.test(head);
}

function looksLikeTemplate(root: CfnNode): boolean {
  if (root.kind !== 'map' || root.tag || root.entries.length === 0) return false;
  // CloudFormation refuses any other top-level key, which rules out workflows, manifests, package.json, tsconfig,
  // CDK assembly files and Serverless Framework files (`service`, `provider`, `resources`).
  if (!root.entries.every((e) => TEMPLATE_SECTIONS.has(e.key))) return false;
  if (root.entries.some((e) => e.key === 'AWSTemplateFormatVersion')) return true;
  const resources = root.entries.find((e) => e.key === 'Resources')?.value;
  if (!resources || resources.kind !== 'map' || resources.tag || resources.entries.length === 0) return false;
  let serviceTypes = 0;
  for (const e of resources.entries) {
    if (e.key === 'Fn::Transform' || e.key.startsWith('Fn::ForEach::')) continue;
    if (e.value.kind !== 'map') return false;
    const type = e.value.entries.find((x) => x.key === 'Type')?.value;
    if (!type || type.kind !== 'scalar' || type.tag || typeof type.value !== 'string' || !RESOURCE_TYPE.test(type.value)) return false;
    if (SERVICE_RESOURCE_TYPE.test(type.value)) serviceTypes++;
  }
  return serviceTypes > 0;
}

/**
 * Is this text a CloudFormation or SAM template (and not a GitHub workflow, a Kubernetes manifest, package.json, a
 * Serverless Framework file, a CDK manifest)? Decided on the parsed document: a mapping of template sections only,
 * with `AWSTemplateFormatVersion` or a `Resources` mapping whose entries have `Type: Xxx::Yyy::Zzz`.
 * A file that cannot be parsed counts when its text looks like a template, so its errors get reported.
 */
export function isCloudFormationTemplate(text: string, fileName: string): boolean {
  try {
    const decoded = decodeTemplateText(fileName, text);
    if (decoded.diagnostic) return false;
    const tree = parseTree(fileName, decoded.text);
    if (tree.root) return looksLikeTemplate(tree.root);
    return headLooksLikeTemplate(decoded.text.slice(0, HEAD_CHARS), fileName.toLowerCase().endsWith('.json'));
  } catch {
    return false;
  }
}
