import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../src/source/value.js';
import { cfnGraph, show, tfGraph } from './helpers.js';

/*
 * What an endpoint says about Regions and IP types: AWS provider 6's per-resource `region`, `service_region` /
 * `ServiceRegion`, `ip_address_type` / `IpAddressType` and `dns_options.dns_record_ip_type` / `DnsOptions.DnsRecordIpType`.
 */

const endpoint = (body: string) => `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_endpoint" "e" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.ecr.api"
${body}
}
`;

describe('Terraform endpoint Region and IP type fields', () => {
  it('reads service_region, ip_address_type and dns_record_ip_type', async () => {
    const { graph } = await tfGraph(
      `provider "aws" {\n  region = "eu-west-1"\n}\n${endpoint('  vpc_endpoint_type = "Interface"\n  service_region = "us-east-1"\n  ip_address_type = "dualstack"\n  dns_options {\n    dns_record_ip_type = "dualstack"\n  }')}`,
    );
    const e = graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!;
    expect([e.region, e.serviceRegion, e.ipAddressType, e.dnsRecordIpType]).toEqual(['eu-west-1', 'us-east-1', 'dualstack', 'dualstack']);
    expect(e.service).toMatchObject({ region: 'us-east-1', service: 'ecr.api', prefix: 'com.amazonaws', endpointService: false });
  });

  it('leaves them undefined when not written, and Unknown when not known', async () => {
    const none = (await tfGraph(`provider "aws" {\n  region = "eu-west-1"\n}\n${endpoint('')}`)).graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!;
    expect([none.serviceRegion, none.ipAddressType, none.dnsRecordIpType]).toEqual([undefined, undefined, undefined]);
    const unknown = (
      await tfGraph(`provider "aws" {\n  region = "eu-west-1"\n}\nvariable "r" {\n  type = string\n}\n${endpoint('  service_region = var.r')}`)
    ).graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!;
    expect(isUnknown(unknown.serviceRegion)).toBe(true);
  });

  it('puts a resource with its own region argument (AWS provider 6) in that Region, overriding the provider', async () => {
    const { graph } = await tfGraph(
      `provider "aws" {\n  region = "us-east-1"\n}\n${endpoint('  region = "eu-west-1"')}\nresource "aws_subnet" "s" {\n  vpc_id     = aws_vpc.main.id\n  cidr_block = "10.0.0.0/24"\n}\n`,
    );
    expect(graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!.region).toBe('eu-west-1');
    expect(graph.getKind('aws_vpc.main', 'vpc')!.region).toBe('us-east-1');
  });

  it('keeps an unknown region argument Unknown rather than taking the provider Region', async () => {
    const { graph } = await tfGraph(`provider "aws" {\n  region = "us-east-1"\n}\nvariable "r" {\n  type = string\n}\n${endpoint('  region = var.r')}`);
    expect(isUnknown(graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!.region)).toBe(true);
  });

  it('reads the region argument inside modules, and data sources in that Region follow it', async () => {
    const { graph } = await tfGraph({
      'main.tf': `provider "aws" {\n  region = "us-east-1"\n}\n\nmodule "replica" {\n  source = "./replica"\n  region = "eu-west-1"\n}\n`,
      'replica/main.tf': `variable "region" {\n  type = string\n}\n\ndata "aws_vpc_endpoint_service" "s3" {\n  region       = var.region\n  service      = "s3"\n  service_type = "Gateway"\n}\n\nresource "aws_vpc" "main" {\n  region     = var.region\n  cidr_block = "10.1.0.0/16"\n}\n\nresource "aws_vpc_endpoint" "s3" {\n  region       = var.region\n  vpc_id       = aws_vpc.main.id\n  service_name = data.aws_vpc_endpoint_service.s3.service_name\n}\n\nresource "aws_vpc" "home" {\n  cidr_block = "10.2.0.0/16"\n}\n`,
    });
    const e = graph.getKind('module.replica.aws_vpc_endpoint.s3', 'vpc-endpoint')!;
    expect([show(e.region), show(e.serviceName)]).toEqual(['eu-west-1', 'com.amazonaws.eu-west-1.s3']);
    expect(graph.getKind('module.replica.aws_vpc.main', 'vpc')!.region).toBe('eu-west-1');
    expect(graph.getKind('module.replica.aws_vpc.home', 'vpc')!.region).toBe('us-east-1');
  });

  it('does not read region as the resource Region where it meant something else before provider 6', async () => {
    const { graph } = await tfGraph(
      `provider "aws" {\n  region = "us-east-1"\n}\n\nresource "aws_cloudformation_stack_set_instance" "i" {\n  stack_set_name = "s"\n  region         = "eu-west-1"\n}\n${endpoint('')}`,
    );
    expect(graph.getKind('aws_vpc_endpoint.e', 'vpc-endpoint')!.region).toBe('us-east-1');
  });
});

describe('CloudFormation endpoint Region and IP type fields', () => {
  it('reads ServiceRegion, IpAddressType and DnsOptions.DnsRecordIpType', () => {
    const { graph } = cfnGraph(
      [
        'Resources:',
        '  Endpoint:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-0123456789abcdef0',
        '      ServiceName: com.amazonaws.us-west-2.lambda',
        '      VpcEndpointType: Interface',
        '      ServiceRegion: us-west-2',
        '      IpAddressType: ipv6',
        '      DnsOptions: { DnsRecordIpType: ipv6 }',
        '',
      ].join('\n'),
    );
    const e = graph.getKind('Endpoint', 'vpc-endpoint')!;
    expect([e.region, e.serviceRegion, e.ipAddressType, e.dnsRecordIpType]).toEqual(['us-east-1', 'us-west-2', 'ipv6', 'ipv6']);
  });

  it('parses a partner endpoint service named for the stack Region', () => {
    const { graph } = cfnGraph(
      [
        'Resources:',
        '  Endpoint:',
        '    Type: AWS::EC2::VPCEndpoint',
        '    Properties:',
        '      VpcId: vpc-0123456789abcdef0',
        '      ServiceName: !Sub com.amazonaws.vpce.${AWS::Region}.vpce-svc-0123456789abcdef0',
        '      VpcEndpointType: Interface',
        '',
      ].join('\n'),
      {},
    );
    expect(graph.getKind('Endpoint', 'vpc-endpoint')!.service).toMatchObject({ service: 'vpce-svc-0123456789abcdef0', endpointService: true });
  });
});
