import { defineRule } from './rule.js';
import { undecidedAt } from './shared/undecided.js';
import { duplicateGatewayEndpoints } from '../src/sim/duplicate-endpoints.js';

export default defineRule({
  id: 'VPCE104',
  name: 'duplicate-gateway-endpoint',
  level: 'error',
  category: 'correctness',
  summary: 'Two gateway endpoints for one service are associated with the same route table; AWS rejects the second.',
  description:
    'A gateway endpoint adds a route to its service’s prefix list in every route table it is associated with, and a route table holds one route per destination. A second gateway endpoint for the same service on the same route table cannot add its route, so AWS rejects the association and the apply fails.',
  precision: 'very-high',
  tags: ['correctness', 'networking', 'vpc-endpoint', 'routing'],
  messages: {
    duplicate:
      'Gateway endpoints {{first}} and {{second}} are both associated with route table {{table}} for {{service}}. A route table holds one route per prefix list, so AWS rejects the association of {{second}}.',
  },
  check(graph, ctx) {
    const analysis = duplicateGatewayEndpoints(graph);
    for (const u of analysis.undecided) ctx.undecided(undecidedAt(u));
    for (const hit of analysis.hits) {
      ctx.report({
        messageId: 'duplicate',
        data: { first: hit.first.id, second: hit.second.id, table: hit.table.id, service: hit.service },
        at: hit.secondAssociation,
        related: [
          { at: hit.first, message: `gateway endpoint ${hit.first.id} already routes ${hit.service} in ${hit.table.id}` },
          { at: hit.table, message: `route table ${hit.table.id}` },
        ],
        identity: [hit.first.id, hit.second.id, hit.table.id],
        fix: {
          description: `Keep one ${hit.service} gateway endpoint on ${hit.table.id}: remove ${hit.table.id} from ${hit.second.id}'s route tables, or merge the two endpoint policies into one endpoint.`,
        },
      });
    }
  },
});
