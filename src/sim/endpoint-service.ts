import type { GraphView } from '../graph/graph.js';
import type { EndpointServiceNode, LoadBalancerNode, SubnetNode } from '../graph/model.js';
import type { SourceRef } from '../source/types.js';
import { isUnknown, type Unknown } from '../source/value.js';

/*
 * Questions about PrivateLink endpoint services (the provider side): who may connect, whether connections wait for
 * the provider's acceptance, and in which Availability Zones consumers can reach the service.
 */

/** One allowed principal as the configuration writes it. */
export interface AllowedPrincipal {
  principal: string;
  source: SourceRef;
}

/** Who may connect to an endpoint service and how their connection requests are handled. */
export interface ServiceAccess {
  service: EndpointServiceNode;
  /** False: connections are accepted at once; true: the provider accepts each one; Unknown: the value cannot be read. */
  acceptanceRequired: boolean | Unknown;
  /** Entries that allow every principal of every AWS account (`*`). */
  everyone: AllowedPrincipal[];
  /** Entries naming specific accounts, roles or users. */
  named: AllowedPrincipal[];
  /** Why some allowed principals are not known (a value computed at apply, permissions of unknown number); empty when all are. */
  unknownPrincipals: string[];
}

/** `*` grants "all principals in all AWS accounts" (https://docs.aws.amazon.com/vpc/latest/privatelink/configure-endpoint-service.html#add-remove-permissions). */
export const EVERY_PRINCIPAL = '*';

export function serviceAccess(service: EndpointServiceNode): ServiceAccess {
  const everyone: AllowedPrincipal[] = [];
  const named: AllowedPrincipal[] = [];
  const unknownPrincipals: string[] = [];
  for (const p of service.allowedPrincipals) {
    if (isUnknown(p.principal)) unknownPrincipals.push(p.principal.reason);
    else (p.principal === EVERY_PRINCIPAL ? everyone : named).push({ principal: p.principal, source: p.source });
  }
  if (service.allowedPrincipalsIncomplete) unknownPrincipals.push(`the allowed principals of ${service.id} are not all known`);
  return { service, acceptanceRequired: service.acceptanceRequired, everyone, named, unknownPrincipals };
}

/** A load balancer of a service and where its subnets put it. */
export interface ServiceLoadBalancer {
  loadBalancer: LoadBalancerNode;
  /** Subnets of the configuration. */
  subnets: SubnetNode[];
  /** Subnets given as ids from outside the configuration. */
  externalSubnets: string[];
}

/** The Availability Zones an endpoint service is offered in, as far as its load balancers say. */
export type ServiceZones =
  /** At least two zones: a load balancer with two subnets (one subnet per zone), or subnets in zones known to differ. */
  | { kind: 'several' }
  /** Exactly one zone: every load balancer has one subnet, all in the same zone. `zone` is undefined when it is not written. */
  | { kind: 'one'; zone: string | undefined; loadBalancers: ServiceLoadBalancer[] }
  /** No load balancer subnet is known at all (nothing to say). */
  | { kind: 'none' }
  | { kind: 'unknown'; reason: string };

/** An AZ ID (`use1-az1`) and an AZ name (`us-east-1a`) may name the same zone; only two of one form can be compared. */
const AZ_ID = /^[a-z]{2,}[0-9]*-az[0-9]+$/;

/**
 * Where consumers can reach the service. A load balancer takes "only one subnet per Availability Zone"
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html), so one with two
 * subnets spans two zones whatever they are called.
 */
export function serviceZones(graph: GraphView, service: EndpointServiceNode): ServiceZones {
  const lbs: ServiceLoadBalancer[] = [];
  for (const id of [...service.networkLoadBalancers, ...service.gatewayLoadBalancers]) {
    const lb = graph.getKind(id, 'load-balancer');
    if (lb) lbs.push({ loadBalancer: lb, subnets: graph.subnetsOf(lb), externalSubnets: lb.externalSubnets });
  }
  const count = (l: ServiceLoadBalancer) => l.subnets.length + l.externalSubnets.length;
  if (lbs.some((l) => count(l) >= 2)) return { kind: 'several' };
  // Every load balancer seen has at most one subnet: the zones are those subnets' zones.
  const zones = lbs.filter((l) => count(l) === 1).map((l) => ({ l, zone: l.subnets[0]?.az }));
  const written = zones.map((z) => z.zone).filter((z): z is string => typeof z === 'string');
  const distinct = [...new Set(written)];
  if (distinct.length >= 2 && distinct.every((z) => AZ_ID.test(z)) === distinct.some((z) => AZ_ID.test(z))) return { kind: 'several' };
  const unseen =
    service.loadBalancersIncomplete || service.externalLoadBalancers.length > 0
      ? `the load balancers of ${service.id} are not all in the configuration (${service.externalLoadBalancers.join(', ') || 'a value known only after deployment'}), and their subnets decide the zones`
      : lbs.find((l) => l.loadBalancer.subnetsIncomplete)
        ? `the subnets of load balancer ${lbs.find((l) => l.loadBalancer.subnetsIncomplete)!.loadBalancer.id} are not all known`
        : undefined;
  if (unseen) return { kind: 'unknown', reason: unseen };
  if (zones.length === 0) return { kind: 'none' };
  if (zones.length === 1) return { kind: 'one', zone: written[0], loadBalancers: zones.map((z) => z.l) };
  // Several load balancers with one subnet each: one zone only when they share a subnet or name the same zone.
  const sameSubnet = new Set(zones.map((z) => z.l.subnets[0]?.id ?? `external:${z.l.externalSubnets[0]}`)).size === 1;
  if (sameSubnet || (written.length === zones.length && distinct.length === 1)) return { kind: 'one', zone: written[0], loadBalancers: zones.map((z) => z.l) };
  return { kind: 'unknown', reason: `the Availability Zones of the subnets of ${zones.map((z) => z.l.loadBalancer.id).join(', ')} are not all known` };
}
