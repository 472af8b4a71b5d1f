import type { NetworkPicture, PictureEdge, PictureGroup, PictureNodeKind } from './graph-model.js';
import { nodeLabel } from './graph-mermaid.js';

/*
 * The network picture in Graphviz DOT (`dot -Tsvg`). VPCs and zones are `cluster_` subgraphs, ids are the picture's
 * `n1`/`g1`. In a quoted DOT string only `"` needs a backslash (https://graphviz.org/doc/info/lang.html); labels are
 * escString, where a backslash starts an escape, so backslashes are doubled and line breaks written `\n`.
 */

export function dotText(s: string): string {
  // A scanned file controls these names: control characters become U+FFFD rather than reach the layout engine.
  // eslint-disable-next-line no-control-regex
  const controls = /[\u0000-\u001f\u007f]/g;
  return s.replace(controls, '\ufffd').replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const label = (lines: string[]) => lines.map(dotText).join('\\n');

const SHAPES: Record<PictureNodeKind, string> = {
  subnet: 'box',
  'route-table': 'box3d',
  'nat-gateway': 'hexagon',
  'internet-gateway': 'ellipse',
  'egress-only-internet-gateway': 'ellipse',
  'vpn-gateway': 'ellipse',
  'transit-gateway': 'ellipse',
  'gateway-endpoint': 'cds',
  'interface-endpoint': 'cds',
  external: 'plaintext',
};

const RED = 'color="#d1242f", fontcolor="#d1242f", penwidth=3';

export function formatGraphDot(picture: NetworkPicture): string {
  const byId = new Map(picture.nodes.map((n) => [n.id, n]));
  const out = ['digraph network {', '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=10];', '  edge [fontname="Helvetica", fontsize=9];'];
  const writeNode = (id: string, indent: string) => {
    const n = byId.get(id)!;
    out.push(`${indent}${n.id} [shape=${SHAPES[n.kind]}, label="${label(nodeLabel(n))}"${n.findings.length > 0 ? `, ${RED}` : ''}];`);
  };
  const writeGroup = (g: PictureGroup, indent: string) => {
    out.push(`${indent}subgraph cluster_${g.id} {`);
    const lines = [g.label, ...g.details, ...(g.findings.length > 0 ? [`finding: ${g.findings.join(', ')}`] : [])];
    out.push(`${indent}  label="${label(lines)}";${g.findings.length > 0 ? ` ${RED.replace(/, /g, '; ')};` : ''}`);
    for (const child of g.groups) writeGroup(child, `${indent}  `);
    for (const id of g.nodes) writeNode(id, `${indent}  `);
    out.push(`${indent}}`);
  };
  for (const vpc of picture.vpcs) writeGroup(vpc, '  ');
  for (const id of picture.outside) writeNode(id, '  ');
  for (const e of picture.edges) out.push(`  ${edge(e)}`);
  out.push('}');
  return `${out.join('\n')}\n`;
}

function edge(e: PictureEdge): string {
  const attrs: string[] = [];
  if (e.kind === 'route') attrs.push(`label="${label([e.label ?? '', ...(e.findings.length > 0 ? [`finding: ${e.findings.join(', ')}`] : [])])}"`);
  if (e.kind === 'placement') attrs.push('style=dashed', 'arrowhead=none');
  if (e.findings.length > 0) attrs.push(RED);
  return `${e.from} -> ${e.to}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`;
}
