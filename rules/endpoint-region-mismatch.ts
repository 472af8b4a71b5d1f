import { defineRule } from './rule.js';
import type { VpcEndpointNode } from '../src/graph/model.js';
import { compareRegions } from '../src/sim/endpoint-services.js';
import { isUnknown } from '../src/source/value.js';
import { partitionOf } from '../src/facts/regions.js';

/** Where the service name is written: the attribute (Terraform `service_name`, CloudFormation `ServiceName`). */
const nameAt = (e: VpcEndpointNode) => ({ node: e, attribute: e.attributeRefs['service_name'] ? 'service_name' : 'ServiceName' });

export default defineRule({
  id: 'VPCE501',
  name: 'endpoint-region-mismatch',
  level: 'error',
  category: 'correctness',
  summary:
    'An endpoint names a service in another Region: a gateway endpoint, or an interface endpoint to a service that cross-region PrivateLink does not serve; AWS rejects it.',
  description:
    'A gateway endpoint is available only in the Region where it is created, so its service name must name that Region. An interface endpoint may connect to a service in another Region only when the service is one of the AWS services enabled for cross-region PrivateLink (S3, IAM, ECR, KMS, ECS, Lambda, Data Firehose, Managed Service for Apache Flink, Route 53); for any other AWS service the endpoint must be in the service’s Region. A name built for the wrong Region (a module default, a copied template) makes the create call fail.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'region'],
  messages: {
    gateway:
      'Gateway endpoint {{endpoint}} names {{serviceName}}, a service in {{serviceRegion}}, but the endpoint is in {{region}}{{evidence}}. A gateway endpoint serves only the Region it is created in, so AWS rejects it; name {{suggested}} instead.',
    interface:
      'Interface endpoint {{endpoint}} names {{serviceName}}, a service in {{serviceRegion}}, but the endpoint is in {{region}}{{evidence}}. Service {{service}} is not enabled for cross-region PrivateLink{{partition}}, so AWS rejects the endpoint; create it in {{serviceRegion}} or name {{suggested}}.',
  },
  check(graph, ctx) {
    for (const e of graph.all('vpc-endpoint')) {
      if (e.type !== 'Gateway' && e.type !== 'Interface' && !isUnknown(e.type)) continue; // Gateway Load Balancer endpoints name endpoint services
      if (isUnknown(e.serviceName)) {
        ctx.undecided({ at: e, reason: `the service name of ${e.id} is not known (${e.serviceName.reason}), so the Region it names is not known` });
        continue;
      }
      const cmp = compareRegions(graph, e);
      if (cmp.kind === 'same') continue;
      if (cmp.kind === 'undecided') {
        ctx.undecided({ at: e, reason: cmp.reason });
        continue;
      }
      // Another Region: an interface endpoint may reach a cross-region enabled AWS service, or an endpoint service
      // whose provider lets that Region connect (its SupportedRegions, which the consumer's configuration does not show).
      if (e.type === 'Interface' && (cmp.crossRegionService || cmp.endpointService)) continue;
      if (isUnknown(e.type)) {
        if (!cmp.crossRegionService && !cmp.endpointService) {
          ctx.undecided({
            at: e,
            reason: `the type of ${e.id} is not known (${e.type.reason}); it names a service in ${cmp.serviceRegion} while it is in ${cmp.endpointRegion}`,
          });
        }
        continue;
      }
      const service = e.service!.service;
      const terraform = e.attributeRefs['service_name'] !== undefined;
      // Several Regions the VPC may be in (a template's region mapping): the name must follow the stack's Region.
      const suggested = `${e.service!.prefix ?? 'com.amazonaws'}.${cmp.endpointRegion.includes(' ') ? '${AWS::Region}' : cmp.endpointRegion}.${service}`;
      const data = {
        suggested,
        endpoint: e.id,
        serviceName: e.serviceName,
        service,
        serviceRegion: cmp.serviceRegion,
        region: cmp.endpointRegion,
        evidence: cmp.evidence ? ` (${cmp.evidence})` : '',
        partition: e.type === 'Interface' && crossPartition(cmp.serviceRegion, cmp.endpointRegion) ? ' across partitions' : '',
      };
      ctx.report({
        messageId: e.type === 'Gateway' ? 'gateway' : 'interface',
        data,
        at: nameAt(e),
        identity: [e.id],
        fix: {
          description:
            e.type === 'Gateway'
              ? `Build the service name of ${e.id} from the Region the endpoint is created in (${suggested}): ${
                  terraform
                    ? 'in Terraform from data.aws_region.current, or pass the region to the module that builds the name'
                    : "in CloudFormation with !Sub 'com.amazonaws.${AWS::Region}." + service + "'"
                }. To reach ${service} in ${cmp.serviceRegion}, use an endpoint in a VPC of that Region.`
              : `Create ${e.id} in ${cmp.serviceRegion} (a VPC there, and its provider or stack), or name the ${service} service of ${cmp.endpointRegion} (${suggested}).`,
        },
      });
    }
  },
});

function crossPartition(a: string, b: string): boolean {
  return partitionOf(a)?.partition !== partitionOf(b)?.partition;
}
