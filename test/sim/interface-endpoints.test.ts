import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { consumersByZone, endpointZones, spansSeveralZones } from '../../src/sim/interface-endpoints.js';
import { cfnGraph, tfGraph } from '../graph/helpers.js';

const VPC = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "a2" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.2.0/24"
  availability_zone = "us-east-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.3.0/24"
  availability_zone = "us-east-1b"
}
`;

const endpoint = (graph: Graph, id: string) => {
  const e = graph.getKind(id, 'vpc-endpoint');
  if (!e) throw new Error(`no endpoint ${id}`);
  return e;
};

/** Zones as `zone: member, member`, for readable expectations. */
const zonesOf = (zones: Array<{ label: string; members?: Array<{ id: string }>; workloads?: Array<{ id: string }>; subnets?: Array<{ id: string }> }>) =>
  zones.map((z) => `${z.label}: ${(z.members ?? [...(z.workloads ?? []), ...(z.subnets ?? [])]).map((m) => m.id).join(', ')}`);

describe('endpointZones', () => {
  it('groups the subnets of subnet_ids, subnet_configuration and association resources by zone', async () => {
    const { graph } = await tfGraph(`${VPC}
resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.a.id]
  subnet_configuration {
    subnet_id = aws_subnet.b.id
  }
}
resource "aws_vpc_endpoint_subnet_association" "extra" {
  vpc_endpoint_id = aws_vpc_endpoint.sqs.id
  subnet_id       = aws_subnet.a2.id
}
`);
    const e = endpoint(graph, 'aws_vpc_endpoint.sqs');
    const z = endpointZones(graph, e);
    expect(zonesOf(z.zones)).toEqual(['us-east-1a: aws_subnet.a, aws_subnet.a2', 'us-east-1b: aws_subnet.b']);
    expect(z.unknown).toEqual([]);
    expect(e.subnetAttachments!.map((a) => `${a.subnet} via ${a.via} at line ${a.at.span.start.line}`)).toEqual([
      'aws_subnet.a via list at line 28',
      'aws_subnet.b via configuration at line 29',
      'aws_subnet.a2 via association at line 33',
    ]);
  });

  it('keeps what it cannot place as unknown, with the reason: a subnet without zone, a literal id, a variable without value', async () => {
    const { graph } = await tfGraph(`${VPC}
variable "one_more_subnet" {
  type = string
}
resource "aws_subnet" "somewhere" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.4.0/24"
}
resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.a.id, aws_subnet.somewhere.id, "subnet-0123456789abcdef0", var.one_more_subnet]
}
`);
    const z = endpointZones(graph, endpoint(graph, 'aws_vpc_endpoint.sqs'));
    expect(zonesOf(z.zones)).toEqual(['us-east-1a: aws_subnet.a']);
    expect(z.unknown.map((u) => `${u.node.id}: ${u.reason}`)).toEqual([
      'aws_subnet.somewhere: the Availability Zone of aws_subnet.somewhere is not known (AWS picks the availability zone)',
      'aws_vpc_endpoint.sqs: subnet subnet-0123456789abcdef0 of aws_vpc_endpoint.sqs is outside the configuration',
      expect.stringMatching(/^aws_vpc_endpoint\.sqs: the subnets of aws_vpc_endpoint\.sqs are not all known \(.*one_more_subnet.*\)$/),
    ]);
  });

  it('reads SubnetIds of a template, zones from !GetAZs with the symbolic region', () => {
    const { graph } = cfnGraph(
      `AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: !Select [0, !GetAZs '']
  SubnetB:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.2.0/24
      AvailabilityZone: !Select [1, !GetAZs '']
  Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.sqs
      VpcEndpointType: Interface
      SubnetIds:
        - !Ref SubnetA
        - !Ref SubnetB
`,
      {},
    );
    const e = endpoint(graph, 'Endpoint');
    const z = endpointZones(graph, e);
    expect(zonesOf(z.zones)).toEqual(['${AWS::Region}a: SubnetA', '${AWS::Region}b: SubnetB']);
    expect(spansSeveralZones(z.zones.map((g) => g.zone))).toBe(true);
    expect(e.subnetAttachments!.map((a) => a.at.span.start.line)).toEqual([26, 27]);
  });
});

describe('spansSeveralZones', () => {
  it('is false for one zone, true for two, and unknown for a name beside an id', () => {
    expect(spansSeveralZones(['us-east-1a'])).toBe(false);
    expect(spansSeveralZones(['us-east-1a', 'us-east-1b'])).toBe(true);
    expect(spansSeveralZones(['us-east-1a', 'use1-az1'])).toEqual({ unknown: expect.stringContaining('every account') });
  });
});

describe('consumersByZone', () => {
  const ENDPOINT = `
resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.a.id]
}
`;

  it('takes the VPC’s subnets when the configuration places no workload in the VPC', async () => {
    const { graph } = await tfGraph(`${VPC}${ENDPOINT}`);
    const c = consumersByZone(graph, endpoint(graph, 'aws_vpc_endpoint.sqs'));
    expect(c.basis).toBe('subnets');
    expect(c.vpc?.id).toBe('aws_vpc.main');
    expect(zonesOf(c.zones)).toEqual(['us-east-1a: aws_subnet.a, aws_subnet.a2', 'us-east-1b: aws_subnet.b']);
    expect(c.unknown).toEqual([]);
  });

  it('takes the workloads of the VPC by the zones of their subnets, and not a function outside any VPC', async () => {
    const { graph } = await tfGraph(`${VPC}${ENDPOINT}
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.a2.id]
    security_group_ids = []
  }
}
resource "aws_lambda_function" "outside" {
  function_name = "outside"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
}
`);
    const c = consumersByZone(graph, endpoint(graph, 'aws_vpc_endpoint.sqs'));
    expect(c.basis).toBe('workloads');
    expect(zonesOf(c.zones)).toEqual(['us-east-1a: aws_lambda_function.worker, aws_subnet.a2']);
    expect(c.unknown).toEqual([]);
  });

  it('counts a workload whose subnets come from a variable without value as unknown', async () => {
    const { graph } = await tfGraph(`${VPC}${ENDPOINT}
variable "subnets" {
  type = list(string)
}
resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = "arn:aws:iam::123456789012:role/worker"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "worker.zip"
  vpc_config {
    subnet_ids         = var.subnets
    security_group_ids = []
  }
}
`);
    const c = consumersByZone(graph, endpoint(graph, 'aws_vpc_endpoint.sqs'));
    expect(c.basis).toBe('workloads');
    expect(c.zones).toEqual([]);
    expect(c.unknown.map((u) => u.node.id)).toEqual(['aws_lambda_function.worker']);
  });

  it('says so when the endpoint’s VPC is not in the configuration', async () => {
    const { graph } = await tfGraph(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc_endpoint" "sqs" {
  vpc_id            = "vpc-0123456789abcdef0"
  service_name      = "com.amazonaws.us-east-1.sqs"
  vpc_endpoint_type = "Interface"
  subnet_ids        = ["subnet-0123456789abcdef0"]
}
`);
    const c = consumersByZone(graph, endpoint(graph, 'aws_vpc_endpoint.sqs'));
    expect(c.vpc).toBeUndefined();
    expect(c.unknown.map((u) => u.reason)).toEqual(['the VPC of aws_vpc_endpoint.sqs is not in the configuration, so what runs there is not known']);
  });
});
