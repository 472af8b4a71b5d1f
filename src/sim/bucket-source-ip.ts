import { cidrOverlaps, parseAddress, parseCidr } from '../facts/cidr.js';
import type { GraphView } from '../graph/graph.js';
import type { BucketPolicyNode, PolicyDocument, VpcEndpointNode } from '../graph/model.js';
import { isUnknown } from '../source/value.js';
import { parseOperator } from './policy/conditions.js';
import { readPolicyDocument, type Statement } from './policy/document.js';
import type { UndecidedAt } from './undecided.js';

/**
 * Bucket policy statements that key on `aws:SourceIp` with addresses only a VPC has, in a configuration whose S3
 * traffic goes through an S3 endpoint. Through a VPC endpoint, `aws:SourceIp` matches no address or range ("If a
 * statement includes the aws:SourceIp condition, the value fails to match any provided IP address or range",
 * https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html), so such a statement never applies to
 * the requests it was written for. A statement that also keys on `aws:SourceVpce`, `aws:SourceVpc` or
 * `aws:VpcSourceIp` handles endpoint traffic itself and is left alone.
 */

export interface SourceIpHit {
  bucketPolicy: BucketPolicyNode;
  document: PolicyDocument;
  statement: Statement;
  /** How the statement uses the key. */
  use: 'allow-only-from' | 'deny-unless-from' | 'deny-from';
  /** The operator as written (`IpAddress`, `NotIpAddressIfExists`). */
  operator: string;
  /** The addresses the statement names that only a VPC (or a network joined to one) has. */
  privateRanges: string[];
  /** The S3 endpoints whose requests the statement fails to match. */
  endpoints: VpcEndpointNode[];
}

const PRIVATE = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', 'fc00::/7'];
const ENDPOINT_KEYS = ['aws:sourcevpce', 'aws:sourcevpc', 'aws:vpcsourceip'];

function asCidr(v: string): string | undefined {
  if (parseCidr(v)) return v;
  const a = parseAddress(v);
  return a ? `${v}/${a.family === 'ipv4' ? 32 : 128}` : undefined;
}

/** S3 endpoints of the configuration (gateway or interface), and bucket policy statements that miss their traffic. */
export function sourceIpViaEndpoint(graph: GraphView): { hits: SourceIpHit[]; undecided: UndecidedAt[] } {
  const endpoints = graph.all('vpc-endpoint').filter((e) => e.service?.service === 's3' && e.type !== 'GatewayLoadBalancer');
  const hits: SourceIpHit[] = [];
  const undecided: UndecidedAt[] = [];
  if (endpoints.length === 0) return { hits, undecided };
  const vpcCidrs = graph
    .all('vpc')
    .flatMap((v) => v.cidrs)
    .filter((c): c is string => typeof c === 'string');
  const vpcOnly = (range: string): boolean => {
    const c = asCidr(range);
    return c !== undefined && [...PRIVATE, ...vpcCidrs].some((p) => cidrOverlaps(p, c));
  };
  for (const bp of graph.all('bucket-policy')) {
    if (isUnknown(bp.policy)) continue;
    const read = readPolicyDocument(bp.policy);
    for (const s of read.statements) {
      if (isUnknown(s.conditions) || isUnknown(s.effect)) {
        const why = isUnknown(s.conditions) ? s.conditions : isUnknown(s.effect) ? s.effect : undefined;
        if (why && JSON.stringify(s.raw).includes('SourceIp'))
          undecided.push({ node: bp, reason: `a statement of the policy of ${bp.bucketLabel} is not known (${why.reason})` });
        continue;
      }
      if (s.conditions.some((t) => ENDPOINT_KEYS.includes(t.key.toLowerCase()))) continue;
      for (const t of s.conditions) {
        if (t.key.toLowerCase() !== 'aws:sourceip') continue;
        if (isUnknown(t.values)) {
          undecided.push({
            node: bp,
            reason: `the aws:SourceIp values of ${t.operator} in the policy of ${bp.bucketLabel} are not known (${t.values.reason})`,
          });
          continue;
        }
        const op = parseOperator(t.operator);
        if (!op || op.base !== 'IpAddress' || op.set) continue;
        const ranges = t.values.filter((v): v is string => !isUnknown(v) && vpcOnly(v));
        if (ranges.length === 0) continue;
        const use =
          s.effect === 'Allow' && !op.negated
            ? 'allow-only-from'
            : s.effect === 'Deny' && op.negated
              ? 'deny-unless-from'
              : s.effect === 'Deny'
                ? 'deny-from'
                : undefined;
        if (!use) continue;
        hits.push({ bucketPolicy: bp, document: bp.policy, statement: s, use, operator: t.operator, privateRanges: ranges, endpoints });
      }
    }
  }
  return { hits, undecided };
}
