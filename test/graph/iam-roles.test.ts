import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { cfnGraph, tfGraph } from './helpers.js';

const grants = (g: Graph, id: string) => {
  const r = g.getKind(id, 'iam-role');
  if (!r)
    throw new Error(
      `no role ${id}: ${g
        .all('iam-role')
        .map((x) => x.id)
        .join(', ')}`,
    );
  return r.grants.map((x) => `${x.origin} ${x.policy}: ${x.actions.join(',')}${x.resources.length ? ` on ${x.resources.join(',')}` : ''}`);
};
const unread = (g: Graph, id: string) => g.getKind(id, 'iam-role')!.unreadPolicies;
const roleOf = (g: Graph, id: string) => g.getKind(id, 'workload')!.role;

describe('IAM roles in Terraform', () => {
  it('collect inline policies, role policies and attachments of customer and AWS-managed policies', async () => {
    const { graph } = await tfGraph(`
resource "aws_dynamodb_table" "t" {
  name     = "t"
  hash_key = "id"
}
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["dynamodb:GetItem"]
    resources = [aws_dynamodb_table.t.arn]
  }
}
data "aws_iam_policy" "managed" {
  name = "AmazonDynamoDBReadOnlyAccess"
}
resource "aws_iam_policy" "read" {
  name   = "read"
  policy = data.aws_iam_policy_document.read.json
}
resource "aws_iam_role" "app" {
  name               = "app"
  assume_role_policy = "{}"
  inline_policy {
    name   = "write"
    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["dynamodb:PutItem"], Resource = aws_dynamodb_table.t.arn }] })
  }
  managed_policy_arns = ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
}
resource "aws_iam_role_policy" "logs" {
  role   = aws_iam_role.app.name
  policy = jsonencode({ Statement = [{ Effect = "Deny", Action = "dynamodb:DeleteTable", Resource = "*" }, { Effect = "Allow", Action = "logs:PutLogEvents", Resource = "*" }] })
}
resource "aws_iam_role_policy_attachment" "read" {
  role       = aws_iam_role.app.name
  policy_arn = aws_iam_policy.read.arn
}
resource "aws_iam_role_policy_attachment" "managed" {
  role       = "app"
  policy_arn = data.aws_iam_policy.managed.arn
}
`);
    expect(grants(graph, 'aws_iam_role.app')).toEqual([
      'inline aws_iam_role.app inline policy "write": dynamodb:PutItem on aws_dynamodb_table.t',
      'aws-managed AWSLambdaBasicExecutionRole: ',
      'inline aws_iam_role_policy.logs: logs:PutLogEvents',
      'aws-managed AmazonDynamoDBReadOnlyAccess: dynamodb:BatchGetItem,dynamodb:Describe*,dynamodb:List*,dynamodb:GetItem,dynamodb:Query,dynamodb:Scan,dynamodb:PartiQLSelect',
      'policy aws_iam_policy.read: dynamodb:GetItem on aws_dynamodb_table.t',
    ]);
    expect(unread(graph, 'aws_iam_role.app')).toEqual([]);
  });

  it('say which policies cannot be read', async () => {
    const { graph } = await tfGraph(`
variable "policy" {
  type = string
}
variable "role" {
  type = string
}
resource "aws_iam_role" "a" {
  name               = "a"
  assume_role_policy = "{}"
}
resource "aws_iam_role" "b" {
  name               = "b"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy" "computed" {
  role   = aws_iam_role.a.id
  policy = var.policy
}
resource "aws_iam_role_policy_attachment" "foreign" {
  role       = aws_iam_role.a.name
  policy_arn = "arn:aws:iam::111122223333:policy/shared"
}
resource "aws_iam_role_policy_attachment" "somewhere" {
  role       = var.role
  policy_arn = "arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess"
}
`);
    expect(unread(graph, 'aws_iam_role.a')).toEqual([
      'the policy of aws_iam_role_policy.computed is not known (variable policy has no value)',
      'policy arn:aws:iam::111122223333:policy/shared is outside the configuration',
      'aws_iam_role_policy_attachment.somewhere attaches a policy to a role that is not known',
    ]);
    expect(unread(graph, 'aws_iam_role.b')).toEqual(['aws_iam_role_policy_attachment.somewhere attaches a policy to a role that is not known']);
  });

  it('give each workload its role and a Lambda function the tables its environment names', async () => {
    const { graph } = await tfGraph(`
resource "aws_subnet" "a" {
  cidr_block = "10.0.1.0/24"
}
resource "aws_dynamodb_table" "t" {
  name     = "orders"
  hash_key = "id"
}
resource "aws_iam_role" "r" {
  assume_role_policy = "{}"
}
data "aws_iam_role" "shared" {
  name = "shared"
}
resource "aws_iam_instance_profile" "p" {
  role = aws_iam_role.r.name
}
resource "aws_lambda_function" "fn" {
  role = aws_iam_role.r.arn
  environment {
    variables = { NAME = aws_dynamodb_table.t.name, ARN = aws_dynamodb_table.t.arn, OTHER = "x" }
  }
}
resource "aws_lambda_function" "shared" {
  role = data.aws_iam_role.shared.arn
}
resource "aws_launch_template" "lt" {
  iam_instance_profile {
    arn = aws_iam_instance_profile.p.arn
  }
}
resource "aws_instance" "from_template" {
  subnet_id = aws_subnet.a.id
  launch_template {
    id = aws_launch_template.lt.id
  }
}
resource "aws_instance" "bare" {
  subnet_id = aws_subnet.a.id
}
resource "aws_eks_node_group" "nodes" {
  cluster_name  = "main"
  node_role_arn = aws_iam_role.r.arn
  subnet_ids    = [aws_subnet.a.id]
}
resource "aws_ecs_service" "foreign_task" {
  name            = "svc"
  task_definition = "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1"
}
`);
    expect(roleOf(graph, 'aws_lambda_function.fn')).toEqual({ kind: 'role', role: 'aws_iam_role.r', via: [] });
    expect(graph.getKind('aws_lambda_function.fn', 'workload')!.environmentRefs).toEqual(['aws_dynamodb_table.t']);
    expect(roleOf(graph, 'aws_lambda_function.shared')).toEqual({ kind: 'external', label: 'data.aws_iam_role.shared', via: [] });
    expect(roleOf(graph, 'aws_instance.from_template')).toEqual({
      kind: 'role',
      role: 'aws_iam_role.r',
      via: ['aws_launch_template.lt', 'aws_iam_instance_profile.p'],
    });
    expect(roleOf(graph, 'aws_instance.bare')).toBeUndefined();
    expect(roleOf(graph, 'aws_eks_node_group.nodes')).toEqual({ kind: 'role', role: 'aws_iam_role.r', via: [] });
    expect(roleOf(graph, 'aws_ecs_service.foreign_task')).toEqual({
      kind: 'unknown',
      reason: 'the task definition of aws_ecs_service.foreign_task is not in the configuration',
      via: [],
    });
  });
});

describe('IAM roles in CloudFormation', () => {
  it('collect role policies, attached policies and managed policies, and distrust policies under an undecided Condition', () => {
    const { graph } = cfnGraph(`
Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: app
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: write
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [dynamodb:PutItem]
                Resource: !GetAtt Table.Arn
      ManagedPolicyArns:
        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess
        - !Ref Shared
  Shared:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:Query
            Resource: "*"
  ByName:
    Type: AWS::IAM::RolePolicy
    Properties:
      RoleName: app
      PolicyName: by-name
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:Scan
            Resource: "*"
  ProdOnly:
    Type: AWS::IAM::Policy
    Condition: IsProd
    Properties:
      PolicyName: prod
      Roles: [!Ref Role]
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: dynamodb:DeleteItem
            Resource: "*"
`);
    expect(grants(graph, 'Role')).toEqual([
      'inline Role inline policy "write": dynamodb:PutItem on Table',
      'aws-managed AmazonDynamoDBFullAccess: dynamodb:*',
      'policy Shared: dynamodb:Query',
      'inline ByName: dynamodb:Scan',
    ]);
    expect(unread(graph, 'Role')).toEqual([expect.stringContaining('ProdOnly exists only under a Condition that cannot be decided')]);
  });

  it('give workloads their roles: task roles through the service, instance profiles, node roles', () => {
    const { graph } = cfnGraph(`
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
  Profile:
    Type: AWS::IAM::InstanceProfile
    Properties:
      Roles: [!Ref Role]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt Role.Arn
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
  Host:
    Type: AWS::EC2::Instance
    Properties:
      IamInstanceProfile: !Ref Profile
  Literal:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::111122223333:role/elsewhere
`);
    expect(roleOf(graph, 'Service')).toEqual({ kind: 'role', role: 'Role', via: ['Task'] });
    expect(roleOf(graph, 'Host')).toEqual({ kind: 'role', role: 'Role', via: ['Profile'] });
    expect(roleOf(graph, 'Literal')).toEqual({ kind: 'external', label: 'arn:aws:iam::111122223333:role/elsewhere', via: [] });
  });
});
