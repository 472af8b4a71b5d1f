import { formatCidr, parseCidr, subnetOf } from '../../facts/cidr.js';

export type CidrResult = { cidrs: string[]; error?: undefined } | { cidrs?: undefined; error: string };

/**
 * `Fn::Cidr [ipBlock, count, cidrBits]`: the first `count` consecutive blocks of `cidrBits` host bits inside
 * `ipBlock` (a prefix of 32 − cidrBits for IPv4, 128 − cidrBits for IPv6), in address order.
 * `!Cidr ["192.168.0.0/24", 6, 5]` gives 192.168.0.0/27, 192.168.0.32/27, … 192.168.0.160/27. Only the argument
 * checks and their texts are CloudFormation's; the prefixes come from src/facts.
 */
export function cidrBlocks(ipBlock: string, count: number, cidrBits: number): CidrResult {
  const block = parseCidr(ipBlock);
  if (!block) return { error: `"${ipBlock}" is not a CIDR block` };
  if (!Number.isInteger(count) || count < 1 || count > 256) return { error: `count ${count} is outside 1–256` };
  const hostBits = block.bits - block.prefix;
  if (!Number.isInteger(cidrBits) || cidrBits < 1 || cidrBits > hostBits) {
    return { error: `cidrBits ${cidrBits} does not fit in ${ipBlock} (1–${hostBits} host bits)` };
  }
  const available = 1n << BigInt(hostBits - cidrBits);
  if (BigInt(count) > available) return { error: `${ipBlock} holds only ${available} blocks of ${cidrBits} host bits, not ${count}` };
  const prefix = block.bits - cidrBits;
  const cidrs: string[] = [];
  for (let i = 0; i < count; i++) cidrs.push(formatCidr(subnetOf(block, prefix, BigInt(i))));
  return { cidrs };
}
