/** Splits a Terraform address on dots outside `[...]` and quotes: module.a["x.y"].aws_vpc.main[0]. */
export function addressSegments(address: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < address.length; i++) {
    const c = address[i]!;
    if (quoted) {
      cur += c;
      if (c === '\\') cur += address[++i] ?? '';
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The resource type an address names (`aws_nat_gateway` for `module.net.aws_nat_gateway.this[0]`), or undefined. */
export function resourceTypeOf(address: string): string | undefined {
  const seg = addressSegments(address);
  let i = 0;
  while (seg[i] === 'module' && i + 1 < seg.length) i += 2;
  if (seg[i] === 'data') i++;
  const rest = seg.slice(i);
  return rest.length === 2 ? rest[0] : undefined;
}

/** `module.net.aws_vpc.this[0]` → `module.net` (the module part), '' at the root. */
export function moduleOf(address: string): string {
  const seg = addressSegments(address);
  let i = 0;
  while (seg[i] === 'module' && i + 1 < seg.length) i += 2;
  return seg.slice(0, i).join('.');
}
