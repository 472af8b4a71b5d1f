import { regionOfZone } from '../../facts/regions.js';
import { isSymbolicRegion } from '../../source/region.js';
import { isUnknown, unknown } from '../../source/value.js';
import type { Graph, RegionConflict } from '../graph.js';
import type { VpcNode } from '../model.js';

/**
 * What a VPC's own resources say of its region: AWS creates a subnet only in an availability zone of the VPC's region
 * and a gateway endpoint only for a service in that region, so a literal `eu-west-1a` or `com.amazonaws.eu-west-1.s3`
 * places the VPC in eu-west-1 (as `regionPins` does for templates).
 * https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html (endpoints are supported within the same Region only)
 * https://docs.aws.amazon.com/vpc/latest/userguide/configure-subnets.html (a subnet is in one Availability Zone of the VPC's Region)
 *
 * A VPC whose region is not known takes the one region its subnets' zones name (without zones: its gateway endpoints'
 * service names). A VPC whose provider (or `--region`) gives
 * another region than they name, or whose resources name several regions, cannot be deployed as written: its region
 * is left Unknown, so nothing is ranged or priced for a region chosen silently, and the contradiction is recorded in
 * `graph.regionConflicts` for the scan to report.
 */
export function pinVpcRegions(graph: Graph): void {
  for (const vpc of graph.all('vpc')) {
    const zones: RegionConflict['evidence'] = [];
    for (const subnet of graph.all('subnet')) {
      if (subnet.vpc !== vpc.id || typeof subnet.az !== 'string') continue;
      const region = regionOfZone(subnet.az);
      if (region)
        zones.push({ resource: subnet.id, source: subnet.attributeRefs['availability_zone'] ?? subnet.source, region, what: `availability zone ${subnet.az}` });
    }
    const services: RegionConflict['evidence'] = [];
    for (const ep of graph.all('vpc-endpoint')) {
      if (ep.vpc !== vpc.id || ep.type !== 'Gateway' || !ep.service || isSymbolicRegion(ep.service.region)) continue;
      const name = `${ep.service.prefix ?? 'com.amazonaws'}.${ep.service.region}.${ep.service.service}`;
      services.push({ resource: ep.id, source: ep.attributeRefs['service_name'] ?? ep.source, region: ep.service.region, what: `service ${name}` });
    }
    const mutable = vpc as { region: VpcNode['region'] };
    if (typeof vpc.region === 'string') {
      // A gateway endpoint of another region than its VPC's is VPCE501's finding; a zone of another region is a
      // configuration that cannot be deployed as written.
      const given = vpc.region;
      const conflicting = zones.filter((e) => e.region !== given);
      if (conflicting.length === 0) continue;
      graph.regionConflicts.push({ vpc: vpc.id, given, evidence: conflicting });
      const first = conflicting[0]!;
      mutable.region = unknown(`the configuration gives ${given} but ${first.resource} names ${first.what} of ${first.region}`);
      continue;
    }
    if (!isUnknown(vpc.region)) continue;
    // Zones decide where the VPC is; without any, the gateway endpoints' service names do.
    const evidence = zones.length > 0 ? zones : services;
    const named = [...new Set(evidence.map((e) => e.region))];
    if (named.length === 1) mutable.region = named[0]!;
    else if (named.length > 1) {
      graph.regionConflicts.push({ vpc: vpc.id, given: undefined, evidence });
      mutable.region = unknown(`its ${zones.length > 0 ? 'subnets' : 'gateway endpoints'} name several regions (${named.join(', ')})`);
    }
  }
}
