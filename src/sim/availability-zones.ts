import type { Maybe } from '../graph/model.js';
import { displaySymbolic, SYMBOLIC_REGION } from '../source/region.js';
import { isUnknown } from '../source/value.js';

/**
 * Whether two Availability Zones, as the configuration writes them, are the same zone.
 *
 * A zone is written by name (`us-east-1a`, a Local Zone's `us-east-1-bos-1a`), by zone id (`use1-az1`), or with the
 * symbolic region of a template deployed to any region (`${AWS::Region}a`, what `!GetAZs ''` gives). Names map to
 * zones per account ("us-east-1a" is not the same physical zone in two accounts) but one-to-one within an account, so
 * two names are the same zone exactly when they are the same name; likewise two ids. A name and an id cannot be
 * compared without the account's mapping; a symbolic name and a concrete one are the same only if the template is
 * deployed to that region, so equal letters cannot be decided and different letters are different zones.
 * https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html
 */
export type ZoneRelation = { same: true } | { same: false } | { same: 'unknown'; reason: string };

type ParsedZone =
  { kind: 'id'; id: string } | { kind: 'name'; region: string; suffix: string } | { kind: 'symbolic'; suffix: string } | { kind: 'other'; text: string };

const ZONE_ID = /^[a-z]{2,}\d*(?:-[a-z0-9]+)*-az\d+$/;
/** A region name (`us-east-1`, `us-gov-west-1`, `cn-north-1`) followed by the zone's letter or Local Zone suffix. */
const ZONE_NAME = /^([a-z]{2}(?:-[a-z]+)+-\d+)(.+)$/;

function parseZone(zone: string): ParsedZone {
  if (zone.startsWith(SYMBOLIC_REGION)) return { kind: 'symbolic', suffix: zone.slice(SYMBOLIC_REGION.length) };
  if (ZONE_ID.test(zone)) return { kind: 'id', id: zone };
  const m = ZONE_NAME.exec(zone);
  return m ? { kind: 'name', region: m[1]!, suffix: m[2]! } : { kind: 'other', text: zone };
}

/** How a zone reads in a message: `us-east-1a`, `use1-az1`, `${AWS::Region}a`. */
export function zoneLabel(zone: string): string {
  return displaySymbolic(zone);
}

/** Whether two zones, both written as strings, are the same zone (see `ZoneRelation`). */
export function compareZones(a: string, b: string): ZoneRelation {
  if (a === b) return { same: true };
  const x = parseZone(a);
  const y = parseZone(b);
  if (x.kind === 'id' && y.kind === 'id') return { same: false };
  if (x.kind === 'name' && y.kind === 'name') return { same: false };
  if (x.kind === 'symbolic' && y.kind === 'symbolic') return { same: false };
  const named = [x, y].filter((z) => z.kind === 'name' || z.kind === 'symbolic') as Array<{ suffix: string }>;
  if (named.length === 2) {
    if (named[0]!.suffix !== named[1]!.suffix) return { same: false };
    return { same: 'unknown', reason: `${zoneLabel(a)} and ${zoneLabel(b)} are the same zone only if the template is deployed to that region` };
  }
  if ((x.kind === 'id' && y.kind !== 'other') || (y.kind === 'id' && x.kind !== 'other'))
    return { same: 'unknown', reason: `zone name and zone id (${zoneLabel(a)}, ${zoneLabel(b)}) map to each other differently in every account` };
  return { same: 'unknown', reason: `${zoneLabel(a)} and ${zoneLabel(b)} cannot be compared as Availability Zones` };
}

/** A subnet's zone as the graph holds it: a string, or why it is not known. */
export function knownZone(az: Maybe<string> | undefined): { zone: string } | { unknown: string } {
  if (az === undefined) return { unknown: 'AWS picks its Availability Zone' };
  if (isUnknown(az)) return { unknown: az.reason };
  return { zone: az };
}
