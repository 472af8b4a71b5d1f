import type { SourceRef } from '../source/types.js';
import type { Unknown } from '../source/value.js';

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
  /**
   * The DHCP options set associated with the VPC, which gives instances their DNS servers. Undefined when the
   * configuration associates none: the VPC keeps the region's default set, whose name server is AmazonProvidedDNS.
   * Unknown when an association cannot be read (a set outside the configuration, associations of unknown number).
   */
  dhcpOptions?: Maybe<VpcDhcpOptions>;
}

/** A DHCP options set a VPC uses (`aws_vpc_dhcp_options`, `aws_default_vpc_dhcp_options`, `AWS::EC2::DHCPOptions`). */
export interface VpcDhcpOptions {
  /** The options set's address or logical id. */
  address: string;
  source: SourceRef;
  /** Where the set is associated with the VPC. */
  association: SourceRef;
  /** `domain_name_servers` / `DomainNameServers` as written (`AmazonProvidedDNS` or addresses); empty when not set. */
  domainNameServers: Maybe<Array<Maybe<string>>>;
}

export interface SubnetNode extends NodeBase {
  kind: 'subnet';
  /** Undefined when the VPC is not part of this configuration (a literal id, a data source, a variable). */
  vpc: NodeId | undefined;
  cidr: Maybe<string> | undefined;
  ipv6Cidr: Maybe<string> | undefined;
  az: Maybe<string> | undefined;
  /** Why the subnet may not be created at all (a CloudFormation Condition that cannot be decided); undefined when it is. */
  mayNotExist?: string;
}

export type RouteTargetKind =
  'local' | 'igw' | 'nat' | 'eigw' | 'vpce' | 'tgw' | 'pcx' | 'vgw' | 'eni' | 'instance' | 'gwlbe' | 'carrier' | 'core-network' | 'lgw' | 'unknown';

export interface RouteTarget {
  kind: RouteTargetKind;
  /** The graph node it points to, when it is in the configuration. */
  node?: NodeId;
  /** What the configuration says, for messages (`aws_nat_gateway.main.id`, `nat-0abc…`). */
  label: string;
}

export type RouteDestination =
  { kind: 'cidr'; cidr: string } | { kind: 'prefix-list'; prefixList: NodeId | undefined; label: string } | { kind: 'unknown'; reason: string };

export interface RouteNode extends NodeBase {
  kind: 'route';
  routeTable: NodeId;
  destination: RouteDestination;
  target: RouteTarget;
  /** Where the destination is written (the attribute), when the route is a resource of its own. */
  destinationAt?: SourceRef;
  /** How the route came to be: an inline block of the table, a standalone route resource, or an endpoint association. */
  origin: 'inline' | 'resource' | 'endpoint-association';
  /**
   * The route exists only when a template deployed to any region is deployed to one of these regions (its resource's
   * Condition compares `AWS::Region`). Such a route is listed in its table's `regionalRoutes`, not in `routes`.
   */
  onlyInRegions?: readonly string[];
}

/** A route whose table is not in the configuration: `table` says what the configuration names instead. */
export interface DetachedRoute extends Omit<RouteNode, 'routeTable'> {
  table: string;
}

export interface RouteTableNode extends NodeBase {
  kind: 'route-table';
  vpc: NodeId | undefined;
  /** The VPC's main route table (`aws_default_route_table`, or made main by `aws_main_route_table_association`). */
  main: boolean;
  /** The table is managed by the configuration but its route list is only partly known (dynamic blocks, unknown counts). */
  routesIncomplete: boolean;
  /** Why the routes are not all known, when the builder can say (a resource under a Condition that cannot be decided). */
  routesIncompleteReason?: string;
  routes: NodeId[];
  /**
   * Routes that exist only in some regions (`RouteNode.onlyInRegions`). They make `routesIncomplete` true for whoever
   * reads the table without a region; `routesKnownPerRegion` says they are its only uncertainty, so a reader that
   * evaluates one region at a time knows every route there.
   */
  regionalRoutes?: NodeId[];
  routesKnownPerRegion?: boolean;
}

export interface SubnetAssociation {
  subnet: NodeId;
  routeTable: NodeId | 'unknown';
  /** Why the table is 'unknown', when the value said (a variable without a value, an id known only after apply). */
  reason?: string;
  source: SourceRef;
}

/**
 * A subnet–route table association whose subnet is not a subnet of the graph (a literal id, a variable, a data source,
 * another stack's export): the table it names is used by a subnet the configuration does not show.
 */
export interface ExternalSubnetAssociation {
  /** What the configuration names as the subnet. */
  subnet: string;
  routeTable: NodeId | 'unknown';
  /** Why the table is 'unknown', when the value said. */
  reason?: string;
  source: SourceRef;
}

export interface NetworkAclAssociation {
  subnet: NodeId;
  networkAcl: NodeId | 'unknown';
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
  /**
   * `{region, service}` parsed from an AWS service name (com.amazonaws.us-east-1.s3); `prefix` is what precedes the
   * region (`com.amazonaws`, `aws.api`, …) and `endpointService` marks a customer or partner endpoint service
   * (com.amazonaws.vpce.<region>.vpce-svc-…).
   */
  service: { region: string; service: string; prefix?: string; endpointService?: boolean } | undefined;
  type: Maybe<'Gateway' | 'Interface' | 'GatewayLoadBalancer'>;
  /** Route tables associated (gateway endpoints). Unknown when some association cannot be resolved. */
  routeTables: NodeId[];
  routeTablesIncomplete: boolean;
  /** Route tables given as literal ids or other values outside the configuration. */
  externalRouteTables: string[];
  region: Maybe<string>;
  /**
   * The Region of the service the endpoint connects to, when set (Terraform `service_region`, CloudFormation
   * `ServiceRegion`): an interface endpoint to a cross-region enabled service in another Region. Undefined when not set
   * (the endpoint's own Region).
   */
  serviceRegion?: Maybe<string>;
  /** `ip_address_type` / `IpAddressType` (`ipv4`, `dualstack`, `ipv6`), undefined when not set. */
  ipAddressType?: Maybe<string>;
  /** `dns_options.dns_record_ip_type` / `DnsOptions.DnsRecordIpType` (`ipv4`, `dualstack`, `ipv6`, `service-defined`), undefined when not set. */
  dnsRecordIpType?: Maybe<string>;
  /** Interface endpoints: private DNS (Terraform and CloudFormation default to off). */
  privateDns: Maybe<boolean>;
  /**
   * `private_dns_only_for_inbound_resolver_endpoint` (S3, DynamoDB): when true, traffic from inside the VPC resolves to
   * the gateway endpoint and only on-premises clients use the interface endpoint. Undefined when not set.
   */
  privateDnsInboundOnly: Maybe<boolean> | undefined;
  /** Subnets the endpoint has a network interface in (Interface and GatewayLoadBalancer endpoints). */
  subnets: NodeId[];
  /** Some subnet (or association) cannot be resolved: the endpoint may be in more subnets than listed. */
  subnetsIncomplete: boolean;
  /** Subnets given as literal ids, outside the configuration. */
  externalSubnets: string[];
  /** Why `subnetsIncomplete` is set, when the builder can say (a variable without a value, associations of unknown number). */
  subnetsIncompleteReason?: string;
  /** Where each subnet of `subnets` is attached, in the order written (a subnet attached twice appears twice). */
  subnetAttachments?: EndpointSubnetAttachment[];
  /** Why the endpoint may not be created at all (a CloudFormation Condition that cannot be decided); undefined when it is. */
  mayNotExist?: string;
  /** Security groups of the endpoint's network interfaces (Interface endpoints). */
  securityGroups: NodeId[];
  securityGroupsIncomplete: boolean;
  externalSecurityGroups: string[];
  /**
   * An Interface endpoint given no security group gets the VPC's default group from AWS (and keeps it beside groups
   * associated later, unless an association replaces it). Its node is in `securityGroups` when the VPC is in the graph.
   */
  defaultSecurityGroup: boolean;
  /**
   * The endpoint policy. Undefined when none is set: AWS then attaches a policy that allows full access.
   * Unknown when it is set but cannot be computed. A policy attached by `aws_vpc_endpoint_policy` replaces the inline one.
   */
  policy: Maybe<PolicyDocument> | undefined;
  /** Where the policy is written: the attribute, or the `aws_vpc_endpoint_policy` resource. */
  policyAt?: SourceRef;
}

/** How a subnet comes to be one of an endpoint's subnets, and where that is written. */
export interface EndpointSubnetAttachment {
  subnet: NodeId;
  /** The endpoint's own list (`subnet_ids`, `SubnetIds`), a `subnet_configuration` block, or an association resource. */
  via: 'list' | 'configuration' | 'association';
  /** The list attribute or item, the block, or the association resource. */
  at: SourceRef;
}

/** JSON as a policy holds it; a leaf the analyzer cannot compute (an ARN known only after deployment) is Unknown. */
export type PolicyJson = null | string | number | boolean | PolicyJson[] | { [key: string]: PolicyJson } | Unknown;

/** An IAM resource policy as written (endpoint or bucket policy). */
export interface PolicyDocument {
  /** The parsed document: any JSON value (whether it is a valid policy is for the rules to decide). Undefined when `text` is not JSON. */
  document: PolicyJson | undefined;
  /** The policy text when it is written as a string (Terraform always, CloudFormation sometimes): sizes, parse errors. */
  text?: string;
  /** Why `text` is not JSON. */
  parseError?: string;
  /** The resource that renders the policy, when another one does (Terraform `data "aws_iam_policy_document"`). */
  renderedBy?: SourceRef;
  /** Where each statement is written, by its position in `Statement`, where the source says (undefined entries: not known). */
  statementAt?: Array<SourceRef | undefined>;
}

/** Ports of a TCP/UDP rule, inclusive. */
export interface PortRange {
  from: number;
  to: number;
}

/**
 * A rule's protocol, normalised: 'tcp', 'udp', 'icmp', 'icmpv6', '-1' (all traffic; Terraform's "all", protocol
 * number -1), or any other IANA protocol number as a string.
 */
export type Protocol = string;

/** What a security group rule admits traffic from (ingress) or to (egress). */
export type RulePeer =
  | { kind: 'cidr'; cidr: string }
  | { kind: 'ipv6'; cidr: string }
  | { kind: 'prefix-list'; prefixList: NodeId | undefined; label: string }
  | { kind: 'security-group'; securityGroup: NodeId | undefined; label: string }
  /** The group itself (Terraform `self = true`, or a reference to the rule's own group). */
  | { kind: 'self' }
  | { kind: 'unknown'; reason: string };

export interface SecurityGroupRule {
  /** `aws_security_group.x.ingress[0]`, the rule resource's address, or `<group> default egress`. */
  id: string;
  direction: 'ingress' | 'egress';
  protocol: Maybe<Protocol>;
  /** TCP/UDP ports; 0–65535 for all traffic ('-1'); undefined for ICMP and protocols without ports. */
  ports: Maybe<PortRange> | undefined;
  /** ICMP type and code (-1: any), for 'icmp' and 'icmpv6'. */
  icmp?: { type: Maybe<number>; code: Maybe<number> };
  /** One rule can name several peers (Terraform `cidr_blocks = [a, b]`); it admits each. */
  peers: RulePeer[];
  /** An inline block of the group, a rule resource of its own, or a rule AWS creates (default egress, default group). */
  origin: 'inline' | 'resource' | 'aws-default';
  source: SourceRef;
}

export interface SecurityGroupNode extends NodeBase {
  kind: 'security-group';
  /** Undefined when the VPC is outside the configuration (or not set: the default VPC). */
  vpc: NodeId | undefined;
  /** The VPC's default group: `aws_default_security_group`, or the group AWS creates with every VPC. */
  default: boolean;
  name: Maybe<string> | undefined;
  rules: SecurityGroupRule[];
  /** Some rules cannot be read (dynamic blocks over unknown values, rule resources of unknown number or group). */
  rulesIncomplete: boolean;
}

export interface NetworkAclEntry {
  /** `aws_network_acl.x.ingress[0]`, the rule resource's address, or `<acl> default ingress`. */
  id: string;
  direction: 'ingress' | 'egress';
  ruleNumber: Maybe<number>;
  action: Maybe<'allow' | 'deny'>;
  protocol: Maybe<Protocol>;
  ports: Maybe<PortRange> | undefined;
  icmp?: { type: Maybe<number>; code: Maybe<number> };
  /** Network ACLs match CIDRs only (no prefix lists, no security groups). */
  peer: { kind: 'cidr'; cidr: string } | { kind: 'ipv6'; cidr: string } | { kind: 'unknown'; reason: string };
  origin: 'inline' | 'resource' | 'aws-default';
  source: SourceRef;
}

export interface NetworkAclNode extends NodeBase {
  kind: 'network-acl';
  vpc: NodeId | undefined;
  /** The VPC's default ACL (`aws_default_network_acl`, or the ACL AWS creates with every VPC): subnets with no other ACL use it. */
  default: boolean;
  /** Numbered entries as written; every ACL also ends in an implicit deny-all (`*`) entry, not listed. */
  entries: NetworkAclEntry[];
  entriesIncomplete: boolean;
  /** Subnets explicitly associated. */
  subnets: NodeId[];
  subnetsIncomplete: boolean;
  externalSubnets: string[];
}

export interface LoadBalancerNode extends NodeBase {
  kind: 'load-balancer';
  /** Terraform and CloudFormation default to 'application'. */
  type: Maybe<'application' | 'network' | 'gateway'>;
  subnets: NodeId[];
  subnetsIncomplete: boolean;
  externalSubnets: string[];
}

export interface EndpointServiceNode extends NodeBase {
  kind: 'endpoint-service';
  /** Whether connection requests must be accepted (false: any allowed principal connects at once). */
  acceptanceRequired: Maybe<boolean>;
  networkLoadBalancers: NodeId[];
  gatewayLoadBalancers: NodeId[];
  loadBalancersIncomplete: boolean;
  /** Load balancer ARNs given as literals. */
  externalLoadBalancers: string[];
  /** Principals allowed to connect (`*` allows everyone); none by default. */
  allowedPrincipals: Array<{ principal: Maybe<string>; source: SourceRef }>;
  allowedPrincipalsIncomplete: boolean;
  privateDnsName: Maybe<string> | undefined;
  /** Regions consumers may connect from (cross-region endpoint services); empty: the service's own region only. */
  supportedRegions: Array<Maybe<string>>;
  /** `supported_ip_address_types` / `SupportedIpAddressTypes` (`ipv4`, `ipv6`) as written; undefined when not set. */
  supportedIpAddressTypes?: Maybe<Array<Maybe<string>>>;
}

export interface BucketPolicyNode extends NodeBase {
  kind: 'bucket-policy';
  /** Address or logical id of the bucket resource, when the bucket is in the configuration (not a graph node). */
  bucketResource: string | undefined;
  /** The bucket's name, when known. */
  bucketName: Maybe<string> | undefined;
  /** How the bucket reads in a message. */
  bucketLabel: string;
  /** Unknown when the policy cannot be computed. */
  policy: Maybe<PolicyDocument>;
  /** Where the policy is written. */
  policyAt: SourceRef;
}

export type WorkloadKind =
  'lambda-function' | 'ecs-service' | 'ecs-task-definition' | 'eks-cluster' | 'eks-node-group' | 'ec2-instance' | 'launch-template' | 'autoscaling-group';

/** One container of an ECS task definition: what it needs from AWS services at start. */
export interface ContainerSpec {
  name: Maybe<string> | undefined;
  /** Image URI; `<account>.dkr.ecr.<region>.amazonaws.com/…` pulls from ECR (ecr.api, ecr.dkr, S3). */
  image: Maybe<string> | undefined;
  /** `logConfiguration.logDriver`; `awslogs` sends to CloudWatch Logs. */
  logDriver: Maybe<string> | undefined;
  /** `secrets[].valueFrom`: Secrets Manager or SSM Parameter Store ARNs/names. */
  secrets: Array<Maybe<string>>;
  /**
   * What the configuration's references say where the text is not known: the ECR repository resource whose URL the
   * image names (`image`, Unknown until apply, comes from `aws_ecr_repository.x.repository_url`), and per secret the
   * service of the resource its `valueFrom` names (`aws_secretsmanager_secret`, `aws_ssm_parameter`, their
   * CloudFormation types). Undefined where nothing is referenced.
   */
  imageRepository?: string;
  secretServices?: Array<'secretsmanager' | 'ssm' | undefined>;
}

/** Something that runs in subnets and consumes AWS services: the traffic endpoints exist for. */
export interface WorkloadNode extends NodeBase {
  kind: 'workload';
  workload: WorkloadKind;
  /**
   * False when it runs outside any VPC (a Lambda function without `vpc_config`); Unknown when the configuration does not
   * say (an ECS service without awsvpc networking uses its container instances' network); undefined for templates
   * (task definitions, launch templates), which are placed by what uses them.
   */
  inVpc: Maybe<boolean> | undefined;
  /** The VPC of its subnets (or security groups), when in the graph. */
  vpc: NodeId | undefined;
  subnets: NodeId[];
  subnetsIncomplete: boolean;
  externalSubnets: string[];
  securityGroups: NodeId[];
  securityGroupsIncomplete: boolean;
  externalSecurityGroups: string[];
  /** No group given: AWS attaches the VPC's default group (its node is in `securityGroups` when the VPC is known). */
  defaultSecurityGroup: boolean;
  /**
   * Workloads this one takes its definition from: an ECS service's task definition, a node group's cluster and launch
   * template, an instance's or autoscaling group's launch template. Subnets and groups a launch template gives are
   * already merged into the instance or group that uses it when those do not set their own.
   */
  uses: NodeId[];
  /** ECS awsvpc: whether tasks get a public IP (default false). */
  assignPublicIp?: Maybe<boolean>;
  /** ECS task definitions: the network mode (default `bridge` on EC2; Fargate requires `awsvpc`). */
  networkMode?: Maybe<string>;
  /**
   * ECS services: where the tasks run, as the service says — `launch_type` / `LaunchType` (`FARGATE`, `EC2`,
   * `EXTERNAL`), or `FARGATE` / `EC2` when every capacity provider of its strategy is a Fargate one / none is. Undefined
   * when the service sets neither (the cluster's default capacity provider strategy decides, else EC2).
   */
  launchType?: Maybe<string>;
  /** ECS services on Fargate: `platform_version` / `PlatformVersion` (undefined: `LATEST`). */
  platformVersion?: Maybe<string>;
  /** ECS task definitions: `requires_compatibilities` / `RequiresCompatibilities` (`FARGATE`, `EC2`, …); empty when not set. */
  requiresCompatibilities?: Maybe<Array<Maybe<string>>>;
  /** EKS node groups: `ami_type` / `AmiType`; undefined when not set (EKS picks an Amazon Linux EKS optimized AMI). */
  amiType?: Maybe<string>;
  /** ECS task definitions: the containers; Unknown when the definitions cannot be computed. */
  containers?: Maybe<ContainerSpec[]>;
  /**
   * The IAM role its code calls AWS with: a Lambda function's execution role, an ECS task definition's task role (an
   * ECS service takes its task definition's), the role of an instance profile (EC2 instances, launch templates, and
   * what launches from them), an EKS node group's node role. Undefined when it has none (an instance without a
   * profile) or the kind has none that matters here (EKS clusters).
   */
  role?: WorkloadRole;
  /**
   * Resources of the configuration the workload names in its environment (Lambda environment variables): referenced
   * resources, and DynamoDB tables whose literal name a variable holds. Addresses or logical ids.
   */
  environmentRefs?: string[];
}

/**
 * How a workload gets its role. `via` lists what leads there, outermost first: an instance profile, the task
 * definition of an ECS service, the launch template of an instance or autoscaling group.
 */
export type WorkloadRole =
  | { kind: 'role'; role: NodeId; via: string[] }
  /** A role outside the configuration (a literal ARN, a data source): its policies are not known. */
  | { kind: 'external'; label: string; via: string[] }
  | { kind: 'unknown'; reason: string; via: string[] };

/** What one policy of a role allows, as far as the configuration says. */
export interface IamGrant {
  /** The policy: a policy resource's address, `<role> inline policy "<name>"`, an AWS-managed policy or SAM policy template name. */
  policy: string;
  origin: 'inline' | 'policy' | 'aws-managed' | 'sam-template';
  /** Where it is written (the policy resource, the inline policy, the attachment or ARN list entry). */
  source: SourceRef;
  /**
   * Actions its Allow statements name, as written (`dynamodb:GetItem`, `dynamodb:*`, `*`). For AWS-managed policies
   * and SAM templates: the actions AWS documents for them, when the analyzer knows them (empty otherwise).
   */
  actions: string[];
  /** Resources of the configuration its Allow statements name (a table's ARN, a SAM template's `TableName`). */
  resources: string[];
  /** Why part of the policy cannot be read (a statement whose actions are computed); the rest is in `actions`. */
  unread?: string;
}

/** An IAM role of the configuration and what its identity policies allow. */
export interface IamRoleNode extends NodeBase {
  kind: 'iam-role';
  /** The role name, when the configuration sets it. */
  name: Maybe<string> | undefined;
  grants: IamGrant[];
  /**
   * Why some of its policies cannot be read (a document known only after apply, a policy attached by ARN from outside
   * the configuration, attachments of unknown number or to a role that is not known). Empty when every one is read.
   */
  unreadPolicies: string[];
}

/** Evidence that the configuration uses a service (a DynamoDB table, an IAM action), for rules that depend on use. */
export interface ServiceUseNode extends NodeBase {
  kind: 'service-use';
  service: string;
  evidence: string;
  /** The use is the service's resource itself (a DynamoDB table), whose address is `source.address`. */
  table: boolean;
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
  | ServiceUseNode
  | SecurityGroupNode
  | NetworkAclNode
  | LoadBalancerNode
  | EndpointServiceNode
  | BucketPolicyNode
  | WorkloadNode
  | IamRoleNode;

export type NodeOf<K extends GraphNode['kind']> = Extract<GraphNode, { kind: K }>;
