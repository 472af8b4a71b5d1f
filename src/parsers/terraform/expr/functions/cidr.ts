import {
  addressCount,
  cidrContains,
  formatAddress,
  hostAddress,
  netmask,
  nextPrefix,
  parseCidr,
  previousPrefix,
  subnetOf,
  type Cidr,
  type Family,
} from '../../../../facts/cidr.js';
import { FunctionError } from '../codes.js';
import { int, str, type FnSpec } from './args.js';

/**
 * Terraform's cidr* functions: argument checks and error texts as Terraform gives them; the addresses themselves are
 * parsed, computed and formatted by src/facts. Like Terraform, IPv4 octets with leading zeros are read as decimal, and
 * host bits in the given prefix are ignored.
 */

function parsePrefix(text: string): Cidr {
  const net = parseCidr(text, { leadingZeros: true });
  if (!net) throw new FunctionError(`invalid CIDR expression: invalid CIDR address: ${text}.`);
  return net;
}

/** Go's net.IP String(): dotted quad for IPv4 and for IPv4-mapped IPv6 (::ffff:a.b.c.d), RFC 5952 otherwise. */
function formatIP(family: Family, value: bigint): string {
  if (family === 'ipv6' && value >> 32n === 0xffffn) return formatAddress('ipv4', value & 0xffffffffn);
  return formatAddress(family, value);
}

function formatNetwork(n: Cidr): string {
  return `${formatIP(n.family, n.network)}/${n.prefix}`;
}

export const cidrFunctions: Record<string, FnSpec> = {
  cidrsubnet: {
    params: 3,
    impl([p, nb, nn]) {
      const newbits = int(nb!, 'newbits');
      const netnum = int(nn!, 'netnum');
      const net = parsePrefix(str(p!, 'prefix'));
      const newPrefix = net.prefix + newbits;
      if (newbits < 0 || newPrefix > net.bits) throw new FunctionError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}.`);
      if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
        throw new FunctionError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}.`);
      }
      return formatNetwork(subnetOf(net, newPrefix, BigInt(netnum)));
    },
  },

  cidrhost: {
    params: 2,
    impl([p, h]) {
      let hostnum = BigInt(int(h!, 'hostnum'));
      const net = parsePrefix(str(p!, 'prefix'));
      const max = addressCount(net) - 1n;
      // Negative host numbers count back from the end of the range: -1 is the last address.
      const magnitude = hostnum < 0n ? -hostnum - 1n : hostnum;
      if (hostnum < 0n) hostnum = max - magnitude;
      if (magnitude > max) throw new FunctionError(`prefix of ${net.prefix} does not accommodate a host numbered ${hostnum}.`);
      return formatIP(net.family, hostAddress(net, hostnum));
    },
  },

  cidrnetmask: {
    params: 1,
    impl([p]) {
      const text = str(p!, 'prefix');
      const net = parsePrefix(text);
      if (net.family !== 'ipv4') throw new FunctionError(`IPv6 addresses cannot have a netmask: ${text}.`);
      return formatIP('ipv4', netmask('ipv4', net.prefix));
    },
  },

  cidrsubnets: {
    params: 1,
    variadic: true,
    impl([p, ...lengths]) {
      const net = parsePrefix(str(p!, 'prefix'));
      if (lengths.length === 0) return [];
      const first = int(lengths[0]!, 'newbits') + net.prefix;
      let current = previousPrefix(net, first);
      const out: string[] = [];
      lengths.forEach((l, i) => {
        let length = int(l, 'newbits');
        if (length < 1) throw new FunctionError(`invalid value for "newbits" argument ${i + 1}: must extend prefix by at least one bit.`);
        if (length > 32) throw new FunctionError(`invalid value for "newbits" argument ${i + 1}: may not extend prefix by more than 32 bits.`);
        length += net.prefix;
        if (length > net.bits) {
          throw new FunctionError(
            `invalid value for "newbits" argument ${i + 1}: would extend prefix to ${length} bits, which is too long for an IPv${net.bits === 32 ? 4 : 6} address.`,
          );
        }
        const { next, rollover } = nextPrefix(current, length);
        if (rollover || !cidrContains(net, next)) {
          throw new FunctionError(`not enough remaining address space for a subnet with a prefix of ${length} bits after ${formatNetwork(current)}.`);
        }
        current = next;
        out.push(formatNetwork(current));
      });
      return out;
    },
  },
};
