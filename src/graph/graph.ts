import type {
  DetachedRoute,
  ExternalSubnetAssociation,
  GraphNode,
  NetworkAclAssociation,
  NetworkAclNode,
  NodeId,
  NodeOf,
  RouteNode,
  RouteTableNode,
  SecurityGroupNode,
  SubnetAssociation,
  SubnetNode,
  VpcNode,
} from './model.js';
import type { SourceRef } from '../source/types.js';

/**
 * The language the configuration is written in, and so the language of its fixes: a CDK app's templates are
 * CloudFormation JSON, but its fixes are TypeScript.
 */
export type SourceSyntax = 'terraform' | 'cloudformation-yaml' | 'cloudformation-json' | 'cdk';

/**
 * What rules and network queries see of a graph: questions only. Builders hold the `Graph` and fill it; rules get
 * `graph.view()`, which cannot reach the node maps or any method that adds to them.
 */
export interface GraphView {
  readonly name: string;
  readonly syntax: SourceSyntax;
  readonly deployableRegions: readonly string[] | undefined;
  readonly associations: readonly SubnetAssociation[];
  readonly externalSubnetAssociations: readonly ExternalSubnetAssociation[];
  readonly networkAclAssociations: readonly NetworkAclAssociation[];
  readonly unknownExpansions: readonly string[];
  readonly detachedRoutes: readonly DetachedRoute[];
  get(id: NodeId | undefined): GraphNode | undefined;
  getKind<K extends GraphNode['kind']>(id: NodeId | undefined, kind: K): NodeOf<K> | undefined;
  all<K extends GraphNode['kind']>(kind: K): NodeOf<K>[];
  mainTableOf(vpc: NodeId | undefined): RouteTableNode | undefined;
  defaultSecurityGroupOf(vpc: NodeId | undefined): SecurityGroupNode | undefined;
  defaultNetworkAclOf(vpc: NodeId | undefined): NetworkAclNode | undefined;
  networkAclOf(subnet: NodeId): NetworkAclNode | 'unknown' | undefined;
  securityGroupsOf(node: { securityGroups: NodeId[] }): SecurityGroupNode[];
  subnetsOf(node: { subnets: NodeId[] }): SubnetNode[];
  isUncertain(resourceType: string): boolean;
  routeTableOf(subnet: NodeId): { table: RouteTableNode; association?: SubnetAssociation } | 'unknown' | undefined;
  subnetsUsing(table: NodeId): SubnetNode[];
  routesOf(table: RouteTableNode): RouteNode[];
  vpcOf(node: { vpc: NodeId | undefined }): VpcNode | undefined;
}

/** A VPC whose region, as given, is contradicted by what its resources name (see `Graph.regionConflicts`). */
export interface RegionConflict {
  vpc: NodeId;
  /** The region the provider or `--region` gives; undefined when that is not known. */
  given: string | undefined;
  /** What names another region: the resource, where, and the region its zone or service name carries. */
  evidence: Array<{ resource: NodeId; source: SourceRef; region: string; what: string }>;
}

/** The network model one configuration describes. Built once, then frozen and read by every rule through `view()`. */
export class Graph {
  private readonly nodes = new Map<NodeId, GraphNode>();
  private readonly byKind = new Map<string, GraphNode[]>();
  readonly associations: SubnetAssociation[] = [];
  /** Route table associations of subnets outside the configuration: their tables are in use all the same. */
  readonly externalSubnetAssociations: ExternalSubnetAssociation[] = [];
  /** Explicit subnet–network ACL associations (ACL `subnet_ids`, association resources). */
  readonly networkAclAssociations: NetworkAclAssociation[] = [];
  /**
   * Routes into a route table the configuration does not define (an id from a variable, a data source, another
   * stack's export): no subnet of the graph is known to use them, but the rules must not pretend they are absent.
   */
  readonly detachedRoutes: DetachedRoute[] = [];
  /** Addresses of resources/modules whose count or for_each is unknown: what they create is missing from the graph. */
  readonly unknownExpansions: string[] = [];
  /** Resource types in the configuration whose instances are not all known (from `unknownExpansions`). */
  private readonly uncertainTypes = new Set<string>();
  private readonly mainTables = new Map<NodeId, NodeId>();
  private readonly defaultGroups = new Map<NodeId, NodeId>();
  private readonly defaultAcls = new Map<NodeId, NodeId>();
  /**
   * For a template deployed to any region: the regions it can be deployed to at all, when the template itself limits
   * them (a `Fn::FindInMap` keyed by `AWS::Region` fails to deploy where its mapping has no entry). Undefined: no limit.
   */
  deployableRegions: string[] | undefined;
  /**
   * Terraform VPCs whose region the configuration contradicts (a subnet's availability zone of another region than
   * the provider's or `--region`, or resources naming several regions): their region is left Unknown and the
   * contradiction is reported by the scan (see `pinVpcRegions`).
   */
  readonly regionConflicts: RegionConflict[] = [];

  constructor(
    /** Identifies the configuration the graph describes: a root module directory, a template path. */
    readonly name: string,
    /** Set by the builder: `cdk` for the template of a CDK stack. */
    readonly syntax: SourceSyntax = 'terraform',
  ) {}

  private frozen = false;
  private readOnly: GraphView | undefined;
  /** Explicit route table associations by subnet, indexed when the graph is frozen (rules ask once per subnet). */
  private associationsBySubnet: Map<NodeId, SubnetAssociation[]> | undefined;

  private assertBuilding(): void {
    if (this.frozen) throw new Error(`graph ${this.name} is frozen: nodes are added while it is built, never after`);
  }

  add(node: GraphNode): void {
    this.assertBuilding();
    if (this.nodes.has(node.id)) return;
    this.nodes.set(node.id, node);
    let list = this.byKind.get(node.kind);
    if (!list) this.byKind.set(node.kind, (list = []));
    list.push(node);
  }

  get(id: NodeId | undefined): GraphNode | undefined {
    return id === undefined ? undefined : this.nodes.get(id);
  }

  getKind<K extends GraphNode['kind']>(id: NodeId | undefined, kind: K): NodeOf<K> | undefined {
    const n = this.get(id);
    return n && n.kind === kind ? (n as NodeOf<K>) : undefined;
  }

  /** Nodes of one kind, in id order (deterministic findings). */
  all<K extends GraphNode['kind']>(kind: K): NodeOf<K>[] {
    return [...((this.byKind.get(kind) as NodeOf<K>[] | undefined) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  setMainTable(vpc: NodeId, table: NodeId): void {
    this.assertBuilding();
    this.mainTables.set(vpc, table);
  }

  mainTableOf(vpc: NodeId | undefined): RouteTableNode | undefined {
    return vpc === undefined ? undefined : this.getKind(this.mainTables.get(vpc), 'route-table');
  }

  setDefaultSecurityGroup(vpc: NodeId, group: NodeId): void {
    this.assertBuilding();
    this.defaultGroups.set(vpc, group);
  }

  /** The VPC's default security group: the managed one (`aws_default_security_group`) or the one AWS creates. */
  defaultSecurityGroupOf(vpc: NodeId | undefined): SecurityGroupNode | undefined {
    return vpc === undefined ? undefined : this.getKind(this.defaultGroups.get(vpc), 'security-group');
  }

  setDefaultNetworkAcl(vpc: NodeId, acl: NodeId): void {
    this.assertBuilding();
    this.defaultAcls.set(vpc, acl);
  }

  defaultNetworkAclOf(vpc: NodeId | undefined): NetworkAclNode | undefined {
    return vpc === undefined ? undefined : this.getKind(this.defaultAcls.get(vpc), 'network-acl');
  }

  /**
   * The network ACL a subnet uses: its explicit association, else its VPC's default ACL. 'unknown' when an association
   * points somewhere the configuration does not show, or some ACL of the VPC has subnets that cannot be resolved.
   */
  networkAclOf(subnet: NodeId): NetworkAclNode | 'unknown' | undefined {
    const explicit = this.networkAclAssociations.filter((a) => a.subnet === subnet);
    const s = this.getKind(subnet, 'subnet');
    if (explicit.length > 0) {
      // An explicit association to a managed ACL wins over a default ACL's `subnet_ids` (both can name the subnet).
      const a = explicit.find((x) => x.networkAcl !== 'unknown' && this.getKind(x.networkAcl, 'network-acl')?.default === false) ?? explicit[0]!;
      if (a.networkAcl === 'unknown') return 'unknown';
      return this.getKind(a.networkAcl, 'network-acl') ?? 'unknown';
    }
    if (['aws_network_acl', 'aws_network_acl_association', 'AWS::EC2::SubnetNetworkAclAssociation'].some((t) => this.isUncertain(t))) return 'unknown';
    if (this.all('network-acl').some((acl) => acl.subnetsIncomplete && (acl.vpc === undefined || acl.vpc === s?.vpc))) return 'unknown';
    return this.defaultNetworkAclOf(s?.vpc);
  }

  /** The groups of an endpoint or workload that are in the graph. */
  securityGroupsOf(node: { securityGroups: NodeId[] }): SecurityGroupNode[] {
    return node.securityGroups.map((id) => this.getKind(id, 'security-group')).filter((g): g is SecurityGroupNode => g !== undefined);
  }

  /** The subnets of an endpoint, workload, load balancer or ACL that are in the graph. */
  subnetsOf(node: { subnets: NodeId[] }): SubnetNode[] {
    return node.subnets.map((id) => this.getKind(id, 'subnet')).filter((s): s is SubnetNode => s !== undefined);
  }

  markUncertain(resourceType: string): void {
    this.assertBuilding();
    this.uncertainTypes.add(resourceType);
  }

  /** True when some instances of this resource type may exist that the graph does not hold. */
  isUncertain(resourceType: string): boolean {
    return this.uncertainTypes.has(resourceType);
  }

  /**
   * The route table a subnet uses: its explicit association, else its VPC's main table.
   * 'unknown' when an association exists but points somewhere the configuration does not show, or when
   * associations of unknown number exist.
   */
  routeTableOf(subnet: NodeId): { table: RouteTableNode; association?: SubnetAssociation } | 'unknown' | undefined {
    const explicit = this.associationsBySubnet ? (this.associationsBySubnet.get(subnet) ?? []) : this.associations.filter((a) => a.subnet === subnet);
    if (explicit.length > 0) {
      const a = explicit[0]!;
      if (a.routeTable === 'unknown') return 'unknown';
      const table = this.getKind(a.routeTable, 'route-table');
      return table ? { table, association: a } : 'unknown';
    }
    if (this.isUncertain('aws_route_table_association') || this.isUncertain('AWS::EC2::SubnetRouteTableAssociation')) return 'unknown';
    const s = this.getKind(subnet, 'subnet');
    const main = this.mainTableOf(s?.vpc);
    return main ? { table: main } : undefined;
  }

  subnetsUsing(table: NodeId): NodeOf<'subnet'>[] {
    return this.all('subnet').filter((s) => {
      const rt = this.routeTableOf(s.id);
      return rt !== 'unknown' && rt?.table.id === table;
    });
  }

  routesOf(table: RouteTableNode): RouteNode[] {
    return table.routes.map((id) => this.getKind(id, 'route')).filter((r): r is RouteNode => r !== undefined);
  }

  vpcOf(node: { vpc: NodeId | undefined }): VpcNode | undefined {
    return this.getKind(node.vpc, 'vpc');
  }

  /**
   * The read-only view rules receive: every query, bound to this graph, in a frozen object that holds no reference
   * to the maps. The same view is returned each time, so per-graph caches can key on it.
   */
  view(): GraphView {
    return this.readOnly ?? this.makeView();
  }

  private makeView(): GraphView {
    return {
      name: this.name,
      syntax: this.syntax,
      deployableRegions: this.deployableRegions ? Object.freeze([...this.deployableRegions]) : undefined,
      associations: this.associations,
      externalSubnetAssociations: this.externalSubnetAssociations,
      networkAclAssociations: this.networkAclAssociations,
      unknownExpansions: this.unknownExpansions,
      detachedRoutes: this.detachedRoutes,
      get: (id) => this.get(id),
      getKind: (id, kind) => this.getKind(id, kind),
      all: (kind) => this.all(kind),
      mainTableOf: (vpc) => this.mainTableOf(vpc),
      defaultSecurityGroupOf: (vpc) => this.defaultSecurityGroupOf(vpc),
      defaultNetworkAclOf: (vpc) => this.defaultNetworkAclOf(vpc),
      networkAclOf: (subnet) => this.networkAclOf(subnet),
      securityGroupsOf: (node) => this.securityGroupsOf(node),
      subnetsOf: (node) => this.subnetsOf(node),
      isUncertain: (type) => this.isUncertain(type),
      routeTableOf: (subnet) => this.routeTableOf(subnet),
      subnetsUsing: (table) => this.subnetsUsing(table),
      routesOf: (table) => this.routesOf(table),
      vpcOf: (node) => this.vpcOf(node),
    };
  }

  freeze(): this {
    this.frozen = true;
    for (const n of this.nodes.values()) deepFreeze(n);
    Object.freeze(this.associations);
    this.associationsBySubnet = new Map();
    for (const a of this.associations) {
      const list = this.associationsBySubnet.get(a.subnet);
      if (list) list.push(a);
      else this.associationsBySubnet.set(a.subnet, [a]);
    }
    Object.freeze(this.externalSubnetAssociations);
    Object.freeze(this.networkAclAssociations);
    Object.freeze(this.unknownExpansions);
    for (const r of this.detachedRoutes) deepFreeze(r);
    Object.freeze(this.detachedRoutes);
    // Only a frozen graph's view is kept: a view of one still being built would see it change.
    this.readOnly = Object.freeze(this.makeView());
    return Object.freeze(this);
  }
}

function deepFreeze(o: unknown): void {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
}
