import { defineRule } from './rule.js';
import type { VpcEndpointNode } from '../src/graph/model.js';
import { endpointServiceVerdict, serviceNameIn } from '../src/sim/endpoint-services.js';
import { endpointDocsRead, gatewayServiceSuffixes } from '../src/facts/endpoint-service-names.js';
import { displaySymbolic } from '../src/source/region.js';
import { isUnknown } from '../src/source/value.js';

/** Where the service name is written: the attribute (Terraform `service_name`, CloudFormation `ServiceName`). */
const nameAt = (e: VpcEndpointNode) => ({ node: e, attribute: e.attributeRefs['service_name'] ? 'service_name' : 'ServiceName' });

export default defineRule({
  id: 'VPCE502',
  name: 'unknown-endpoint-service',
  level: 'error',
  category: 'correctness',
  summary:
    'An endpoint names a service AWS does not offer, or asks for an endpoint type the service does not have (a gateway endpoint for SQS); AWS rejects it.',
  description:
    'AWS creates an endpoint only for a service name it offers in that Region, and only with a type the service supports: gateway endpoints exist for Amazon S3, DynamoDB and S3 Express One Zone alone, every other AWS service is reached through an interface endpoint. The rule reports a name that the service’s own documentation rules out (SQS offers com.amazonaws.<region>.sqs and sqs-fips; there is no sqs-fifo) and a gateway endpoint to any other service. A name the bundled data simply does not list is not reported: the rule says it could not verify it.',
  precision: 'very-high',
  tags: ['correctness', 'vpc-endpoint', 'privatelink'],
  messages: {
    notOffered:
      'Endpoint {{endpoint}} names {{serviceName}}, a service AWS does not offer in {{region}}: {{family}} endpoints are {{offered}}, so AWS rejects it. Did you mean {{suggestion}}?',
    gatewayNotSupported:
      'Gateway endpoint {{endpoint}} names {{serviceName}}, but AWS offers gateway endpoints only for S3, DynamoDB and S3 Express One Zone ({{gateways}}), so AWS rejects it. {{service}} is reached through an interface endpoint.',
  },
  check(graph, ctx) {
    for (const e of graph.all('vpc-endpoint')) {
      if (e.type === 'GatewayLoadBalancer') continue; // names an endpoint service of Gateway Load Balancers
      const verdict = endpointServiceVerdict(e);
      if (isUnknown(verdict)) {
        ctx.undecided({ at: e, reason: `the service name of ${e.id} is not known (${verdict.reason})` });
        continue;
      }
      const name = isUnknown(e.serviceName) ? '' : e.serviceName;
      if (verdict.kind === 'unlisted' && !verdict.name) {
        // Not of a form the data knows (`com.amazonaws.s3` without a Region): whether and how it is wrong is not certain.
        ctx.undecided({
          at: e,
          reason: `${e.id} names ${name}, which is not of a service name form the bundled data knows, so whether AWS offers it cannot be verified`,
        });
        continue;
      }
      const gatewayOk = verdict.kind === 'listed' && verdict.gateway;
      if (e.type === 'Gateway' && !gatewayOk) {
        const service = verdict.kind === 'global' ? verdict.service : (e.service?.service ?? name);
        ctx.report({
          messageId: 'gatewayNotSupported',
          data: {
            endpoint: e.id,
            serviceName: name,
            service,
            gateways: gatewayServiceSuffixes()
              .map((s) => (e.service && !e.service.endpointService ? (serviceNameIn(e, s) ?? s) : `com.amazonaws.<region>.${s}`))
              .join(', '),
          },
          at: e.attributeRefs['vpc_endpoint_type'] || e.attributeRefs['VpcEndpointType'] ? typeAt(e) : nameAt(e),
          identity: [e.id],
          fix: {
            description:
              verdict.kind === 'endpoint-service'
                ? `An endpoint service is reached through an Interface endpoint (or a GatewayLoadBalancer endpoint for a Gateway Load Balancer service): set the type of ${e.id} accordingly and give it subnets and security groups.`
                : `Set the type of ${e.id} to Interface and give it subnets (one per Availability Zone) and security groups that admit HTTPS from its clients; or, if the name is the mistake, name a gateway service.`,
          },
        });
        continue;
      }
      if (verdict.kind === 'not-offered') {
        const suggestion = serviceNameIn(e, verdict.suggestion) ?? verdict.suggestion;
        ctx.report({
          messageId: 'notOffered',
          data: {
            endpoint: e.id,
            serviceName: name,
            region: displaySymbolic(verdict.name.region),
            family: verdict.family.toUpperCase(),
            offered: verdict.offered.map((n) => serviceNameIn(e, n) ?? n).join(' and '),
            suggestion,
          },
          at: nameAt(e),
          identity: [e.id],
          fix: { description: `Name ${suggestion} (or another name the service offers: ${verdict.offered.join(', ')}); see ${verdict.source}.` },
        });
        continue;
      }
      if (verdict.kind === 'unlisted') {
        const typo = verdict.nearest && serviceNameIn(e, verdict.nearest);
        ctx.undecided({
          at: e,
          reason: `${e.id} names ${name}, which the bundled endpoint service list${endpointDocsRead() ? ` (AWS documentation read ${endpointDocsRead()})` : ''} does not include, so whether AWS offers it cannot be verified${typo ? `; the nearest listed name is ${typo}` : ''}`,
        });
        continue;
      }
      if (verdict.kind === 'listed' && e.type === 'Interface' && !verdict.interface) {
        ctx.undecided({ at: e, reason: `${e.id} is an interface endpoint to ${name}, which the bundled data lists only as a gateway endpoint service` });
        continue;
      }
      if (isUnknown(e.type) && verdict.kind === 'listed' && !(verdict.gateway && verdict.interface)) {
        ctx.undecided({
          at: e,
          reason: `the type of ${e.id} is not known (${e.type.reason}), and ${name} offers ${verdict.gateway ? 'gateway' : 'interface'} endpoints only`,
        });
      }
    }
  },
});

function typeAt(e: VpcEndpointNode) {
  return { node: e, attribute: e.attributeRefs['vpc_endpoint_type'] ? 'vpc_endpoint_type' : 'VpcEndpointType' };
}
