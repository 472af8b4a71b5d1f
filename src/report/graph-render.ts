import type { GraphView } from '../graph/graph.js';
import type { Finding } from '../source/findings.js';
import { formatGraphDot } from './graph-dot.js';
import { formatGraphMermaid } from './graph-mermaid.js';
import { buildNetworkPicture, formatGraphJson } from './graph-model.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

/** Draws the VPCs of a scan's graphs in one of the graph formats; pure, like the report formats. */
export function renderGraph(graphs: readonly GraphView[], findings: readonly Finding[], kind: GraphFormat): string {
  const picture = buildNetworkPicture(graphs, findings);
  switch (kind) {
    case 'mermaid':
      return formatGraphMermaid(picture);
    case 'dot':
      return formatGraphDot(picture);
    case 'json':
      return formatGraphJson(picture);
    default: {
      const unknown: never = kind;
      throw new Error(`unknown graph format: ${String(unknown)}`);
    }
  }
}
