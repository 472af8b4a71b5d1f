import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../src/source/value.js';
import { configResource, constant, idOf, planText, refs } from '../terraform-plan/build-plan.js';
import { cfnGraph, planGraph, ruleLines, tfGraph } from './helpers.js';

const VPC = `
provider "aws" {
  region = "us-east-1"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_ec2_managed_prefix_list" "corp" {
  name           = "corp"
  address_family = "IPv4"
  max_entries    = 1
  entry {
    cidr = "192.168.0.0/16"
  }
}
resource "aws_security_group" "peer" {
  vpc_id = aws_vpc.main.id
}
`;

const CFN_VPC = `Resources:
  Main:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
`;

const group = (g: ReturnType<typeof tfGraph> extends Promise<infer R> ? R : never, id: string) => {
  const node = g.graph.getKind(id, 'security-group');
  if (!node)
    throw new Error(
      `no group ${id}: ${g.graph
        .all('security-group')
        .map((x) => x.id)
        .join(', ')}`,
    );
  return node;
};

describe('Terraform security group styles', () => {
  it('give the same rules inline, as aws_security_group_rule, and as aws_vpc_security_group_*_rule', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_security_group" "inline" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol         = "tcp"
    from_port        = 443
    to_port          = 443
    cidr_blocks      = ["10.0.0.0/16", "10.1.0.0/16"]
    ipv6_cidr_blocks = ["2001:db8::/56"]
  }
  ingress {
    protocol        = "tcp"
    from_port       = 443
    to_port         = 443
    prefix_list_ids = [aws_ec2_managed_prefix_list.corp.id]
    security_groups = [aws_security_group.peer.id]
    self            = true
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "rules" {
  vpc_id = aws_vpc.main.id
}
resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.rules.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["10.0.0.0/16", "10.1.0.0/16"]
  ipv6_cidr_blocks  = ["2001:db8::/56"]
}
resource "aws_security_group_rule" "https_lists" {
  type              = "ingress"
  security_group_id = aws_security_group.rules.id
  protocol          = "6"
  from_port         = 443
  to_port           = 443
  prefix_list_ids   = [aws_ec2_managed_prefix_list.corp.id]
}
resource "aws_security_group_rule" "https_peer" {
  type                     = "ingress"
  security_group_id        = aws_security_group.rules.id
  protocol                 = "tcp"
  from_port                = 443
  to_port                  = 443
  source_security_group_id = aws_security_group.peer.id
}
resource "aws_security_group_rule" "https_self" {
  type              = "ingress"
  security_group_id = aws_security_group.rules.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  self              = true
}
resource "aws_security_group_rule" "all_out" {
  type              = "egress"
  security_group_id = aws_security_group.rules.id
  protocol          = "all"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group" "vpc_rules" {
  vpc_id = aws_vpc.main.id
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = toset(["10.0.0.0/16", "10.1.0.0/16"])
  security_group_id = aws_security_group.vpc_rules.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}
resource "aws_vpc_security_group_ingress_rule" "https_v6" {
  security_group_id = aws_security_group.vpc_rules.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv6         = "2001:db8::/56"
}
resource "aws_vpc_security_group_ingress_rule" "https_list" {
  security_group_id = aws_security_group.vpc_rules.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = aws_ec2_managed_prefix_list.corp.id
}
resource "aws_vpc_security_group_ingress_rule" "https_peer" {
  security_group_id            = aws_security_group.vpc_rules.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.peer.id
}
resource "aws_vpc_security_group_ingress_rule" "https_self" {
  security_group_id            = aws_security_group.vpc_rules.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
  referenced_security_group_id = aws_security_group.vpc_rules.id
}
resource "aws_vpc_security_group_egress_rule" "all_out" {
  security_group_id = aws_security_group.vpc_rules.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
`);
    const expected = [
      'egress -1 0-65535 0.0.0.0/0',
      'ingress tcp 443-443 10.0.0.0/16',
      'ingress tcp 443-443 10.1.0.0/16',
      'ingress tcp 443-443 2001:db8::/56',
      'ingress tcp 443-443 pl:corp',
      'ingress tcp 443-443 self',
      'ingress tcp 443-443 sg:peer',
    ];
    expect(ruleLines(group(r, 'aws_security_group.inline').rules)).toEqual(expected);
    expect(ruleLines(group(r, 'aws_security_group.rules').rules)).toEqual(expected);
    expect(ruleLines(group(r, 'aws_security_group.vpc_rules').rules)).toEqual(expected);
    expect(group(r, 'aws_security_group.inline').rules.map((x) => x.origin)).toEqual(['inline', 'inline', 'inline']);
    expect(group(r, 'aws_security_group.rules').rules.every((x) => x.origin === 'resource')).toBe(true);
  });

  it('locate each rule: an inline block at its line, a rule resource at its header', async () => {
    const text = `${VPC}
resource "aws_security_group" "inline" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol  = "tcp"
    from_port = 443
    to_port   = 443
    self      = true
  }
}
resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.inline.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}
`;
    const lines = text.split('\n');
    const r = await tfGraph(text);
    const [ingress, egress] = group(r, 'aws_security_group.inline').rules;
    expect(ingress!.id).toBe('aws_security_group.inline.ingress[0]');
    expect(lines[ingress!.source.span.start.line - 1]).toContain('ingress {');
    expect(egress!.id).toBe('aws_security_group_rule.out');
    expect(lines[egress!.source.span.start.line - 1]).toContain('resource "aws_security_group_rule" "out"');
  });

  it('reads ICMP type and code, and normalises protocol names and numbers', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_security_group" "icmp" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "icmp"
    from_port   = 8
    to_port     = 0
    cidr_blocks = ["10.0.0.0/8"]
  }
  ingress {
    protocol    = "17"
    from_port   = 53
    to_port     = 53
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`);
    const [icmp, udp] = group(r, 'aws_security_group.icmp').rules;
    expect(icmp).toMatchObject({ protocol: 'icmp', ports: undefined, icmp: { type: 8, code: 0 } });
    expect(udp).toMatchObject({ protocol: 'udp', ports: { from: 53, to: 53 } });
  });
});

describe('egress rules AWS adds by itself', () => {
  it('Terraform removes the allow-all egress of a new group: a group without egress blocks has none', async () => {
    const r = await tfGraph(`${VPC}`);
    expect(group(r, 'aws_security_group.peer').rules).toEqual([]);
  });

  it('CloudFormation keeps it unless the group lists egress rules, also beside separate egress resources', () => {
    const r = cfnGraph(`${CFN_VPC}
  Open:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: open
      VpcId: !Ref Main
  Closed:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: closed
      VpcId: !Ref Main
      SecurityGroupEgress:
        - { IpProtocol: icmp, FromPort: 252, ToPort: 86, CidrIp: 255.255.255.255/32 }
  Extra:
    Type: AWS::EC2::SecurityGroupEgress
    Properties:
      GroupId: !GetAtt Open.GroupId
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 10.0.0.0/8
`);
    expect(ruleLines(r.graph.getKind('Open', 'security-group')!.rules)).toEqual(['egress -1 0-65535 0.0.0.0/0 (aws default)', 'egress tcp 443-443 10.0.0.0/8']);
    expect(ruleLines(r.graph.getKind('Closed', 'security-group')!.rules)).toEqual(['egress icmp icmp 252/86 255.255.255.255/32']);
  });
});

describe('the VPC default security group', () => {
  it('is the group AWS creates (self inbound, all outbound) while the configuration does not manage it', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_vpc" "dual" {
  cidr_block                       = "10.1.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
`);
    const main = r.graph.defaultSecurityGroupOf('aws_vpc.main')!;
    expect(main).toMatchObject({ id: 'aws_vpc.main (default security group)', default: true, vpc: 'aws_vpc.main', rulesIncomplete: false });
    expect(ruleLines(main.rules)).toEqual(['egress -1 0-65535 0.0.0.0/0 (aws default)', 'ingress -1 0-65535 self (aws default)']);
    expect(ruleLines(r.graph.defaultSecurityGroupOf('aws_vpc.dual')!.rules)).toEqual([
      'egress -1 0-65535 0.0.0.0/0 (aws default)',
      'egress -1 0-65535 ::/0 (aws default)',
      'ingress -1 0-65535 self (aws default)',
    ]);
  });

  it('is aws_default_security_group when managed: only its own rules, and what references the VPC default group finds it', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_default_security_group" "default" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol  = "tcp"
    from_port = 443
    to_port   = 443
    self      = true
  }
}
resource "aws_vpc_endpoint" "logs" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.logs"
  vpc_endpoint_type = "Interface"
}
resource "aws_vpc_endpoint" "sts" {
  vpc_id             = aws_vpc.main.id
  service_name       = "com.amazonaws.us-east-1.sts"
  vpc_endpoint_type  = "Interface"
  security_group_ids = [aws_vpc.main.default_security_group_id]
}
resource "aws_security_group_rule" "extra" {
  type              = "egress"
  security_group_id = aws_vpc.main.default_security_group_id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    expect(r.graph.all('security-group').map((g) => g.id)).toEqual(['aws_default_security_group.default', 'aws_security_group.peer']);
    const def = r.graph.defaultSecurityGroupOf('aws_vpc.main')!;
    expect(def).toMatchObject({ id: 'aws_default_security_group.default', default: true, name: 'default' });
    expect(ruleLines(def.rules)).toEqual(['egress tcp 443-443 0.0.0.0/0', 'ingress tcp 443-443 self']);
    expect(r.graph.getKind('aws_vpc_endpoint.logs', 'vpc-endpoint')).toMatchObject({
      securityGroups: ['aws_default_security_group.default'],
      defaultSecurityGroup: true,
      securityGroupsIncomplete: false,
    });
    expect(r.graph.getKind('aws_vpc_endpoint.sts', 'vpc-endpoint')).toMatchObject({
      securityGroups: ['aws_default_security_group.default'],
      defaultSecurityGroup: false,
    });
  });

  it('takes rules a CloudFormation template adds to it through !GetAtt Vpc.DefaultSecurityGroup', () => {
    const r = cfnGraph(`${CFN_VPC}
  Https:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Main.DefaultSecurityGroup
      IpProtocol: tcp
      FromPort: 443
      ToPort: 443
      CidrIp: 10.0.0.0/16
  Sts:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Main
      ServiceName: com.amazonaws.us-east-1.sts
      VpcEndpointType: Interface
      SecurityGroupIds: [!GetAtt Main.DefaultSecurityGroup]
`);
    const def = r.graph.defaultSecurityGroupOf('Main')!;
    expect(def.id).toBe('Main (default security group)');
    expect(ruleLines(def.rules)).toEqual([
      'egress -1 0-65535 0.0.0.0/0 (aws default)',
      'ingress -1 0-65535 self (aws default)',
      'ingress tcp 443-443 10.0.0.0/16',
    ]);
    expect(r.graph.getKind('Sts', 'vpc-endpoint')).toMatchObject({ securityGroups: ['Main (default security group)'], defaultSecurityGroup: false });
  });
});

describe('unknown inputs stay Unknown', () => {
  it('in Terraform: unknown CIDRs, ports, dynamic blocks and rule targets', async () => {
    const r = await tfGraph(`${VPC}
variable "cidrs" {
  type = list(string)
}
variable "port" {
  type = number
}
variable "group" {
  type = string
}
variable "rules" {
  type = list(object({ port = number }))
}
resource "aws_security_group" "vars" {
  vpc_id = aws_vpc.main.id
  ingress {
    protocol    = "tcp"
    from_port   = var.port
    to_port     = var.port
    cidr_blocks = var.cidrs
  }
}
resource "aws_security_group" "dynamic" {
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = var.rules
    content {
      protocol    = "tcp"
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      cidr_blocks = ["10.0.0.0/8"]
    }
  }
}
`);
    const [rule] = group(r, 'aws_security_group.vars').rules;
    expect(isUnknown(rule!.ports)).toBe(true);
    expect(rule!.peers).toEqual([{ kind: 'unknown', reason: expect.stringContaining('variable cidrs has no value') }]);
    expect(group(r, 'aws_security_group.dynamic').rulesIncomplete).toBe(true);
    expect(group(r, 'aws_security_group.vars').rulesIncomplete).toBe(false);

    const unattributed = await tfGraph(`${VPC}
variable "group" {
  type = string
}
resource "aws_security_group_rule" "somewhere" {
  type              = "ingress"
  security_group_id = var.group
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}
`);
    // A rule whose group cannot be resolved may belong to any group.
    expect(unattributed.graph.all('security-group').map((g) => g.rulesIncomplete)).toEqual([true, true]);
  });

  it('in Terraform endpoints: subnets from a variable, groups of an endpoint whose type is not known', async () => {
    const r = await tfGraph(`${VPC}
variable "type" {
  type = string
}
variable "subnets" {
  type = list(string)
}
resource "aws_vpc_endpoint" "x" {
  vpc_id            = aws_vpc.main.id
  service_name      = "com.amazonaws.us-east-1.ssm"
  vpc_endpoint_type = var.type
  subnet_ids        = var.subnets
}
`);
    expect(r.graph.getKind('aws_vpc_endpoint.x', 'vpc-endpoint')).toMatchObject({
      subnets: [],
      subnetsIncomplete: true,
      securityGroups: [],
      securityGroupsIncomplete: true,
      defaultSecurityGroup: false,
    });
  });

  it('in CloudFormation: parameters without a value, imports, and rules whose Condition cannot be decided', () => {
    const r = cfnGraph(`Parameters:
  Cidr:
    Type: String
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
${CFN_VPC.replace('Resources:\n', 'Resources:\n')}
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: sg
      VpcId: !Ref Main
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !Ref Cidr }
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, SourceSecurityGroupId: !ImportValue shared-sg }
  ProdOnly:
    Type: AWS::EC2::SecurityGroupIngress
    Condition: IsProd
    Properties:
      GroupId: !Ref Sg
      IpProtocol: tcp
      FromPort: 22
      ToPort: 22
      CidrIp: 0.0.0.0/0
`);
    const sg = r.graph.getKind('Sg', 'security-group')!;
    expect(sg.rules.filter((x) => x.direction === 'ingress').map((x) => x.peers[0]!.kind)).toEqual(['unknown', 'unknown']);
    expect(sg.rulesIncomplete).toBe(true);
    expect(ruleLines(sg.rules)).not.toContain('ingress tcp 22-22 0.0.0.0/0');
  });
});

describe('security groups from a Terraform plan', () => {
  it('read inline blocks as the plan shows them (every argument present), and an egress nobody configured as none', async () => {
    const rule = {
      cidr_blocks: ['10.0.0.0/16'],
      description: '',
      from_port: 443,
      ipv6_cidr_blocks: [],
      prefix_list_ids: [],
      protocol: 'tcp',
      security_groups: [],
      self: false,
      to_port: 443,
    };
    const plan = planText({
      resources: [
        {
          address: 'aws_vpc.main',
          type: 'aws_vpc',
          name: 'main',
          values: { cidr_block: '10.0.0.0/16' },
          unknown: { id: true, default_security_group_id: true },
        },
        {
          address: 'aws_security_group.endpoints',
          type: 'aws_security_group',
          name: 'endpoints',
          values: { ingress: [rule] },
          unknown: { id: true, vpc_id: true, egress: true },
        },
        {
          address: 'aws_vpc_endpoint.ssm',
          type: 'aws_vpc_endpoint',
          name: 'ssm',
          values: { service_name: 'com.amazonaws.us-east-1.ssm', vpc_endpoint_type: 'Interface' },
          unknown: { id: true, vpc_id: true, security_group_ids: true, subnet_ids: true, policy: true },
        },
        {
          address: 'aws_vpc_endpoint.logs',
          type: 'aws_vpc_endpoint',
          name: 'logs',
          values: { service_name: 'com.amazonaws.us-east-1.logs', vpc_endpoint_type: 'Interface' },
          unknown: { id: true, vpc_id: true, security_group_ids: true, subnet_ids: true, policy: true },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            configResource('aws_vpc.main', { cidr_block: constant('10.0.0.0/16') }),
            configResource('aws_security_group.endpoints', { vpc_id: idOf('aws_vpc.main'), ingress: constant([rule]) }),
            configResource('aws_vpc_endpoint.ssm', {
              vpc_id: idOf('aws_vpc.main'),
              service_name: constant('com.amazonaws.us-east-1.ssm'),
              vpc_endpoint_type: constant('Interface'),
              security_group_ids: refs('aws_security_group.endpoints.id', 'aws_security_group.endpoints'),
            }),
            configResource('aws_vpc_endpoint.logs', {
              vpc_id: idOf('aws_vpc.main'),
              service_name: constant('com.amazonaws.us-east-1.logs'),
              vpc_endpoint_type: constant('Interface'),
            }),
          ],
        },
      },
    });
    const graph = await planGraph(plan);
    const sg = graph.getKind('aws_security_group.endpoints', 'security-group')!;
    expect(sg.vpc).toBe('aws_vpc.main');
    expect(ruleLines(sg.rules)).toEqual(['ingress tcp 443-443 10.0.0.0/16']);
    expect(graph.getKind('aws_vpc_endpoint.ssm', 'vpc-endpoint')).toMatchObject({
      securityGroups: ['aws_security_group.endpoints'],
      defaultSecurityGroup: false,
      policy: undefined,
    });
    expect(graph.getKind('aws_vpc_endpoint.logs', 'vpc-endpoint')).toMatchObject({
      securityGroups: ['aws_vpc.main (default security group)'],
      defaultSecurityGroup: true,
    });
  });
});

describe('CIDR blocks CloudFormation names by attribute', () => {
  it('reads !GetAtt Vpc.CidrBlock and !GetAtt Subnet.CidrBlock in security group rules and ACL entries', () => {
    const { graph } = cfnGraph(`${CFN_VPC}  Sub:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Main
      CidrBlock: 10.0.1.0/24
  Sg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: x
      VpcId: !Ref Main
      SecurityGroupIngress:
        - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: !GetAtt Main.CidrBlock }
        - { IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: !GetAtt Sub.CidrBlock }
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Main
  AclIn:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: -1
      RuleAction: allow
      Egress: false
      CidrBlock: !GetAtt Main.CidrBlock
`);
    expect(ruleLines(graph.getKind('Sg', 'security-group')!.rules)).toEqual([
      'egress -1 0-65535 0.0.0.0/0 (aws default)',
      'ingress tcp 22-22 10.0.1.0/24',
      'ingress tcp 443-443 10.0.0.0/16',
    ]);
    expect(graph.getKind('Acl', 'network-acl')!.entries.map((e) => e.peer)).toEqual([{ kind: 'cidr', cidr: '10.0.0.0/16' }]);
  });
});
