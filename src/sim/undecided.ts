import type { DetachedRoute, GraphNode } from '../graph/model.js';

/** Where the analysis declined to decide, and why: the rule turns each into a `rule-undecided` diagnostic. */
export interface UndecidedAt {
  node: GraphNode | DetachedRoute;
  reason: string;
}
