/**
 * What the bundled data (data/aws-endpoint-services.json, see data/SOURCES.md) can say about one endpoint service name.
 * The data lists the names AWS documents; it does not claim to list every name in every Region, so a name it does not
 * list is unverified, not wrong. It proves a name wrong only where a service's own documentation names every endpoint
 * service name the service offers (`completeNames`: SQS offers `sqs` and `sqs-fips`, so `sqs-fifo` is no name AWS
 * offers).
 */
import { endpointServiceFacts, globalServiceName, type ServiceName } from './aws-data.js';

/** Prefixes under which services are named `<prefix>.<region>.<suffix>` with the common suffix list. */
const COMMON_PREFIXES = new Set(['com.amazonaws', 'cn.com.amazonaws', 'eu.amazonaws']);

export type ServiceNameVerdict =
  /** A customer or partner endpoint service (com.amazonaws.vpce.<region>.vpce-svc-…): any such id may exist. */
  | { kind: 'endpoint-service'; name: ServiceName }
  /** A global name the data lists (com.amazonaws.iam, com.amazonaws.s3-global.accesspoint). */
  | { kind: 'global'; service: string }
  /** A regional name the data lists: which endpoint types the data knows the service offers. */
  | { kind: 'listed'; name: ServiceName; gateway: boolean; interface: boolean }
  /**
   * A name the service's documentation rules out: `family` is the service, `offered` its names, `suggestion` the one
   * meant (the suffix to use).
   */
  | { kind: 'not-offered'; name: ServiceName; family: string; offered: string[]; suggestion: string; source: string }
  /** A name the data does not list (or a form it does not know); `nearest` is a listed suffix a typo away, if any. */
  | { kind: 'unlisted'; name: ServiceName | undefined; nearest?: string };

/** The services AWS offers gateway endpoints for (S3, DynamoDB, S3 Express One Zone): the list is complete. */
export function gatewayServiceSuffixes(): readonly string[] {
  return endpointServiceFacts().gatewayServices;
}

/**
 * The verdict on a service name, given its parse (`parseServiceName`, which keeps a symbolic region) and the name as
 * written (for global names and names of a form the data does not know).
 */
export function serviceNameVerdict(parsed: ServiceName | undefined, written: string): ServiceNameVerdict {
  const data = endpointServiceFacts();
  if (parsed?.endpointService) return { kind: 'endpoint-service', name: parsed };
  if (!parsed) {
    const global = globalServiceName(written);
    if (global) return { kind: 'global', service: global.service };
    return { kind: 'unlisted', name: undefined };
  }
  const { prefix, service } = parsed;
  if (COMMON_PREFIXES.has(prefix)) {
    const family = (data.completeNames ?? []).find((f) => service.startsWith(`${f.service}-`) || service.startsWith(`${f.service}.`));
    if (family && !family.names.includes(service)) {
      // A one-letter slip of a variant (`kms-fip`) means that variant; anything else (`sqs-fifo`) means the service itself.
      const suggestion = family.names.find((n) => editDistance(service, n, 1) <= 1) ?? family.service;
      return { kind: 'not-offered', name: parsed, family: family.service, offered: family.names, suggestion, source: family.source };
    }
    const gateway = data.gatewayServices.includes(service);
    const iface = data.interfaceSuffixes.includes(service) || data.nonStandard.some((n) => n.pattern === `${prefix}.<region>.${service}`);
    if (gateway || iface) return { kind: 'listed', name: parsed, gateway, interface: iface };
  } else if (data.nonStandard.some((n) => n.pattern === `${prefix}.<region>.${service}`)) {
    return { kind: 'listed', name: parsed, gateway: false, interface: true };
  }
  const nearest = nearestSuffix(service);
  return nearest ? { kind: 'unlisted', name: parsed, nearest } : { kind: 'unlisted', name: parsed };
}

/** When the AWS pages behind the cross-region list and the complete name lists were read. */
export function endpointDocsRead(): string | undefined {
  return endpointServiceFacts().docsRead;
}

/** A listed suffix within a small edit distance (a typo: `secretmanager` for `secretsmanager`), or undefined. */
export function nearestSuffix(suffix: string): string | undefined {
  const data = endpointServiceFacts();
  const limit = suffix.length <= 4 ? 1 : 2;
  let best: { name: string; d: number } | undefined;
  for (const name of [...data.gatewayServices, ...data.interfaceSuffixes].sort()) {
    if (Math.abs(name.length - suffix.length) > limit) continue;
    const d = editDistance(suffix, name, limit);
    if (d <= limit && (!best || d < best.d)) best = { name, d };
  }
  return best && best.d > 0 ? best.name : undefined;
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds the limit. */
function editDistance(a: string, b: string, limit: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (Math.min(...row) > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length]!;
}
