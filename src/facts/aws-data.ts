/**
 * The AWS facts bundled in data/ (see data/SOURCES.md), loaded once and memoised. Reading is synchronous: the files are
 * small and rules are synchronous functions of the graph.
 *
 * Which ranges a region's S3 (or DynamoDB) gateway endpoint carries: the endpoint's route has the AWS-managed prefix
 * list com.amazonaws.<region>.<service> as destination, and "prefix lists are specific to a Region": "Traffic that's
 * destined for the service (Amazon S3 or DynamoDB) in a different Region goes to the internet gateway"
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html). So a region's list holds that region's
 * ranges only, and the prefixes ip-ranges.json files under region GLOBAL (not tied to one region) are in no region's
 * list: they are left out of the data. The published ranges approximate the lists; they are not the lists.
 */
import { readFileSync } from 'node:fs';
import { CidrSet, type Family } from './cidr.js';
import { packageFile } from '../source/package.js';
import { SYMBOLIC_REGION } from '../source/region.js';

export type PrefixService = 's3' | 'dynamodb';
export type Verification = 'corroborated' | 'unverified-single-source' | 'suspect' | 'unknown';

export interface ManagedPrefixList {
  /** The pl- id in this region; undefined when no source gives it. */
  id: string | undefined;
  name: string;
  service: PrefixService;
  region: string;
  /** Only `corroborated` ids may drive an error-level finding on their own. */
  verification: Verification;
  note?: string;
  /** IPv4 entries as published in ip-ranges.json (an approximation of the list); undefined when not known. */
  cidrs: readonly string[] | undefined;
}

export interface NatPrice {
  perGb: number;
  /** perGb × 1024, rounded to cents. */
  perTb: number;
  currency: 'USD';
  /** Where the figure was read, and when. */
  source: string;
  read: string;
  evidence: string;
}

export interface ServiceName {
  region: string;
  /** The suffix after the region: `s3`, `ecr.dkr`, or `vpce-svc-…` for an endpoint service. */
  service: string;
  /** What precedes the region: `com.amazonaws`, `cn.com.amazonaws`, `aws.api`, `com.amazonaws.vpce`, … */
  prefix: string;
  /** A customer or partner endpoint service (com.amazonaws.vpce.<region>.vpce-svc-<id>). */
  endpointService: boolean;
}

interface ServicePrefixesFile {
  source: string;
  syncToken: string;
  createDate: string;
  regions: Record<string, Partial<Record<string, Partial<Record<Family, string[]>>>>>;
}

interface PrefixListsFile {
  source: string;
  regions: Record<string, Partial<Record<string, { id: string; name: string; verification: Verification; note?: string }>>>;
}

export interface EndpointServicesFile {
  regionalPrefixes: string[];
  endpointServicePrefix: string;
  gatewayServices: string[];
  interfaceDefaultPort: number;
  interfaceSuffixes: string[];
  nonStandard: Array<{ suffix: string; pattern: string; port?: number; global?: boolean }>;
  globalNames: Array<{ name: string; service: string }>;
  crossRegion: string[];
  /** Services whose documentation names every endpoint service name they offer (sqs: sqs, sqs-fips). */
  completeNames?: Array<{ service: string; names: string[]; source: string }>;
  /** When the AWS pages the cross-region list and completeNames come from were read (YYYY-MM-DD). */
  docsRead?: string;
}

interface PricingFile {
  source: string;
  read: string;
  natGatewayDataProcessingPerGb: Record<string, { price: number; evidence: string } | null>;
  interfaceEndpointPerAzHour: { source: string; read: string; regions: Record<string, { price: number; evidence: string } | null> };
  interfaceEndpointDataProcessingPerGb: { source: string; read: string; regions: Record<string, { price: number; evidence: string } | null> };
}

function once<T>(load: () => T): () => T {
  let value: T | undefined;
  let loaded = false;
  return () => {
    if (!loaded) {
      value = load();
      loaded = true;
    }
    return value as T;
  };
}

function readData<T>(file: string): T {
  return JSON.parse(readFileSync(packageFile('data', file), 'utf8')) as T;
}

const servicePrefixes = once(() => readData<ServicePrefixesFile>('aws-service-prefixes.json'));
const prefixLists = once(() => readData<PrefixListsFile>('aws-managed-prefix-lists.json'));
const endpointServices = once(() => readData<EndpointServicesFile>('aws-endpoint-services.json'));

/** The bundled endpoint service facts as read (see src/facts/endpoint-service-names.ts for the questions asked of them). */
export function endpointServiceFacts(): Readonly<EndpointServicesFile> {
  return endpointServices();
}
const pricing = once(() => readData<PricingFile>('pricing.json'));

const own = <T>(obj: Record<string, T>, key: string): T | undefined => (Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);

/** The entries as published, in address order; undefined when the data has none for that region and family. */
export function serviceRangeEntries(service: PrefixService, region: string, family: Family): readonly string[] | undefined {
  const services = own(servicePrefixes().regions, region);
  const list = services && own(services, service)?.[family];
  return list && list.length ? list : undefined;
}

const rangeCache = new Map<string, CidrSet | undefined>();

/**
 * The addresses of a service in a region (both families unless one is named), as the region's managed prefix list
 * would route them. Undefined when the data has no entries: absent data is not an empty service.
 */
export function serviceRanges(service: PrefixService, region: string, family?: Family): CidrSet | undefined {
  const key = `${service}|${region}|${family ?? '*'}`;
  if (rangeCache.has(key)) return rangeCache.get(key);
  const families: Family[] = family ? [family] : ['ipv4', 'ipv6'];
  const entries = families.flatMap((f) => serviceRangeEntries(service, region, f) ?? []);
  const set = entries.length ? CidrSet.fromCidrs(entries) : undefined;
  rangeCache.set(key, set);
  return set;
}

function isPrefixService(s: string): s is PrefixService {
  return s === 's3' || s === 'dynamodb';
}

/** The IPv4 managed prefix list com.amazonaws.<region>.<service>, when the region is known to the data. */
export function managedPrefixList(region: string, service: PrefixService): ManagedPrefixList | undefined {
  if (!isPrefixService(service)) return undefined;
  const entry = own(prefixLists().regions, region)?.[service];
  const cidrs = serviceRangeEntries(service, region, 'ipv4');
  if (!entry && !cidrs) return undefined;
  const list: ManagedPrefixList = {
    id: entry?.id,
    name: entry?.name ?? `com.amazonaws.${region}.${service}`,
    service,
    region,
    verification: entry?.verification ?? 'unknown',
    cidrs,
  };
  if (entry?.note) list.note = entry.note;
  return list;
}

/** The managed list an id names in one region. Ids repeat across regions, so there is no lookup by id alone. */
export function prefixListById(region: string, id: string): ManagedPrefixList | undefined {
  const lists = own(prefixLists().regions, region);
  if (!lists) return undefined;
  for (const service of ['s3', 'dynamodb'] as const) {
    if (lists[service]?.id === id) return managedPrefixList(region, service);
  }
  return undefined;
}

/** Every (region, service) whose managed list has this id: for a literal pl- id in a template whose region is not known. */
export function prefixListsWithId(id: string): ManagedPrefixList[] {
  const out: ManagedPrefixList[] = [];
  for (const region of Object.keys(prefixLists().regions).sort()) {
    const list = prefixListById(region, id);
    if (list) out.push(list);
  }
  return out;
}

/** Regions the prefix data knows, sorted. */
export const knownRegions = once((): readonly string[] => Object.keys(servicePrefixes().regions).sort());

export function isKnownRegion(region: string): boolean {
  return own(servicePrefixes().regions, region) !== undefined;
}

/** The day AWS published the bundled prefix data (YYYY-MM-DD), for "AWS data as of …". */
export function dataDate(): string {
  return servicePrefixes().createDate.slice(0, 10);
}

export function dataInfo(): { ipRanges: { syncToken: string; createDate: string; source: string }; pricing: { source: string; read: string } } {
  const p = servicePrefixes();
  const price = pricing();
  return { ipRanges: { syncToken: p.syncToken, createDate: p.createDate, source: p.source }, pricing: { source: price.source, read: price.read } };
}

/** What one interface endpoint costs per Availability Zone per hour in a region, with where the figure was read. */
export interface EndpointHourPrice {
  perAzHour: number;
  currency: 'USD';
  source: string;
  read: string;
  evidence: string;
}

/** The interface endpoint rate per AZ per hour in a region; undefined when no source we could read gives it. */
export function interfaceEndpointHourPrice(region: string): EndpointHourPrice | undefined {
  const table = pricing().interfaceEndpointPerAzHour;
  const entry = own(table.regions, region);
  if (!entry) return undefined;
  return { perAzHour: entry.price, currency: 'USD', source: table.source, read: table.read, evidence: entry.evidence };
}

/** What an interface endpoint charges per GB it processes in a region (first tier), with where the figure was read. */
export interface EndpointDataPrice {
  perGb: number;
  currency: 'USD';
  source: string;
  read: string;
  evidence: string;
}

/** The interface endpoint data processing rate per GB (first tier) in a region; undefined when no source we could read gives it. */
export function interfaceEndpointDataPrice(region: string): EndpointDataPrice | undefined {
  const table = pricing().interfaceEndpointDataProcessingPerGb;
  const entry = own(table.regions, region);
  if (!entry) return undefined;
  return { perGb: entry.price, currency: 'USD', source: table.source, read: table.read, evidence: entry.evidence };
}

/** NAT gateway data processing price in a region; undefined when no source we could read gives it. */
export function natProcessingPrice(region: string): NatPrice | undefined {
  const p = pricing();
  const entry = own(p.natGatewayDataProcessingPerGb, region);
  if (!entry) return undefined;
  return {
    perGb: entry.price,
    perTb: Math.round(entry.price * 1024 * 100) / 100,
    currency: 'USD',
    source: p.source,
    read: p.read,
    evidence: entry.evidence,
  };
}

const REGION = /^[a-z]{2,4}(?:-[a-z]+){1,3}-\d{1,2}$/;
const SUFFIX = /^[a-z0-9][a-z0-9.-]*$/;
const VPCE_SVC = /^vpce-svc-[0-9a-f]+$/;

/**
 * `{region, service}` of a regional service name: com.amazonaws.us-east-1.s3, cn.com.amazonaws.cn-north-1.s3,
 * eu.amazonaws.eusc-de-east-1.ecr.api, aws.api.us-east-1.freetier, aws.sagemaker.us-east-1.notebook, or an endpoint
 * service com.amazonaws.vpce.us-east-1.vpce-svc-0123. Global names (com.amazonaws.iam) have no region: see
 * globalServiceName. Syntax only: whether AWS offers the service is isKnownInterfaceService / isGatewayService.
 */
export function parseServiceName(name: string): ServiceName | undefined {
  if (typeof name !== 'string') return undefined;
  const data = endpointServices();
  const vpce = `${data.endpointServicePrefix}.`;
  if (name.startsWith(vpce)) {
    const [region, svc, ...rest] = name.slice(vpce.length).split('.');
    // A template names its own Region's endpoint service as com.amazonaws.vpce.${AWS::Region}.vpce-svc-…
    if (rest.length || !region || !(REGION.test(region) || region === SYMBOLIC_REGION) || !svc || !VPCE_SVC.test(svc)) return undefined;
    return { region, service: svc, prefix: data.endpointServicePrefix, endpointService: true };
  }
  // Longest prefix first: cn.com.amazonaws must not be read as com.amazonaws.
  for (const prefix of [...data.regionalPrefixes].sort((a, b) => b.length - a.length)) {
    if (!name.startsWith(`${prefix}.`)) continue;
    const rest = name.slice(prefix.length + 1);
    const dot = rest.indexOf('.');
    if (dot < 0) return undefined;
    // A template deployed to any region names `com.amazonaws.${AWS::Region}.s3`: the region stays symbolic.
    if (rest.startsWith(`${SYMBOLIC_REGION}.`)) {
      const service = rest.slice(SYMBOLIC_REGION.length + 1);
      return SUFFIX.test(service) ? { region: SYMBOLIC_REGION, service, prefix, endpointService: false } : undefined;
    }
    const region = rest.slice(0, dot);
    const service = rest.slice(dot + 1);
    if (!REGION.test(region) || !SUFFIX.test(service)) return undefined;
    return { region, service, prefix, endpointService: false };
  }
  return undefined;
}

/** A global service name (com.amazonaws.iam, com.amazonaws.s3-global.accesspoint, …), which names no region. */
export function globalServiceName(name: string): { name: string; service: string } | undefined {
  return endpointServices().globalNames.find((g) => g.name === name);
}

function suffixOf(nameOrSuffix: string): string {
  return nameOrSuffix.includes('.amazonaws.') ? (parseServiceName(nameOrSuffix)?.service ?? '') : nameOrSuffix;
}

/** S3, DynamoDB and S3 Express offer gateway endpoints; takes a suffix (`s3`) or a full service name. */
export function isGatewayService(nameOrSuffix: string): boolean {
  return endpointServices().gatewayServices.includes(suffixOf(nameOrSuffix));
}

/** A suffix the data lists as an interface endpoint service. An unlisted one is unverified, not proven invalid. */
export function isKnownInterfaceService(nameOrSuffix: string): boolean {
  const suffix = suffixOf(nameOrSuffix);
  const data = endpointServices();
  return interfaceSuffixes().has(suffix) || data.nonStandard.some((n) => n.suffix === suffix);
}

const interfaceSuffixes = once(() => new Set(endpointServices().interfaceSuffixes));

/** The port an interface endpoint of the service listens on (443, or 9142 for Amazon Keyspaces). */
export function interfaceServicePort(nameOrSuffix: string): number {
  const suffix = suffixOf(nameOrSuffix);
  const data = endpointServices();
  return data.nonStandard.find((n) => n.suffix === suffix)?.port ?? data.interfaceDefaultPort;
}

/** Interface endpoints of the service may name another region (cross-region PrivateLink). */
export function isCrossRegionService(nameOrSuffix: string): boolean {
  return endpointServices().crossRegion.includes(suffixOf(nameOrSuffix));
}
