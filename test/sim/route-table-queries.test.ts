import { describe, expect, it } from 'vitest';
import { cfnGraph, tfGraph } from '../graph/helpers.js';
import { routeTableUse } from '../../src/sim/table-use.js';
import { duplicateRouteDestinations, routesInsideVpc } from '../../src/sim/route-conflicts.js';
import { subnetCidrConflicts } from '../../src/sim/vpc-addressing.js';

const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n';

const VPC = `${PROVIDER}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "a" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}

resource "aws_subnet" "b" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}

resource "aws_route_table" "t" {
  vpc_id = aws_vpc.main.id
}
`;

const use = async (hcl: string, table: string) => {
  const view = (await tfGraph(hcl)).graph.view();
  return routeTableUse(view, view.getKind(table, 'route-table')!);
};

describe('routeTableUse: which subnets use a route table', () => {
  it('counts an explicit association', async () => {
    const u = await use(
      `${VPC}\nresource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.a.id\n  route_table_id = aws_route_table.t.id\n}\n`,
      'aws_route_table.t',
    );
    expect(u.used).toBe(true);
    expect(u.used === true && u.subnets.map((s) => s.id)).toEqual(['aws_subnet.a']);
  });

  it('does not count a gateway (edge) association', async () => {
    const u = await use(
      `${VPC}\nresource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource "aws_route_table_association" "edge" {\n  gateway_id     = aws_internet_gateway.g.id\n  route_table_id = aws_route_table.t.id\n}\n`,
      'aws_route_table.t',
    );
    expect(u).toEqual({ used: false });
  });

  it('counts a subnet outside the configuration', async () => {
    const u = await use(
      `${VPC}\nresource "aws_route_table_association" "x" {\n  subnet_id      = "subnet-0123456789abcdef0"\n  route_table_id = aws_route_table.t.id\n}\n`,
      'aws_route_table.t',
    );
    expect(u.used === true && u.external).toEqual(['subnet-0123456789abcdef0']);
  });

  it('the main table is used by subnets without an association, and only by them', async () => {
    const some = await use(
      `${VPC}\nresource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.a.id\n  route_table_id = aws_route_table.t.id\n}\n`,
      'aws_vpc.main (main route table)',
    );
    expect(some.used === true && some.subnets.map((s) => s.id)).toEqual(['aws_subnet.b']);
    const none = await use(
      `${VPC}\nresource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.a.id\n  route_table_id = aws_route_table.t.id\n}\n\nresource "aws_route_table_association" "b" {\n  subnet_id      = aws_subnet.b.id\n  route_table_id = aws_route_table.t.id\n}\n`,
      'aws_vpc.main (main route table)',
    );
    expect(none).toEqual({ used: false });
  });

  it('is unknown when an association names a table that cannot be resolved', async () => {
    const u = await use(
      `${VPC}\nvariable "rt" {\n  type = string\n}\n\nresource "aws_route_table_association" "a" {\n  subnet_id      = aws_subnet.a.id\n  route_table_id = var.rt\n}\n`,
      'aws_route_table.t',
    );
    expect(u.used).toBe('unknown');
  });

  it('a template subnet under an undecidable Condition makes the use unknown', () => {
    const { graph } = cfnGraph(`Parameters:
  Make:
    Type: String
Conditions:
  MakeIt: !Equals [!Ref Make, 'yes']
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  Table:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Subnet:
    Type: AWS::EC2::Subnet
    Condition: MakeIt
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.0.1.0/24
  Association:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref Subnet
      RouteTableId: !Ref Table
`);
    const view = graph.view();
    const u = routeTableUse(view, view.getKind('Table', 'route-table')!);
    expect(u.used).toBe('unknown');
    expect(u.used === 'unknown' && u.reason).toContain('Condition MakeIt');
  });
});

describe('duplicateRouteDestinations', () => {
  const routes = (body: string) => `${VPC}\nresource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.main.id\n}\n${body}`;

  it('compares CIDRs as AWS stores them', async () => {
    const view = (
      await tfGraph(
        routes(
          `\nresource "aws_route" "one" {\n  route_table_id         = aws_route_table.t.id\n  destination_cidr_block = "172.20.0.0/16"\n  gateway_id             = aws_internet_gateway.g.id\n}\n\nresource "aws_route" "two" {\n  route_table_id         = aws_route_table.t.id\n  destination_cidr_block = "172.20.9.9/16"\n  vpc_peering_connection_id = "pcx-0123456789abcdef0"\n}\n`,
        ),
      )
    ).graph.view();
    const { hits } = duplicateRouteDestinations(view);
    expect(hits.map((h) => [h.first.id, h.second.id, h.destination])).toEqual([['aws_route.one', 'aws_route.two', '172.20.0.0/16']]);
  });

  it('keeps IPv4 and IPv6 defaults apart, and two identical inline blocks are one route', async () => {
    const view = (
      await tfGraph(
        `${VPC}\nresource "aws_internet_gateway" "g" {\n  vpc_id = aws_vpc.main.id\n}\n\nresource "aws_route_table" "inline" {\n  vpc_id = aws_vpc.main.id\n\n  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.g.id\n  }\n\n  route {\n    cidr_block = "0.0.0.0/0"\n    gateway_id = aws_internet_gateway.g.id\n  }\n\n  route {\n    ipv6_cidr_block = "::/0"\n    gateway_id      = aws_internet_gateway.g.id\n  }\n}\n`,
      )
    ).graph.view();
    expect(duplicateRouteDestinations(view)).toEqual({ hits: [], undecided: [] });
  });

  it('finds count instances that write the same destination into one table', async () => {
    const view = (
      await tfGraph(
        routes(
          `\nresource "aws_route" "default" {\n  count                  = 2\n  route_table_id         = aws_route_table.t.id\n  destination_cidr_block = "0.0.0.0/0"\n  gateway_id             = aws_internet_gateway.g.id\n}\n`,
        ),
      )
    ).graph.view();
    expect(duplicateRouteDestinations(view).hits.map((h) => h.second.id)).toEqual(['aws_route.default[1]']);
  });
});

describe('routesInsideVpc', () => {
  const inside = async (destination: string, target: string) =>
    routesInsideVpc(
      (
        await tfGraph(
          `${VPC}\nresource "aws_route" "r" {\n  route_table_id         = aws_route_table.t.id\n  destination_cidr_block = "${destination}"\n  ${target}\n}\n`,
        )
      ).graph.view(),
    );

  it('accepts a subnet CIDR to a network interface, the VPC CIDR itself, and larger ranges', async () => {
    expect((await inside('10.0.2.0/24', 'network_interface_id = "eni-0123456789abcdef0"')).hits).toEqual([]);
    expect((await inside('10.0.0.0/16', 'network_interface_id = "eni-0123456789abcdef0"')).hits).toEqual([]);
    expect((await inside('10.0.0.0/8', 'transit_gateway_id = "tgw-0123456789abcdef0"')).hits).toEqual([]);
  });

  it('refuses a destination that overlaps a subnet without being its CIDR', async () => {
    const r = await inside('10.0.1.128/25', 'network_interface_id = "eni-0123456789abcdef0"');
    expect(r.hits.map((h) => [h.problem, h.overlapped.map((s) => s.subnet.id)])).toEqual([['not-subnet', ['aws_subnet.a']]]);
  });

  it('refuses a transit gateway target even for a subnet CIDR', async () => {
    const r = await inside('10.0.1.0/24', 'transit_gateway_id = "tgw-0123456789abcdef0"');
    expect(r.hits.map((h) => [h.problem, h.subnet?.subnet.id])).toEqual([['target', 'aws_subnet.a']]);
  });

  it('stays silent for a CIDR no subnet of the configuration overlaps, with a target that may take it', async () => {
    expect(await inside('10.0.9.0/24', 'network_interface_id = "eni-0123456789abcdef0"')).toEqual({ hits: [], undecided: [] });
  });
});

describe('subnetCidrConflicts', () => {
  it('checks literal IPv6 blocks against the VPC block', async () => {
    const view = (
      await tfGraph(`${PROVIDER}
resource "aws_vpc" "main" {
  cidr_block      = "10.0.0.0/16"
  ipv6_cidr_block = "2600:1f18:1:100::/56"
}

resource "aws_subnet" "in" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = "2600:1f18:1:101::/64"
}

resource "aws_subnet" "out" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.2.0/24"
  ipv6_cidr_block = "2600:1f18:1:200::/64"
}
`)
    ).graph.view();
    const r = subnetCidrConflicts(view);
    expect(r.outside.map((o) => [o.subnet.id, o.family, o.vpcCidrs])).toEqual([['aws_subnet.out', 'ipv6', ['2600:1f18:1:100::/56']]]);
    expect(r.overlaps).toEqual([]);
  });

  it('reads secondary blocks of aws_vpc_ipv6_cidr_block_association', async () => {
    const view = (
      await tfGraph(`${PROVIDER}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_vpc_ipv6_cidr_block_association" "v6" {
  vpc_id          = aws_vpc.main.id
  ipv6_cidr_block = "2600:1f18:1:100::/56"
}

resource "aws_subnet" "a" {
  vpc_id          = aws_vpc.main.id
  cidr_block      = "10.0.1.0/24"
  ipv6_cidr_block = "2600:1f18:1:101::/64"
}
`)
    ).graph.view();
    expect(subnetCidrConflicts(view)).toEqual({ outside: [], overlaps: [], undecided: [] });
  });
});
