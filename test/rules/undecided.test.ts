import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/*
 * Every branch where a routing rule declines to decide, one case each: the rule reports nothing about the resource,
 * and says so in a `rule-undecided` diagnostic that names the rule, the resource and the reason. A scan that ends
 * with "0 findings" must mean "checked and fine", never "could not tell".
 */

const PROVIDER = (region: string) => `provider "aws" {\n  region = "${region}"\n}\n`;

const VPC = `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "public" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_nat_gateway" "main" {
  subnet_id     = aws_subnet.public.id
  allocation_id = "eipalloc-0123456789abcdef0"
}

resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
`;

const PRIVATE_TABLE = `
resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    cidr_block     = "0.0.0.0/0"
    nat_gateway_id = aws_nat_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
`;

const S3_INTERFACE = (body: string) => `
resource "aws_vpc_endpoint" "s3_interface" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.us-east-1.s3"
${body}
}
`;

interface Case {
  name: string;
  rule: string;
  files: Record<string, string>;
  resource: string;
  reason: string;
}

const cases: Case[] = [
  // VPCE101 (and VPCE102, which shares the analysis): subnet → route table → NAT.
  {
    name: 'the route table association names a table the configuration does not show',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}\nvariable "rt" {\n  type = string\n}\n\nresource "aws_route_table_association" "private" {\n  subnet_id      = aws_subnet.private.id\n  route_table_id = var.rt\n}\n`,
    },
    resource: 'aws_subnet.private',
    reason:
      'the route table of aws_subnet.private cannot be resolved (its association aws_route_table_association.private names a route table the configuration does not show: variable rt has no value)',
  },
  {
    name: "a subnet of a VPC outside the configuration uses that VPC's main table",
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}\nvariable "vpc_id" {\n  type = string\n}\n\nresource "aws_subnet" "app" {\n  vpc_id     = var.vpc_id\n  cidr_block = "10.0.1.0/24"\n}\n\nresource "aws_nat_gateway" "main" {\n  subnet_id     = aws_subnet.app.id\n  allocation_id = "eipalloc-0123456789abcdef0"\n}\n`,
    },
    resource: 'aws_subnet.app',
    reason: "its VPC is not in the configuration: it uses that VPC's main route table, whose routes are not known",
  },
  {
    name: 'the VPC of a subnet with a NAT route is not in the configuration',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}\nvariable "vpc_id" {\n  type = string\n}\n\nvariable "nat_id" {\n  type = string\n}\n\nresource "aws_subnet" "app" {\n  vpc_id     = var.vpc_id\n  cidr_block = "10.0.1.0/24"\n}\n\nresource "aws_route_table" "app" {\n  vpc_id = var.vpc_id\n\n  route {\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = var.nat_id\n  }\n}\n\nresource "aws_route_table_association" "app" {\n  subnet_id      = aws_subnet.app.id\n  route_table_id = aws_route_table.app.id\n}\n`,
    },
    resource: 'aws_route_table.app',
    reason: 'the VPC of aws_subnet.app is not in the configuration, so its region and the endpoints that may carry S3 traffic are not known',
  },
  {
    name: 'the region is not known',
    rule: 'VPCE101',
    files: { 'main.tf': `provider "aws" {}\n${VPC}${PRIVATE_TABLE}` },
    resource: 'aws_route_table.private',
    reason: 'the region of aws_vpc.main is not known',
  },
  {
    name: 'the bundled data has no ranges for the region',
    rule: 'VPCE101',
    files: { 'main.tf': `${PROVIDER('xx-nowhere-9')}${VPC}${PRIVATE_TABLE}` },
    resource: 'aws_route_table.private',
    reason: 'the bundled AWS data has no S3 ranges for xx-nowhere-9',
  },
  {
    name: 'the type of an S3 endpoint is not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "type" {\n  type = string\n}\n${S3_INTERFACE('  vpc_endpoint_type   = var.type\n  subnet_ids          = [aws_subnet.private.id]\n  private_dns_enabled = true')}`,
    },
    resource: 'aws_route_table.private',
    reason: 'the type of endpoint aws_vpc_endpoint.s3_interface for S3 is not known',
  },
  {
    name: 'whether an S3 interface endpoint has private DNS is not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "dns" {\n  type = bool\n}\n${S3_INTERFACE('  vpc_endpoint_type   = "Interface"\n  subnet_ids          = [aws_subnet.private.id]\n  private_dns_enabled = var.dns')}`,
    },
    resource: 'aws_route_table.private',
    reason: 'whether S3 interface endpoint aws_vpc_endpoint.s3_interface has private DNS is not known',
  },
  {
    name: 'an interface endpoint with private DNS names a service that is not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "service" {\n  type = string\n}\n\nresource "aws_vpc_endpoint" "any" {\n  vpc_id              = aws_vpc.main.id\n  service_name        = var.service\n  vpc_endpoint_type   = "Interface"\n  subnet_ids          = [aws_subnet.private.id]\n  private_dns_enabled = true\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'endpoint aws_vpc_endpoint.any, whose service name is not known',
  },
  {
    name: 'the private DNS mode of an S3 interface endpoint is not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "inbound_only" {\n  type = bool\n}\n${S3_INTERFACE('  vpc_endpoint_type   = "Interface"\n  subnet_ids          = [aws_subnet.private.id]\n  private_dns_enabled = true\n\n  dns_options {\n    private_dns_only_for_inbound_resolver_endpoint = var.inbound_only\n  }')}`,
    },
    resource: 'aws_route_table.private',
    reason: 'whether private DNS of S3 interface endpoint aws_vpc_endpoint.s3_interface answers only inbound resolvers is not known',
  },
  {
    name: 'private DNS without dns_options and no gateway endpoint',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}${S3_INTERFACE('  vpc_endpoint_type   = "Interface"\n  subnet_ids          = [aws_subnet.private.id]\n  private_dns_enabled = true')}`,
    },
    resource: 'aws_route_table.private',
    reason: 'has private DNS without dns_options; AWS then applies "private DNS only for inbound endpoints"',
  },
  {
    name: 'the subnets of an S3 interface endpoint for all resolvers are not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "subnets" {\n  type = list(string)\n}\n${S3_INTERFACE('  vpc_endpoint_type   = "Interface"\n  subnet_ids          = var.subnets\n  private_dns_enabled = true\n\n  dns_options {\n    private_dns_only_for_inbound_resolver_endpoint = false\n  }')}`,
    },
    resource: 'aws_route_table.private',
    reason: 'but its subnets are not known (with none it has no network interface and carries nothing)',
  },
  {
    name: 'route resources of unknown count may add routes',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "n" {\n  type = number\n}\n\nresource "aws_vpc_endpoint" "s3" {\n  count           = var.n\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.us-east-1.s3"\n  route_table_ids = [aws_route_table.private.id]\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'aws_vpc_endpoint resources of unknown count may add routes to aws_route_table.private',
  },
  {
    name: 'a gateway endpoint of unknown service is on the table',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "service" {\n  type = string\n}\n\nresource "aws_vpc_endpoint" "gw" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = var.service\n  route_table_ids = [aws_route_table.private.id]\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'the service of gateway endpoint aws_vpc_endpoint.gw is not known',
  },
  {
    name: 'a route to a target that is not known',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}\nvariable "gateway" {\n  type = string\n}\n\nresource "aws_route_table" "private" {\n  vpc_id = aws_vpc.main.id\n\n  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = var.gateway\n  }\n}\n\nresource "aws_route_table_association" "private" {\n  subnet_id      = aws_subnet.private.id\n  route_table_id = aws_route_table.private.id\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'carries S3 traffic to a target that is not known',
  },
  {
    name: 'two prefix lists tie for part of the ranges',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}
resource "aws_ec2_managed_prefix_list" "a" {
  name           = "a"
  address_family = "IPv4"
  max_entries    = 1
  entry {
    cidr = "3.5.0.0/19"
  }
}

resource "aws_ec2_managed_prefix_list" "b" {
  name           = "b"
  address_family = "IPv4"
  max_entries    = 1
  entry {
    cidr = "3.5.0.0/19"
  }
}

resource "aws_route_table" "private" {
  vpc_id = aws_vpc.main.id

  route {
    destination_prefix_list_id = aws_ec2_managed_prefix_list.a.id
    nat_gateway_id             = aws_nat_gateway.main.id
  }

  route {
    destination_prefix_list_id = aws_ec2_managed_prefix_list.b.id
    gateway_id                 = aws_internet_gateway.main.id
  }
}

resource "aws_route_table_association" "private" {
  subnet_id      = aws_subnet.private.id
  route_table_id = aws_route_table.private.id
}
`,
    },
    resource: 'aws_route_table.private',
    reason: 'AWS picks one, so the NAT path is not certain',
  },
  {
    name: 'a route to a NAT gateway in a table outside the configuration',
    rule: 'VPCE101',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}\nvariable "rt" {\n  type = string\n}\n\nresource "aws_route" "egress" {\n  route_table_id         = var.rt\n  destination_cidr_block = "0.0.0.0/0"\n  nat_gateway_id         = aws_nat_gateway.main.id\n}\n`,
    },
    resource: 'aws_route.egress',
    reason: 'to NAT gateway aws_nat_gateway.main in a route table this configuration does not define (not known: ',
  },
  {
    name: 'a template whose gateway endpoint and availability zones pin it to two different regions',
    rule: 'VPCE101',
    files: {
      'template.yaml': `AWSTemplateFormatVersion: 2010-09-09
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Public:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.0.0/24
      AvailabilityZone: eu-west-1a
  Private:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
      AvailabilityZone: eu-west-1a
  Nat:
    Type: AWS::EC2::NatGateway
    Properties:
      SubnetId: !Ref Public
      AllocationId: eipalloc-0123456789abcdef0
  PublicTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateTable:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  PrivateDefault:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref PrivateTable
      DestinationCidrBlock: 0.0.0.0/0
      NatGatewayId: !Ref Nat
  PrivateAssociation:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Private
      RouteTableId: !Ref PrivateTable
  S3:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: com.amazonaws.us-east-1.s3
      RouteTableIds: [!Ref PublicTable]
`,
    },
    resource: 'PrivateTable',
    reason: 'no region of the bundled data can deploy Vpc as written',
  },

  // VPCE103: routes that may take traffic away from a gateway endpoint.
  {
    name: 'the service of a gateway endpoint is not known',
    rule: 'VPCE103',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "service" {\n  type = string\n}\n\nresource "aws_vpc_endpoint" "gw" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = var.service\n  route_table_ids = [aws_route_table.private.id]\n}\n\nresource "aws_route" "pinned" {\n  route_table_id         = aws_route_table.private.id\n  destination_cidr_block = "3.5.0.0/20"\n  gateway_id             = aws_internet_gateway.main.id\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'the service of gateway endpoint aws_vpc_endpoint.gw is not known',
  },
  {
    name: 'the bundled data has no ranges for the endpoint region',
    rule: 'VPCE103',
    files: {
      'main.tf': `${PROVIDER('xx-nowhere-9')}${VPC}${PRIVATE_TABLE}\nresource "aws_vpc_endpoint" "s3" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.xx-nowhere-9.s3"\n  route_table_ids = [aws_route_table.private.id]\n}\n\nresource "aws_route" "pinned" {\n  route_table_id         = aws_route_table.private.id\n  destination_cidr_block = "3.5.0.0/20"\n  gateway_id             = aws_internet_gateway.main.id\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'ranges for xx-nowhere-9',
  },
  {
    name: 'route resources of unknown count may shadow the endpoint',
    rule: 'VPCE103',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "n" {\n  type = number\n}\n\nresource "aws_vpc_endpoint" "s3" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.us-east-1.s3"\n  route_table_ids = [aws_route_table.private.id]\n}\n\nresource "aws_route" "maybe" {\n  count                  = var.n\n  route_table_id         = aws_route_table.private.id\n  destination_cidr_block = "3.5.0.0/20"\n  gateway_id             = aws_internet_gateway.main.id\n}\n`,
    },
    resource: 'aws_route_table.private',
    reason: 'aws_route resources of unknown count may add routes to aws_route_table.private',
  },
  {
    name: 'a customer prefix list ties with the endpoint route',
    rule: 'VPCE103',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [aws_route_table.private.id]
}

resource "aws_ec2_managed_prefix_list" "pinned" {
  name           = "pinned"
  address_family = "IPv4"
  max_entries    = 1
  entry {
    cidr = "3.5.0.0/19"
  }
}

resource "aws_route" "pinned" {
  route_table_id             = aws_route_table.private.id
  destination_prefix_list_id = aws_ec2_managed_prefix_list.pinned.id
  gateway_id                 = aws_internet_gateway.main.id
}
`,
    },
    resource: 'aws_route_table.private',
    reason: 'ties with the route of gateway endpoint aws_vpc_endpoint.s3',
  },

  // VPCE104: two gateway endpoints of one service on one table.
  {
    name: 'the route tables of a second gateway endpoint are not known',
    rule: 'VPCE104',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "tables" {\n  type = list(string)\n}\n\nresource "aws_vpc_endpoint" "a" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.us-east-1.s3"\n  route_table_ids = [aws_route_table.private.id]\n}\n\nresource "aws_vpc_endpoint" "b" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.us-east-1.s3"\n  route_table_ids = var.tables\n}\n`,
    },
    resource: 'aws_vpc_endpoint.b',
    reason: 'the route tables of aws_vpc_endpoint.b are not all known',
  },
  {
    name: 'a gateway endpoint of unknown service shares a table with another',
    rule: 'VPCE104',
    files: {
      'main.tf': `${PROVIDER('us-east-1')}${VPC}${PRIVATE_TABLE}\nvariable "service" {\n  type = string\n}\n\nresource "aws_vpc_endpoint" "a" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = "com.amazonaws.us-east-1.s3"\n  route_table_ids = [aws_route_table.private.id]\n}\n\nresource "aws_vpc_endpoint" "b" {\n  vpc_id          = aws_vpc.main.id\n  service_name    = var.service\n  route_table_ids = [aws_route_table.private.id]\n}\n`,
    },
    resource: 'aws_vpc_endpoint.b',
    reason: 'the service of aws_vpc_endpoint.b is not known',
  },
];

describe('rules say why they stay silent', () => {
  it.each(cases.map((c) => [c.rule, c.name, c] as const))('%s: %s', async (_rule, _name, c) => {
    const dir = tmpTree(c.files);
    const result = await scan({ paths: [dir], root: dir });
    const undecided = result.diagnostics.filter((d) => d.code === 'rule-undecided' && d.rule === c.rule);
    const hit = undecided.find((d) => d.resource === c.resource && d.message.includes(c.reason));
    expect(hit, JSON.stringify({ undecided, findings: result.findings.map((f) => f.message) }, null, 1)).toBeDefined();
    expect(hit!.severity).toBe('note');
    expect(hit!.message.startsWith(`${c.rule} undecided for ${c.resource}: `)).toBe(true);
    expect(hit!.line).toBeGreaterThan(0);
    // Silent about that resource: no finding of the rule points at it.
    expect(result.findings.filter((f) => f.ruleId === c.rule && f.location.address === c.resource)).toEqual([]);
  });
});
