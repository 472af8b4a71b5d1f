import { describe, expect, it } from 'vitest';
import { serviceAccess, serviceZones } from '../../src/sim/endpoint-service.js';
import { isUnknown } from '../../src/source/value.js';
import { cfnGraph, tfGraph } from '../graph/helpers.js';

const PROVIDER = 'provider "aws" {\n  region = "us-east-1"\n}\n';
const subnet = (name: string, az: string) =>
  `resource "aws_subnet" "${name}" {\n  vpc_id     = "vpc-0123456789abcdef0"\n  cidr_block = "10.0.${name.length}.0/24"\n  ${az}\n}\n`;
const lb = (name: string, subnets: string) => `resource "aws_lb" "${name}" {\n  load_balancer_type = "network"\n  subnets            = ${subnets}\n}\n`;
const service = (lbs: string, extra = '') =>
  `resource "aws_vpc_endpoint_service" "svc" {\n  acceptance_required        = true\n  network_load_balancer_arns = ${lbs}\n${extra}}\n`;

async function zonesOf(tf: string) {
  const { graph } = await tfGraph(PROVIDER + tf);
  const view = graph.view();
  return serviceZones(view, view.all('endpoint-service')[0]!);
}

describe('the Availability Zones of an endpoint service', () => {
  it.each([
    [
      'one load balancer with two subnets, zones not written',
      `${subnet('a', '')}${subnet('bb', '')}${lb('n', '[aws_subnet.a.id, aws_subnet.bb.id]')}${service('[aws_lb.n.arn]')}`,
      'several',
    ],
    ['one load balancer with two literal subnet ids', `${lb('n', '["subnet-0a", "subnet-0b"]')}${service('[aws_lb.n.arn]')}`, 'several'],
    [
      'one load balancer with one subnet',
      `${subnet('a', 'availability_zone = "us-east-1a"')}${lb('n', '[aws_subnet.a.id]')}${service('[aws_lb.n.arn]')}`,
      'one',
    ],
    ['one subnet whose zone AWS picks', `${subnet('a', '')}${lb('n', '[aws_subnet.a.id]')}${service('[aws_lb.n.arn]')}`, 'one'],
    ['one literal subnet id', `${lb('n', '["subnet-0a"]')}${service('[aws_lb.n.arn]')}`, 'one'],
    [
      'two one-subnet load balancers sharing the subnet',
      `${subnet('a', '')}${lb('n', '[aws_subnet.a.id]')}${lb('m', '[aws_subnet.a.id]')}${service('[aws_lb.n.arn, aws_lb.m.arn]')}`,
      'one',
    ],
    [
      'two one-subnet load balancers in zones that differ',
      `${subnet('a', 'availability_zone = "us-east-1a"')}${subnet('bb', 'availability_zone = "us-east-1b"')}${lb('n', '[aws_subnet.a.id]')}${lb('m', '[aws_subnet.bb.id]')}${service('[aws_lb.n.arn, aws_lb.m.arn]')}`,
      'several',
    ],
    [
      'two one-subnet load balancers, one zone by name and one by ID',
      `${subnet('a', 'availability_zone = "us-east-1a"')}${subnet('bb', 'availability_zone_id = "use1-az2"')}${lb('n', '[aws_subnet.a.id]')}${lb('m', '[aws_subnet.bb.id]')}${service('[aws_lb.n.arn, aws_lb.m.arn]')}`,
      'unknown',
    ],
    [
      'two one-subnet load balancers whose zones AWS picks',
      `${subnet('a', '')}${subnet('bb', '')}${lb('n', '[aws_subnet.a.id]')}${lb('m', '[aws_subnet.bb.id]')}${service('[aws_lb.n.arn, aws_lb.m.arn]')}`,
      'unknown',
    ],
    ['a load balancer outside the configuration', `${service('["arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/1"]')}`, 'unknown'],
    [
      'a load balancer outside the configuration beside one with two subnets',
      `${lb('n', '["subnet-0a", "subnet-0b"]')}${service('[aws_lb.n.arn, "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/x/1"]')}`,
      'several',
    ],
    ['subnets from a variable without a value', `variable "ids" {\n  type = list(string)\n}\n${lb('n', 'var.ids')}${service('[aws_lb.n.arn]')}`, 'unknown'],
  ])('%s', async (_name, tf, kind) => {
    expect((await zonesOf(tf)).kind).toBe(kind);
  });

  it('names the zone of a one-zone service, and leaves it undefined when AWS picks it', async () => {
    const named = await zonesOf(`${subnet('a', 'availability_zone = "us-east-1a"')}${lb('n', '[aws_subnet.a.id]')}${service('[aws_lb.n.arn]')}`);
    expect(named).toMatchObject({ kind: 'one', zone: 'us-east-1a' });
    const picked = await zonesOf(`${subnet('a', '')}${lb('n', '[aws_subnet.a.id]')}${service('[aws_lb.n.arn]')}`);
    expect(picked).toMatchObject({ kind: 'one', zone: undefined });
  });

  it('reads CloudFormation subnet mappings and Gateway Load Balancers', () => {
    const { graph } = cfnGraph(
      [
        'Resources:',
        '  A:',
        '    Type: AWS::EC2::Subnet',
        "    Properties: { VpcId: vpc-1, CidrBlock: 10.0.1.0/24, AvailabilityZone: !Select [0, !GetAZs ''] }",
        '  Gwlb:',
        '    Type: AWS::ElasticLoadBalancingV2::LoadBalancer',
        '    Properties: { Type: gateway, SubnetMappings: [{ SubnetId: !Ref A }] }',
        '  Svc:',
        '    Type: AWS::EC2::VPCEndpointService',
        '    Properties: { AcceptanceRequired: true, GatewayLoadBalancerArns: [!Ref Gwlb] }',
        '',
      ].join('\n'),
    );
    const view = graph.view();
    const zones = serviceZones(view, view.all('endpoint-service')[0]!);
    expect(zones.kind).toBe('one');
    if (zones.kind === 'one') expect(zones.loadBalancers.map((l) => l.loadBalancer.id)).toEqual(['Gwlb']);
  });
});

describe('who may connect to an endpoint service', () => {
  it('separates "*", named principals and principals that cannot be read, from the service and from separate resources', async () => {
    const { graph } = await tfGraph(
      PROVIDER +
        `variable "extra" {\n  type = string\n}\n` +
        service('[]', '  allowed_principals = ["arn:aws:iam::111122223333:root"]\n') +
        `resource "aws_vpc_endpoint_service_allowed_principal" "all" {\n  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc.id\n  principal_arn           = "*"\n}\n` +
        `resource "aws_vpc_endpoint_service_allowed_principal" "extra" {\n  vpc_endpoint_service_id = aws_vpc_endpoint_service.svc.id\n  principal_arn           = var.extra\n}\n`,
    );
    const access = serviceAccess(graph.view().all('endpoint-service')[0]!);
    expect(access.acceptanceRequired).toBe(true);
    expect(access.everyone.map((p) => p.source.address)).toEqual(['aws_vpc_endpoint_service_allowed_principal.all']);
    expect(access.named.map((p) => p.principal)).toEqual(['arn:aws:iam::111122223333:root']);
    expect(access.unknownPrincipals).toHaveLength(1);
  });

  it('keeps an omitted CloudFormation AcceptanceRequired unknown', () => {
    const { graph } = cfnGraph(
      [
        'Resources:',
        '  Svc:',
        '    Type: AWS::EC2::VPCEndpointService',
        '    Properties: { NetworkLoadBalancerArns: [arn:aws:elasticloadbalancing:x] }',
        '',
      ].join('\n'),
    );
    expect(isUnknown(serviceAccess(graph.view().all('endpoint-service')[0]!).acceptanceRequired)).toBe(true);
  });
});
