import type { GraphView } from '../graph/graph.js';
import type { UndecidedAt } from './undecided.js';
import { destinationLabel, mayHoldServiceAddresses, SERVICE_LABEL, type GatewayService } from './service-ranges.js';
import type { DetachedRoute, GraphNode, NatGatewayNode, RouteNode, RouteTableNode, SubnetNode, VpcEndpointNode, VpcNode } from '../graph/model.js';
import { regionalRoutesOf, regionsToEvaluate, splitByRoute, tableRoutes, type ServiceShare } from './routing.js';
import { isUnknown } from '../source/value.js';
import { serviceRanges } from '../facts/aws-data.js';
import type { CidrSet } from '../facts/cidr.js';
import { isSymbolicRegion } from '../source/region.js';

export interface ViaNat {
  vpc: VpcNode;
  /** The configuration's region: a concrete one, or the symbolic region of a template deployed to any region. */
  region: string;
  /** Regions in which the traffic takes the NAT route (one, or several for a template deployed to any region). */
  regions: string[];
  /** How many regions were evaluated (1, or every region of the bundled data for a symbolic region). */
  evaluatedRegions: number;
  /** The template itself limits the regions it can be deployed to (see `regionPins`). */
  regionsLimited: boolean;
  table: RouteTableNode;
  route: RouteNode;
  nat: NatGatewayNode | undefined;
  subnets: SubnetNode[];
  /** The part of the service's ranges that takes the NAT route, in the first region of `regions`. */
  cidrs: CidrSet;
  /** Gateway endpoints for the service in the same VPC that this table is not associated with. */
  unassociatedEndpoints: VpcEndpointNode[];
  /**
   * Gateway endpoints for the service that are associated with this table but, under a Condition on the region, not
   * created in the regions of `regions` (a template deployed to any region).
   */
  absentEndpoints: VpcEndpointNode[];
}

export interface ViaNatAnalysis {
  hits: ViaNat[];
  undecided: UndecidedAt[];
}

/** A route that may carry traffic to a NAT gateway: it targets one, or its target is not known. */
const mayTargetNat = (r: Pick<RouteNode, 'target'>) => r.target.kind === 'nat' || r.target.kind === 'unknown';

/**
 * Subnets whose same-region traffic to a gateway-endpoint service (S3, DynamoDB) is routed to a NAT gateway, grouped
 * by route table and NAT route, and the places where that cannot be decided. A table that carries the service's
 * gateway endpoint is left to VPCE103: there a NAT share can only come from a route that shadows the endpoint.
 *
 * Only tables that may send traffic to a NAT gateway at all are judged: a table without such a route is "checked and
 * fine" whatever else is unknown about it.
 */
export function serviceTrafficViaNat(graph: GraphView, service: GatewayService): ViaNatAnalysis {
  const analysis = new ViaNatQuestion(graph, service);
  for (const subnet of graph.all('subnet')) analysis.judge(subnet);
  analysis.judgeDetachedRoutes();
  return { hits: [...analysis.hits.values()], undecided: analysis.undecided };
}

/** One run of the question over a graph: what it found so far, and where it could not decide. */
class ViaNatQuestion {
  readonly hits = new Map<string, ViaNat>();
  readonly undecided: UndecidedAt[] = [];
  private readonly label: string;
  private readonly interfaceVerdicts = new Map<string, InterfaceVerdict>();

  constructor(
    private readonly graph: GraphView,
    private readonly service: GatewayService,
  ) {
    this.label = SERVICE_LABEL[service];
  }

  private readonly natInPlayByVpc = new Map<string | undefined, boolean>();

  /** `natInPlay` per VPC, computed once: it walks every route of the graph. */
  private natInPlay(vpc: string | undefined): boolean {
    let known = this.natInPlayByVpc.get(vpc);
    if (known === undefined) this.natInPlayByVpc.set(vpc, (known = natInPlay(this.graph, vpc)));
    return known;
  }

  private say(node: GraphNode | DetachedRoute, reason: string): void {
    this.undecided.push({ node, reason });
  }

  /** One subnet: its table, if that table may reach a NAT gateway and no gateway endpoint of the service is on it. */
  judge(subnet: SubnetNode): void {
    const table = this.tableToJudge(subnet);
    if (!table) return;
    const vpc = this.graph.vpcOf(subnet);
    if (!vpc) {
      this.say(
        table,
        `the VPC of ${subnet.id} is not in the configuration, so its region and the endpoints that may carry ${this.label} traffic are not known`,
      );
      return;
    }
    if (isUnknown(vpc.region) || typeof vpc.region !== 'string') {
      const why = isUnknown(vpc.region) ? vpc.region.reason : 'not set';
      this.say(table, `the region of ${vpc.id} is not known (${why}), so ${this.label}'s address ranges cannot be matched against the routes of ${table.id}`);
      return;
    }
    let verdict = this.interfaceVerdicts.get(vpc.id);
    if (!verdict) this.interfaceVerdicts.set(vpc.id, (verdict = interfaceEndpointVerdict(this.graph, vpc, this.service)));
    if (verdict.kind === 'carries') return; // in-VPC requests resolve to the interface endpoint (VPCE210's business)
    if (verdict.kind === 'undecided') {
      this.say(table, verdict.reason);
      return;
    }
    this.judgeRegions(subnet, table, vpc, vpc.region);
  }

  /** The table a subnet uses when it is worth judging; says why when the table itself cannot be known. */
  private tableToJudge(subnet: SubnetNode): RouteTableNode | undefined {
    const rt = this.graph.routeTableOf(subnet.id);
    if (rt === 'unknown') {
      // Only worth saying where NAT is in play: a VPC (or configuration) with a NAT gateway or a route to one.
      if (this.natInPlay(subnet.vpc)) {
        const why = unknownTableReason(this.graph, subnet);
        this.say(subnet, `the route table of ${subnet.id} cannot be resolved (${why}), so whether its ${this.label} traffic takes a NAT gateway is not known`);
      }
      return undefined;
    }
    if (!rt) {
      if (!this.graph.vpcOf(subnet) && this.natInPlay(undefined)) {
        this.say(
          subnet,
          `${subnet.id} has no route table association and its VPC is not in the configuration: it uses that VPC's main route table, whose routes are not known`,
        );
      }
      return undefined; // the main table of a VPC the configuration creates holds only the local route
    }
    const table = rt.table;
    const uncertain = table.routesIncomplete || this.graph.isUncertain('aws_route');
    if (!uncertain && !this.graph.routesOf(table).some(mayTargetNat)) return undefined;
    if (carriesGatewayEndpoint(this.graph, table, this.service)) return undefined; // VPCE103's business
    return table;
  }

  /** The regions to evaluate (one, or each a template can be deployed to), and the table's routes in each. */
  private judgeRegions(subnet: SubnetNode, table: RouteTableNode, vpc: VpcNode, region: string): void {
    const hasRanges = (r: string) => !(serviceRanges(this.service, r, 'ipv4')?.isEmpty() ?? true);
    const { regions, limited } = regionsToEvaluate(this.graph, vpc.id, region, hasRanges);
    if (regions.length === 0) {
      this.say(
        table,
        isSymbolicRegion(region)
          ? `no region of the bundled data can deploy ${vpc.id} as written, so there are no ${this.label} ranges to evaluate`
          : `the bundled AWS data has no ${this.label} ranges for ${region}`,
      );
      return;
    }
    for (const r of regions) {
      const ranges = serviceRanges(this.service, r, 'ipv4');
      if (!ranges || ranges.isEmpty()) {
        this.say(table, `the bundled AWS data has no ${this.label} ranges for ${r}`);
        continue;
      }
      const routes = tableRoutes(this.graph, table, vpc, 'ipv4', r);
      if (routes.uncertain.length) {
        const what = `a route to a NAT gateway or to the ${this.label} gateway endpoint may be missing from what the configuration shows`;
        this.say(table, `${routes.uncertain.join('; ')}: ${what}`);
        continue;
      }
      for (const share of splitByRoute(routes, ranges)) this.judgeShare(share, { subnet, table, vpc, region: r, evaluated: regions.length, limited });
    }
  }

  /** One route's share of the service's ranges: a certain NAT path is a hit; an unknown target or a tie is undecided. */
  private judgeShare(
    share: ServiceShare,
    at: { subnet: SubnetNode; table: RouteTableNode; vpc: VpcNode; region: string; evaluated: number; limited: boolean },
  ): void {
    const { table } = at;
    const route = share.route;
    if (!route || route === 'local') return;
    if (route.target.kind === 'unknown' && !share.cidrs.isEmpty()) {
      const target = route.target.label;
      this.say(
        table,
        `route ${routeLabel(route)} in ${table.id} carries ${this.label} traffic to a target that is not known (${target}), which may be a NAT gateway`,
      );
      return;
    }
    if (route.target.kind !== 'nat') return;
    // Only what certainly takes the NAT route counts; a tie AWS breaks at random is not a finding.
    if (share.certain.isEmpty()) {
      const others = share.contenders.map((c) => (c === 'local' ? 'the local route' : c.id)).join(', ');
      const tie = `route ${routeLabel(route)} → ${route.target.label} and ${others || 'another route'}`;
      this.say(table, `${this.label} traffic in ${table.id} ties between ${tie}; AWS picks one, so the NAT path is not certain`);
      return;
    }
    const key = `${table.id}\u0000${route.id}`;
    let entry = this.hits.get(key);
    if (!entry) {
      entry = {
        vpc: at.vpc,
        region: at.vpc.region as string,
        regions: [],
        evaluatedRegions: at.evaluated,
        regionsLimited: at.limited,
        table,
        route,
        nat: this.graph.getKind(route.target.node, 'nat-gateway'),
        subnets: [],
        cidrs: share.certain,
        unassociatedEndpoints: gatewayEndpoints(this.graph, at.vpc, this.service).filter((e) => !e.routeTables.includes(table.id)),
        absentEndpoints: this.absentEndpoints(table, at.region),
      };
      this.hits.set(key, entry);
    }
    if (!entry.regions.includes(at.region)) entry.regions.push(at.region);
    if (!entry.subnets.includes(at.subnet)) entry.subnets.push(at.subnet);
  }

  /** Gateway endpoints for the service whose route this table gets only in other regions than `region`. */
  private absentEndpoints(table: RouteTableNode, region: string): VpcEndpointNode[] {
    const found = new Map<string, VpcEndpointNode>();
    for (const r of regionalRoutesOf(this.graph, table)) {
      if (r.origin !== 'endpoint-association' || r.onlyInRegions?.includes(region)) continue;
      const e = this.graph.getKind(r.target.node, 'vpc-endpoint');
      if (e?.service?.service === this.service) found.set(e.id, e);
    }
    return [...found.values()];
  }

  /** Routes into tables the configuration does not define: a NAT path that cannot be tied to any subnet. */
  judgeDetachedRoutes(): void {
    for (const route of this.graph.detachedRoutes) {
      if (!mayTargetNat(route) || !mayHoldServiceAddresses(route.destination, this.service)) continue;
      const target =
        route.target.kind === 'nat' ? `NAT gateway ${route.target.label}` : `${route.target.label} (a target that is not known, which may be a NAT gateway)`;
      this.say(
        route,
        `it sends ${routeLabel(route)} to ${target} in a route table this configuration does not define (${route.table}): which subnets use that table, and whether ${this.label} has a gateway endpoint on it, are not known`,
      );
    }
  }
}

export function gatewayEndpoints(graph: GraphView, vpc: VpcNode, service: string): VpcEndpointNode[] {
  return graph.all('vpc-endpoint').filter((e) => e.vpc === vpc.id && e.type === 'Gateway' && e.service?.service === service);
}

/** The table holds the route of a gateway endpoint for the service (from `route_table_ids` or an association). */
export function carriesGatewayEndpoint(graph: GraphView, table: RouteTableNode, service: string): boolean {
  return graph.routesOf(table).some((r) => r.origin === 'endpoint-association' && graph.getKind(r.target.node, 'vpc-endpoint')?.service?.service === service);
}

function routeLabel(route: Pick<RouteNode, 'destination' | 'id'>): string {
  return destinationLabel(route.destination, route.id);
}

/** NAT is in play for a VPC: a NAT gateway in the configuration, or a route to a NAT gateway or to an unknown target. */
function natInPlay(graph: GraphView, vpc: string | undefined): boolean {
  if (graph.all('nat-gateway').length > 0) return true;
  return graph
    .all('route')
    .some(
      (r) =>
        mayTargetNat(r) &&
        (vpc === undefined || graph.getKind(r.routeTable, 'route-table')?.vpc === vpc || graph.getKind(r.routeTable, 'route-table')?.vpc === undefined),
    );
}

function unknownTableReason(graph: GraphView, subnet: SubnetNode): string {
  const explicit = graph.associations.find((a) => a.subnet === subnet.id);
  if (explicit) {
    const because = explicit.reason ? `: ${explicit.reason}` : '';
    return explicit.routeTable === 'unknown'
      ? `its association ${explicit.source.address} names a route table the configuration does not show${because}`
      : `its association ${explicit.source.address} names ${explicit.routeTable}, which is not in the configuration`;
  }
  const uncertain = graph.unknownExpansions.filter((a) => /(^|\.)(aws_route_table_association)\b|SubnetRouteTableAssociation/.test(a));
  return uncertain.length
    ? `${uncertain.join(', ')} has a count or for_each that cannot be computed and may associate it`
    : 'route table associations of unknown number exist';
}

export type InterfaceVerdict =
  { kind: 'none' } | { kind: 'carries'; endpoint: VpcEndpointNode } | { kind: 'undecided'; endpoint: VpcEndpointNode; reason: string };

/**
 * Whether an interface endpoint for the service carries the VPC's own requests to it instead of the route table:
 * - an endpoint with no subnets has no network interface and carries nothing;
 * - without private DNS, only clients configured with the endpoint's own DNS name use it;
 * - with private DNS for inbound resolvers only (`private_dns_only_for_inbound_resolver_endpoint`, which AWS turns
 *   on by default for S3 when the VPC has a gateway endpoint), in-VPC names resolve to the service's public addresses
 *   and follow the route table; with it off, in-VPC requests resolve to the endpoint's addresses.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html (Private DNS)
 * Anything that decides this and is Unknown makes the verdict undecided, with the reason.
 */
export function interfaceEndpointVerdict(graph: GraphView, vpc: VpcNode, service: GatewayService): InterfaceVerdict {
  const label = SERVICE_LABEL[service];
  let undecided: InterfaceVerdict | undefined;
  const hasGateway = gatewayEndpoints(graph, vpc, service).length > 0;
  for (const e of graph.all('vpc-endpoint')) {
    if (e.vpc !== vpc.id) continue;
    const mayBeService = e.service ? e.service.service === service : isUnknown(e.serviceName);
    if (!mayBeService || e.type === 'Gateway' || e.type === 'GatewayLoadBalancer') continue;
    const verdict = oneInterfaceEndpoint(e, label, hasGateway);
    if (verdict.kind === 'carries') return verdict;
    if (verdict.kind === 'undecided') undecided ??= verdict;
  }
  return undecided ?? { kind: 'none' };
}

function oneInterfaceEndpoint(e: VpcEndpointNode, label: string, hasGateway: boolean): InterfaceVerdict {
  const undecided = (reason: string): InterfaceVerdict => ({ kind: 'undecided', endpoint: e, reason });
  const noSubnets = e.subnets.length === 0 && e.externalSubnets.length === 0;
  if (noSubnets && !e.subnetsIncomplete) return { kind: 'none' }; // no network interface: it carries nothing
  if (e.privateDns === false) return { kind: 'none' };
  const what = e.service
    ? `${label} interface endpoint ${e.id}`
    : `endpoint ${e.id}, whose service name is not known (${isUnknown(e.serviceName) ? e.serviceName.reason : 'not set'}),`;
  if (isUnknown(e.type))
    return undecided(
      `the type of endpoint ${e.id}${e.service ? ` for ${label}` : ''} is not known (${e.type.reason}); as an interface endpoint with private DNS it may carry ${label} traffic`,
    );
  if (isUnknown(e.privateDns))
    return undecided(`whether ${what} has private DNS is not known (${e.privateDns.reason}); with it, in-VPC ${label} requests may resolve to the endpoint`);
  if (!e.service) return undecided(`${what} has private DNS and may be a ${label} interface endpoint that carries in-VPC ${label} traffic`);
  const inbound = e.privateDnsInboundOnly;
  if (inbound === true) return { kind: 'none' };
  if (isUnknown(inbound))
    return undecided(
      `whether private DNS of ${what} answers only inbound resolvers is not known (${inbound.reason}); if not, in-VPC ${label} requests resolve to the endpoint`,
    );
  if (inbound === undefined) {
    // AWS turns inbound-only on when it is not given, and refuses it without a gateway endpoint in the VPC.
    if (hasGateway) return { kind: 'none' };
    return undecided(
      `${what} has private DNS without dns_options; AWS then applies "private DNS only for inbound endpoints", which it refuses in a VPC without a ${label} gateway endpoint, so the endpoint cannot be created as written and the intended mode is not known`,
    );
  }
  if (noSubnets)
    return undecided(
      `${what} resolves in-VPC ${label} requests to its own addresses, but its subnets are not known (with none it has no network interface and carries nothing)`,
    );
  return { kind: 'carries', endpoint: e };
}
