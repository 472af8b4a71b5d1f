import type { SourceRef } from '../source/types.js';
import type { Unknown } from '../parsers/terraform/expr/value.js';

/** A value the configuration sets, or Unknown when it is present but cannot be computed statically. */
export type Maybe<T> = T | Unknown;

/** Node ids are the resource addresses a user recognises, unique within one graph. */
export type NodeId = string;

interface NodeBase {
  id: NodeId;
  source: SourceRef;
  /** Where individual attributes are written (for findings that point at one attribute). */
  attributeRefs: Record<string, SourceRef>;
  /** The `module` calls leading to the resource, outermost first (empty at the root). */
  callSites: SourceRef[];
}

export interface VpcNode extends NodeBase {
  kind: 'vpc';
  region: Maybe<string>;
  /** Primary and secondary IPv4 CIDRs; Unknown entries when a CIDR is not known (IPAM, variables). */
  cidrs: Array<Maybe<string>>;
  ipv6Cidrs: Array<Maybe<string>>;
  enableDnsSupport: Maybe<boolean>;
  enableDnsHostnames: Maybe<boolean>;
}

export interface SubnetNode extends NodeBase {
  kind: 'subnet';
  /** Undefined when the VPC is not part of this configuration (a literal id, a data source, a variable). */
  vpc: NodeId | undefined;
  cidr: Maybe<string> | undefined;
  ipv6Cidr: Maybe<string> | undefined;
  az: Maybe<string> | undefined;
}

export type RouteTargetKind =
  | 'local'
  | 'igw'
  | 'nat'
  | 'eigw'
  | 'vpce'
  | 'tgw'
  | 'pcx'
  | 'vgw'
  | 'eni'
  | 'instance'
  | 'gwlbe'
  | 'carrier'
  | 'core-network'
  | 'lgw'
  | 'unknown';

export interface RouteTarget {
  kind: RouteTargetKind;
  /** The graph node it points to, when it is in the configuration. */
  node?: NodeId;
  /** What the configuration says, for messages (`aws_nat_gateway.main.id`, `nat-0abc…`). */
  label: string;
}

export type RouteDestination =
  | { kind: 'cidr'; cidr: string }
  | { kind: 'prefix-list'; prefixList: NodeId | undefined; label: string }
  | { kind: 'unknown'; reason: string };

export interface RouteNode extends NodeBase {
  kind: 'route';
  routeTable: NodeId;
  destination: RouteDestination;
  target: RouteTarget;
  /** Where the destination is written (the attribute), when the route is a resource of its own. */
  destinationAt?: SourceRef;
  /** How the route came to be: an inline block of the table, a standalone route resource, or an endpoint association. */
  origin: 'inline' | 'resource' | 'endpoint-association';
}

export interface RouteTableNode extends NodeBase {
  kind: 'route-table';
  vpc: NodeId | undefined;
  /** The VPC's main route table (`aws_default_route_table`, or made main by `aws_main_route_table_association`). */
  main: boolean;
  /** The table is managed by the configuration but its route list is only partly known (dynamic blocks, unknown counts). */
  routesIncomplete: boolean;
  routes: NodeId[];
}

export interface SubnetAssociation {
  subnet: NodeId;
  routeTable: NodeId | 'unknown';
  source: SourceRef;
}

export interface GatewayNode extends NodeBase {
  kind: 'internet-gateway' | 'egress-only-internet-gateway' | 'vpn-gateway' | 'transit-gateway';
  vpc: NodeId | undefined;
}

export interface NatGatewayNode extends NodeBase {
  kind: 'nat-gateway';
  subnet: NodeId | undefined;
  connectivity: Maybe<'public' | 'private'>;
}

export interface PrefixListNode extends NodeBase {
  kind: 'prefix-list';
  /** For AWS-managed lists: the service they stand for. */
  managed?: { service: string; region: Maybe<string> };
  /** For customer-managed lists: their entries. */
  cidrs?: Array<Maybe<string>>;
  name: Maybe<string> | undefined;
}

export interface VpcEndpointNode extends NodeBase {
  kind: 'vpc-endpoint';
  vpc: NodeId | undefined;
  serviceName: Maybe<string>;
  /** `{region, service}` parsed from an AWS service name (com.amazonaws.us-east-1.s3). */
  service: { region: string; service: string } | undefined;
  type: Maybe<'Gateway' | 'Interface' | 'GatewayLoadBalancer'>;
  /** Route tables associated (gateway endpoints). Unknown when some association cannot be resolved. */
  routeTables: NodeId[];
  routeTablesIncomplete: boolean;
  /** Route tables given as literal ids or other values outside the configuration. */
  externalRouteTables: string[];
  region: Maybe<string>;
  /** Interface endpoints: private DNS (Terraform and CloudFormation default to off). */
  privateDns: Maybe<boolean>;
  /**
   * `private_dns_only_for_inbound_resolver_endpoint` (S3, DynamoDB): when true, traffic from inside the VPC resolves to
   * the gateway endpoint and only on-premises clients use the interface endpoint. Undefined when not set.
   */
  privateDnsInboundOnly: Maybe<boolean> | undefined;
}

/** Evidence that the configuration uses a service (a DynamoDB table, an IAM action), for rules that depend on use. */
export interface ServiceUseNode extends NodeBase {
  kind: 'service-use';
  service: string;
  evidence: string;
}

export type GraphNode =
  | VpcNode
  | SubnetNode
  | RouteTableNode
  | RouteNode
  | GatewayNode
  | NatGatewayNode
  | PrefixListNode
  | VpcEndpointNode
  | ServiceUseNode;

export type NodeOf<K extends GraphNode['kind']> = Extract<GraphNode, { kind: K }>;
