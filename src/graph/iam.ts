import { isObject, isUnknown, parseRef, type Value } from '../source/value.js';

/**
 * IAM identity policies as both formats write them: what their Allow statements name, and what the AWS-managed
 * policies and SAM policy templates that matter to the rules allow.
 */

/** What a policy document's Allow statements name. `unread` says why part of it cannot be read. */
export interface StatementGrants {
  actions: string[];
  /** Resources of the configuration named in `Resource` (references), by address or logical id. */
  resources: string[];
  unread?: string;
}

/**
 * Reads a policy document: JSON text (Terraform, CloudFormation strings) or an object (CloudFormation, a rendered
 * `jsonencode` argument). References stay references, so a statement naming a table's ARN names the table.
 */
export function statementGrants(doc: Value | undefined, what: string): StatementGrants {
  const out: StatementGrants = { actions: [], resources: [] };
  if (doc === undefined || doc === null) return out;
  if (isUnknown(doc)) return { ...out, unread: `${what} is not known (${doc.reason})` };
  let d: Value = doc;
  if (typeof doc === 'string') {
    if (parseRef(doc)) return { ...out, unread: `${what} is known only after apply` };
    try {
      d = JSON.parse(doc) as Value;
    } catch {
      return { ...out, unread: `${what} is not JSON` };
    }
  }
  if (!isObject(d)) return { ...out, unread: `${what} is not a policy document` };
  const st = d['Statement'];
  if (isUnknown(st)) return { ...out, unread: `the statements of ${what} are not known` };
  for (const s of Array.isArray(st) ? st : st === undefined || st === null ? [] : [st]) {
    if (isUnknown(s) || !isObject(s)) {
      out.unread ??= `a statement of ${what} is not known`;
      continue;
    }
    const effect = s['Effect'];
    if (effect !== 'Allow') {
      if (typeof effect !== 'string') out.unread ??= `the Effect of a statement of ${what} is not known`;
      continue;
    }
    const actions = s['Action'];
    for (const a of Array.isArray(actions) ? actions : actions === undefined || actions === null ? [] : [actions]) {
      if (typeof a === 'string' && !parseRef(a)) {
        if (!out.actions.includes(a)) out.actions.push(a);
      } else out.unread ??= `an action of ${what} is not known`;
    }
    for (const address of refsIn(s['Resource'])) if (!out.resources.includes(address)) out.resources.push(address);
  }
  return out;
}

/** Addresses of the resources a value references (Terraform's `aws_x.y.arn`, CloudFormation's `!GetAtt T.Arn`). */
export function refsIn(v: Value | undefined): string[] {
  const out: string[] = [];
  const walk = (x: Value | undefined): void => {
    const ref = parseRef(x);
    if (ref) {
      if (!out.includes(ref.address)) out.push(ref.address);
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (isObject(x)) Object.values(x).forEach(walk);
  };
  walk(v);
  return out;
}

const STREAM_READ = ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:ListStreams'];

/**
 * DynamoDB actions of the AWS-managed policies that name DynamoDB
 * (https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html). Other AWS-managed policies are
 * read as granting no DynamoDB action: `AdministratorAccess` allows `*`, which says nothing about use.
 */
const AWS_MANAGED: Record<string, string[]> = {
  AmazonDynamoDBFullAccess: ['dynamodb:*'],
  AmazonDynamoDBFullAccess_v2: ['dynamodb:*'],
  AmazonDynamoDBFullAccesswithDataPipeline: ['dynamodb:*'],
  AmazonDynamoDBReadOnlyAccess: [
    'dynamodb:BatchGetItem',
    'dynamodb:Describe*',
    'dynamodb:List*',
    'dynamodb:GetItem',
    'dynamodb:Query',
    'dynamodb:Scan',
    'dynamodb:PartiQLSelect',
  ],
  AWSLambdaDynamoDBExecutionRole: STREAM_READ,
  'AWSLambdaInvocation-DynamoDB': STREAM_READ,
};

/** The name of an AWS-managed policy from its ARN (`arn:aws:iam::aws:policy/service-role/X`), else undefined. */
export function awsManagedPolicyName(arn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn);
  return m?.[1];
}

/** The DynamoDB actions an AWS-managed policy allows, by name. */
export function awsManagedActions(name: string): string[] {
  return AWS_MANAGED[name] ?? (name.startsWith('AmazonDynamoDB') ? ['dynamodb:*'] : []);
}

/**
 * SAM policy templates that grant DynamoDB actions
 * (https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html).
 */
const SAM_TEMPLATES: Record<string, string[]> = {
  DynamoDBCrudPolicy: [
    'GetItem',
    'DeleteItem',
    'PutItem',
    'Scan',
    'Query',
    'UpdateItem',
    'BatchWriteItem',
    'BatchGetItem',
    'DescribeTable',
    'ConditionCheckItem',
  ].map((a) => `dynamodb:${a}`),
  DynamoDBReadPolicy: ['GetItem', 'Scan', 'Query', 'BatchGetItem', 'DescribeTable'].map((a) => `dynamodb:${a}`),
  DynamoDBWritePolicy: ['PutItem', 'UpdateItem', 'BatchWriteItem'].map((a) => `dynamodb:${a}`),
  DynamoDBReconfigurePolicy: ['dynamodb:UpdateTable'],
  DynamoDBStreamReadPolicy: STREAM_READ,
  DynamoDBBackupFullAccessPolicy: ['CreateBackup', 'DescribeContinuousBackups', 'UpdateContinuousBackups', 'DeleteBackup', 'DescribeBackup', 'ListBackups'].map(
    (a) => `dynamodb:${a}`,
  ),
  DynamoDBRestoreFromBackupPolicy: ['RestoreTableFromBackup', 'PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'Query', 'Scan', 'BatchWriteItem'].map(
    (a) => `dynamodb:${a}`,
  ),
};

/** The DynamoDB actions of a SAM policy template (none for templates of other services). */
export function samTemplateActions(name: string): string[] {
  return SAM_TEMPLATES[name] ?? [];
}

/** The role name in a role ARN (`arn:aws:iam::123456789012:role/path/name`), else undefined. */
export function roleNameOfArn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:iam::[^:]*:role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/.exec(arn)?.[1];
}

/** The name in a customer-managed policy or instance profile ARN. */
export function iamNameOfArn(arn: string, kind: 'policy' | 'instance-profile'): string | undefined {
  return new RegExp(`^arn:aws[a-z-]*:iam::\\d*:${kind}\\/(?:[\\w+=,.@-]+\\/)*([\\w+=,.@-]+)$`).exec(arn)?.[1];
}
