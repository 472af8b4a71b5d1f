import { describe, expect, it } from 'vitest';
import type { Graph } from '../../src/graph/graph.js';
import {
  aclsToEndpoint,
  blockingCauses,
  combine,
  egressToEndpoint,
  endpointAdmitsOthers,
  endpointConsumers,
  endpointIngress,
  gatewayServiceReach,
  type ReachVerdict,
} from '../../src/sim/reachability/index.js';
import { tfGraph } from '../graph/helpers.js';

const NETWORK = `
provider "aws" {
  region = "eu-central-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
}
resource "aws_subnet" "endpoints" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.2.0/24"
}
resource "aws_security_group" "other" {
  vpc_id = aws_vpc.main.id
}
resource "aws_ec2_managed_prefix_list" "apps" {
  name           = "apps"
  address_family = "IPv4"
  max_entries    = 1
  entry {
    cidr = "10.0.1.0/24"
  }
}
`;

const INSTANCE = (groups = 'vpc_security_group_ids = [aws_security_group.app.id]') => `
resource "aws_instance" "app" {
  ami           = "ami-0a1b2c3d4e5f67890"
  instance_type = "t3.small"
  subnet_id     = aws_subnet.app.id
  ${groups}
}
`;

const APP_GROUP = (egress = 'egress {\n    protocol    = "-1"\n    from_port   = 0\n    to_port     = 0\n    cidr_blocks = ["0.0.0.0/0"]\n  }') => `
resource "aws_security_group" "app" {
  vpc_id = aws_vpc.main.id
  ${egress}
}
`;

const ENDPOINT = (ingress: string, groups = 'security_group_ids = [aws_security_group.endpoints.id]') => `
resource "aws_vpc_endpoint" "ssm" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.eu-central-1.ssm"
  vpc_endpoint_type = "Interface"
  subnet_ids        = [aws_subnet.endpoints.id]
  ${groups}
}
resource "aws_security_group" "endpoints" {
  vpc_id = aws_vpc.main.id
  ${ingress}
}
`;

const rule = (proto: string, from: number, to: number, peer: string) =>
  `ingress {\n    protocol  = "${proto}"\n    from_port = ${from}\n    to_port   = ${to}\n    ${peer}\n  }`;

async function graphOf(text: string): Promise<Graph> {
  return (await tfGraph(`${NETWORK}${text}`)).graph;
}

function ingressVerdict(g: Graph): { verdict: ReachVerdict; reasons: string[] } {
  const view = g.view();
  const endpoint = view.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
  const { consumers } = endpointConsumers(view, endpoint);
  const hop = endpointIngress(view, endpoint, consumers[0]!);
  return { verdict: hop.judgement.verdict, reasons: hop.judgement.reasons };
}

describe('the endpoint security group inbound, from a workload', () => {
  it.each([
    ['a CIDR rule for the VPC', rule('tcp', 443, 443, 'cidr_blocks = ["10.0.0.0/16"]'), 'allowed'],
    ['a CIDR rule for another network', rule('tcp', 443, 443, 'cidr_blocks = ["10.9.0.0/16"]'), 'blocked'],
    ['a rule that covers half the client subnet (the address is not known)', rule('tcp', 443, 443, 'cidr_blocks = ["10.0.1.0/25"]'), 'unknown'],
    ['a source-group rule for the group the client carries', rule('tcp', 443, 443, 'security_groups = [aws_security_group.app.id]'), 'allowed'],
    ['a source-group rule for a group the client does not carry', rule('tcp', 443, 443, 'security_groups = [aws_security_group.other.id]'), 'blocked'],
    ['SSH only', rule('tcp', 22, 22, 'cidr_blocks = ["10.0.0.0/16"]'), 'blocked'],
    ['a port range around 443', rule('tcp', 400, 500, 'cidr_blocks = ["10.0.0.0/16"]'), 'allowed'],
    ['all traffic', rule('-1', 0, 0, 'cidr_blocks = ["10.0.0.0/16"]'), 'allowed'],
    ['UDP 443 only', rule('udp', 443, 443, 'cidr_blocks = ["10.0.0.0/16"]'), 'blocked'],
    ['IPv6 only (the client speaks IPv4)', rule('tcp', 443, 443, 'ipv6_cidr_blocks = ["::/0"]'), 'blocked'],
    ['a prefix list holding the client subnet', rule('tcp', 443, 443, 'prefix_list_ids = [aws_ec2_managed_prefix_list.apps.id]'), 'allowed'],
    ['self (the client is not a member)', rule('tcp', 443, 443, 'self = true'), 'blocked'],
  ])('%s: %s', async (_what, ingress, want) => {
    const g = await graphOf(`${INSTANCE()}${APP_GROUP()}${ENDPOINT(ingress)}`);
    expect(ingressVerdict(g).verdict).toBe(want);
  });

  it('is unknown when a CIDR comes from a variable without a value, and says so', async () => {
    const g = await graphOf(`variable "cidr" {\n  type = string\n}\n${INSTANCE()}${APP_GROUP()}${ENDPOINT(rule('tcp', 443, 443, 'cidr_blocks = [var.cidr]'))}`);
    const r = ingressVerdict(g);
    expect(r.verdict).toBe('unknown');
    expect(r.reasons.join(' ')).toContain('cidr');
  });

  it('is unknown when the client’s groups are not known and a rule names a group', async () => {
    const g = await graphOf(
      `variable "groups" {\n  type = list(string)\n}\n${INSTANCE('vpc_security_group_ids = var.groups')}${APP_GROUP()}${ENDPOINT(rule('tcp', 443, 443, 'security_groups = [aws_security_group.app.id]'))}`,
    );
    expect(ingressVerdict(g).verdict).toBe('unknown');
  });

  it('uses the VPC default group when the endpoint names none: it admits only its own members', async () => {
    const own = await graphOf(`${INSTANCE()}${APP_GROUP()}${ENDPOINT('', '')}`);
    expect(ingressVerdict(own).verdict).toBe('blocked');
    // An instance given no group carries the default group too, so the default group's self rule admits it.
    const member = await graphOf(`${INSTANCE('')}${APP_GROUP()}${ENDPOINT('', '')}`);
    expect(ingressVerdict(member).verdict).toBe('allowed');
    // aws_default_security_group with a rule for the VPC replaces AWS's rules.
    const managed = await graphOf(
      `${INSTANCE()}${APP_GROUP()}${ENDPOINT('', '')}\nresource "aws_default_security_group" "d" {\n  vpc_id = aws_vpc.main.id\n  ${rule('tcp', 443, 443, 'cidr_blocks = ["10.0.0.0/16"]')}\n}\n`,
    );
    expect(ingressVerdict(managed).verdict).toBe('allowed');
  });

  it('stands for the VPC addresses when no workload runs in the VPC', async () => {
    const g = await graphOf(`${APP_GROUP()}${ENDPOINT(rule('tcp', 443, 443, 'cidr_blocks = ["10.0.0.0/16"]'))}`);
    const view = g.view();
    const endpoint = view.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
    const c = endpointConsumers(view, endpoint);
    expect(c.from).toBe('vpc');
    expect(endpointIngress(view, endpoint, c.consumers[0]!).judgement.verdict).toBe('allowed');
  });
});

const GATEWAY = `
resource "aws_route_table" "app" {
  vpc_id = aws_vpc.main.id
}
resource "aws_route_table_association" "app" {
  subnet_id      = aws_subnet.app.id
  route_table_id = aws_route_table.app.id
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.main.id
  service_name    = "com.amazonaws.eu-central-1.s3"
  route_table_ids = [aws_route_table.app.id]
}
`;

const acl = (entries: Array<[string, number, string, string, number, number, string]>) =>
  `resource "aws_network_acl" "app" {\n  vpc_id     = aws_vpc.main.id\n  subnet_ids = [aws_subnet.app.id]\n${entries
    .map(
      ([d, n, a, p, f, t, c]) =>
        `  ${d} {\n    rule_no    = ${n}\n    action     = "${a}"\n    protocol   = "${p}"\n    from_port  = ${f}\n    to_port    = ${t}\n    cidr_block = "${c}"\n  }\n`,
    )
    .join('')}}\n`;

async function gateway(text: string) {
  const g = await graphOf(`${INSTANCE()}${GATEWAY}${text}`);
  const view = g.view();
  const reach = gatewayServiceReach(view, view.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!, ['eu-central-1']);
  return reach.subnets.find((s) => s.subnet.id === 'aws_subnet.app')!;
}

const OUT_443: [string, number, string, string, number, number, string] = ['egress', 100, 'allow', 'tcp', 443, 443, '0.0.0.0/0'];

describe('the network ACL on the way to a gateway endpoint’s service', () => {
  it.each([
    ['the default ACL (allow all)', '', 'allowed', undefined],
    [
      'ACL entries for the VPC only: the implicit deny drops S3',
      acl([
        ['egress', 100, 'allow', '-1', 0, 0, '10.0.0.0/8'],
        ['ingress', 100, 'allow', '-1', 0, 0, '10.0.0.0/8'],
      ]),
      'blocked',
      '*',
    ],
    [
      'a deny numbered before the allow wins',
      acl([
        ['egress', 90, 'deny', 'tcp', 443, 443, '0.0.0.0/0'],
        ['egress', 100, 'allow', '-1', 0, 0, '0.0.0.0/0'],
        ['ingress', 100, 'allow', '-1', 0, 0, '0.0.0.0/0'],
      ]),
      'blocked',
      'egress[0]',
    ],
    [
      'an allow numbered before the deny wins',
      acl([
        ['egress', 100, 'deny', '-1', 0, 0, '0.0.0.0/0'],
        ['egress', 90, 'allow', 'tcp', 443, 443, '0.0.0.0/0'],
        ['ingress', 100, 'allow', '-1', 0, 0, '0.0.0.0/0'],
      ]),
      'allowed',
      undefined,
    ],
    ['responses on 1024–65535 admitted', acl([OUT_443, ['ingress', 100, 'allow', 'tcp', 1024, 65535, '0.0.0.0/0']]), 'allowed', undefined],
    [
      'responses on 32768–65535 admitted (Linux and Windows clients)',
      acl([OUT_443, ['ingress', 100, 'allow', 'tcp', 32768, 65535, '0.0.0.0/0']]),
      'allowed',
      undefined,
    ],
    ['responses on 40000–65535 only (some clients)', acl([OUT_443, ['ingress', 100, 'allow', 'tcp', 40000, 65535, '0.0.0.0/0']]), 'unknown', undefined],
    [
      'responses on 1024–50000 only: ports every client uses are dropped',
      acl([OUT_443, ['ingress', 100, 'allow', 'tcp', 1024, 50000, '0.0.0.0/0']]),
      'blocked',
      '*',
    ],
    ['no inbound entry for the responses (ACLs are stateless)', acl([OUT_443]), 'blocked', '*'],
  ])('%s', async (_what, text, want, by) => {
    const s = await gateway(`${APP_GROUP()}${text}`);
    expect(s.acl.verdict).toBe(want);
    if (by)
      expect(
        s.acl.blocking.flatMap((h) => h.judgement.dropped.map((p) => (p.cause.kind === 'acl-entry' ? p.cause.entry.id : '*'))).some((x) => x.endsWith(by)),
      ).toBe(true);
  });

  it('reads an aws_default_network_acl with no entries as deny-all', async () => {
    const s = await gateway(`${APP_GROUP()}resource "aws_default_network_acl" "d" {\n  default_network_acl_id = aws_vpc.main.default_network_acl_id\n}\n`);
    expect(s.acl.verdict).toBe('blocked');
  });

  it('is unknown when an entry’s rule number is not known', async () => {
    const s = await gateway(
      `${APP_GROUP()}variable "n" {\n  type = number\n}\n${acl([
        ['egress', 100, 'allow', '-1', 0, 0, '0.0.0.0/0'],
        ['ingress', 100, 'allow', '-1', 0, 0, '0.0.0.0/0'],
      ]).replace(
        '\n}\n',
        `\n  egress {\n    rule_no    = var.n\n    action     = "deny"\n    protocol   = "tcp"\n    from_port  = 443\n    to_port    = 443\n    cidr_block = "0.0.0.0/0"\n  }\n}\n`,
      )}`,
    );
    expect(s.acl.verdict).toBe('unknown');
    expect(s.acl.reasons.join(' ')).toContain('rule number');
  });
});

describe('the workload’s egress to a gateway endpoint’s service', () => {
  it.each([
    ['all traffic to 0.0.0.0/0', APP_GROUP(), 'allowed'],
    [
      'the endpoint’s prefix list',
      APP_GROUP(
        'egress {\n    protocol        = "tcp"\n    from_port       = 443\n    to_port         = 443\n    prefix_list_ids = [aws_vpc_endpoint.s3.prefix_list_id]\n  }',
      ),
      'allowed',
    ],
    [
      'the region’s S3 prefix list by id',
      APP_GROUP('egress {\n    protocol        = "tcp"\n    from_port       = 443\n    to_port         = 443\n    prefix_list_ids = ["pl-6ea54007"]\n  }'),
      'allowed',
    ],
    [
      'TCP 443 to the VPC only',
      APP_GROUP('egress {\n    protocol    = "tcp"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = ["10.0.0.0/16"]\n  }'),
      'blocked',
    ],
    ['no egress rule at all (Terraform removes the default one)', APP_GROUP(''), 'blocked'],
    [
      'the DynamoDB prefix list, not S3’s',
      APP_GROUP('egress {\n    protocol        = "tcp"\n    from_port       = 443\n    to_port         = 443\n    prefix_list_ids = ["pl-66a5400f"]\n  }'),
      'blocked',
    ],
  ])('%s', async (_what, group, want) => {
    const s = await gateway(group);
    expect(s.egress[0]!.reach.verdict).toBe(want);
  });
});

describe('the path to an interface endpoint through ACLs and egress', () => {
  const endpointAcl = (entries: Array<[string, number, string, string, number, number, string]>) =>
    acl(entries).replace('"app"', '"endpoints"').replace('aws_subnet.app.id', 'aws_subnet.endpoints.id');

  async function path(text: string) {
    const g = await graphOf(`${INSTANCE()}${ENDPOINT(rule('tcp', 443, 443, 'cidr_blocks = ["10.0.0.0/16"]'))}${text}`);
    const view = g.view();
    const endpoint = view.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
    const c = endpointConsumers(view, endpoint).consumers[0]!;
    return {
      acls: combine(aclsToEndpoint(view, c, endpoint, view.getKind('aws_subnet.endpoints', 'subnet')!)),
      egress: combine(egressToEndpoint(view, c, endpoint)),
    };
  }

  it('passes with default ACLs and open egress', async () => {
    const p = await path(APP_GROUP());
    expect([p.acls.verdict, p.egress.verdict]).toEqual(['allowed', 'allowed']);
  });

  it('is blocked at the endpoint subnet’s ACL, inbound, and says by what', async () => {
    const p = await path(
      `${APP_GROUP()}${endpointAcl([
        ['ingress', 100, 'allow', 'tcp', 22, 22, '10.0.0.0/16'],
        ['egress', 100, 'allow', '-1', 0, 0, '10.0.0.0/16'],
      ])}`,
    );
    expect(p.acls.verdict).toBe('blocked');
    expect(p.acls.blocking.map((h) => `${h.direction} ${h.leg}`)).toEqual(['ingress request']);
    expect(blockingCauses(p.acls.blocking[0]!).join()).toContain('deny-all');
  });

  it('is blocked when the endpoint subnet’s ACL lets no response out', async () => {
    const p = await path(
      `${APP_GROUP()}${endpointAcl([
        ['ingress', 100, 'allow', 'tcp', 443, 443, '10.0.0.0/16'],
        ['egress', 100, 'allow', 'tcp', 443, 443, '10.0.0.0/16'],
      ])}`,
    );
    expect(p.acls.blocking.map((h) => `${h.direction} ${h.leg}`)).toEqual(['egress response']);
  });

  it('egress to the endpoint’s group counts, egress to another port does not', async () => {
    const toGroup = await path(
      APP_GROUP(
        'egress {\n    protocol        = "tcp"\n    from_port       = 443\n    to_port         = 443\n    security_groups = [aws_security_group.endpoints.id]\n  }',
      ),
    );
    expect(toGroup.egress.verdict).toBe('allowed');
    const db = await path(
      APP_GROUP('egress {\n    protocol    = "tcp"\n    from_port   = 5432\n    to_port     = 5432\n    cidr_blocks = ["10.0.0.0/16"]\n  }'),
    );
    expect(db.egress.verdict).toBe('blocked');
  });
});

describe('who the clients are', () => {
  it('a Lambda function needs responses on 1024–65535: an ACL admitting 32768–65535 blocks it', async () => {
    const lambda = `
resource "aws_lambda_function" "fn" {
  function_name = "fn"
  role          = "arn:aws:iam::123456789012:role/fn"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "fn.zip"
  vpc_config {
    subnet_ids         = [aws_subnet.app.id]
    security_group_ids = [aws_security_group.app.id]
  }
}
`;
    const text = `${APP_GROUP()}${lambda}${GATEWAY}${acl([OUT_443, ['ingress', 100, 'allow', 'tcp', 32768, 65535, '0.0.0.0/0']])}`;
    const g = await graphOf(text);
    const view = g.view();
    const reach = gatewayServiceReach(view, view.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!, ['eu-central-1']);
    expect(reach.subnets[0]!.acl.verdict).toBe('blocked');
  });

  it('an endpoint that admits 443 from addresses outside its VPC (a shared-endpoint hub) serves clients the scan cannot see', async () => {
    const g = await graphOf(ENDPOINT(rule('tcp', 443, 443, 'cidr_blocks = ["10.1.0.0/16", "10.2.0.0/16"]')));
    const view = g.view();
    const endpoint = view.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
    const { consumers } = endpointConsumers(view, endpoint);
    expect(endpointIngress(view, endpoint, consumers[0]!).judgement.verdict).toBe('blocked');
    expect(endpointAdmitsOthers(view, endpoint, consumers)).toContain('10.1.0.0/16');
  });

  it('a self rule the configuration writes means members of the endpoint group are clients; the default group’s AWS rule does not', async () => {
    const written = await graphOf(ENDPOINT(rule('tcp', 443, 443, 'self = true')));
    const view = written.view();
    const endpoint = view.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
    expect(endpointAdmitsOthers(view, endpoint, endpointConsumers(view, endpoint).consumers)).toContain('aws_security_group.endpoints');
    const byDefault = (await graphOf(ENDPOINT('', ''))).view();
    const e2 = byDefault.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')!;
    expect(endpointAdmitsOthers(byDefault, e2, endpointConsumers(byDefault, e2).consumers)).toBeUndefined();
  });
});
