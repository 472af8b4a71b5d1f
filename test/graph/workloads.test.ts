import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { isUnknown } from '../../src/source/value.js';
import { cfnGraph, tfGraph } from './helpers.js';

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

const VPC = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
}
variable "subnets" {
  type = list(string)
}
`;

describe('workloads in Terraform', () => {
  it('place a Lambda function outside any VPC without vpc_config, and leave its place unknown when the subnets are', async () => {
    const { graph } = await tfGraph(`${VPC}
resource "aws_lambda_function" "outside" {
  function_name = "outside"
  role          = "r"
}
resource "aws_lambda_function" "vars" {
  function_name = "vars"
  role          = "r"
  vpc_config {
    subnet_ids         = var.subnets
    security_group_ids = [aws_security_group.app.id]
  }
}
`);
    expect(workload(graph, 'aws_lambda_function.outside')).toMatchObject({ inVpc: false, subnets: [], securityGroups: [], defaultSecurityGroup: false });
    const vars = workload(graph, 'aws_lambda_function.vars');
    expect(isUnknown(vars.inVpc)).toBe(true);
    expect(vars).toMatchObject({ subnets: [], subnetsIncomplete: true, securityGroups: ['aws_security_group.app'], vpc: 'aws_vpc.main' });
  });

  it('leave an ECS service without awsvpc networking unknown, and give awsvpc tasks without groups the VPC default group', async () => {
    const { graph } = await tfGraph(`${VPC}
resource "aws_ecs_service" "bridge" {
  name = "bridge"
}
resource "aws_ecs_service" "awsvpc" {
  name = "awsvpc"
  network_configuration {
    subnets          = [aws_subnet.a.id, "subnet-0123456789abcdef0"]
    assign_public_ip = true
  }
}
resource "aws_ecs_task_definition" "unknown" {
  family                = "x"
  container_definitions = var.containers
}
variable "containers" {
  type = string
}
`);
    const bridge = workload(graph, 'aws_ecs_service.bridge');
    expect(isUnknown(bridge.inVpc)).toBe(true);
    expect(bridge).toMatchObject({ subnetsIncomplete: true, securityGroupsIncomplete: true, defaultSecurityGroup: false });
    expect(workload(graph, 'aws_ecs_service.awsvpc')).toMatchObject({
      inVpc: true,
      subnets: ['aws_subnet.a'],
      externalSubnets: ['subnet-0123456789abcdef0'],
      securityGroups: ['aws_vpc.main (default security group)'],
      defaultSecurityGroup: true,
      assignPublicIp: true,
    });
    const task = workload(graph, 'aws_ecs_task_definition.unknown');
    expect(task.networkMode).toBe('bridge');
    expect(isUnknown(task.containers)).toBe(true);
  });

  it('take subnets and groups from launch templates and network interfaces where the workload sets none', async () => {
    const { graph } = await tfGraph(`${VPC}
resource "aws_launch_template" "lt" {
  network_interfaces {
    subnet_id       = aws_subnet.a.id
    security_groups = [aws_security_group.app.id]
  }
}
resource "aws_instance" "from_template" {
  launch_template {
    id = aws_launch_template.lt.id
  }
}
resource "aws_instance" "own_groups" {
  subnet_id              = aws_subnet.a.id
  vpc_security_group_ids = ["sg-0123456789abcdef0"]
  launch_template {
    name = aws_launch_template.lt.name
  }
}
resource "aws_instance" "external_template" {
  subnet_id = aws_subnet.a.id
  launch_template {
    id = "lt-0123456789abcdef0"
  }
}
resource "aws_instance" "nowhere" {
  ami = "ami-1"
}
resource "aws_network_interface" "eni" {
  subnet_id       = aws_subnet.a.id
  security_groups = [aws_security_group.app.id]
}
resource "aws_instance" "eni" {
  network_interface {
    network_interface_id = aws_network_interface.eni.id
    device_index         = 0
  }
}
resource "aws_eks_node_group" "templated" {
  cluster_name = "external"
  subnet_ids   = [aws_subnet.a.id]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "1"
  }
}
`);
    expect(workload(graph, 'aws_launch_template.lt')).toMatchObject({
      inVpc: undefined,
      subnets: ['aws_subnet.a'],
      securityGroups: ['aws_security_group.app'],
    });
    expect(workload(graph, 'aws_instance.from_template')).toMatchObject({
      subnets: ['aws_subnet.a'],
      securityGroups: ['aws_security_group.app'],
      defaultSecurityGroup: false,
      uses: ['aws_launch_template.lt'],
    });
    expect(workload(graph, 'aws_instance.own_groups')).toMatchObject({
      securityGroups: [],
      externalSecurityGroups: ['sg-0123456789abcdef0'],
      securityGroupsIncomplete: false,
    });
    expect(workload(graph, 'aws_instance.external_template')).toMatchObject({
      subnets: ['aws_subnet.a'],
      securityGroupsIncomplete: true,
      defaultSecurityGroup: false,
    });
    expect(workload(graph, 'aws_instance.nowhere')).toMatchObject({
      subnets: [],
      subnetsIncomplete: true,
      defaultSecurityGroup: true,
      securityGroupsIncomplete: true,
    });
    expect(workload(graph, 'aws_instance.eni')).toMatchObject({ subnets: ['aws_subnet.a'], securityGroups: ['aws_security_group.app'], vpc: 'aws_vpc.main' });
    expect(workload(graph, 'aws_eks_node_group.templated')).toMatchObject({
      securityGroups: ['aws_security_group.app'],
      securityGroupsIncomplete: false,
      uses: ['aws_launch_template.lt'],
    });
  });
});

describe('workloads in CloudFormation', () => {
  it('read SAM functions, instance network interfaces, and launch templates of autoscaling groups', () => {
    const { graph } = cfnGraph(`Transform: AWS::Serverless-2016-10-31
Parameters:
  Subnets:
    Type: List<AWS::EC2::Subnet::Id>
Resources:
  Main:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  A:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Main
      CidrBlock: 10.0.1.0/24
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Main
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: x
      VpcConfig:
        SubnetIds: [!Ref A]
        SecurityGroupIds: [!Ref App]
  FnFromParameter:
    Type: AWS::Lambda::Function
    Properties:
      Role: r
      Code: { ZipFile: x }
      VpcConfig:
        SubnetIds: !Ref Subnets
        SecurityGroupIds: [!Ref App]
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      NetworkInterfaces:
        - DeviceIndex: '0'
          SubnetId: !Ref A
          GroupSet: [!GetAtt App.GroupId]
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        NetworkInterfaces:
          - DeviceIndex: 0
            Groups: [!Ref App]
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '0'
      MaxSize: '1'
      VPCZoneIdentifier: [!Ref A]
      MixedInstancesPolicy:
        LaunchTemplate:
          LaunchTemplateSpecification:
            LaunchTemplateId: !Ref Lt
            Version: '1'
  Bridge:
    Type: AWS::ECS::Service
    Properties:
      Cluster: c
`);
    expect(workload(graph, 'Fn')).toMatchObject({ workload: 'lambda-function', inVpc: true, subnets: ['A'], securityGroups: ['App'] });
    const fromParameter = workload(graph, 'FnFromParameter');
    expect(isUnknown(fromParameter.inVpc)).toBe(true);
    expect(fromParameter.subnetsIncomplete).toBe(true);
    expect(workload(graph, 'Host')).toMatchObject({ subnets: ['A'], securityGroups: ['App'], defaultSecurityGroup: false });
    expect(workload(graph, 'Asg')).toMatchObject({ subnets: ['A'], securityGroups: ['App'], uses: ['Lt'], defaultSecurityGroup: false });
    expect(isUnknown(workload(graph, 'Bridge').inVpc)).toBe(true);
  });
});
