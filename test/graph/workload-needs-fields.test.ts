import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { isUnknown } from '../../src/source/value.js';
import { cfnGraph, show, tfGraph } from './helpers.js';

const workload = (g: Graph, id: string) => {
  const w = g.getKind(id, 'workload');
  if (!w)
    throw new Error(
      `no workload ${id}: ${g
        .all('workload')
        .map((x) => x.id)
        .join(', ')}`,
    );
  return w;
};

const TASK = (compat: string) => `
resource "aws_ecr_repository" "api" {
  name = "api"
}
resource "aws_secretsmanager_secret" "db" {
  name = "db"
}
resource "aws_ssm_parameter" "flag" {
  name  = "/api/flag"
  type  = "String"
  value = "on"
}
resource "aws_ecs_task_definition" "api" {
  family                   = "api"
  requires_compatibilities = [${compat}]
  network_mode             = "awsvpc"
  container_definitions = jsonencode([{
    name  = "api"
    image = "\${aws_ecr_repository.api.repository_url}:1.0"
    secrets = [
      { name = "DB", valueFrom = aws_secretsmanager_secret.db.arn },
      { name = "FLAG", valueFrom = aws_ssm_parameter.flag.arn },
      { name = "OTHER", valueFrom = "arn:aws:ssm:eu-west-1:123456789012:parameter/other" },
    ]
    logConfiguration = { logDriver = "awslogs" }
  }])
}
`;

describe('what ECS, EKS and containers say about the endpoints they need (Terraform)', () => {
  it('reads the launch type, the capacity provider strategy and the platform version of a service', async () => {
    const { graph } = await tfGraph(`${TASK('"FARGATE"')}
resource "aws_ecs_service" "launch" {
  name             = "launch"
  task_definition  = aws_ecs_task_definition.api.arn
  launch_type      = "FARGATE"
  platform_version = "1.3.0"
}
resource "aws_ecs_service" "spot" {
  name            = "spot"
  task_definition = aws_ecs_task_definition.api.arn
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = 1
  }
  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
resource "aws_ecs_service" "mixed" {
  name            = "mixed"
  task_definition = aws_ecs_task_definition.api.arn
  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
  capacity_provider_strategy {
    capacity_provider = "my-asg-provider"
    weight            = 1
  }
}
resource "aws_ecs_service" "default" {
  name            = "default"
  task_definition = aws_ecs_task_definition.api.arn
}
`);
    expect(workload(graph, 'aws_ecs_service.launch').launchType).toBe('FARGATE');
    expect(workload(graph, 'aws_ecs_service.launch').platformVersion).toBe('1.3.0');
    expect(workload(graph, 'aws_ecs_service.spot').launchType).toBe('FARGATE');
    expect(isUnknown(workload(graph, 'aws_ecs_service.mixed').launchType)).toBe(true);
    expect(workload(graph, 'aws_ecs_service.default').launchType).toBeUndefined();
    expect(workload(graph, 'aws_ecs_task_definition.api').requiresCompatibilities).toEqual(['FARGATE']);
  });

  it('tells the ECR repository and the secret resources a container names, though their values are known only after apply', async () => {
    const { graph } = await tfGraph(TASK('"FARGATE", "EC2"'));
    const task = workload(graph, 'aws_ecs_task_definition.api');
    expect(task.requiresCompatibilities).toEqual(['FARGATE', 'EC2']);
    const containers = task.containers;
    if (!Array.isArray(containers)) throw new Error(`containers ${JSON.stringify(show(containers))}`);
    const [c] = containers;
    expect(c!.name).toBe('api');
    expect(c!.logDriver).toBe('awslogs');
    expect(isUnknown(c!.image)).toBe(true);
    expect(c!.imageRepository).toBe('aws_ecr_repository.api');
    expect(c!.secretServices).toEqual(['secretsmanager', 'ssm', undefined]);
    expect(c!.secrets[2]).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/other');
  });

  it('reads a node group AMI type', async () => {
    const { graph } = await tfGraph(`
resource "aws_eks_cluster" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0123456789abcdef0"]
  }
}
resource "aws_eks_node_group" "al2023" {
  cluster_name  = aws_eks_cluster.main.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = ["subnet-0123456789abcdef0"]
  ami_type      = "AL2023_x86_64_STANDARD"
  scaling_config {
    desired_size = 1
    max_size     = 1
    min_size     = 1
  }
}
resource "aws_eks_node_group" "default" {
  cluster_name  = aws_eks_cluster.main.name
  node_role_arn = "arn:aws:iam::123456789012:role/node"
  subnet_ids    = ["subnet-0123456789abcdef0"]
  scaling_config {
    desired_size = 1
    max_size     = 1
    min_size     = 1
  }
}
`);
    expect(workload(graph, 'aws_eks_node_group.al2023').amiType).toBe('AL2023_x86_64_STANDARD');
    expect(workload(graph, 'aws_eks_node_group.default').amiType).toBeUndefined();
  });

  it('reads the same fields from Terraform JSON syntax', async () => {
    const { graph } = await tfGraph({
      'main.tf.json': JSON.stringify({
        resource: {
          aws_ecs_task_definition: {
            api: {
              family: 'api',
              requires_compatibilities: ['FARGATE'],
              network_mode: 'awsvpc',
              container_definitions: '[{"name":"api","image":"123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1","logConfiguration":{"logDriver":"awslogs"}}]',
            },
          },
          aws_ecs_service: { api: { name: 'api', task_definition: '${aws_ecs_task_definition.api.arn}', launch_type: 'FARGATE', platform_version: '1.4.0' } },
        },
      }),
    });
    expect(workload(graph, 'aws_ecs_service.api').launchType).toBe('FARGATE');
    expect(workload(graph, 'aws_ecs_service.api').platformVersion).toBe('1.4.0');
    expect(workload(graph, 'aws_ecs_task_definition.api').requiresCompatibilities).toEqual(['FARGATE']);
    const containers = workload(graph, 'aws_ecs_task_definition.api').containers;
    expect(Array.isArray(containers) && containers[0]!.image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1');
  });
});

describe('what ECS, EKS and containers say about the endpoints they need (CloudFormation)', () => {
  it('reads the launch type, the strategy, the compatibilities, the AMI type and referenced repositories and secrets', () => {
    const { graph } = cfnGraph(`
Resources:
  Repo:
    Type: AWS::ECR::Repository
  Db:
    Type: AWS::SecretsManager::Secret
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      RequiresCompatibilities: [FARGATE]
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: api
          Image: !GetAtt Repo.RepositoryUri
          Secrets:
            - Name: DB
              ValueFrom: !Ref Db
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      CapacityProviderStrategy:
        - CapacityProvider: FARGATE
          Weight: 1
  Ec2Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      LaunchType: EC2
      PlatformVersion: LATEST
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds: [subnet-0123456789abcdef0]
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: !Ref Cluster
      NodeRole: arn:aws:iam::123456789012:role/node
      Subnets: [subnet-0123456789abcdef0]
      AmiType: BOTTLEROCKET_x86_64
`);
    expect(workload(graph, 'Service').launchType).toBe('FARGATE');
    expect(workload(graph, 'Ec2Service').launchType).toBe('EC2');
    expect(workload(graph, 'Ec2Service').platformVersion).toBe('LATEST');
    expect(workload(graph, 'Task').requiresCompatibilities).toEqual(['FARGATE']);
    expect(workload(graph, 'Nodes').amiType).toBe('BOTTLEROCKET_x86_64');
    const containers = workload(graph, 'Task').containers;
    if (!Array.isArray(containers)) throw new Error('containers not known');
    expect(containers[0]!.imageRepository).toBe('Repo');
    expect(containers[0]!.secretServices).toEqual(['secretsmanager']);
  });
});
