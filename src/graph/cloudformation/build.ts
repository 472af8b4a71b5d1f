import type { CfnResource, CfnTemplate } from '../../parsers/cloudformation/index.js';
import { isObject, isUnknown, parseRef, unknown, type Value, type ValueObject } from '../../source/value.js';
import { isSymbolicRegion, displaySymbolic } from '../../source/region.js';
import type { SourceRef, Span } from '../../source/types.js';
import { isGatewayService, parseServiceName, prefixListById } from '../../facts/aws-data.js';
import { Graph } from '../graph.js';
import type { Maybe, NodeId, RouteDestination, RouteTarget, RouteTargetKind } from '../model.js';
import { mainTableId, managedListNode } from '../nodes.js';
import { describe, maybeBool, maybeString, type CfnContext } from './context.js';
import { endpointAttachments } from './endpoint-attachments.js';
import { addIamRoles } from './iam.js';
import { addSecurity } from './security.js';
import { addBucketPolicies, addEndpointServices } from './services.js';
import { addWorkloads } from './workloads.js';

/**
 * The network graph of one CloudFormation template (also a CDK stack's synthesized template). Node ids are logical
 * ids; references (`!Ref Vpc`, `!GetAtt Nat.Id`) link nodes, and anything the template imports or takes from a
 * parameter of an AWS-specific type is external: not in the graph, never treated as missing.
 * Property names and defaults: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/AWS_EC2.html
 */
export function buildCloudFormationGraph(template: CfnTemplate, options: { cdk?: boolean } = {}): Graph {
  const graph = new Graph(template.file, options.cdk ? 'cdk' : template.format === 'json' ? 'cloudformation-json' : 'cloudformation-yaml');
  graph.deployableRegions = template.deployableRegions;
  const byId = new Map(template.resources.map((r) => [r.logicalId, r]));
  const ofType = (...types: string[]) => template.resources.filter((r) => types.includes(r.type));
  const target = (v: Value | undefined): CfnResource | undefined => {
    const ref = parseRef(v);
    return ref ? byId.get(ref.address) : undefined;
  };
  const region = template.region;
  const sourceOf = (r: CfnResource): SourceRef => ({ file: r.file, span: r.headerSpan, address: r.logicalId });
  const refsOf = (r: CfnResource): Record<string, SourceRef> => {
    const out: Record<string, SourceRef> = {};
    for (const [path, span] of Object.entries(r.propertySpans)) out[path] = { file: r.file, span, address: r.logicalId };
    return out;
  };
  const base = (r: CfnResource) => ({ id: r.logicalId, source: sourceOf(r), attributeRefs: refsOf(r), callSites: [] as SourceRef[] });
  const props = (r: CfnResource): ValueObject => r.properties;
  // A resource whose Condition cannot be decided may or may not exist: what depends on it is uncertain.
  const maybeAbsent = (r: CfnResource) => r.exists !== true;

  const vpcOf = (v: Value | undefined): NodeId | undefined => {
    const t = target(v);
    return t && t.type === 'AWS::EC2::VPC' ? t.logicalId : undefined;
  };

  for (const r of ofType('AWS::EC2::VPC')) {
    const p = props(r);
    const cidr = maybeString(p['CidrBlock']) ?? unknown('the CIDR comes from IPAM');
    graph.add({
      kind: 'vpc',
      ...base(r),
      region,
      cidrs: [cidr],
      ipv6Cidrs: [],
      enableDnsSupport: maybeBool(p['EnableDnsSupport'], true),
      enableDnsHostnames: maybeBool(p['EnableDnsHostnames'], false),
    });
    // Every VPC has a main route table; CloudFormation cannot manage it, so it holds only the local route.
    graph.add({ kind: 'route-table', ...base(r), id: mainTableId(r.logicalId), vpc: r.logicalId, main: true, routesIncomplete: false, routes: [] });
    graph.setMainTable(r.logicalId, mainTableId(r.logicalId));
  }
  for (const r of ofType('AWS::EC2::VPCCidrBlock')) {
    const vpc = graph.getKind(vpcOf(props(r)['VpcId']), 'vpc');
    if (!vpc) continue;
    const p = props(r);
    if (p['CidrBlock'] !== undefined || p['Ipv4IpamPoolId'] !== undefined)
      (vpc.cidrs as Array<Maybe<string>>).push(maybeString(p['CidrBlock']) ?? unknown('the CIDR comes from IPAM'));
    if (p['AmazonProvidedIpv6CidrBlock'] === true || p['AmazonProvidedIpv6CidrBlock'] === 'true')
      (vpc.ipv6Cidrs as Array<Maybe<string>>).push(unknown('Amazon-provided IPv6 CIDR'));
    else if (p['Ipv6CidrBlock'] !== undefined || p['Ipv6IpamPoolId'] !== undefined)
      (vpc.ipv6Cidrs as Array<Maybe<string>>).push(maybeString(p['Ipv6CidrBlock']) ?? unknown('the IPv6 CIDR comes from IPAM'));
  }
  for (const r of ofType('AWS::EC2::Subnet')) {
    const p = props(r);
    graph.add({
      kind: 'subnet',
      ...base(r),
      vpc: vpcOf(p['VpcId']),
      cidr: maybeString(p['CidrBlock']),
      ipv6Cidr: maybeString(p['Ipv6CidrBlock']),
      az: maybeString(p['AvailabilityZone']) ?? maybeString(p['AvailabilityZoneId']) ?? unknown('AWS picks the availability zone'),
    });
  }
  // Gateways: an internet or VPN gateway belongs to the VPC its attachment names.
  const attachedVpc = new Map<string, NodeId | undefined>();
  for (const r of ofType('AWS::EC2::VPCGatewayAttachment')) {
    const p = props(r);
    const gw = target(p['InternetGatewayId']) ?? target(p['VpnGatewayId']);
    if (gw) attachedVpc.set(gw.logicalId, vpcOf(p['VpcId']));
  }
  for (const r of ofType('AWS::EC2::InternetGateway')) graph.add({ kind: 'internet-gateway', ...base(r), vpc: attachedVpc.get(r.logicalId) });
  for (const r of ofType('AWS::EC2::VPNGateway')) graph.add({ kind: 'vpn-gateway', ...base(r), vpc: attachedVpc.get(r.logicalId) });
  for (const r of ofType('AWS::EC2::EgressOnlyInternetGateway')) graph.add({ kind: 'egress-only-internet-gateway', ...base(r), vpc: vpcOf(props(r)['VpcId']) });
  for (const r of ofType('AWS::EC2::TransitGateway')) graph.add({ kind: 'transit-gateway', ...base(r), vpc: undefined });
  for (const r of ofType('AWS::EC2::NatGateway')) {
    const p = props(r);
    const ct = maybeString(p['ConnectivityType']) ?? 'public';
    graph.add({
      kind: 'nat-gateway',
      ...base(r),
      subnet: target(p['SubnetId'])?.logicalId,
      connectivity: ct === 'private' ? 'private' : isUnknown(ct) ? ct : 'public',
    });
  }
  for (const r of ofType('AWS::EC2::PrefixList')) {
    const entries = props(r)['Entries'];
    const cidrs: Array<Maybe<string>> = Array.isArray(entries)
      ? entries.map((e) => (isObject(e) ? (maybeString(e['Cidr']) ?? unknown('entry without Cidr')) : unknown('entry is not known')))
      : [unknown('entries are not known')];
    graph.add({ kind: 'prefix-list', ...base(r), cidrs, name: maybeString(props(r)['PrefixListName']) });
  }

  const tableOf = (v: Value | undefined): NodeId | 'unknown' | undefined => {
    const t = target(v);
    if (t) return t.type === 'AWS::EC2::RouteTable' ? t.logicalId : 'unknown';
    return v === undefined || v === null ? undefined : 'unknown';
  };
  for (const r of ofType('AWS::EC2::RouteTable')) {
    graph.add({ kind: 'route-table', ...base(r), vpc: vpcOf(props(r)['VpcId']), main: false, routesIncomplete: false, routes: [] });
  }
  const uncertainTables = new Map<NodeId, string>();
  for (const r of ofType('AWS::EC2::Route')) {
    const p = props(r);
    const table = tableOf(p['RouteTableId']);
    const t = table && table !== 'unknown' ? graph.getKind(table, 'route-table') : undefined;
    if (!t) {
      if (table !== undefined && !maybeAbsent(r)) {
        graph.detachedRoutes.push({
          kind: 'route',
          ...base(r),
          table: isUnknown(p['RouteTableId']) ? `not known: ${(p['RouteTableId'] as { reason: string }).reason}` : describe(p['RouteTableId']),
          destination: destinationOf(p, region, graph, target),
          target: targetOf(p, target),
          origin: 'resource',
        });
      }
      continue;
    }
    if (maybeAbsent(r)) {
      if (!uncertainTables.has(t.id)) uncertainTables.set(t.id, `route ${conditionOf(r)}`);
      continue;
    }
    const destination = destinationOf(p, region, graph, target);
    const destAttr = ['DestinationCidrBlock', 'DestinationIpv6CidrBlock', 'DestinationPrefixListId'].find((k) => p[k] !== undefined && r.propertySpans[k]);
    graph.add({
      kind: 'route',
      ...base(r),
      routeTable: t.id,
      destination,
      target: targetOf(p, target),
      ...(destAttr ? { destinationAt: { file: r.file, span: r.propertySpans[destAttr]!, address: r.logicalId } } : {}),
      origin: 'resource',
    });
    (t.routes as NodeId[]).push(r.logicalId);
  }
  for (const [id, reason] of uncertainTables) {
    const t = graph.getKind(id, 'route-table');
    if (t) Object.assign(t, { routesIncomplete: true, routesIncompleteReason: reason });
  }
  for (const r of ofType('AWS::EC2::SubnetRouteTableAssociation')) {
    const p = props(r);
    const subnet = target(p['SubnetId'])?.logicalId;
    if (!subnet || !graph.getKind(subnet, 'subnet')) continue;
    const value = p['RouteTableId'];
    const reason = maybeAbsent(r) ? conditionOf(r) : isUnknown(value) ? value.reason : undefined;
    graph.associations.push({
      subnet,
      routeTable: maybeAbsent(r) ? 'unknown' : (tableOf(value) ?? 'unknown'),
      source: sourceOf(r),
      ...(reason ? { reason } : {}),
    });
  }

  const ctx: CfnContext = { graph, template, region, ofType, target, base, sourceOf, vpcOf };
  addSecurity(ctx);
  addEndpoints(graph, ofType('AWS::EC2::VPCEndpoint'), { base, sourceOf, tableOf, vpcOf, region, attachments: endpointAttachments(ctx) });
  addServiceUse(graph, template, base);
  addEndpointServices(ctx);
  addBucketPolicies(ctx);
  addIamRoles(ctx);
  addWorkloads(ctx);
  return graph.freeze();
}

function addEndpoints(
  graph: Graph,
  endpoints: CfnResource[],
  h: {
    base: (r: CfnResource) => { id: string; source: SourceRef; attributeRefs: Record<string, SourceRef>; callSites: SourceRef[] };
    sourceOf: (r: CfnResource) => SourceRef;
    tableOf: (v: Value | undefined) => NodeId | 'unknown' | undefined;
    vpcOf: (v: Value | undefined) => NodeId | undefined;
    region: string;
    attachments: ReturnType<typeof endpointAttachments>;
  },
): void {
  for (const r of endpoints) {
    const p = r.properties;
    const typeValue = p['VpcEndpointType'];
    const type: Maybe<'Gateway' | 'Interface' | 'GatewayLoadBalancer'> =
      typeValue === undefined || typeValue === null
        ? 'Gateway'
        : typeValue === 'Gateway' || typeValue === 'Interface' || typeValue === 'GatewayLoadBalancer'
          ? typeValue
          : isUnknown(typeValue)
            ? typeValue
            : unknown(`endpoint type ${describe(typeValue)} is not known`);
    const serviceName = maybeString(p['ServiceName']) ?? unknown('no service name');
    const service = typeof serviceName === 'string' ? parseServiceName(serviceName) : undefined;
    const routeTables: NodeId[] = [];
    const external: string[] = [];
    let incomplete = r.exists !== true;
    const ids = p['RouteTableIds'];
    const idAt = (i: number): SourceRef => {
      const span: Span | undefined = r.propertySpans[`RouteTableIds[${i}]`] ?? r.propertySpans['RouteTableIds'];
      return span ? { file: r.file, span, address: r.logicalId } : h.sourceOf(r);
    };
    const assoc: Array<{ table: NodeId; at: SourceRef }> = [];
    if (Array.isArray(ids)) {
      ids.forEach((v, i) => {
        const table = h.tableOf(v);
        if (table && table !== 'unknown') {
          routeTables.push(table);
          assoc.push({ table, at: idAt(i) });
        } else if (typeof v === 'string' && !parseRef(v)) external.push(v);
        else incomplete = true;
      });
    } else if (isUnknown(ids)) incomplete = true;
    const vpc = h.vpcOf(p['VpcId']);
    graph.add({
      kind: 'vpc-endpoint',
      ...h.base(r),
      vpc,
      serviceName: typeof serviceName === 'string' ? displaySymbolic(serviceName) : serviceName,
      service: service ? { region: service.region, service: service.service } : undefined,
      type,
      routeTables: [...new Set(routeTables)],
      routeTablesIncomplete: incomplete,
      externalRouteTables: external,
      region: h.region,
      privateDns: maybeBool(p['PrivateDnsEnabled'], false),
      privateDnsInboundOnly: inboundOnly(p['DnsOptions']),
      ...h.attachments(r, type, vpc),
    });
    // A gateway endpoint whose Condition cannot be decided may or may not put its route there: the tables it lists
    // have routes that are not all known, so no rule concludes the route is missing.
    if (r.exists !== true && type !== 'Interface' && type !== 'GatewayLoadBalancer') {
      for (const a of assoc) {
        const table = graph.getKind(a.table, 'route-table');
        if (table)
          Object.assign(table, { routesIncomplete: true, routesIncompleteReason: table.routesIncompleteReason ?? `gateway endpoint ${conditionOf(r)}` });
      }
    }
    // A gateway endpoint that certainly exists puts a route to its service's prefix list into every listed table.
    // One whose service or type is not known may: its route's destination is not known, so no rule concludes either way.
    const mayBeGateway = type === 'Gateway' || (isUnknown(type) && (!service || isGatewayService(service.service)));
    if (mayBeGateway && (service || isUnknown(serviceName)) && r.exists === true) {
      for (const a of assoc) {
        const table = graph.getKind(a.table, 'route-table');
        if (!table) continue;
        const id = `${r.logicalId} route in ${a.table}`;
        if (graph.get(id)) continue;
        const list = type === 'Gateway' && service ? managedListNode(graph, service.region, service.service, h.sourceOf(r)) : undefined;
        const destination: RouteDestination = list
          ? { kind: 'prefix-list', prefixList: list, label: list }
          : {
              kind: 'unknown',
              reason: isUnknown(type)
                ? `the type of endpoint ${r.logicalId} is not known (${type.reason}); as a gateway endpoint it adds a route to its service's prefix list`
                : `the service of gateway endpoint ${r.logicalId} is not known (${isUnknown(serviceName) ? serviceName.reason : String(serviceName)})`,
            };
        graph.add({
          kind: 'route',
          id,
          source: a.at,
          attributeRefs: {},
          callSites: [],
          routeTable: a.table,
          destination,
          target: { kind: 'vpce', node: r.logicalId, label: r.logicalId },
          origin: 'endpoint-association',
        });
        (table.routes as NodeId[]).push(id);
      }
    }
  }
}

/** `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint`: OnlyInboundResolver | AllResolvers | NotSpecified. */
/** Why a resource may or may not exist: its Condition cannot be decided. */
function conditionOf(r: CfnResource): string {
  return `${r.logicalId} exists only under Condition ${r.condition ?? '(unnamed)'}, which cannot be decided${isUnknown(r.exists) ? ` (${r.exists.reason})` : ''}`;
}

function inboundOnly(dns: Value | undefined): Maybe<boolean> | undefined {
  if (dns === undefined || dns === null) return undefined;
  if (isUnknown(dns)) return dns;
  if (!isObject(dns)) return unknown('DnsOptions is not an object');
  const v = dns['PrivateDnsOnlyForInboundResolverEndpoint'];
  if (v === undefined || v === null || v === 'NotSpecified') return undefined;
  if (isUnknown(v)) return v;
  if (v === 'OnlyInboundResolver' || v === true || v === 'true') return true;
  if (v === 'AllResolvers' || v === false || v === 'false') return false;
  return unknown(`PrivateDnsOnlyForInboundResolverEndpoint ${describe(v)} is not known`);
}

function destinationOf(p: ValueObject, region: string, graph: Graph, target: (v: Value | undefined) => CfnResource | undefined): RouteDestination {
  for (const key of ['DestinationCidrBlock', 'DestinationIpv6CidrBlock']) {
    const v = p[key];
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'string' && !parseRef(v)) return { kind: 'cidr', cidr: v };
    return { kind: 'unknown', reason: `destination ${describe(v)} is not known` };
  }
  const pl = p['DestinationPrefixListId'];
  if (pl !== undefined && pl !== null && pl !== '') {
    const t = target(pl);
    if (t && graph.getKind(t.logicalId, 'prefix-list')) return { kind: 'prefix-list', prefixList: t.logicalId, label: t.logicalId };
    if (typeof pl === 'string' && !parseRef(pl) && !isSymbolicRegion(region)) {
      const known = prefixListById(region, pl);
      if (known)
        return {
          kind: 'prefix-list',
          prefixList: managedListNode(graph, region, known.service, {
            file: graph.name,
            span: { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
            address: known.name,
          }),
          label: `${pl} (${known.name})`,
        };
    }
    return { kind: 'unknown', reason: `prefix list ${describe(pl)} is not known` };
  }
  return { kind: 'unknown', reason: 'the route has no destination the analyzer can read' };
}

const TARGET_PROPERTIES: Array<[string, RouteTargetKind]> = [
  ['NatGatewayId', 'nat'],
  ['GatewayId', 'unknown'],
  ['EgressOnlyInternetGatewayId', 'eigw'],
  ['TransitGatewayId', 'tgw'],
  ['VpcPeeringConnectionId', 'pcx'],
  ['NetworkInterfaceId', 'eni'],
  ['InstanceId', 'instance'],
  ['VpcEndpointId', 'gwlbe'],
  ['CarrierGatewayId', 'carrier'],
  ['CoreNetworkArn', 'core-network'],
  ['LocalGatewayId', 'lgw'],
];

const KIND_BY_TYPE: Record<string, RouteTargetKind> = {
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::EgressOnlyInternetGateway': 'eigw',
  'AWS::EC2::TransitGateway': 'tgw',
  'AWS::EC2::VPCPeeringConnection': 'pcx',
  'AWS::EC2::VPNGateway': 'vgw',
  'AWS::EC2::NetworkInterface': 'eni',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::CarrierGateway': 'carrier',
  'AWS::EC2::VPCEndpoint': 'gwlbe',
};

const KIND_BY_PREFIX: Array<[string, RouteTargetKind]> = [
  ['igw-', 'igw'],
  ['nat-', 'nat'],
  ['eigw-', 'eigw'],
  ['vpce-', 'gwlbe'],
  ['tgw-', 'tgw'],
  ['pcx-', 'pcx'],
  ['vgw-', 'vgw'],
  ['eni-', 'eni'],
  ['i-', 'instance'],
  ['cagw-', 'carrier'],
  ['lgw-', 'lgw'],
];

function targetOf(p: ValueObject, target: (v: Value | undefined) => CfnResource | undefined): RouteTarget {
  for (const [key, fallback] of TARGET_PROPERTIES) {
    const v = p[key];
    if (v === undefined || v === null || v === '') continue;
    if (v === 'local') return { kind: 'local', label: 'local' };
    const t = target(v);
    if (t) return { kind: KIND_BY_TYPE[t.type] ?? fallback, node: t.logicalId, label: t.logicalId };
    if (typeof v === 'string' && !parseRef(v)) return { kind: KIND_BY_PREFIX.find(([pre]) => v.startsWith(pre))?.[1] ?? fallback, label: v };
    return { kind: fallback, label: describe(v) };
  }
  return { kind: 'unknown', label: '(no target)' };
}

const DYNAMODB_MANAGED = /:policy\/(service-role\/)?AmazonDynamoDB/;
/** SAM policy templates that grant DynamoDB actions. */
const SAM_DYNAMODB_TEMPLATES = /^DynamoDB(Crud|Read|Write|Reconfigure|Stream|Backup|Restore)\w*Policy$/;

function allowedDynamoDbAction(doc: Value | undefined): string | undefined {
  let d: unknown = doc;
  if (typeof doc === 'string') {
    try {
      d = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!d || typeof d !== 'object' || Array.isArray(d)) return undefined;
  const st = (d as Record<string, unknown>)['Statement'];
  for (const s of Array.isArray(st) ? st : [st]) {
    if (!s || typeof s !== 'object' || (s as Record<string, unknown>)['Effect'] !== 'Allow') continue;
    const a = (s as Record<string, unknown>)['Action'];
    const hit = (Array.isArray(a) ? a : [a]).find((x): x is string => typeof x === 'string' && /^dynamodb:/i.test(x));
    if (hit) return hit;
  }
  return undefined;
}

/** DynamoDB use: tables, IAM policies and roles that allow DynamoDB actions, SAM functions with DynamoDB policies. */
function addServiceUse(
  graph: Graph,
  template: CfnTemplate,
  base: (r: CfnResource) => { id: string; source: SourceRef; attributeRefs: Record<string, SourceRef>; callSites: SourceRef[] },
): void {
  const use = (r: CfnResource, evidence: string, table = false) =>
    graph.add({ kind: 'service-use', ...base(r), id: `${r.logicalId} uses dynamodb`, service: 'dynamodb', evidence, table });
  for (const r of template.resources) {
    const p = r.properties;
    switch (r.type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable':
        use(r, `DynamoDB table ${r.logicalId}`, true);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy': {
        const action = allowedDynamoDbAction(p['PolicyDocument']);
        if (action) use(r, `IAM policy ${r.logicalId} allows ${action}`);
        break;
      }
      case 'AWS::IAM::Role': {
        const policies = p['Policies'];
        const action = Array.isArray(policies)
          ? policies.map((x) => (isObject(x) ? allowedDynamoDbAction(x['PolicyDocument']) : undefined)).find(Boolean)
          : undefined;
        const managed = Array.isArray(p['ManagedPolicyArns'])
          ? p['ManagedPolicyArns'].find((a): a is string => typeof a === 'string' && DYNAMODB_MANAGED.test(a))
          : undefined;
        if (action) use(r, `IAM role ${r.logicalId} allows ${action}`);
        else if (managed) use(r, `IAM role ${r.logicalId} attaches ${managed.split('/').pop()}`);
        break;
      }
      case 'AWS::Serverless::Function': {
        const policies = p['Policies'];
        for (const x of Array.isArray(policies) ? policies : [policies]) {
          if (isObject(x)) {
            const template = Object.keys(x).find((k) => SAM_DYNAMODB_TEMPLATES.test(k));
            if (template) {
              use(r, `function ${r.logicalId} has SAM policy ${template}`);
              break;
            }
            const action = allowedDynamoDbAction(x);
            if (action) {
              use(r, `function ${r.logicalId} allows ${action}`);
              break;
            }
          } else if (typeof x === 'string' && /AmazonDynamoDB/.test(x)) {
            use(r, `function ${r.logicalId} attaches ${x}`);
            break;
          }
        }
        break;
      }
    }
  }
}
