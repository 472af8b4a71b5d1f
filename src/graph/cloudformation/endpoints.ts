import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { parseServiceName } from '../../facts/aws-data.js';
import { displaySymbolic } from '../../source/region.js';
import type { SourceRef, Span } from '../../source/types.js';
import { isObject, isUnknown, unknown, type Value } from '../../source/value.js';
import type { Graph } from '../graph.js';
import type { Maybe, VpcEndpointNode } from '../model.js';
import {
  addGatewayEndpointRoutes,
  emptyEndpointTables,
  type EndpointTableAssociation,
  endpointTableFields,
  endpointTypeOf,
  type EndpointTables,
  noteEndpointTable,
} from '../nodes/endpoints.js';
import { markRoutesIncomplete } from '../nodes/network.js';
import { conditionOf, describe, regionalConditionOf, maybeBool, maybeString, type CfnContext } from './context.js';
import { endpointAttachments } from './endpoint-attachments.js';
import { routeTableOf } from './routes.js';

/**
 * VPC endpoints (`AWS::EC2::VPCEndpoint`) and the routes a gateway endpoint puts into the tables of its `RouteTableIds`.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-vpcendpoint.html
 */
export function addEndpoints(ctx: CfnContext): void {
  const { graph } = ctx;
  const attachments = endpointAttachments(ctx);
  for (const r of ctx.ofType('AWS::EC2::VPCEndpoint')) {
    const p = r.properties;
    const type = endpointTypeOf(p['VpcEndpointType'], describe);
    const serviceName = maybeString(p['ServiceName']) ?? unknown('no service name');
    const service = typeof serviceName === 'string' ? parseServiceName(serviceName) : undefined;
    const tables = endpointTables(ctx, r);
    const vpc = ctx.vpcOf(p['VpcId']);
    const node: VpcEndpointNode = {
      kind: 'vpc-endpoint',
      ...ctx.base(r),
      vpc,
      serviceName: typeof serviceName === 'string' ? displaySymbolic(serviceName) : serviceName,
      service: service ? { region: service.region, service: service.service, prefix: service.prefix, endpointService: service.endpointService } : undefined,
      type,
      ...endpointTableFields(tables),
      region: ctx.region,
      ...optionalString('serviceRegion', p['ServiceRegion']),
      ...optionalString('ipAddressType', p['IpAddressType']),
      ...optionalString('dnsRecordIpType', dnsOption(p['DnsOptions'], 'DnsRecordIpType')),
      privateDns: maybeBool(p['PrivateDnsEnabled'], false),
      privateDnsInboundOnly: inboundOnly(p['DnsOptions']),
      ...attachments(r, type, vpc),
      ...(r.exists !== true ? { mayNotExist: r.existsInRegions ? regionalConditionOf(r, r.existsInRegions) : conditionOf(r) } : {}),
    };
    graph.add(node);
    const mayRoute = type !== 'Interface' && type !== 'GatewayLoadBalancer';
    // One that certainly exists puts its routes there.
    if (r.exists === true) addGatewayEndpointRoutes(graph, node, tables.associations);
    // One whose Condition compares only the region puts them there in the regions where it exists: a reader that
    // evaluates one region at a time knows the table's routes; any other sees them as not all known.
    else if (r.existsInRegions && mayRoute) {
      addGatewayEndpointRoutes(graph, node, tables.associations, r.existsInRegions);
      for (const a of tables.associations) {
        const table = graph.getKind(a.table, 'route-table');
        if (table?.routesKnownPerRegion) table.routesIncompleteReason = `gateway endpoint ${regionalConditionOf(r, r.existsInRegions)}`;
      }
    }
    // A gateway endpoint whose Condition cannot be decided may or may not put its route there: the tables it lists
    // have routes that are not all known, so no rule concludes the route is missing.
    else if (mayRoute) markTablesIncomplete(graph, r, tables.associations);
  }
}

/** The tables of an endpoint's `RouteTableIds`; all of them may be more when the endpoint may not exist (for a reason other than the region). */
function endpointTables(ctx: CfnContext, r: CfnResource): EndpointTables {
  const tables = emptyEndpointTables();
  // One that exists only in some regions lists its tables all the same: there, it is on exactly those.
  tables.incomplete = r.exists !== true && !r.existsInRegions;
  const ids = r.properties['RouteTableIds'];
  const idAt = (i: number): SourceRef => {
    const span: Span | undefined = r.propertySpans[`RouteTableIds[${i}]`] ?? r.propertySpans['RouteTableIds'];
    return span ? { file: r.file, span, address: r.logicalId } : ctx.sourceOf(r);
  };
  if (Array.isArray(ids)) ids.forEach((v, i) => noteEndpointTable(tables, v, routeTableOf(ctx, v), idAt(i)));
  else if (isUnknown(ids)) tables.incomplete = true;
  return tables;
}

function markTablesIncomplete(graph: Graph, r: CfnResource, associations: EndpointTableAssociation[]): void {
  for (const a of associations) {
    const table = graph.getKind(a.table, 'route-table');
    if (table) markRoutesIncomplete(table, `gateway endpoint ${conditionOf(r)}`);
  }
}

/** `DnsOptions.PrivateDnsOnlyForInboundResolverEndpoint`: OnlyInboundResolver | AllResolvers | NotSpecified. */
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

/** One property of `DnsOptions`: undefined when it or the block is absent. */
function dnsOption(dns: Value | undefined, name: string): Value | undefined {
  if (dns === undefined || dns === null || isUnknown(dns)) return dns ?? undefined;
  return isObject(dns) ? dns[name] : unknown('DnsOptions is not an object');
}

/** `{ [key]: value }` for a property that is set (a string, or Unknown), nothing when it is absent. */
function optionalString<K extends string>(key: K, v: Value | undefined): Partial<Record<K, Maybe<string>>> {
  if (v === undefined || v === null) return {};
  const value = maybeString(v) ?? unknown(`${key} is not a string`);
  return { [key]: value } as Partial<Record<K, Maybe<string>>>;
}
