import type { Rule } from './rule.js';
import s3TrafficViaNat from './s3-traffic-via-nat.js';
import dynamodbTrafficViaNat from './dynamodb-traffic-via-nat.js';
import endpointRouteShadowed from './endpoint-route-shadowed.js';
import duplicateGatewayEndpoint from './duplicate-gateway-endpoint.js';
import interfaceEndpointHttpsBlocked from './interface-endpoint-https-blocked.js';
import interfaceEndpointOpenIngress from './interface-endpoint-open-ingress.js';
import isolatedWorkloadMissingEndpoints from './isolated-workload-missing-endpoints.js';
import naclBlocksEndpointTraffic from './nacl-blocks-endpoint-traffic.js';
import sgEgressBlocksEndpoint from './sg-egress-blocks-endpoint.js';
import endpointServiceOpen from './endpoint-service-open.js';
import endpointServiceAutoAccept from './endpoint-service-auto-accept.js';
import endpointServiceSingleAz from './endpoint-service-single-az.js';

/** Every rule, sorted by id. */
export const rules: Rule[] = [s3TrafficViaNat, dynamodbTrafficViaNat, endpointRouteShadowed, duplicateGatewayEndpoint, interfaceEndpointHttpsBlocked, interfaceEndpointOpenIngress, endpointServiceOpen, endpointServiceAutoAccept, endpointServiceSingleAz, isolatedWorkloadMissingEndpoints, naclBlocksEndpointTraffic, sgEgressBlocksEndpoint] as Rule[];
