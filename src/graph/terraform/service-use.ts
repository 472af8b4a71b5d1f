import type { Graph } from '../graph.js';
import { addServiceUseNode } from '../nodes.js';
import { DYNAMODB_MANAGED_POLICY, firstAllowedAction } from '../policy.js';
import { isObject } from '../../source/value.js';
import type { ResourceInstance } from '../../parsers/terraform/evaluate/index.js';
import { base, type InstanceIndex } from './refs.js';

const POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const ATTACHMENT_TYPES = ['aws_iam_role_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment'];
const DYNAMODB_ACTION = /^dynamodb:/i;

/** DynamoDB use: tables, global tables, IAM policies that allow DynamoDB actions, AWS-managed DynamoDB policies. */
export function addServiceUse(graph: Graph, index: InstanceIndex): void {
  const use = (i: ResourceInstance, evidence: string, table = false) => addServiceUseNode(graph, base(i), 'dynamodb', evidence, table);
  for (const i of index.ofType('aws_dynamodb_table', 'aws_dynamodb_global_table')) use(i, `DynamoDB table ${i.address}`, true);
  for (const i of index.ofType(...POLICY_TYPES)) {
    const action = firstAllowedAction(i.values['policy'], DYNAMODB_ACTION);
    if (action) use(i, `IAM policy ${i.address} allows ${action}`);
  }
  for (const i of index.ofType('aws_iam_role')) {
    const inline = i.values['inline_policy'];
    if (!Array.isArray(inline)) continue;
    for (const p of inline) {
      const action = isObject(p) ? firstAllowedAction(p['policy'], DYNAMODB_ACTION) : undefined;
      if (action) use(i, `IAM role ${i.address} allows ${action}`);
    }
  }
  for (const i of index.dataOfType('aws_iam_policy_document')) {
    const action = firstAllowedAction(i.values['json'], DYNAMODB_ACTION);
    if (action) use(i, `policy document ${i.address} allows ${action}`);
  }
  for (const i of index.ofType(...ATTACHMENT_TYPES)) {
    const arn = i.values['policy_arn'];
    if (typeof arn === 'string' && DYNAMODB_MANAGED_POLICY.test(arn)) use(i, `${i.address} attaches ${arn.split('/').pop()}`);
  }
}
