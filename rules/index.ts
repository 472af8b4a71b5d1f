import type { Rule } from './rule.js';
import s3TrafficViaNat from './s3-traffic-via-nat.js';
import dynamodbTrafficViaNat from './dynamodb-traffic-via-nat.js';
import endpointRouteShadowed from './endpoint-route-shadowed.js';
import duplicateGatewayEndpoint from './duplicate-gateway-endpoint.js';
import gatewayEndpointUnused from './gateway-endpoint-unused.js';
import manualEndpointRoute from './manual-endpoint-route.js';
import conflictingRoutes from './conflicting-routes.js';
import subnetCidrConflict from './subnet-cidr-conflict.js';
import interfaceEndpointDuplicateAz from './interface-endpoint-duplicate-az.js';
import interfaceEndpointSingleAz from './interface-endpoint-single-az.js';
import interfaceEndpointHttpsBlocked from './interface-endpoint-https-blocked.js';
import interfaceEndpointOpenIngress from './interface-endpoint-open-ingress.js';
import privateDnsNeedsVpcDns from './private-dns-needs-vpc-dns.js';
import privateDnsOffBypass from './private-dns-off-bypass.js';
import duplicateInterfaceEndpoint from './duplicate-interface-endpoint.js';
import s3InterfacePrivateDnsNeedsGateway from './s3-interface-private-dns-needs-gateway.js';
import interfaceEndpointNoSubnets from './interface-endpoint-no-subnets.js';
import gatewayServiceViaInterfaceEndpoint from './gateway-service-via-interface-endpoint.js';
import endpointPolicyFullAccess from './endpoint-policy-full-access.js';
import endpointPolicyMissingPrincipal from './endpoint-policy-missing-principal.js';
import endpointPolicyForeignActions from './endpoint-policy-foreign-actions.js';
import policyInvalid from './policy-invalid.js';
import bucketPolicySourceIpViaEndpoint from './bucket-policy-source-ip-via-endpoint.js';
import gatewayEndpointPolicyAccountPrincipal from './gateway-endpoint-policy-account-principal.js';
import endpointPolicyAllowsNothing from './endpoint-policy-allows-nothing.js';
import endpointRegionMismatch from './endpoint-region-mismatch.js';
import unknownEndpointService from './unknown-endpoint-service.js';
import endpointServiceOpen from './endpoint-service-open.js';
import endpointServiceAutoAccept from './endpoint-service-auto-accept.js';
import endpointServiceSingleAz from './endpoint-service-single-az.js';
import isolatedWorkloadMissingEndpoints from './isolated-workload-missing-endpoints.js';
import naclBlocksEndpointTraffic from './nacl-blocks-endpoint-traffic.js';
import sgEgressBlocksEndpoint from './sg-egress-blocks-endpoint.js';

/** Every rule, sorted by id. */
export const rules: Rule[] = [
  s3TrafficViaNat,
  dynamodbTrafficViaNat,
  endpointRouteShadowed,
  duplicateGatewayEndpoint,
  gatewayEndpointUnused,
  manualEndpointRoute,
  conflictingRoutes,
  subnetCidrConflict,
  interfaceEndpointDuplicateAz,
  interfaceEndpointSingleAz,
  interfaceEndpointHttpsBlocked,
  interfaceEndpointOpenIngress,
  privateDnsNeedsVpcDns,
  privateDnsOffBypass,
  duplicateInterfaceEndpoint,
  s3InterfacePrivateDnsNeedsGateway,
  interfaceEndpointNoSubnets,
  gatewayServiceViaInterfaceEndpoint,
  endpointPolicyFullAccess,
  endpointPolicyMissingPrincipal,
  endpointPolicyForeignActions,
  policyInvalid,
  bucketPolicySourceIpViaEndpoint,
  gatewayEndpointPolicyAccountPrincipal,
  endpointPolicyAllowsNothing,
  endpointServiceOpen,
  endpointServiceAutoAccept,
  endpointServiceSingleAz,
  endpointRegionMismatch,
  unknownEndpointService,
  isolatedWorkloadMissingEndpoints,
  naclBlocksEndpointTraffic,
  sgEgressBlocksEndpoint,
] as Rule[];
