/**
 * Which IAM actions an endpoint carries: the endpoint service (`s3`, `ecr.dkr`, `kms-fips`) and the IAM action prefixes
 * of the requests that go through it, with whether the service supports endpoint policies. Read from
 * data/aws-endpoint-action-prefixes.json, which names its sources (the Service Authorization Reference for prefixes,
 * the AWS PrivateLink guide and each service's PrivateLink page for the rest).
 */
import { readFileSync } from 'node:fs';
import { packageFile } from '../source/package.js';

export interface EndpointActions {
  /** The data entry's key (`s3`, `ecr.api`), the service suffix without `-fips`. */
  service: string;
  /** IAM action prefixes of the requests the endpoint carries, lower case. */
  prefixes: readonly string[];
  /** The service documents endpoint policies (true), or the data does not record it (undefined). */
  endpointPolicy: true | undefined;
  sources: readonly string[];
}

interface File {
  services: Record<string, { prefixes: string[] | null; endpointPolicy: boolean | null; sources: string[] }>;
}

let data: File | undefined;

function file(): File {
  data ??= JSON.parse(readFileSync(packageFile('data', 'aws-endpoint-action-prefixes.json'), 'utf8')) as File;
  return data;
}

/** The actions an endpoint service suffix carries; undefined for a service the data does not know (or whose prefixes it does not record). */
export function endpointActions(serviceSuffix: string): EndpointActions | undefined {
  const key = serviceSuffix.endsWith('-fips') ? serviceSuffix.slice(0, -'-fips'.length) : serviceSuffix;
  const services = file().services;
  if (!Object.prototype.hasOwnProperty.call(services, key)) return undefined;
  const e = services[key]!;
  if (e.prefixes === null) return undefined;
  return { service: key, prefixes: e.prefixes.map((p) => p.toLowerCase()), endpointPolicy: e.endpointPolicy === true ? true : undefined, sources: e.sources };
}
