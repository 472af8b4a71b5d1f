import type { GraphView } from '../graph/graph.js';
import type { IamGrant, SubnetNode, WorkloadKind, WorkloadNode } from '../graph/model.js';
import { isUnknown } from '../source/value.js';

/**
 * Whether the configuration ties DynamoDB use to some subnets, for VPCE102: a DynamoDB table or policy somewhere in
 * the configuration says nothing about the traffic of one route table's subnets, a workload running there does.
 *
 * - `{ evidence }`: a workload in those subnets (Lambda function, ECS service, EC2 instance, autoscaling group, EKS
 *   node group) has a role whose policies allow a DynamoDB action, or names a DynamoDB table of the configuration in
 *   its environment. The phrase says which, for the message.
 * - `{ undecided }`: the configuration uses DynamoDB, but not from those subnets as far as it says (only from outside
 *   the VPC or from other subnets, or from nothing it describes), or the tie depends on something Unknown (a role or
 *   policy that cannot be read, a workload whose subnets are not known). The reason names what was found.
 * - `undefined`: nothing in the configuration uses DynamoDB.
 */
export type DynamoDbEvidence = { evidence: string } | { undecided: string } | undefined;

/** Workloads that run code in subnets; task definitions and launch templates reach them through `role.via`. */
const CONSUMERS: ReadonlySet<WorkloadKind> = new Set<WorkloadKind>(['lambda-function', 'ecs-service', 'ec2-instance', 'autoscaling-group', 'eks-node-group']);

const LABEL: Record<WorkloadKind, string> = {
  'lambda-function': 'Lambda function',
  'ecs-service': 'ECS service',
  'ecs-task-definition': 'ECS task definition',
  'eks-cluster': 'EKS cluster',
  'eks-node-group': 'EKS node group',
  'ec2-instance': 'EC2 instance',
  'launch-template': 'launch template',
  'autoscaling-group': 'autoscaling group',
};

/** Terraform resource types of the workloads above: when their number is unknown, some may run in the subnets. */
const WORKLOAD_TYPES = ['aws_lambda_function', 'aws_ecs_service', 'aws_instance', 'aws_autoscaling_group', 'aws_eks_node_group'];

/**
 * Actions DynamoDB Streams serves from its own endpoint (streams.dynamodb.<region>.amazonaws.com), which a gateway
 * endpoint does not carry ("Only interface endpoints are supported for DynamoDB Streams",
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/privatelink-streams.html).
 */
const STREAMS_ONLY = new Set(['dynamodb:describestream', 'dynamodb:getrecords', 'dynamodb:getsharditerator', 'dynamodb:liststreams']);

/** DynamoDB API actions served by `dynamodb.<region>.amazonaws.com`, to test wildcards (`dynamodb:Get*`) against. */
const TABLE_ACTIONS = [
  'BatchExecuteStatement',
  'BatchGetItem',
  'BatchWriteItem',
  'ConditionCheckItem',
  'CreateBackup',
  'CreateTable',
  'DeleteBackup',
  'DeleteItem',
  'DeleteTable',
  'DescribeBackup',
  'DescribeContinuousBackups',
  'DescribeLimits',
  'DescribeTable',
  'DescribeTimeToLive',
  'ExecuteStatement',
  'ExecuteTransaction',
  'GetItem',
  'ListBackups',
  'ListTables',
  'ListTagsOfResource',
  'PartiQLDelete',
  'PartiQLInsert',
  'PartiQLSelect',
  'PartiQLUpdate',
  'PutItem',
  'Query',
  'RestoreTableFromBackup',
  'Scan',
  'TagResource',
  'TransactGetItems',
  'TransactWriteItems',
  'UntagResource',
  'UpdateContinuousBackups',
  'UpdateItem',
  'UpdateTable',
  'UpdateTimeToLive',
].map((a) => `dynamodb:${a.toLowerCase()}`);

/** The first action that calls DynamoDB's regional endpoint (a gateway endpoint carries it); `*` alone does not count. */
export function dynamodbAction(actions: readonly string[]): string | undefined {
  return actions.find((a) => {
    const l = a.toLowerCase();
    if (!l.startsWith('dynamodb:')) return false;
    if (!/[*?]/.test(l)) return !STREAMS_ONLY.has(l);
    const re = new RegExp(
      `^${l
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    return TABLE_ACTIONS.some((x) => re.test(x));
  });
}

type Access = { yes: string } | { unknown: string } | { no: true };
type Placement = { here: string[] } | { maybe: string } | { away: string };

export function dynamodbEvidence(graph: GraphView, subnets: SubnetNode[]): DynamoDbEvidence {
  // What the configuration says about DynamoDB at all: tables and policies; else roles, whose policies the graph reads
  // more deeply (a `jsonencode` policy naming an ARN known only after apply).
  let uses = graph
    .all('service-use')
    .filter((u) => u.service === 'dynamodb')
    .map((u) => u.evidence);
  if (uses.length === 0)
    uses = graph
      .all('iam-role')
      .flatMap((r) => r.grants.flatMap((g) => (dynamodbAction(g.actions) ? [`IAM role ${r.id} allows ${dynamodbAction(g.actions)!}`] : [])));
  if (uses.length === 0) return undefined;
  const here = new Set(subnets.map((s) => s.id));
  const where = list(subnets.map((s) => s.id).sort());
  const tables = new Set(
    graph
      .all('service-use')
      .filter((u) => u.service === 'dynamodb' && u.table)
      .map((u) => u.source.address),
  );

  const unknowns: string[] = [];
  const weak: string[] = [];
  const away: string[] = [];
  for (const w of graph.all('workload')) {
    if (!CONSUMERS.has(w.workload)) continue;
    const name = `${LABEL[w.workload]} ${w.id}`;
    const place = placement(w, here);
    const access = accessOf(graph, w, tables);
    if ('no' in access) continue;
    if ('here' in place) {
      if ('yes' in access) return { evidence: `${name} in ${list(place.here)} ${access.yes}` };
      unknowns.push(`${name} runs in ${list(place.here)}, but ${access.unknown}`);
    } else if ('maybe' in place) {
      if ('yes' in access) unknowns.push(`${name} ${access.yes}, but whether it runs in ${where} is not known (${place.maybe})`);
      else weak.push(`whether ${name} runs in ${where} is not known (${place.maybe}), and ${access.unknown}`);
    } else if ('yes' in access) away.push(`${name} ${access.yes}, but ${place.away}`);
  }
  for (const type of WORKLOAD_TYPES) if (graph.isUncertain(type)) unknowns.push(`the number of ${type} resources is not known, and some may run in ${where}`);

  const all = [...unknowns, ...weak];
  if (all.length > 0) return { undecided: `whether workloads in ${where} use DynamoDB is not known: ${all[0]}${more(all.length - 1)}` };
  const use = `${uses[0]!}${uses.length > 1 ? ` and ${uses.length - 1} more` : ''}`;
  if (away.length > 0) return { undecided: `the configuration uses DynamoDB (${use}), but not from ${where}: ${away[0]}${more(away.length - 1)}` };
  return {
    undecided: `the configuration uses DynamoDB (${use}), but no workload it describes in ${where} is tied to that use; its clients may be defined elsewhere`,
  };
}

function placement(w: WorkloadNode, here: ReadonlySet<string>): Placement {
  const inHere = w.subnets.filter((s) => here.has(s));
  if (inHere.length > 0) return { here: inHere };
  if (w.inVpc === false) return { away: 'runs outside any VPC' };
  if (isUnknown(w.inVpc)) return { maybe: w.inVpc.reason };
  if (w.subnetsIncomplete) return { maybe: 'its subnets are not all known' };
  const elsewhere = [...w.subnets, ...w.externalSubnets];
  return { away: elsewhere.length > 0 ? `runs in ${list(elsewhere)}` : 'runs in no subnet of these' };
}

/** Whether the workload calls DynamoDB: its role allows a DynamoDB action, or its environment names a table. */
function accessOf(graph: GraphView, w: WorkloadNode, tables: ReadonlySet<string>): Access {
  const role = w.role;
  const roleWord = w.workload === 'ecs-service' ? 'task role' : w.workload === 'eks-node-group' ? 'node role' : 'role';
  const via = role && role.via.length > 0 ? ` (through ${role.via.map((v) => viaLabel(graph, v)).join(', ')})` : '';
  let unknown: string | undefined;
  if (role?.kind === 'external') unknown = `its ${roleWord} ${role.label}${via} is outside the configuration`;
  else if (role?.kind === 'unknown') unknown = `its ${roleWord}${via} is not known: ${role.reason}`;
  else if (role?.kind === 'role') {
    const node = graph.getKind(role.role, 'iam-role');
    if (!node) unknown = `its ${roleWord} ${role.role} is not read`;
    else {
      for (const g of node.grants) {
        const action = dynamodbAction(g.actions);
        if (action) return { yes: `has ${roleWord} ${node.id}${via}, ${grantPhrase(g, node.id, action, tables)}` };
      }
      const unread = [...node.unreadPolicies, ...node.grants.flatMap((g) => (g.unread ? [g.unread] : []))];
      if (unread.length > 0) unknown = `the policies of its ${roleWord} ${node.id}${via} cannot all be read: ${unread[0]}`;
    }
  }
  const named = (w.environmentRefs ?? []).filter((a) => tables.has(a));
  if (named.length > 0) return { yes: `names DynamoDB table ${list(named)} in its environment` };
  return unknown ? { unknown } : { no: true };
}

function grantPhrase(g: IamGrant, role: string, action: string, tables: ReadonlySet<string>): string {
  const on = g.resources.filter((r) => tables.has(r));
  const target = on.length > 0 ? ` on ${list(on)}` : '';
  switch (g.origin) {
    case 'aws-managed':
      return `which has AWS-managed policy ${g.policy} (${action})`;
    case 'sam-template':
      return `whose SAM policy template ${g.policy} allows ${action}${target}`;
    case 'inline':
      return g.policy.startsWith(`${role} inline policy`) ? `which allows ${action}${target}` : `whose policy ${g.policy} allows ${action}${target}`;
    case 'policy':
      return `whose policy ${g.policy} allows ${action}${target}`;
  }
}

function viaLabel(graph: GraphView, id: string): string {
  const w = graph.getKind(id, 'workload');
  if (w?.workload === 'ecs-task-definition') return `task definition ${id}`;
  if (w?.workload === 'launch-template') return `launch template ${id}`;
  return `instance profile ${id}`;
}

const list = (names: string[]) => (names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`);
const more = (n: number) => (n > 0 ? ` (and ${n} more)` : '');
