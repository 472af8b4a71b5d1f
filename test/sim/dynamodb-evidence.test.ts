import { describe, expect, it } from 'vitest';
import { dynamodbAction, dynamodbEvidence, type DynamoDbEvidence } from '../../src/sim/dynamodb-evidence.js';
import type { Graph } from '../../src/graph/graph.js';
import { cfnGraph, planGraph, tfGraph } from '../graph/helpers.js';
import { configResource, planText, refs } from '../terraform-plan/build-plan.js';

/** The evidence for the subnets with these ids. */
const evidenceFor = (graph: Graph, ...ids: string[]): DynamoDbEvidence =>
  dynamodbEvidence(
    graph,
    ids.map((id) => {
      const s = graph.getKind(id, 'subnet');
      if (!s) throw new Error(`no subnet ${id}`);
      return s;
    }),
  );

const VPC = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.\${count.index}.0/24"
}
resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.9.0/24"
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
}
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
}
`;

const role = (name: string, extra = '') => `
resource "aws_iam_role" "${name}" {
  name               = "${name}"
  assume_role_policy = "{}"
${extra}}
`;

const lambda = (name: string, roleArn: string, subnets: string | undefined, extra = '') => `
resource "aws_lambda_function" "${name}" {
  function_name = "${name}"
  role          = ${roleArn}
${subnets === undefined ? '' : `  vpc_config {\n    subnet_ids         = ${subnets}\n    security_group_ids = [aws_security_group.app.id]\n  }\n`}${extra}}
`;

const rolePolicy = (name: string, roleName: string, actions: string[], resource = '"*"') => `
resource "aws_iam_role_policy" "${name}" {
  role = aws_iam_role.${roleName}.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ${JSON.stringify(actions)}, Resource = ${resource} }]
  })
}
`;

describe('DynamoDB actions that count as use', () => {
  it('are actions on the regional endpoint, wildcards that cover one, and not Streams or `*` alone', () => {
    expect(dynamodbAction(['s3:GetObject', 'dynamodb:PutItem'])).toBe('dynamodb:PutItem');
    expect(dynamodbAction(['DynamoDB:getitem'])).toBe('DynamoDB:getitem');
    expect(dynamodbAction(['dynamodb:Get*'])).toBe('dynamodb:Get*');
    expect(dynamodbAction(['dynamodb:*'])).toBe('dynamodb:*');
    expect(dynamodbAction(['*'])).toBeUndefined();
    expect(dynamodbAction(['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'])).toBeUndefined();
    expect(dynamodbAction(['dynamodb:GetShard*'])).toBeUndefined();
  });
});

describe('DynamoDB evidence in Terraform', () => {
  it('is nothing at all when the configuration does not use DynamoDB', async () => {
    const { graph } = await tfGraph(
      VPC.replace(/resource "aws_dynamodb_table"[\s\S]*$/, '') + role('fn') + lambda('api', 'aws_iam_role.fn.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toBeUndefined();
  });

  it('names the function, its subnet, its role and the action when the role allows a DynamoDB action', async () => {
    const { graph } = await tfGraph(
      VPC +
        role('api') +
        rolePolicy('api', 'api', ['dynamodb:GetItem'], 'aws_dynamodb_table.orders.arn') +
        lambda('api', 'aws_iam_role.api.arn', 'aws_subnet.private[*].id'),
    );
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toEqual({
      evidence:
        'Lambda function aws_lambda_function.api in aws_subnet.private[0] has role aws_iam_role.api, whose policy aws_iam_role_policy.api allows dynamodb:GetItem on aws_dynamodb_table.orders',
    });
    expect(evidenceFor(graph, 'aws_subnet.private[0]', 'aws_subnet.private[1]')).toEqual({
      evidence: expect.stringContaining('in aws_subnet.private[0] and aws_subnet.private[1] has role'),
    });
  });

  it('reads inline policies, customer policies attached by reference or by ARN, and AWS-managed policies', async () => {
    const inline = await tfGraph(
      VPC +
        role(
          'api',
          '  inline_policy {\n    name   = "rw"\n    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "dynamodb:Query", Resource = "*" }] })\n  }\n',
        ) +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(inline.graph, 'aws_subnet.private[0]')).toEqual({
      evidence: expect.stringContaining('has role aws_iam_role.api, which allows dynamodb:Query'),
    });

    const attached = await tfGraph(
      VPC +
        role('api') +
        `
resource "aws_iam_policy" "rw" {
  name   = "rw"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:BatchWriteItem"], Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "by_ref" {
  role       = aws_iam_role.api.name
  policy_arn = aws_iam_policy.rw.arn
}
` +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(attached.graph, 'aws_subnet.private[0]')).toEqual({
      evidence: expect.stringContaining('whose policy aws_iam_policy.rw allows dynamodb:BatchWriteItem'),
    });

    const byArn = await tfGraph(
      VPC +
        role('api', '  managed_policy_arns = ["arn:aws:iam::111122223333:policy/rw"]\n') +
        `
resource "aws_iam_policy" "rw" {
  name   = "rw"
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:UpdateItem"], Resource = "*" }] })
}
` +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(byArn.graph, 'aws_subnet.private[0]')).toEqual({
      evidence: expect.stringContaining('whose policy aws_iam_policy.rw allows dynamodb:UpdateItem'),
    });

    const managed = await tfGraph(
      VPC +
        role('api') +
        `
resource "aws_iam_policy_attachment" "dynamodb" {
  name       = "dynamodb"
  roles      = [aws_iam_role.api.name]
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}
` +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(managed.graph, 'aws_subnet.private[0]')).toEqual({
      evidence: expect.stringContaining('which has AWS-managed policy AmazonDynamoDBFullAccess (dynamodb:*)'),
    });
  });

  it('counts a table the function names in its environment', async () => {
    const { graph } = await tfGraph(
      VPC +
        role('api') +
        lambda(
          'api',
          'aws_iam_role.api.arn',
          '[aws_subnet.private[0].id]',
          '  environment {\n    variables = { ORDERS = aws_dynamodb_table.orders.name }\n  }\n',
        ),
    );
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toEqual({
      evidence: 'Lambda function aws_lambda_function.api in aws_subnet.private[0] names DynamoDB table aws_dynamodb_table.orders in its environment',
    });
  });

  it('follows an ECS service to its task definition’s task role, and an instance to its profile’s role', async () => {
    const { graph } = await tfGraph(
      VPC +
        role('task') +
        role('host') +
        rolePolicy('task', 'task', ['dynamodb:PutItem']) +
        rolePolicy('host', 'host', ['dynamodb:Scan']) +
        `
resource "aws_ecs_task_definition" "web" {
  family        = "web"
  network_mode  = "awsvpc"
  task_role_arn = aws_iam_role.task.arn
}
resource "aws_ecs_service" "web" {
  name            = "web"
  task_definition = aws_ecs_task_definition.web.arn
  network_configuration {
    subnets = [aws_subnet.private[0].id]
  }
}
resource "aws_iam_instance_profile" "host" {
  role = aws_iam_role.host.name
}
resource "aws_instance" "host" {
  subnet_id            = aws_subnet.private[1].id
  iam_instance_profile = aws_iam_instance_profile.host.name
}
`,
    );
    expect(graph.getKind('aws_ecs_service.web', 'workload')!.role).toEqual({ kind: 'role', role: 'aws_iam_role.task', via: ['aws_ecs_task_definition.web'] });
    expect(graph.getKind('aws_instance.host', 'workload')!.role).toEqual({ kind: 'role', role: 'aws_iam_role.host', via: ['aws_iam_instance_profile.host'] });
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toEqual({
      evidence:
        'ECS service aws_ecs_service.web in aws_subnet.private[0] has task role aws_iam_role.task (through task definition aws_ecs_task_definition.web), whose policy aws_iam_role_policy.task allows dynamodb:PutItem',
    });
    expect(evidenceFor(graph, 'aws_subnet.private[1]')).toEqual({
      evidence:
        'EC2 instance aws_instance.host in aws_subnet.private[1] has role aws_iam_role.host (through instance profile aws_iam_instance_profile.host), whose policy aws_iam_role_policy.host allows dynamodb:Scan',
    });
  });

  it('is no evidence when the only user runs outside the VPC or in other subnets, and says so', async () => {
    const base = VPC + role('api') + rolePolicy('api', 'api', ['dynamodb:PutItem']);
    const outside = await tfGraph(base + lambda('api', 'aws_iam_role.api.arn', undefined));
    expect(evidenceFor(outside.graph, 'aws_subnet.private[0]')).toEqual({
      undecided:
        'the configuration uses DynamoDB (DynamoDB table aws_dynamodb_table.orders and 1 more), but not from aws_subnet.private[0]: Lambda function aws_lambda_function.api has role aws_iam_role.api, whose policy aws_iam_role_policy.api allows dynamodb:PutItem, but runs outside any VPC',
    });
    const elsewhere = await tfGraph(base + lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.public.id]'));
    expect(evidenceFor(elsewhere.graph, 'aws_subnet.private[0]')).toEqual({ undecided: expect.stringContaining('but runs in aws_subnet.public') });
    const nobody = await tfGraph(VPC);
    expect(evidenceFor(nobody.graph, 'aws_subnet.private[0]')).toEqual({
      undecided: expect.stringContaining('but no workload it describes in aws_subnet.private[0] is tied to that use'),
    });
  });

  it('does not count a role that allows only DynamoDB Streams actions', async () => {
    const { graph } = await tfGraph(
      VPC +
        role('api') +
        rolePolicy('api', 'api', ['dynamodb:GetRecords', 'dynamodb:GetShardIterator']) +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toEqual({ undecided: expect.stringContaining('is tied to that use') });
  });

  it('stays undecided when the role, a policy or the subnets are unknown', async () => {
    const vars = `
variable "role_arn" {
  type = string
}
variable "policy" {
  type = string
}
variable "subnets" {
  type = list(string)
}
`;
    const unknownRole = await tfGraph(vars + VPC + lambda('api', 'var.role_arn', '[aws_subnet.private[0].id]'));
    expect(evidenceFor(unknownRole.graph, 'aws_subnet.private[0]')).toEqual({
      undecided:
        'whether workloads in aws_subnet.private[0] use DynamoDB is not known: Lambda function aws_lambda_function.api runs in aws_subnet.private[0], but its role is not known: variable role_arn has no value',
    });
    const externalRole = await tfGraph(VPC + lambda('api', '"arn:aws:iam::111122223333:role/shared"', '[aws_subnet.private[0].id]'));
    expect(evidenceFor(externalRole.graph, 'aws_subnet.private[0]')).toEqual({
      undecided: expect.stringContaining('its role arn:aws:iam::111122223333:role/shared is outside the configuration'),
    });
    const unknownPolicy = await tfGraph(
      vars +
        VPC +
        role('api') +
        '\nresource "aws_iam_role_policy" "api" {\n  role   = aws_iam_role.api.id\n  policy = var.policy\n}\n' +
        lambda('api', 'aws_iam_role.api.arn', '[aws_subnet.private[0].id]'),
    );
    expect(evidenceFor(unknownPolicy.graph, 'aws_subnet.private[0]')).toEqual({
      undecided: expect.stringContaining('but the policies of its role aws_iam_role.api cannot all be read'),
    });
    const unknownSubnets = await tfGraph(
      vars + VPC + role('api') + rolePolicy('api', 'api', ['dynamodb:PutItem']) + lambda('api', 'aws_iam_role.api.arn', 'var.subnets'),
    );
    expect(evidenceFor(unknownSubnets.graph, 'aws_subnet.private[0]')).toEqual({
      undecided: expect.stringMatching(
        /^whether workloads in aws_subnet\.private\[0\] use DynamoDB is not known: Lambda function aws_lambda_function\.api has role aws_iam_role\.api, .* but whether it runs in aws_subnet\.private\[0\] is not known/,
      ),
    });
  });

  it('reads a plan: the role and subnets known only after apply come from the configuration’s references', async () => {
    const graph = await planGraph(
      planText({
        resources: [
          { address: 'aws_vpc.main', type: 'aws_vpc', name: 'main', values: { cidr_block: '10.0.0.0/16' }, unknown: { id: true } },
          { address: 'aws_subnet.private', type: 'aws_subnet', name: 'private', values: { cidr_block: '10.0.1.0/24' }, unknown: { id: true, vpc_id: true } },
          { address: 'aws_dynamodb_table.orders', type: 'aws_dynamodb_table', name: 'orders', values: { name: 'orders' }, unknown: { arn: true } },
          { address: 'aws_iam_role.api', type: 'aws_iam_role', name: 'api', values: { name: 'api' }, unknown: { arn: true, id: true } },
          {
            address: 'aws_iam_role_policy.api',
            type: 'aws_iam_role_policy',
            name: 'api',
            values: { policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: '*' }] }) },
            unknown: { role: true },
          },
          {
            address: 'aws_lambda_function.api',
            type: 'aws_lambda_function',
            name: 'api',
            values: { function_name: 'api', vpc_config: [{ security_group_ids: [] }] },
            unknown: { role: true, vpc_config: [{ subnet_ids: [true] }] },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_subnet.private', { vpc_id: refs('aws_vpc.main.id', 'aws_vpc.main') }),
              configResource('aws_iam_role_policy.api', { role: refs('aws_iam_role.api.id', 'aws_iam_role.api') }),
              configResource('aws_lambda_function.api', {
                role: refs('aws_iam_role.api.arn', 'aws_iam_role.api'),
                vpc_config: [{ subnet_ids: refs('aws_subnet.private.id', 'aws_subnet.private') }],
              }),
            ],
          },
        },
      }),
    );
    expect(evidenceFor(graph, 'aws_subnet.private')).toEqual({
      evidence:
        'Lambda function aws_lambda_function.api in aws_subnet.private has role aws_iam_role.api, whose policy aws_iam_role_policy.api allows dynamodb:PutItem',
    });
  });
});

const CFN_VPC = `
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Orders:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: orders
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
`;

describe('DynamoDB evidence in CloudFormation', () => {
  it('reads AWS::IAM::Policy and AWS::IAM::ManagedPolicy attached to the role, and role inline policies', () => {
    const viaPolicy = cfnGraph(`${CFN_VPC}
  Writer:
    Type: AWS::IAM::Policy
    Properties:
      PolicyName: writer
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:PutItem
            Resource: !GetAtt Orders.Arn
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !GetAtt Role.Arn
      VpcConfig:
        SubnetIds: [!Ref Private]
`);
    expect(evidenceFor(viaPolicy.graph, 'Private')).toEqual({
      evidence: 'Lambda function Fn in Private has role Role, whose policy Writer allows dynamodb:PutItem on Orders',
    });

    const managed =
      cfnGraph(`${CFN_VPC.replace('      AssumeRolePolicyDocument: {}', '      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns: [!Ref Reader]')}
  Reader:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: [dynamodb:Query]
            Resource: "*"
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: main
      NodeRole: !GetAtt Role.Arn
      Subnets: [!Ref Private]
`);
    expect(evidenceFor(managed.graph, 'Private')).toEqual({
      evidence: 'EKS node group Nodes in Private has node role Role, whose policy Reader allows dynamodb:Query',
    });
  });

  it('reads the role SAM generates from a function’s policy templates', () => {
    const { graph } = cfnGraph(`Transform: AWS::Serverless-2016-10-31
${CFN_VPC}
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Policies:
        - AWSLambdaBasicExecutionRole
        - DynamoDBReadPolicy:
            TableName: !Ref Orders
      VpcConfig:
        SubnetIds: [!Ref Private]
        SecurityGroupIds: [sg-0123456789abcdef0]
`);
    expect(graph.getKind('ApiRole', 'iam-role')!.grants.map((g) => [g.policy, g.origin])).toEqual([
      ['AWSLambdaBasicExecutionRole', 'aws-managed'],
      ['DynamoDBReadPolicy', 'sam-template'],
    ]);
    expect(evidenceFor(graph, 'Private')).toEqual({
      evidence: 'Lambda function Api in Private has role ApiRole, whose SAM policy template DynamoDBReadPolicy allows dynamodb:GetItem on Orders',
    });
  });

  it('follows a launch template’s instance profile to the autoscaling group that launches from it', () => {
    const { graph } =
      cfnGraph(`${CFN_VPC.replace('      AssumeRolePolicyDocument: {}', '      AssumeRolePolicyDocument: {}\n      ManagedPolicyArns: [arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess]')}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Template:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        IamInstanceProfile:
          Arn: !GetAtt Profile.Arn
  Group:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "1"
      VPCZoneIdentifier: [!Ref Private]
      LaunchTemplate:
        LaunchTemplateId: !Ref Template
        Version: "1"
`);
    expect(evidenceFor(graph, 'Private')).toEqual({
      evidence:
        'autoscaling group Group in Private has role Role (through launch template Template, instance profile Profile), which has AWS-managed policy AmazonDynamoDBFullAccess (dynamodb:*)',
    });
  });

  it('stays undecided for a role imported from another stack', () => {
    const { graph } = cfnGraph(`${CFN_VPC}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: !ImportValue shared-role-arn
      VpcConfig:
        SubnetIds: [!Ref Private]
`);
    expect(evidenceFor(graph, 'Private')).toEqual({
      undecided: expect.stringMatching(
        /^whether workloads in Private use DynamoDB is not known: Lambda function Fn runs in Private, but its role is not known: /,
      ),
    });
  });
});

describe('DynamoDB use the service-use nodes do not see', () => {
  it('comes from a role whose jsonencode policy names a resource known only after apply', async () => {
    const { graph } = await tfGraph(
      VPC.replace(/resource "aws_dynamodb_table"[\s\S]*$/, '') +
        role('api') +
        `
resource "aws_kms_key" "k" {}
` +
        rolePolicy('api', 'api', ['dynamodb:PutItem'], 'aws_kms_key.k.arn') +
        lambda('api', 'aws_iam_role.api.arn', undefined),
    );
    expect(graph.all('service-use')).toEqual([]);
    expect(evidenceFor(graph, 'aws_subnet.private[0]')).toEqual({
      undecided: expect.stringContaining(
        'the configuration uses DynamoDB (IAM role aws_iam_role.api allows dynamodb:PutItem), but not from aws_subnet.private[0]',
      ),
    });
  });
});
