import type { GraphView } from '../graph/graph.js';
import type { GatewayNode, GraphNode, NodeId, RouteNode, VpcEndpointNode, VpcNode } from '../graph/model.js';
import type { Finding } from '../source/findings.js';
import { displaySymbolic } from '../source/region.js';
import { isUnknown } from '../source/value.js';
import { compareText } from './common.js';

/*
 * The network picture `iac-vpce graph` draws: per VPC, its subnets grouped by availability zone, its route tables and
 * the routes between them and their targets, NAT and internet gateways, and the VPC endpoints. Built once from the
 * graphs of a scan and rendered by graph-mermaid.ts, graph-dot.ts or as JSON. Ids are assigned in one sorted walk,
 * so the same configuration always gives the same picture.
 */

export type PictureNodeKind =
  | 'subnet'
  | 'route-table'
  | 'nat-gateway'
  | 'internet-gateway'
  | 'egress-only-internet-gateway'
  | 'vpn-gateway'
  | 'transit-gateway'
  | 'gateway-endpoint'
  | 'interface-endpoint'
  /** A route target the configuration does not define (a peering connection id, an unknown value). */
  | 'external';

export interface PictureNode {
  /** `n1`, `n2`, …: safe as an identifier in every output syntax. */
  id: string;
  kind: PictureNodeKind;
  /** The resource address (for `external`: what the configuration names). */
  address: string;
  /** One or two short lines that say what it is: a CIDR, an AZ, a service. */
  details: string[];
  /** Where the resource is written, relative to the scan root; absent for `external`. */
  file?: string;
  line?: number;
  /** Rules with a finding on this resource, sorted. */
  findings: string[];
}

export interface PictureGroup {
  /** `g1`, `g2`, … */
  id: string;
  kind: 'vpc' | 'az';
  label: string;
  details: string[];
  nodes: string[];
  groups: PictureGroup[];
  findings: string[];
}

export interface PictureEdge {
  from: string;
  to: string;
  /** subnet → its route table; route table → route target; NAT gateway or interface endpoint → the subnet it sits in. */
  kind: 'association' | 'route' | 'placement';
  /** For routes: the destination. */
  label?: string;
  /** For routes: the route's address, and the rules with a finding on it. */
  address?: string;
  findings: string[];
}

export interface NetworkPicture {
  vpcs: PictureGroup[];
  /** Nodes outside every VPC: transit gateways and external targets. */
  outside: string[];
  nodes: PictureNode[];
  edges: PictureEdge[];
}

const GATEWAY_KINDS = ['internet-gateway', 'egress-only-internet-gateway', 'vpn-gateway'] as const;

/** Gateways of one kind: `GatewayNode` carries four kinds, so `all` cannot narrow to one of them. */
const gateways = (g: GraphView, kind: GatewayNode['kind']): GatewayNode[] => g.all(kind) as unknown as GatewayNode[];

/** A known value as it reads in a label; a template's region, unknown until deployment, reads `${AWS::Region}`. */
const text = (v: unknown): string | undefined => (v === undefined || isUnknown(v) ? undefined : displaySymbolic(String(v)));

/**
 * Builds the picture of every VPC in the graphs, highlighting the resources and routes the findings are on. Only
 * errors and warnings are highlighted: a note (a default endpoint policy, a cost remark) is advice, and would colour
 * most endpoints of most networks.
 */
export function buildNetworkPicture(graphs: readonly GraphView[], findings: readonly Finding[]): NetworkPicture {
  const builder = new PictureBuilder(findings, graphs.length > 1);
  for (const g of graphs) builder.addGraph(g);
  return builder.picture();
}

class PictureBuilder {
  private readonly nodes: PictureNode[] = [];
  private readonly edges: PictureEdge[] = [];
  private readonly vpcs: PictureGroup[] = [];
  private readonly outside: string[] = [];
  private groupCount = 0;
  /** Graph node ids (and external target labels) of the graph being added, to picture ids. */
  private ids = new Map<string, string>();
  private readonly findingsAt = new Map<string, Set<string>>();

  constructor(
    findings: readonly Finding[],
    private readonly nameGraphs: boolean,
  ) {
    for (const f of findings) {
      if (f.level === 'note') continue;
      for (const at of [f.location, ...(f.origin ? [f.origin] : [])]) {
        const key = `${at.file}\u0000${at.address}`;
        this.findingsAt.set(key, (this.findingsAt.get(key) ?? new Set()).add(f.ruleId));
      }
    }
  }

  picture(): NetworkPicture {
    return { vpcs: this.vpcs, outside: this.outside, nodes: this.nodes, edges: this.edges };
  }

  private findingsOn(n: { source: { file: string; address: string } }): string[] {
    return [...(this.findingsAt.get(`${n.source.file}\u0000${n.source.address}`) ?? [])].sort(compareText);
  }

  private group(kind: PictureGroup['kind'], label: string, details: string[], findings: string[] = []): PictureGroup {
    return { id: `g${++this.groupCount}`, kind, label, details, nodes: [], groups: [], findings };
  }

  private node(kind: PictureNodeKind, graphNode: GraphNode | undefined, address: string, details: string[]): string {
    const id = `n${this.nodes.length + 1}`;
    const where = graphNode ? { file: graphNode.source.file, line: graphNode.source.span.start.line } : {};
    this.nodes.push({ id, kind, address, details, ...where, findings: graphNode ? this.findingsOn(graphNode) : [] });
    this.ids.set(graphNode?.id ?? `external\u0000${address}`, id);
    return id;
  }

  addGraph(g: GraphView): void {
    this.ids = new Map();
    const vpcIds = new Set(g.all('vpc').map((v) => v.id));
    const orphanSubnets = g.all('subnet').filter((s) => s.vpc === undefined || !vpcIds.has(s.vpc));
    for (const vpc of g.all('vpc')) this.vpcs.push(this.addVpc(g, vpc));
    if (orphanSubnets.length > 0) this.vpcs.push(this.addVpc(g, undefined));
    for (const tgw of gateways(g, 'transit-gateway')) this.outside.push(this.node('transit-gateway', tgw, tgw.id, []));
    for (const table of g.all('route-table')) {
      if (!this.ids.has(table.id)) continue;
      for (const route of g.routesOf(table)) this.addRoute(route);
    }
    for (const s of g.all('subnet')) {
      const rt = g.routeTableOf(s.id);
      const to = rt !== undefined && rt !== 'unknown' ? this.ids.get(rt.table.id) : undefined;
      const from = this.ids.get(s.id);
      if (from !== undefined && to !== undefined) this.edges.push({ from, to, kind: 'association', findings: [] });
    }
    this.addPlacements(g);
  }

  private addVpc(g: GraphView, vpc: VpcNode | undefined): PictureGroup {
    const prefix = this.nameGraphs ? `${g.name}: ` : '';
    const cidrs = vpc ? vpc.cidrs.map((c) => text(c) ?? 'CIDR not known') : [];
    const group = vpc
      ? this.group('vpc', `${prefix}VPC ${vpc.id}`, cidrs, this.findingsOn(vpc))
      : this.group('vpc', `${prefix}VPC outside the configuration`, []);
    const inVpc = (n: { vpc: NodeId | undefined }) => (vpc ? n.vpc === vpc.id : n.vpc === undefined || g.getKind(n.vpc, 'vpc') === undefined);
    const subnets = g.all('subnet').filter(inVpc);
    const azs = [...new Set(subnets.map((s) => text(s.az) ?? ''))].sort(compareText);
    for (const az of azs) {
      const azGroup = this.group('az', az === '' ? 'AZ not known' : az, []);
      for (const s of subnets.filter((x) => (text(x.az) ?? '') === az)) {
        azGroup.nodes.push(this.node('subnet', s, s.id, [text(s.cidr) ?? 'CIDR not known']));
        for (const nat of g.all('nat-gateway').filter((n) => n.subnet === s.id)) azGroup.nodes.push(this.node('nat-gateway', nat, nat.id, natDetails(nat)));
      }
      group.groups.push(azGroup);
    }
    for (const table of g.all('route-table').filter(inVpc)) {
      // The main table AWS makes with every VPC is drawn only when something uses it.
      if (table.main && table.routes.length === 0 && g.subnetsUsing(table.id).length === 0) continue;
      group.nodes.push(this.node('route-table', table, table.id, table.main ? ['main route table'] : []));
    }
    for (const kind of GATEWAY_KINDS) for (const gw of gateways(g, kind).filter(inVpc)) group.nodes.push(this.node(kind, gw, gw.id, []));
    for (const ep of g.all('vpc-endpoint').filter(inVpc)) group.nodes.push(this.node(endpointKind(ep), ep, ep.id, endpointDetails(ep)));
    return group;
  }

  private addRoute(route: RouteNode): void {
    if (route.target.kind === 'local') return;
    const from = this.ids.get(route.routeTable);
    if (from === undefined) return;
    let to = route.target.node !== undefined ? this.ids.get(route.target.node) : undefined;
    if (to === undefined) {
      const label = displaySymbolic(route.target.label || route.target.kind);
      to = this.ids.get(`external\u0000${label}`) ?? this.node('external', undefined, label, [route.target.kind]);
      if (!this.outside.includes(to)) this.outside.push(to);
    }
    const d = route.destination;
    const label = displaySymbolic(d.kind === 'cidr' ? d.cidr : d.kind === 'prefix-list' ? d.label : 'destination not known');
    this.edges.push({ from, to, kind: 'route', label, address: route.id, findings: this.findingsOn(route) });
  }

  private addPlacements(g: GraphView): void {
    for (const nat of g.all('nat-gateway')) this.place(nat.id, nat.subnet === undefined ? [] : [nat.subnet]);
    for (const ep of g.all('vpc-endpoint')) if (endpointKind(ep) === 'interface-endpoint') this.place(ep.id, ep.subnets);
  }

  private place(id: NodeId, subnets: readonly NodeId[]): void {
    const from = this.ids.get(id);
    for (const s of [...subnets].sort(compareText)) {
      const to = this.ids.get(s);
      if (from !== undefined && to !== undefined) this.edges.push({ from, to, kind: 'placement', findings: [] });
    }
  }
}

function natDetails(nat: GraphNode & { kind: 'nat-gateway' }): string[] {
  const c = text(nat.connectivity);
  return c === 'private' ? ['private NAT'] : [];
}

function endpointKind(ep: VpcEndpointNode): PictureNodeKind {
  return text(ep.type) === 'Gateway' ? 'gateway-endpoint' : 'interface-endpoint';
}

function endpointDetails(ep: VpcEndpointNode): string[] {
  const service = ep.service?.service ?? text(ep.serviceName) ?? 'service not known';
  const type = text(ep.type) ?? 'type not known';
  return [`${service} ${type === 'Gateway' ? 'gateway' : type === 'Interface' ? 'interface' : type} endpoint`];
}

/** The picture as JSON: the VPC groups and the nodes and edges, as built. */
export function formatGraphJson(picture: NetworkPicture): string {
  return `${JSON.stringify({ version: 1, ...picture }, null, 2)}\n`;
}
