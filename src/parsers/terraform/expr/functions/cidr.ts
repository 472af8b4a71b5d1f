import { FunctionError } from '../codes.js';
import { int, str, type FnSpec } from './args.js';

/**
 * CIDR arithmetic as Terraform does it (Go's net package and go-cidr), on BigInt so IPv6 is exact. Like Terraform,
 * IPv4 octets with leading zeros are read as decimal, and host bits in the given prefix are ignored.
 */

export interface Network {
  bits: 32 | 128;
  addr: bigint;
  prefix: number;
}

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let v = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    v = (v << 8n) | BigInt(n);
  }
  return v;
}

function parseIPv6(s: string): bigint | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseIPv4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(p)) out.push(parseInt(p, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 2 ? total > 7 : total !== 8) return undefined;
  const all = [...head, ...Array<number>(8 - total).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function mask(bits: number, prefix: number): bigint {
  const all = (1n << BigInt(bits)) - 1n;
  return prefix <= 0 ? 0n : all ^ ((1n << BigInt(bits - prefix)) - 1n);
}

export function parseCidr(text: string): Network {
  const slash = text.indexOf('/');
  const bad = () => new FunctionError(`invalid CIDR expression: invalid CIDR address: ${text}.`);
  if (slash < 0) throw bad();
  const ip = text.slice(0, slash);
  const lenText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenText)) throw bad();
  const prefix = Number(lenText);
  const v4 = ip.includes(':') ? undefined : parseIPv4(ip);
  if (v4 !== undefined) {
    if (prefix > 32) throw bad();
    return { bits: 32, addr: v4 & mask(32, prefix), prefix };
  }
  const v6 = parseIPv6(ip);
  if (v6 === undefined || prefix > 128) throw bad();
  return { bits: 128, addr: v6 & mask(128, prefix), prefix };
}

/** Go's net.IP String(): dotted quad for IPv4 (also IPv4-mapped IPv6), RFC 5952 compression otherwise. */
export function formatIP(addr: bigint, bits: 32 | 128): string {
  const v4 = (a: bigint) => [24n, 16n, 8n, 0n].map((s) => String((a >> s) & 0xffn)).join('.');
  if (bits === 32) return v4(addr);
  if (addr >> 32n === 0xffffn) return v4(addr & 0xffffffffn);
  const groups = Array.from({ length: 8 }, (_, i) => Number((addr >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function formatNetwork(n: Network): string {
  return `${formatIP(n.addr, n.bits)}/${n.prefix}`;
}

function lastAddress(n: Network): bigint {
  return n.addr | ((1n << BigInt(n.bits - n.prefix)) - 1n);
}

function wrap(v: bigint, bits: number): bigint {
  const size = 1n << BigInt(bits);
  return ((v % size) + size) % size;
}

function previousSubnet(n: Network, prefix: number): Network {
  return { bits: n.bits, addr: wrap(n.addr - 1n, n.bits) & mask(n.bits, prefix), prefix };
}

function nextSubnet(n: Network, prefix: number): { next: Network; rollover: boolean } {
  const current: Network = { bits: n.bits, addr: lastAddress(n) & mask(n.bits, prefix), prefix };
  const after = wrap(lastAddress(current) + 1n, n.bits);
  return { next: { bits: n.bits, addr: after & mask(n.bits, prefix), prefix }, rollover: after === 0n };
}

function contains(n: Network, addr: bigint): boolean {
  return (addr & mask(n.bits, n.prefix)) === n.addr;
}

export const cidrFunctions: Record<string, FnSpec> = {
  cidrsubnet: {
    params: 3,
    impl([p, nb, nn]) {
      const newbits = int(nb!, 'newbits');
      const netnum = int(nn!, 'netnum');
      const net = parseCidr(str(p!, 'prefix'));
      const newPrefix = net.prefix + newbits;
      if (newbits < 0 || newPrefix > net.bits) throw new FunctionError(`insufficient address space to extend prefix of ${net.prefix} by ${newbits}.`);
      if (netnum < 0 || BigInt(netnum) >= 1n << BigInt(newbits)) {
        throw new FunctionError(`prefix extension of ${newbits} does not accommodate a subnet numbered ${netnum}.`);
      }
      const addr = net.addr | (BigInt(netnum) << BigInt(net.bits - newPrefix));
      return formatNetwork({ bits: net.bits, addr, prefix: newPrefix });
    },
  },

  cidrhost: {
    params: 2,
    impl([p, h]) {
      let hostnum = BigInt(int(h!, 'hostnum'));
      const net = parseCidr(str(p!, 'prefix'));
      const max = (1n << BigInt(net.bits - net.prefix)) - 1n;
      // Negative host numbers count back from the end of the range: -1 is the last address.
      const magnitude = hostnum < 0n ? -hostnum - 1n : hostnum;
      if (hostnum < 0n) hostnum = max - magnitude;
      if (magnitude > max) throw new FunctionError(`prefix of ${net.prefix} does not accommodate a host numbered ${hostnum}.`);
      return formatIP(net.addr | hostnum, net.bits);
    },
  },

  cidrnetmask: {
    params: 1,
    impl([p]) {
      const text = str(p!, 'prefix');
      const net = parseCidr(text);
      if (net.bits !== 32) throw new FunctionError(`IPv6 addresses cannot have a netmask: ${text}.`);
      return formatIP(mask(32, net.prefix), 32);
    },
  },

  cidrsubnets: {
    params: 1,
    variadic: true,
    impl([p, ...lengths]) {
      const net = parseCidr(str(p!, 'prefix'));
      if (lengths.length === 0) return [];
      const first = int(lengths[0]!, 'newbits') + net.prefix;
      let current = previousSubnet(net, first);
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
        const { next, rollover } = nextSubnet(current, length);
        if (rollover || !contains(net, next.addr)) {
          throw new FunctionError(`not enough remaining address space for a subnet with a prefix of ${length} bits after ${formatNetwork(current)}.`);
        }
        current = next;
        out.push(formatNetwork(current));
      });
      return out;
    },
  },
};
