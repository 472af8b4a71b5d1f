import { defineRule } from './rule.js';
import type { SubnetNode } from '../src/graph/model.js';
import { subnetCidrConflicts } from '../src/sim/vpc-addressing.js';
import { undecidedAt } from './shared/undecided.js';

const cidrAttribute = (s: SubnetNode, family: 'ipv4' | 'ipv6') => {
  const names = family === 'ipv4' ? ['cidr_block', 'CidrBlock'] : ['ipv6_cidr_block', 'Ipv6CidrBlock'];
  return names.find((n) => s.attributeRefs[n]);
};
const zone = (s: SubnetNode) => (typeof s.az === 'string' ? `, ${s.az}` : '');

export default defineRule({
  id: 'VPCE108',
  name: 'subnet-cidr-conflict',
  level: 'error',
  category: 'correctness',
  summary: 'A subnet CIDR lies outside its VPC’s CIDR blocks, or overlaps another subnet of the VPC; AWS rejects the subnet.',
  description:
    'A subnet’s IPv4 CIDR block must lie inside one of its VPC’s IPv4 blocks (the primary one or a secondary one associated with the VPC), and its IPv6 block inside the VPC’s IPv6 block; the blocks of two subnets of one VPC must not overlap. CreateSubnet rejects a subnet that breaks either rule, so the apply fails at that subnet.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'subnet'],
  messages: {
    outside:
      'Subnet {{subnet}} ({{cidr}}{{zone}}) lies outside the {{family}} CIDR blocks of {{vpc}} ({{vpcCidrs}}). A subnet’s block must lie inside one of its VPC’s blocks, so AWS rejects {{subnet}}.',
    overlap:
      'Subnets {{first}} ({{firstCidr}}{{firstZone}}) and {{second}} ({{secondCidr}}{{secondZone}}) of {{vpc}} overlap. The {{family}} CIDR blocks of a VPC’s subnets must not overlap, so AWS rejects {{second}}.',
  },
  check(graph, ctx) {
    const analysis = subnetCidrConflicts(graph);
    for (const u of analysis.undecided) ctx.undecided(undecidedAt(u));
    for (const hit of analysis.outside) {
      const attribute = cidrAttribute(hit.subnet, hit.family);
      const family = hit.family === 'ipv4' ? 'IPv4' : 'IPv6';
      ctx.report({
        messageId: 'outside',
        data: {
          subnet: hit.subnet.id,
          cidr: hit.cidr,
          zone: zone(hit.subnet),
          family,
          vpc: hit.vpc.id,
          vpcCidrs: hit.vpcCidrs.length > 0 ? hit.vpcCidrs.join(', ') : `it has no ${family} block`,
        },
        at: attribute ? { node: hit.subnet, attribute } : hit.subnet,
        related: [{ at: hit.vpc, message: `VPC ${hit.vpc.id}: ${hit.vpcCidrs.join(', ') || `no ${family} block`}` }],
        identity: [hit.subnet.id, hit.family],
        fix: {
          description: `Give ${hit.subnet.id} a block inside ${hit.vpcCidrs.length > 0 ? hit.vpcCidrs.join(' or ') : `an ${family} block of ${hit.vpc.id}`}, or associate a block that holds ${hit.cidr} with ${hit.vpc.id} (${graph.syntax === 'terraform' ? `aws_vpc_${hit.family}_cidr_block_association` : 'AWS::EC2::VPCCidrBlock'}) and make the subnet depend on it.`,
        },
      });
    }
    for (const hit of analysis.overlaps) {
      const attribute = cidrAttribute(hit.second.subnet, hit.family);
      ctx.report({
        messageId: 'overlap',
        data: {
          first: hit.first.subnet.id,
          firstCidr: hit.first.cidr,
          firstZone: zone(hit.first.subnet),
          second: hit.second.subnet.id,
          secondCidr: hit.second.cidr,
          secondZone: zone(hit.second.subnet),
          vpc: hit.vpc.id,
          family: hit.family === 'ipv4' ? 'IPv4' : 'IPv6',
        },
        at: attribute ? { node: hit.second.subnet, attribute } : hit.second.subnet,
        related: [
          { at: hit.first.subnet, message: `subnet ${hit.first.subnet.id} (${hit.first.cidr})` },
          { at: hit.vpc, message: `VPC ${hit.vpc.id}` },
        ],
        identity: [hit.first.subnet.id, hit.second.subnet.id, hit.family],
        fix: {
          description: `Give ${hit.second.subnet.id} a block of ${hit.vpc.id} that no other subnet uses (with count or for_each, check the cidrsubnet netnum: each instance needs its own).`,
        },
      });
    }
  },
});
