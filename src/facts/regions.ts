import { isSymbolicRegion } from '../source/region.js';
import { knownRegions } from './aws-data.js';

export interface PartitionInfo {
  partition: string;
  /** Undefined where the suffix is not one we can vouch for. */
  urlSuffix: string | undefined;
}

/** The partition a region belongs to, from its name; undefined for the symbolic region. */
export function partitionOf(region: string): PartitionInfo | undefined {
  if (isSymbolicRegion(region)) return undefined;
  if (region.startsWith('cn-')) return { partition: 'aws-cn', urlSuffix: 'amazonaws.com.cn' };
  if (region.startsWith('us-gov-')) return { partition: 'aws-us-gov', urlSuffix: 'amazonaws.com' };
  if (region.startsWith('us-iso-')) return { partition: 'aws-iso', urlSuffix: 'c2s.ic.gov' };
  if (region.startsWith('us-isob-')) return { partition: 'aws-iso-b', urlSuffix: 'sc2s.sgov.gov' };
  if (region.startsWith('eu-isoe-')) return { partition: 'aws-iso-e', urlSuffix: undefined };
  if (region.startsWith('us-isof-')) return { partition: 'aws-iso-f', urlSuffix: undefined };
  return { partition: 'aws', urlSuffix: 'amazonaws.com' };
}

/**
 * Availability zone names per region, for `data "aws_availability_zones"`. Names are symbolic (an account's `a` is
 * not another account's `a`) but their number and letters are the region's. Regions not listed give an Unknown list,
 * so nothing is guessed about how many subnets a `count = length(...)` creates.
 */
const AZ_LETTERS: Record<string, string> = {
  'us-east-1': 'abcdef',
  'us-east-2': 'abc',
  'us-west-2': 'abcd',
  'eu-west-1': 'abc',
  'eu-west-2': 'abc',
  'eu-central-1': 'abc',
  'eu-north-1': 'abc',
  'ap-south-1': 'abc',
  'ap-southeast-1': 'abc',
  'ap-southeast-2': 'abc',
  'ap-northeast-1': 'acd',
  'sa-east-1': 'abc',
};

/** The availability zone names of a region (`us-east-1a` …), or undefined when the bundled data does not list it. */
export function availabilityZoneNames(region: string): string[] | undefined {
  const letters = AZ_LETTERS[region];
  return letters ? [...letters].map((l) => `${region}${l}`) : undefined;
}

/** The region an availability zone name belongs to (`us-east-1a`, `us-west-2-lax-1a` → its parent region). */
export function regionOfZone(zone: string): string | undefined {
  let best: string | undefined;
  for (const r of knownRegions())
    if (zone.startsWith(`${r}`) && /^[a-z]$|^-[a-z]+-\d+[a-z]$/.test(zone.slice(r.length)) && (!best || r.length > best.length)) best = r;
  return best;
}
