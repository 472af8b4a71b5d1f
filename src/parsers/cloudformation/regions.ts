import { isSymbolicRegion, SYMBOLIC_REGION } from '../../source/region.js';
import { availabilityZoneNames } from '../../facts/regions.js';
import { unknown, type Value } from '../../source/value.js';

/**
 * `Fn::GetAZs` for a region. A concrete region reads the zone letters bundled for `data "aws_availability_zones"`
 * (regions not bundled give an Unknown list, as there). The symbolic region gives symbolic zone names
 * `<region>a`, `<region>b`, `<region>c`: every region that offers VPCs has at least three zones (a few older
 * accounts see two in us-west-1), and the names flow through `!Select` like real ones, so subnets keep distinct
 * zones without guessing a region.
 */
export function availabilityZones(region: string): Value {
  if (isSymbolicRegion(region)) return ['a', 'b', 'c'].map((l) => `${SYMBOLIC_REGION}${l}`);
  const names = availabilityZoneNames(region);
  return names === undefined ? unknown(`availability zones of ${region} are read from AWS`) : names;
}
