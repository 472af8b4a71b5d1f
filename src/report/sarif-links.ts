import type * as sarif from 'sarif';

/**
 * GitHub code scanning turns `[text](id)` in `message.text` into a link to the related location with that `id`
 * ("SARIF support for code scanning", `result.relatedLocations`: "Code scanning will link to related locations when
 * they are embedded in the result message"). SARIF 2.1.0 §3.11.6 defines the syntax: the link text escapes `\`, `[`
 * and `]` with a backslash, so a resource address such as `aws_subnet.app["a"]` stays one link.
 */
export function linkText(text: string): string {
  return text.replace(/[\\[\]]/g, '\\$&');
}

// A resource address ends where a character that could continue it is absent: `aws_nat_gateway.main` must not match
// the start of `aws_nat_gateway.main[0]` or `aws_nat_gateway.main_b`, but may end a sentence (`….s3.`).
const CONTINUES = /^(?:[A-Za-z0-9_\-[]|\.[A-Za-z0-9_])/;
const STARTS_INSIDE = /[A-Za-z0-9_.\-\]"]$/;

function occurrence(text: string, address: string, taken: ReadonlyArray<readonly [number, number]>): number {
  for (let at = text.indexOf(address); at >= 0; at = text.indexOf(address, at + 1)) {
    const end = at + address.length;
    if (STARTS_INSIDE.test(text.slice(0, at)) || CONTINUES.test(text.slice(end))) continue;
    if (taken.some(([s, e]) => at < e && end > s)) continue;
    return at;
  }
  return -1;
}

/**
 * Links the first mention of each related location's resource in the message to that location. A resource named by
 * several related locations links to the first of them; the primary location's own resource is left as text, since a
 * link would lead to another place than the alert's. Addresses are tried longest first so that a longer address is
 * never cut by a shorter one it contains.
 */
export function linkRelated(text: string, related: readonly sarif.Location[], primaryAddress: string): string {
  const firstId = new Map<string, number>();
  for (const loc of related) {
    const address = loc.logicalLocations?.[0]?.fullyQualifiedName;
    if (address && address !== primaryAddress && loc.id !== undefined && !firstId.has(address)) firstId.set(address, loc.id);
  }
  const matches: Array<[number, number, string, number]> = [];
  for (const address of [...firstId.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1))) {
    const at = occurrence(
      text,
      address,
      matches.map(([s, e]) => [s, e] as const),
    );
    if (at >= 0) matches.push([at, at + address.length, address, firstId.get(address)!]);
  }
  let out = '';
  let from = 0;
  for (const [start, end, address, id] of matches.sort((a, b) => a[0] - b[0])) {
    out += `${text.slice(from, start)}[${linkText(address)}](${id})`;
    from = end;
  }
  return out + text.slice(from);
}
