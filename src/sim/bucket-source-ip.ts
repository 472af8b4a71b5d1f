import { cidrOverlaps, parseAddress, parseCidr } from '../facts/cidr.js';
import type { GraphView } from '../graph/graph.js';
import type { BucketPolicyNode, PolicyDocument, VpcEndpointNode } from '../graph/model.js';
import { isUnknown, type Unknown } from '../source/value.js';
import { throughEndpointContext } from './endpoint-requests.js';
import { statementApplies, type PolicyRequest } from './policy/evaluate.js';
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
 *
 * Each such statement is decided by evaluating two concrete requests with the policy evaluator: the request the
 * statement was written for (from an address of its range, `aws:SourceIp` set), and the request that really arrives
 * from that address through the endpoint (`aws:SourceVpce` the endpoint, `aws:SourceVpc` its VPC, `aws:VpcSourceIp`
 * the address, no `aws:SourceIp`). The two differ only in those keys, so the statement's principal, action, resource
 * and other condition keys (which hold or fail alike for both) are left out of the comparison: the statement is a
 * finding when it applies to one request and not the other.
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
  /** The address the evaluated requests come from, and whether the statement applies to each request. */
  evaluated: { address: string; intended: boolean; throughEndpoint: boolean };
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
      if (s.effect !== 'Allow' && s.effect !== 'Deny') continue;
      if (s.conditions.some((t) => ENDPOINT_KEYS.includes(t.key.toLowerCase()))) continue;
      const sourceIp = s.conditions.filter((t) => t.key.toLowerCase() === 'aws:sourceip');
      let first: { operator: string; negated: boolean; ranges: string[] } | undefined;
      let open = false;
      for (const t of sourceIp) {
        if (isUnknown(t.values)) {
          undecided.push({
            node: bp,
            reason: `the aws:SourceIp values of ${t.operator} in the policy of ${bp.bucketLabel} are not known (${t.values.reason})`,
          });
          open = true;
          continue;
        }
        const op = parseOperator(t.operator);
        if (!op || op.base !== 'IpAddress' || op.set) continue;
        const ranges = t.values.filter((v): v is string => !isUnknown(v) && vpcOnly(v));
        if (ranges.length > 0) first ??= { operator: t.operator, negated: op.negated, ranges };
      }
      if (!first || open) continue;
      // The statement as far as the two requests can tell it apart: its network condition keys only.
      const probe: Statement = {
        ...s,
        principal: { kind: 'any' },
        notPrincipal: undefined,
        action: ['*'],
        notAction: undefined,
        resource: ['*'],
        notResource: undefined,
        conditions: sourceIp,
      };
      const address = firstAddress(first.ranges[0]!);
      const principal = { type: 'AWS', arn: 'arn:aws:iam::123456789012:role/workload-in-the-vpc', account: '123456789012' };
      const request = (context: PolicyRequest['context']): PolicyRequest => ({
        principal,
        action: 's3:GetObject',
        resource: 'arn:aws:s3:::bucket/key',
        context,
      });
      const intended = statementApplies(probe, request({ 'aws:SourceIp': address }));
      const through = endpoints.map((e) => ({ e, applies: statementApplies(probe, request(throughEndpointContext(graph, e, address))) }));
      const openThrough = through.find((x) => isUnknown(x.applies));
      if (isUnknown(intended) || openThrough) {
        const why = isUnknown(intended) ? intended : (openThrough!.applies as Unknown);
        undecided.push({ node: bp, reason: `a request to ${bp.bucketLabel} through an S3 endpoint cannot be decided (${why.reason})` });
        continue;
      }
      const missed = through.filter((x) => x.applies !== intended);
      if (missed.length === 0) continue;
      const use =
        s.effect === 'Allow' && intended
          ? 'allow-only-from'
          : s.effect === 'Deny' && !intended
            ? 'deny-unless-from'
            : s.effect === 'Deny'
              ? 'deny-from'
              : undefined;
      if (!use) continue;
      hits.push({
        bucketPolicy: bp,
        document: bp.policy,
        statement: s,
        use,
        operator: first.operator,
        privateRanges: first.ranges,
        endpoints: missed.map((x) => x.e),
        evaluated: { address, intended, throughEndpoint: !intended },
      });
    }
  }
  return { hits, undecided };
}

/** An address inside a range (its first address), as the requests' source. */
function firstAddress(range: string): string {
  const slash = range.indexOf('/');
  return slash < 0 ? range : range.slice(0, slash);
}
