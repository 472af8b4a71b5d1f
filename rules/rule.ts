import type { SourceRef } from '../src/source/types.js';
import type { GraphView } from '../src/graph/graph.js';
import type { GraphNode } from '../src/graph/model.js';
import type { Fix, RuleMeta } from '../src/source/findings.js';

/** What a finding points at: a graph node (its block header), one of its attributes, or an explicit source location. */
export type Locatable = GraphNode | { node: GraphNode; attribute: string } | SourceRef;

export interface Report<M extends string> {
  messageId: M;
  data?: Record<string, string | number>;
  /** Where the fix goes. */
  at: Locatable;
  related?: Array<{ at: Locatable; message: string }>;
  /** A routing path, in order (subnet → route table → route → target). */
  path?: Array<{ at: Locatable; message: string }>;
  fix?: Fix;
  /** Regions in which a NAT gateway processes the traffic this finding is about (for the cost at stake in reports). */
  natRegions?: string[];
  /**
   * What, beside the primary address, makes this finding itself (defaults to the related addresses). Keep it to what
   * identifies the problem, so that adding a subnet to a flagged table does not turn the alert into a new one.
   */
  identity?: string[];
}

/** Why a rule stays silent about a resource: something that decides the answer is Unknown or uncertain. */
export interface Undecided {
  /** The resource the rule could not decide about (the one a finding would point at, or the one that is unknown). */
  at: Locatable;
  /** A plain sentence: what could not be resolved and why it decides the answer. */
  reason: string;
}

export interface RuleContext<M extends string> {
  report(r: Report<M>): void;
  /**
   * Declines to decide: no finding, and one counted `rule-undecided` diagnostic naming the rule, the resource and the
   * reason. Call it wherever an Unknown value would decide the outcome; never guess.
   */
  undecided(u: Undecided): void;
}

export interface Rule<M extends string = string> extends RuleMeta {
  messages: Record<M, string>;
  check(graph: GraphView, ctx: RuleContext<M>): void;
}

/** Declares a rule; message ids are typed, so a report with a misspelt id does not compile. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

export function resolveLocation(at: Locatable): SourceRef {
  if ('file' in at && 'span' in at) return at;
  if ('node' in at && 'attribute' in at) return at.node.attributeRefs[at.attribute] ?? at.node.source;
  return (at as GraphNode).source;
}

/** Fills `{{name}}` placeholders; a placeholder without data is a rule bug and throws (the tests catch it). */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) => {
    if (!(key in data)) throw new Error(`message placeholder {{${key}}} has no data`);
    return String(data[key]);
  });
}
