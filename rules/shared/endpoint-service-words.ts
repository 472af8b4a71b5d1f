import type { GraphView } from '../../src/graph/graph.js';
import type { EndpointServiceNode } from '../../src/graph/model.js';
import type { AllowedPrincipal } from '../../src/sim/endpoint-service.js';

/*
 * How endpoint service settings read in each format, for the endpoint service rules (VPCE401–VPCE403).
 */

/** The acceptance setting as the configuration spells it, with a value. */
export function acceptanceSetting(graph: GraphView, value: boolean): string {
  switch (graph.syntax) {
    case 'terraform':
      return `acceptance_required = ${value}`;
    case 'cdk':
      return `acceptanceRequired: ${value}`;
    default:
      return `AcceptanceRequired: ${value}`;
  }
}

/** Where allowed principals are written, in the configuration's terms. */
export function principalsSetting(graph: GraphView): string {
  switch (graph.syntax) {
    case 'terraform':
      return '`allowed_principals` or `aws_vpc_endpoint_service_allowed_principal`';
    case 'cdk':
      return '`allowedPrincipals`';
    default:
      return '`AllowedPrincipals` of `AWS::EC2::VPCEndpointServicePermissions`';
  }
}

/** Where entries are written: the service's own list, or the resources that add them. */
export function principalSources(graph: GraphView, entries: readonly AllowedPrincipal[], service: EndpointServiceNode): string {
  const own = graph.syntax === 'terraform' ? `allowed_principals of ${service.id}` : `the principals of ${service.id}`;
  return [...new Set(entries.map((p) => (p.source.address && p.source.address !== service.id ? p.source.address : own)))].join(', ');
}

/** `arn:… (aws_vpc_endpoint_service_allowed_principal.x)`: each entry with the resource that writes it. */
export function principalList(entries: readonly AllowedPrincipal[], service: EndpointServiceNode): string {
  return entries.map((p) => (p.source.address && p.source.address !== service.id ? `${p.principal} (${p.source.address})` : p.principal)).join(', ');
}

/** A service with acceptance required and only named accounts allowed, in the configuration's language. */
export function restrictedServiceSnippet(graph: GraphView, service: EndpointServiceNode): string {
  const account = 'arn:aws:iam::111122223333:root';
  switch (graph.syntax) {
    case 'terraform':
      return [
        `resource "aws_vpc_endpoint_service" "${service.id.split('.').pop()}" {`,
        '  acceptance_required = true',
        `  allowed_principals  = ["${account}"] # each consumer account (or role) by ARN, never "*"`,
        '  # network_load_balancer_arns = [...] as before',
        '}',
      ].join('\n');
    case 'cdk':
      return [
        "new ec2.VpcEndpointService(this, 'EndpointService', {",
        '  vpcEndpointServiceLoadBalancers: [nlb],',
        '  acceptanceRequired: true,',
        `  allowedPrincipals: [new iam.ArnPrincipal('${account}')], // each consumer account by ARN, never '*'`,
        '});',
      ].join('\n');
    case 'cloudformation-json':
      return JSON.stringify(
        {
          [service.id]: { Type: 'AWS::EC2::VPCEndpointService', Properties: { AcceptanceRequired: true } },
          [`${service.id}Permissions`]: {
            Type: 'AWS::EC2::VPCEndpointServicePermissions',
            Properties: { ServiceId: { Ref: service.id }, AllowedPrincipals: [account] },
          },
        },
        null,
        2,
      );
    default:
      return [
        `${service.id}:`,
        '  Type: AWS::EC2::VPCEndpointService',
        '  Properties:',
        '    AcceptanceRequired: true',
        '    # NetworkLoadBalancerArns as before',
        `${service.id}Permissions:`,
        '  Type: AWS::EC2::VPCEndpointServicePermissions',
        '  Properties:',
        `    ServiceId: !Ref ${service.id}`,
        '    AllowedPrincipals:',
        `      - ${account} # each consumer account (or role) by ARN, never "*"`,
      ].join('\n');
  }
}
