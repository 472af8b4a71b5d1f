import type { NetworkPicture, PictureEdge, PictureGroup, PictureNode, PictureNodeKind } from './graph-model.js';

/*
 * The network picture as a Mermaid flowchart (GitHub renders ```mermaid blocks). Identifiers are the picture's
 * `n1`/`g1` ids; every label is quoted, and each character outside a small safe set is written as a Mermaid entity
 * code `#<decimal>;` (https://mermaid.js.org/syntax/flowchart.html#entity-codes-to-escape-characters): quotes, `#`,
 * `<`, `>`, `&` and `|` would end or change the label, and `*`, `_`, `~` and backticks would turn into Markdown where
 * labels are read as Markdown, as GitHub does.
 */

const SAFE = /[A-Za-z0-9 .,:/()[\]\-=+@!?%$']/;

const ALNUM = /[A-Za-z0-9]/;

export function mermaidText(s: string): string {
  const chars = [...s];
  // An underscore inside a word (`aws_vpc`) cannot start Markdown emphasis (CommonMark's flanking rules) and stays readable.
  const wordUnderscore = (i: number) => chars[i] === '_' && ALNUM.test(chars[i - 1] ?? '') && ALNUM.test(chars[i + 1] ?? '');
  return chars.map((ch, i) => (SAFE.test(ch) || wordUnderscore(i) ? ch : `#${ch.codePointAt(0)};`)).join('');
}

const SHAPES: Record<PictureNodeKind, [string, string]> = {
  subnet: ['["', '"]'],
  'route-table': ['[["', '"]]'],
  'nat-gateway': ['{{"', '"}}'],
  'internet-gateway': ['(["', '"])'],
  'egress-only-internet-gateway': ['(["', '"])'],
  'vpn-gateway': ['(["', '"])'],
  'transit-gateway': ['(["', '"])'],
  'gateway-endpoint': ['>"', '"]'],
  'interface-endpoint': ['>"', '"]'],
  external: ['("', '")'],
};

const KIND_LABEL: Record<PictureNodeKind, string> = {
  subnet: 'subnet',
  'route-table': 'route table',
  'nat-gateway': 'NAT gateway',
  'internet-gateway': 'internet gateway',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'vpn-gateway': 'VPN gateway',
  'transit-gateway': 'transit gateway',
  'gateway-endpoint': 'VPC endpoint',
  'interface-endpoint': 'VPC endpoint',
  external: 'target',
};

/** Lines of a label, joined by Mermaid's line break. */
const label = (lines: string[]) => lines.map(mermaidText).join('<br/>');

export function nodeLabel(n: PictureNode): string[] {
  return [`${KIND_LABEL[n.kind]} ${n.address}`, ...n.details, ...(n.findings.length > 0 ? [`finding: ${n.findings.join(', ')}`] : [])];
}

export function formatGraphMermaid(picture: NetworkPicture): string {
  const byId = new Map(picture.nodes.map((n) => [n.id, n]));
  const out = ['flowchart LR'];
  const writeNode = (id: string, indent: string) => {
    const n = byId.get(id)!;
    const [open, close] = SHAPES[n.kind];
    out.push(`${indent}${n.id}${open}${label(nodeLabel(n))}${close}`);
  };
  const writeGroup = (g: PictureGroup, indent: string) => {
    out.push(`${indent}subgraph ${g.id}["${label([g.label, ...g.details, ...(g.findings.length > 0 ? [`finding: ${g.findings.join(', ')}`] : [])])}"]`);
    for (const child of g.groups) writeGroup(child, `${indent}  `);
    for (const id of g.nodes) writeNode(id, `${indent}  `);
    out.push(`${indent}end`);
  };
  for (const vpc of picture.vpcs) writeGroup(vpc, '  ');
  for (const id of picture.outside) writeNode(id, '  ');
  picture.edges.forEach((e) => out.push(`  ${edge(e)}`));
  out.push(...highlights(picture));
  return `${out.join('\n')}\n`;
}

function edge(e: PictureEdge): string {
  if (e.kind === 'route') return `${e.from} -->|"${label([e.label ?? '', ...(e.findings.length > 0 ? [`finding: ${e.findings.join(', ')}`] : [])])}"| ${e.to}`;
  if (e.kind === 'placement') return `${e.from} -.- ${e.to}`;
  return `${e.from} --> ${e.to}`;
}

/** Resources with findings get the `finding` class, routes with findings a red link style (links are numbered in order). */
function highlights(picture: NetworkPicture): string[] {
  const out = ['  classDef finding stroke:#d1242f,stroke-width:3px,color:#d1242f'];
  const flagged = [...picture.nodes.filter((n) => n.findings.length > 0).map((n) => n.id), ...flaggedGroups(picture.vpcs)];
  if (flagged.length > 0) out.push(`  class ${flagged.join(',')} finding`);
  const links = picture.edges.flatMap((e, i) => (e.findings.length > 0 ? [i] : []));
  if (links.length > 0) out.push(`  linkStyle ${links.join(',')} stroke:#d1242f,stroke-width:3px`);
  return out;
}

function flaggedGroups(groups: PictureGroup[]): string[] {
  return groups.flatMap((g) => [...(g.findings.length > 0 ? [g.id] : []), ...flaggedGroups(g.groups)]);
}
