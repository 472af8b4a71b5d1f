import { isCrossRegionService, type ServiceName } from '../facts/aws-data.js';
import { serviceNameVerdict, type ServiceNameVerdict } from '../facts/endpoint-service-names.js';
import { partitionOf } from '../facts/regions.js';
import type { VpcEndpointNode } from '../graph/model.js';
import type { GraphView } from '../graph/graph.js';
import { displaySymbolic, isSymbolicRegion, mentionsSymbolicRegion } from '../source/region.js';
import { regionOfZone } from './routing.js';
import { isUnknown, type Unknown } from '../source/value.js';

/*
 * What an endpoint's service name says, for the rules that check it: whether AWS offers that name (VPCE502), and
 * which Region it names beside the endpoint's own (VPCE501).
 */

/** The service name as the builders parsed it, with what precedes the region. */
function parsedName(e: VpcEndpointNode): ServiceName | undefined {
  const s = e.service;
  return s && { region: s.region, service: s.service, prefix: s.prefix ?? 'com.amazonaws', endpointService: s.endpointService === true };
}

/** The verdict on an endpoint's service name; Unknown when the name is not known. */
export function endpointServiceVerdict(e: VpcEndpointNode): ServiceNameVerdict | Unknown {
  if (isUnknown(e.serviceName)) return e.serviceName;
  return serviceNameVerdict(parsedName(e), e.serviceName);
}

/** A service name as a message reads it, in the endpoint's form (`com.amazonaws.${AWS::Region}.sqs`). */
export function serviceNameIn(e: VpcEndpointNode, suffix: string): string | undefined {
  const s = parsedName(e);
  return s && `${s.prefix}.${displaySymbolic(s.region)}.${suffix}`;
}

export type RegionComparison =
  /** The name has no region (a global name, a form the data does not know), or it is the endpoint's. */
  | { kind: 'same' }
  /** The endpoint's Region is not known, or not fixed (a template's AWS::Region) while the name's is. */
  | { kind: 'undecided'; reason: string }
  | {
      kind: 'other';
      /** The Region the name names, and the endpoint's. */
      serviceRegion: string;
      endpointRegion: string;
      /** How the endpoint's Region is known when the configuration does not state it (its subnets' zones). */
      evidence?: string;
      /** An AWS service the cross-region list includes, in the endpoint's partition: an interface endpoint may reach it. */
      crossRegionService: boolean;
      /** A customer or partner endpoint service (its provider decides which Regions may connect). */
      endpointService: boolean;
    };

/** Which Region the service name names, beside the Region the endpoint is created in. */
export function compareRegions(graph: GraphView, e: VpcEndpointNode): RegionComparison {
  const s = parsedName(e);
  if (!s || isSymbolicRegion(s.region)) return { kind: 'same' };
  let own = e.region;
  let evidence: string | undefined;
  if (isUnknown(own) || isSymbolicRegion(own)) {
    // The configuration may still say where the VPC is: its subnets' availability zones, a template's region mapping.
    const where = vpcRegionEvidence(graph, e);
    if (where?.regions.length === 1 || (where && !where.regions.includes(s.region))) {
      own = where.regions.length === 1 ? where.regions[0]! : where.regions.join(' or ');
      evidence = where.evidence;
    } else if (isUnknown(own)) {
      return { kind: 'undecided', reason: `the Region of ${e.id} is not known (${own.reason}), and its service name names ${s.region}` };
    } else {
      return {
        kind: 'undecided',
        reason: `the template's Region is not fixed (AWS::Region) while the service name of ${e.id} names ${s.region}: it is right only where the stack deploys to ${s.region} (scan with --region)`,
      };
    }
  }
  if (own === s.region) return { kind: 'same' };
  const samePartition = partitionOf(own.split(' ')[0]!)?.partition === partitionOf(s.region)?.partition;
  return {
    kind: 'other',
    serviceRegion: s.region,
    endpointRegion: own,
    ...(evidence ? { evidence } : {}),
    crossRegionService: samePartition && !s.endpointService && isCrossRegionService(s.service),
    endpointService: s.endpointService,
  };
}

/**
 * The Regions a VPC whose Region is not stated can be in, from what else the configuration says: the availability
 * zones of its subnets (a subnet is created in a zone of the VPC's Region) and the regions a template can deploy to
 * (a mapping keyed by AWS::Region). Undefined when nothing says; empty when the evidence contradicts itself.
 */
function vpcRegionEvidence(graph: GraphView, e: VpcEndpointNode): { regions: string[]; evidence: string } | undefined {
  let regions: string[] | undefined = graph.deployableRegions ? [...graph.deployableRegions] : undefined;
  const said: string[] = graph.deployableRegions ? [`the template deploys only to ${graph.deployableRegions.join(', ')}`] : [];
  const zones: string[] = [];
  if (e.vpc !== undefined) {
    for (const subnet of graph.all('subnet')) {
      if (subnet.vpc !== e.vpc || typeof subnet.az !== 'string' || mentionsSymbolicRegion(subnet.az)) continue;
      const region = regionOfZone(subnet.az);
      if (!region) continue;
      regions = (regions ?? [region]).filter((r) => r === region);
      zones.push(`${subnet.id} (${subnet.az})`);
    }
  }
  if (zones.length) said.push(`its VPC's subnets are ${zones.join(', ')}`);
  return regions === undefined || regions.length === 0 ? undefined : { regions: regions.sort(), evidence: said.join('; ') };
}
