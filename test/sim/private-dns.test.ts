import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import { serviceNameAnswer, vpcResolvesPrivateNames } from '../../src/sim/private-dns.js';
import { cfnGraph, tfGraph } from '../graph/helpers.js';

const vpcOf = (graph: Graph, id = 'aws_vpc.main') => {
  const vpc = graph.getKind(id, 'vpc');
  if (!vpc) throw new Error(`no VPC ${id}`);
  return vpc;
};

const tf = (vpcBody: string, rest = '') => `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
${vpcBody}
}
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "us-east-1a"
}
${rest}`;

const ON = '  enable_dns_support   = true\n  enable_dns_hostnames = true';
const dhcp = (servers: string) => `
resource "aws_vpc_dhcp_options" "corp" {
  domain_name_servers = ${servers}
}
resource "aws_vpc_dhcp_options_association" "corp" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = aws_vpc_dhcp_options.corp.id
}
`;
const s3Interface = (dns: string) => `
resource "aws_vpc_endpoint" "s3" {
  vpc_id              = aws_vpc.main.id
  service_name        = "com.amazonaws.us-east-1.s3"
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.a.id]
  private_dns_enabled = true
${dns}
}
`;
const ALL = '  dns_options {\n    private_dns_only_for_inbound_resolver_endpoint = false\n  }';

describe('whether DNS in a VPC resolves private names', () => {
  it('resolves with both attributes on and no DHCP options set (the default set is AmazonProvidedDNS)', async () => {
    const { graph } = await tfGraph(tf(ON));
    expect(vpcResolvesPrivateNames(vpcOf(graph))).toEqual({ kind: 'resolves' });
  });

  it('does not resolve when DNS hostnames is left at its default, false', async () => {
    const { graph } = await tfGraph(tf('  enable_dns_support = true'));
    expect(vpcResolvesPrivateNames(vpcOf(graph))).toEqual({ kind: 'does-not-resolve', why: 'aws_vpc.main has enableDnsHostnames off' });
  });

  it('resolves when the DHCP options list the Amazon DNS server first: AmazonProvidedDNS, the VPC+2 address or 169.254.169.253', async () => {
    for (const servers of ['["AmazonProvidedDNS"]', '["10.0.0.2", "10.9.9.9"]', '["169.254.169.253"]']) {
      const { graph } = await tfGraph(tf(ON, dhcp(servers)));
      expect(vpcResolvesPrivateNames(vpcOf(graph)), servers).toEqual({ kind: 'resolves' });
    }
  });

  it('is unknown with custom name servers first: they may or may not forward to the Route 53 Resolver', async () => {
    const { graph } = await tfGraph(tf(ON, dhcp('["10.9.9.9", "AmazonProvidedDNS"]')));
    const r = vpcResolvesPrivateNames(vpcOf(graph));
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.reason).toContain('aws_vpc_dhcp_options.corp give aws_vpc.main the name servers 10.9.9.9, AmazonProvidedDNS');
  });

  it('is unknown when the association names a set outside the configuration', async () => {
    const assoc = `
resource "aws_vpc_dhcp_options_association" "corp" {
  vpc_id          = aws_vpc.main.id
  dhcp_options_id = "dopt-0123456789abcdef0"
}
`;
    const { graph } = await tfGraph(tf(ON, assoc));
    const r = vpcResolvesPrivateNames(vpcOf(graph));
    expect(r.kind === 'unknown' && r.reason).toContain('dopt-0123456789abcdef0, which the configuration does not show');
  });

  it('reads the default VPC (DNS hostnames on) and the region default set it adopts', async () => {
    const { graph } = await tfGraph(`
provider "aws" {
  region = "us-east-1"
}
resource "aws_default_vpc" "default" {}
resource "aws_default_vpc_dhcp_options" "default" {}
resource "aws_vpc_dhcp_options_association" "default" {
  vpc_id          = aws_default_vpc.default.id
  dhcp_options_id = aws_default_vpc_dhcp_options.default.id
}
`);
    expect(vpcResolvesPrivateNames(vpcOf(graph, 'aws_default_vpc.default'))).toEqual({ kind: 'resolves' });
  });

  it('reads CloudFormation DHCP options and their association', () => {
    const { graph } = cfnGraph(`
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      EnableDnsHostnames: true
  Options:
    Type: AWS::EC2::DHCPOptions
    Properties:
      DomainNameServers: [10.0.5.5]
  Association:
    Type: AWS::EC2::VPCDHCPOptionsAssociation
    Properties:
      VpcId: !Ref Vpc
      DhcpOptionsId: !Ref Options
`);
    const r = vpcResolvesPrivateNames(vpcOf(graph, 'Vpc'));
    expect(r.kind === 'unknown' && r.reason).toContain('DHCP options Options give Vpc the name servers 10.0.5.5');
  });
});

describe('which endpoint answers a service name inside the VPC', () => {
  it('an S3 interface endpoint with private DNS for all resolvers', async () => {
    const { graph } = await tfGraph(tf(ON, s3Interface(ALL)));
    const a = serviceNameAnswer(graph.view(), vpcOf(graph), 's3');
    expect(a.kind === 'interface-endpoint' && a.endpoint.id).toBe('aws_vpc_endpoint.s3');
  });

  it('the public name when private DNS is only for inbound resolver endpoints, set or (as AWS applies it) not given', async () => {
    for (const dns of ['', '  dns_options {\n    private_dns_only_for_inbound_resolver_endpoint = true\n  }']) {
      const { graph } = await tfGraph(tf(ON, s3Interface(dns)));
      expect(serviceNameAnswer(graph.view(), vpcOf(graph), 's3')).toEqual({ kind: 'public' });
    }
  });

  it('the public name for another service, and when the VPC does not resolve private names', async () => {
    const { graph } = await tfGraph(tf(ON, s3Interface(ALL)));
    expect(serviceNameAnswer(graph.view(), vpcOf(graph), 'dynamodb')).toEqual({ kind: 'public' });
    const off = await tfGraph(tf('  enable_dns_support = true', s3Interface(ALL)));
    expect(serviceNameAnswer(off.graph.view(), vpcOf(off.graph), 's3')).toEqual({ kind: 'public' });
  });

  it('unknown behind custom name servers, naming the endpoint', async () => {
    const { graph } = await tfGraph(tf(ON, dhcp('["10.9.9.9"]') + s3Interface(ALL)));
    const a = serviceNameAnswer(graph.view(), vpcOf(graph), 's3');
    expect(a.kind).toBe('unknown');
    expect(a.kind === 'unknown' && a.endpoint?.id).toBe('aws_vpc_endpoint.s3');
  });

  it('unknown when an endpoint of unknown service may be the one', async () => {
    const { graph } = await tfGraph(
      tf(
        ON,
        `
variable "service" {
  type = string
}
resource "aws_vpc_endpoint" "x" {
  vpc_id              = aws_vpc.main.id
  service_name        = var.service
  vpc_endpoint_type   = "Interface"
  subnet_ids          = [aws_subnet.a.id]
  private_dns_enabled = true
}
`,
      ),
    );
    const a = serviceNameAnswer(graph.view(), vpcOf(graph), 's3');
    expect(a.kind === 'unknown' && a.reason).toContain('aws_vpc_endpoint.x may be an interface endpoint for s3 with private DNS');
  });
});
