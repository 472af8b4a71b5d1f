import type { UndecidedAt } from '../../src/sim/undecided.js';
import type { Undecided } from '../rule.js';

/** Where the analysis declined to decide, as the rule context takes it. */
export function undecidedAt(u: UndecidedAt): Undecided {
  return { at: 'table' in u.node ? u.node.source : u.node, reason: u.reason };
}
