import { isSymbolicRegion, SYMBOLIC_REGION } from '../../source/region.js';
import type { Span } from '../../source/types.js';
import { dataSourceValue } from '../terraform/evaluate/data-sources.js';
import { unknown, type Value } from '../../source/value.js';

interface PartitionInfo {
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

const NO_SPAN: Span = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

/**
 * `Fn::GetAZs` for a region. A concrete region reads the zone letters bundled for `data "aws_availability_zones"`
 * (regions not bundled give an Unknown list, as there). The symbolic region gives symbolic zone names
 * `<region>a`, `<region>b`, `<region>c`: every region that offers VPCs has at least three zones (a few older
 * accounts see two in us-west-1), and the names flow through `!Select` like real ones, so subnets keep distinct
 * zones without guessing a region.
 */
export function availabilityZones(region: string): Value {
  if (isSymbolicRegion(region)) return ['a', 'b', 'c'].map((l) => `${SYMBOLIC_REGION}${l}`);
  const zones = dataSourceValue({
    type: 'aws_availability_zones',
    address: 'Fn::GetAZs',
    block: { type: 'data', labels: ['aws_availability_zones', 'Fn::GetAZs'], attributes: {}, blocks: [], span: NO_SPAN, headerSpan: NO_SPAN, file: '' },
    scope: { lookup: () => undefined },
    region,
    report: () => undefined,
  });
  const names = zones['names'];
  return names === undefined ? unknown(`availability zones of ${region} are read from AWS`) : names;
}
