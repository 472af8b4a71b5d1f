import { describe, expect, it } from 'vitest';
import { internetPathOf } from '../../src/sim/internet-path.js';
import { endpointReach } from '../../src/sim/endpoint-reach.js';
import { tfGraph } from '../graph/helpers.js';

const NET = (routes: string, extra = '') => `
provider "aws" {
  region = "eu-west-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
resource "aws_egress_only_internet_gateway" "main" {
  vpc_id = aws_vpc.main.id
}
resource "aws_nat_gateway" "public" {
  subnet_id     = aws_subnet.app.id
  allocation_id = "eipalloc-0123456789abcdef0"
}
resource "aws_nat_gateway" "private" {
  subnet_id         = aws_subnet.app.id
  connectivity_type = "private"
}
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
${routes}
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
${extra}`;

const route = (dest: string, target: string) => `  route {\n    ${dest.includes(':') ? 'ipv6_cidr_block' : 'cidr_block'} = "${dest}"\n    ${target}\n  }`;

async function pathOf(routes: string, extra = '') {
  const { graph } = await tfGraph(NET(routes, extra));
  const g = graph.view();
  return { g, path: internetPathOf(g, g.getKind('aws_subnet.app', 'subnet')!) };
}

describe('whether a subnet has a path to the internet', () => {
  it.each([
    ['a default route to an internet gateway', route('0.0.0.0/0', 'gateway_id = aws_internet_gateway.main.id'), 'internet'],
    ['a default route to a public NAT gateway', route('0.0.0.0/0', 'nat_gateway_id = aws_nat_gateway.public.id'), 'internet'],
    ['::/0 to an egress-only internet gateway', route('::/0', 'egress_only_gateway_id = aws_egress_only_internet_gateway.main.id'), 'internet'],
    ['only the local route', '', 'isolated'],
    ['a route to a transit gateway for private addresses only', route('10.0.0.0/8', 'transit_gateway_id = "tgw-0123456789abcdef0"'), 'isolated'],
    ['a default route to a transit gateway', route('0.0.0.0/0', 'transit_gateway_id = "tgw-0123456789abcdef0"'), 'unknown'],
    ['a default route to a peering connection', route('0.0.0.0/0', 'vpc_peering_connection_id = "pcx-0123456789abcdef0"'), 'unknown'],
    ['a default route to a private NAT gateway', route('0.0.0.0/0', 'nat_gateway_id = aws_nat_gateway.private.id'), 'unknown'],
    ['part of the public address space to an internet gateway', route('52.0.0.0/8', 'gateway_id = aws_internet_gateway.main.id'), 'unknown'],
  ])('%s: %s', async (_name, routes, want) => {
    const { path } = await pathOf(routes);
    expect(path.kind).toBe(want);
  });

  it('names the route that leads to the internet, IPv4 first', async () => {
    const { path } = await pathOf(
      `${route('::/0', 'egress_only_gateway_id = aws_egress_only_internet_gateway.main.id')}\n${route('0.0.0.0/0', 'nat_gateway_id = aws_nat_gateway.public.id')}`,
    );
    expect(path.kind === 'internet' && path.route.destination).toEqual({ kind: 'cidr', cidr: '0.0.0.0/0' });
  });

  it('says why when the route table cannot be resolved', async () => {
    const { graph } = await tfGraph(`
variable "rt" {
  type = string
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = var.rt
}
`);
    const g = graph.view();
    const path = internetPathOf(g, g.getKind('aws_subnet.app', 'subnet')!);
    expect(path).toMatchObject({ kind: 'unknown', reason: 'the route table of aws_subnet.app cannot be resolved' });
  });
});

const ENDPOINT = (service: string, body: string) => `
resource "aws_vpc_endpoint" "${service.replace('.', '_')}" {
  vpc_id       = aws_vpc.main.id
  service_name = "com.amazonaws.eu-west-1.${service}"
${body}
}`;

describe('how an endpoint serves the subnets of a route table', () => {
  const reach = async (extra: string, service: string, type: 'Interface' | 'Gateway', routes = '') => {
    const { g } = await pathOf(routes, extra);
    return endpointReach(g, g.getKind('aws_vpc.main', 'vpc')!, g.getKind('aws_route_table.app', 'route-table')!, service, type);
  };
  const iface = (dns: string) => `  vpc_endpoint_type   = "Interface"\n  private_dns_enabled = ${dns}\n  subnet_ids          = [aws_subnet.app.id]`;

  it.each([
    ['an interface endpoint with private DNS', ENDPOINT('ecr.dkr', iface('true')), 'ecr.dkr', 'Interface', 'reached'],
    ['an interface endpoint with private DNS off', ENDPOINT('ecr.dkr', iface('false')), 'ecr.dkr', 'Interface', 'private-dns-off'],
    [
      'an interface endpoint without subnets',
      ENDPOINT('logs', '  vpc_endpoint_type   = "Interface"\n  private_dns_enabled = true'),
      'logs',
      'Interface',
      'no-interface',
    ],
    ['no endpoint', '', 'logs', 'Interface', 'missing'],
    ['a gateway endpoint on the table', ENDPOINT('s3', '  route_table_ids = [aws_route_table.app.id]'), 's3', 'Gateway', 'reached'],
    ['a gateway endpoint on no table', ENDPOINT('s3', ''), 's3', 'Gateway', 'not-on-table'],
    [
      'an endpoint whose service is not known',
      'variable "svc" {\n  type = string\n}\nresource "aws_vpc_endpoint" "x" {\n  vpc_id       = aws_vpc.main.id\n  service_name = var.svc\n}',
      'logs',
      'Interface',
      'unknown',
    ],
  ] as const)('%s', async (_name, extra, service, type, want) => {
    expect((await reach(extra, service, type)).kind).toBe(want);
  });

  it('is unknown when the table routes to another network, where a shared endpoint may answer', async () => {
    const r = await reach('', 'ecr.api', 'Interface', route('10.0.0.0/8', 'transit_gateway_id = "tgw-0123456789abcdef0"'));
    expect(r.kind).toBe('unknown');
    expect(r.kind === 'unknown' && r.reason).toContain('shared interface endpoint');
  });
});
