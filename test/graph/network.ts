/** One small network, written in Terraform and in CloudFormation, with every node kind the graph models. */

export const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ssm:GetParameter'], Resource: '*' }],
};

export const S3_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data-bucket/*' }],
};

export const BUCKET_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: ['arn:aws:s3:::data-bucket', 'arn:aws:s3:::data-bucket/*'],
      Condition: { StringNotEquals: { 'aws:SourceVpce': 'vpce-0123456789abcdef0' } },
    },
  ],
};

const hcl = (v: unknown): string => JSON.stringify(v);

export const TERRAFORM = `
provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "main" {
  cidr_block           = "10.0.0.0/16"
  enable_dns_support   = true
  enable_dns_hostnames = true
}

resource "aws_subnet" "app_a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "app_b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1b"
}

resource "aws_route_table" "private_rt" {
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["10.0.0.0/16"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol  = "-1"
    from_port = 0
    to_port   = 0
    self      = true
  }
  egress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    security_groups = [aws_security_group.endpoints.id]
  }
  egress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]
  }
}

resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.app_a.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "10.0.0.0/16"
  }
  ingress {
    rule_no    = 200
    action     = "allow"
    protocol   = "6"
    from_port  = 1024
    to_port    = 65535
    cidr_block = "0.0.0.0/0"
  }
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }
}

resource "aws_vpc_endpoint" "ssm" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [aws_subnet.app_a.id, aws_subnet.app_b.id]
  security_group_ids  = [aws_security_group.endpoints.id]
  policy              = jsonencode(${hcl(POLICY)})
}

resource "aws_vpc_endpoint" "logs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.app_a.id]
}

resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private_rt.id]
  policy          = ${JSON.stringify(JSON.stringify(S3_POLICY))}
}

resource "aws_lb" "nlb" {
  load_balancer_type = "network"
  internal           = true
  subnets            = [aws_subnet.app_a.id, aws_subnet.app_b.id]
}

resource "aws_vpc_endpoint_service" "svc" {
  acceptance_required        = false
  network_load_balancer_arns = [aws_lb.nlb.arn]
}

resource "aws_vpc_endpoint_service_allowed_principal" "svc_all" {
  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc.id
  principal_arn           = "*"
}

resource "aws_s3_bucket" "data" {
  bucket = "data-bucket"
}

resource "aws_s3_bucket_policy" "data" {
  bucket = aws_s3_bucket.data.id
  policy = jsonencode(${hcl(BUCKET_POLICY)})
}

resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  vpc_config {
    subnet_ids         = [aws_subnet.app_a.id, aws_subnet.app_b.id]
    security_group_ids = [aws_security_group.app.id]
  }
}

resource "aws_ecs_task_definition" "task" {
  family       = "task"
  network_mode = "awsvpc"
  container_definitions = jsonencode([{
    name             = "web"
    image            = "123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1"
    logConfiguration = { logDriver = "awslogs" }
    secrets          = [{ name = "TOKEN", valueFrom = "arn:aws:ssm:us-east-1:123456789012:parameter/token" }]
  }])
}

resource "aws_ecs_service" "service" {
  name            = "service"
  task_definition = aws_ecs_task_definition.task.arn
  network_configuration {
    subnets         = [aws_subnet.app_a.id]
    security_groups = [aws_security_group.app.id]
  }
}

resource "aws_instance" "host" {
  ami           = "ami-12345678"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app_a.id
}

resource "aws_eks_cluster" "cluster" {
  name     = "cluster"
  role_arn = "arn:aws:iam::123456789012:role/eks"
  vpc_config {
    subnet_ids         = [aws_subnet.app_a.id, aws_subnet.app_b.id]
    security_group_ids = [aws_security_group.app.id]
  }
}

resource "aws_eks_node_group" "nodes" {
  cluster_name  = aws_eks_cluster.cluster.name
  node_role_arn = "arn:aws:iam::123456789012:role/nodes"
  subnet_ids    = [aws_subnet.app_a.id, aws_subnet.app_b.id]
}

resource "aws_launch_template" "lt" {
  vpc_security_group_ids = [aws_security_group.app.id]
}

resource "aws_autoscaling_group" "asg" {
  min_size            = 1
  max_size            = 2
  vpc_zone_identifier = [aws_subnet.app_a.id, aws_subnet.app_b.id]
  launch_template {
    id      = aws_launch_template.lt.id
    version = "$Latest"
  }
}
`;

const yamlJson = (v: unknown, indent: string) =>
  JSON.stringify(v, null, 2)
    .split('\n')
    .map((l) => indent + l)
    .join('\n');

export const CLOUDFORMATION = `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Main:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsSupport: true
      EnableDnsHostnames: true
  AppA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Main
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: us-east-1a
  AppB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Main
      CidrBlock: 10.0.2.0/24
      AvailabilityZone: us-east-1b
  PrivateRt:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Main
  Endpoints:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: endpoints
      VpcId: !Ref Main
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/16 }
      SecurityGroupEgress:
        - { IpProtocol: "-1", CidrIp: 0.0.0.0/0 }
  App:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: app
      VpcId: !Ref Main
      SecurityGroupEgress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationSecurityGroupId: !GetAtt Endpoints.GroupId }
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, DestinationPrefixListId: pl-63a5400a }
  AppSelfIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !Ref App
      IpProtocol: "-1"
      SourceSecurityGroupId: !Ref App
  Private:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Main
  PrivateIn443:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Private
      RuleNumber: 100
      RuleAction: allow
      Protocol: 6
      PortRange: { From: 443, To: 443 }
      CidrBlock: 10.0.0.0/16
  PrivateInEphemeral:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Private
      RuleNumber: 200
      RuleAction: allow
      Protocol: 6
      PortRange: { From: 1024, To: 65535 }
      CidrBlock: 0.0.0.0/0
  PrivateOut:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Private
      Egress: true
      RuleNumber: 100
      RuleAction: allow
      Protocol: -1
      CidrBlock: 0.0.0.0/0
  PrivateAppA:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref AppA
      NetworkAclId: !Ref Private
  Ssm:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Main
      ServiceName: com.amazonaws.us-east-1.ssm
      VpcEndpointType: Interface
      PrivateDnsEnabled: true
      SubnetIds: [!Ref AppA, !Ref AppB]
      SecurityGroupIds: [!GetAtt Endpoints.GroupId]
      PolicyDocument:
${yamlJson(POLICY, '        ')}
  Logs:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Main
      ServiceName: com.amazonaws.us-east-1.logs
      VpcEndpointType: Interface
      SubnetIds: [!Ref AppA]
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Main
      ServiceName: com.amazonaws.us-east-1.s3
      RouteTableIds: [!Ref PrivateRt]
      PolicyDocument: '${JSON.stringify(S3_POLICY)}'
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      Scheme: internal
      Subnets: [!Ref AppA, !Ref AppB]
  Svc:
    Type: AWS::EC2::VPCEndpointService
    Properties:
      AcceptanceRequired: false
      NetworkLoadBalancerArns: [!Ref Nlb]
  SvcAll:
    Type: AWS::EC2::VPCEndpointServicePermissions
    Properties:
      ServiceId: !Ref Svc
      AllowedPrincipals: ['*']
  Data:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: data-bucket
  DataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Data
      PolicyDocument:
${yamlJson(BUCKET_POLICY, '        ')}
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/fn
      Code: { ZipFile: "exports.handler = async () => {}" }
      Handler: index.handler
      Runtime: nodejs20.x
      VpcConfig:
        SubnetIds: [!Ref AppA, !Ref AppB]
        SecurityGroupIds: [!Ref App]
  Task:
    Type: AWS::ECS::TaskDefinition
    Properties:
      NetworkMode: awsvpc
      ContainerDefinitions:
        - Name: web
          Image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/web:1
          LogConfiguration: { LogDriver: awslogs }
          Secrets:
            - { Name: TOKEN, ValueFrom: "arn:aws:ssm:us-east-1:123456789012:parameter/token" }
  Service:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      NetworkConfiguration:
        AwsvpcConfiguration:
          Subnets: [!Ref AppA]
          SecurityGroups: [!Ref App]
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
      SubnetId: !Ref AppA
  Cluster:
    Type: AWS::EKS::Cluster
    Properties:
      RoleArn: arn:aws:iam::123456789012:role/eks
      ResourcesVpcConfig:
        SubnetIds: [!Ref AppA, !Ref AppB]
        SecurityGroupIds: [!Ref App]
  Nodes:
    Type: AWS::EKS::Nodegroup
    Properties:
      ClusterName: !Ref Cluster
      NodeRole: arn:aws:iam::123456789012:role/nodes
      Subnets: [!Ref AppA, !Ref AppB]
  Lt:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        SecurityGroupIds: [!Ref App]
  Asg:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: '1'
      MaxSize: '2'
      VPCZoneIdentifier: [!Ref AppA, !Ref AppB]
      LaunchTemplate:
        LaunchTemplateId: !Ref Lt
        Version: !GetAtt Lt.LatestVersionNumber
`;
