import type { CfnResource } from '../../parsers/cloudformation/index.js';
import { isObject, type Value } from '../../source/value.js';
import { addServiceUseNode } from '../nodes.js';
import { DYNAMODB_MANAGED_POLICY, firstAllowedAction } from '../policy.js';
import type { CfnContext } from './context.js';

/** SAM policy templates that grant DynamoDB actions. */
const SAM_DYNAMODB_TEMPLATES = /^DynamoDB(Crud|Read|Write|Reconfigure|Stream|Backup|Restore)\w*Policy$/;
const DYNAMODB_ACTION = /^dynamodb:/i;
const allowedDynamoDbAction = (doc: Value | undefined) => firstAllowedAction(doc, DYNAMODB_ACTION);

/** DynamoDB use: tables, IAM policies and roles that allow DynamoDB actions, SAM functions with DynamoDB policies. */
export function addServiceUse(ctx: CfnContext): void {
  const use = (r: CfnResource, evidence: string, table = false) => addServiceUseNode(ctx.graph, ctx.base(r), 'dynamodb', evidence, table);
  for (const r of ctx.template.resources) {
    const p = r.properties;
    switch (r.type) {
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::Serverless::SimpleTable':
        use(r, `DynamoDB table ${r.logicalId}`, true);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy': {
        const action = allowedDynamoDbAction(p['PolicyDocument']);
        if (action) use(r, `IAM policy ${r.logicalId} allows ${action}`);
        break;
      }
      case 'AWS::IAM::Role': {
        const policies = p['Policies'];
        const action = Array.isArray(policies)
          ? policies.map((x) => (isObject(x) ? allowedDynamoDbAction(x['PolicyDocument']) : undefined)).find(Boolean)
          : undefined;
        const managed = Array.isArray(p['ManagedPolicyArns'])
          ? p['ManagedPolicyArns'].find((a): a is string => typeof a === 'string' && DYNAMODB_MANAGED_POLICY.test(a))
          : undefined;
        if (action) use(r, `IAM role ${r.logicalId} allows ${action}`);
        else if (managed) use(r, `IAM role ${r.logicalId} attaches ${managed.split('/').pop()}`);
        break;
      }
      case 'AWS::Serverless::Function': {
        const policies = p['Policies'];
        for (const x of Array.isArray(policies) ? policies : [policies]) {
          if (isObject(x)) {
            const template = Object.keys(x).find((k) => SAM_DYNAMODB_TEMPLATES.test(k));
            if (template) {
              use(r, `function ${r.logicalId} has SAM policy ${template}`);
              break;
            }
            const action = allowedDynamoDbAction(x);
            if (action) {
              use(r, `function ${r.logicalId} allows ${action}`);
              break;
            }
          } else if (typeof x === 'string' && /AmazonDynamoDB/.test(x)) {
            use(r, `function ${r.logicalId} attaches ${x}`);
            break;
          }
        }
        break;
      }
    }
  }
}
