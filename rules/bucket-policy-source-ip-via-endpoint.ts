import { defineRule } from './rule.js';
import { sourceIpViaEndpoint } from '../src/sim/bucket-source-ip.js';
import { undecidedAt } from './shared/undecided.js';
import { actionsText, endpointIdRef, isTerraform, quoteStatement, whoText } from './shared/policy-wording.js';

/**
 * A bucket policy that keys on aws:SourceIp with VPC addresses while the configuration reaches S3 through an
 * endpoint: through a VPC endpoint aws:SourceIp matches no address or range
 * (https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html), so the statement never matches the
 * traffic it was written for. The question is in src/sim/bucket-source-ip.ts, which decides each statement by
 * evaluating a request from the statement's addresses with aws:SourceIp and the same request as it arrives through the
 * endpoint (aws:SourceVpce, aws:SourceVpc, aws:VpcSourceIp, no aws:SourceIp): the statement is reported when it applies
 * to one and not the other.
 */
export default defineRule({
  id: 'VPCE305',
  name: 'bucket-policy-source-ip-via-endpoint',
  level: 'error',
  category: 'security',
  securitySeverity: '5.3',
  summary:
    'The bucket policy keys on aws:SourceIp with VPC addresses, but requests that come through a VPC endpoint never match aws:SourceIp; use aws:SourceVpce or aws:SourceVpc.',
  description:
    'Requests that reach S3 through a gateway or interface endpoint carry the private addresses of the VPC, and AWS documents that aws:SourceIp then fails to match any address or range. A bucket policy that allows only from VPC ranges allows nothing through the endpoint; one that denies unless the request comes from those ranges denies every request through it; one that denies requests from those ranges never applies to them. aws:SourceVpce (the endpoint) or aws:SourceVpc (the VPC) identify that traffic; aws:VpcSourceIp compares its private address.',
  precision: 'high',
  tags: ['security', 's3', 'bucket-policy', 'vpc-endpoint', 'iam'],
  messages: {
    'allow-only-from':
      '{{statement}} of the policy of bucket {{bucket}} allows {{who}} to call {{actions}} only when aws:SourceIp is in {{ranges}}, but requests through S3 endpoint {{endpoints}} never match aws:SourceIp: this statement allows nothing through the endpoint. Key it on aws:SourceVpce ({{ref}}) or aws:SourceVpc instead.',
    'deny-unless-from':
      '{{statement}} of the policy of bucket {{bucket}} denies {{actions}} to {{who}} unless aws:SourceIp is in {{ranges}}, but requests through S3 endpoint {{endpoints}} never match aws:SourceIp: every request through the endpoint is denied. Exempt the endpoint with aws:SourceVpce ({{ref}}) or aws:SourceVpc instead of its addresses.',
    'deny-from':
      '{{statement}} of the policy of bucket {{bucket}} denies {{actions}} to {{who}} when aws:SourceIp is in {{ranges}}, but requests through S3 endpoint {{endpoints}} never match aws:SourceIp: the deny never applies to them, so those addresses are not blocked. Key the deny on aws:SourceVpce ({{ref}}), aws:SourceVpc or aws:VpcSourceIp instead.',
  },
  check(graph, ctx) {
    const { hits, undecided } = sourceIpViaEndpoint(graph);
    for (const u of undecided) ctx.undecided(undecidedAt(u));
    for (const h of hits) {
      const first = h.endpoints[0]!;
      const ref = endpointIdRef(first);
      const key = h.use === 'allow-only-from' ? 'StringEquals' : h.use === 'deny-unless-from' ? 'StringNotEquals' : 'StringEquals';
      ctx.report({
        messageId: h.use,
        data: {
          statement: quoteStatement(h.document, h.statement),
          bucket: h.bucketPolicy.bucketLabel,
          who: whoText(h.statement),
          actions: actionsText(h.statement),
          ranges: h.privateRanges.join(', '),
          endpoints: h.endpoints.map((e) => e.id).join(', '),
          ref,
        },
        at: h.document.statementAt?.[h.statement.index] ?? h.bucketPolicy.policyAt,
        related: h.endpoints.map((e) => ({
          at: e,
          message: `S3 endpoint ${e.id}: a request from ${h.evaluated.address} through it carries aws:SourceVpce and aws:VpcSourceIp ${h.evaluated.address} but no aws:SourceIp, and the statement ${h.evaluated.throughEndpoint ? 'applies' : 'does not apply'} to it (it ${h.evaluated.intended ? 'applies' : 'does not apply'} to a request with aws:SourceIp ${h.evaluated.address})`,
        })),
        identity: [h.bucketPolicy.id, `statement ${h.statement.sid ?? h.statement.index}`],
        fix: {
          description: `Replace the ${h.operator} condition on aws:SourceIp in ${quoteStatement(h.document, h.statement)} with ${key} on aws:SourceVpce set to ${ref} (or aws:SourceVpc set to the VPC's id); to keep address ranges, use aws:VpcSourceIp, which compares the private address of requests that come through an endpoint.`,
          snippet: isTerraform(h.bucketPolicy)
            ? `Condition = {\n  ${key} = { "aws:SourceVpce" = ${ref} }\n}`
            : `Condition:\n  ${key}:\n    aws:SourceVpce: ${ref}`,
        },
      });
    }
  },
});
