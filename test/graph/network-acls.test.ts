import { describe, expect, it } from 'vitest';
import { cfnGraph, normalise, tfGraph } from './helpers.js';

const VPC = `
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
`;

const acls = (g: Awaited<ReturnType<typeof tfGraph>>['graph']) => normalise(g).networkAcls;

describe('network ACLs in Terraform', () => {
  it('give every subnet without an ACL the default ACL AWS creates: allow all both ways (and IPv6 when the VPC has it)', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_vpc" "dual" {
  cidr_block                       = "10.1.0.0/16"
  assign_generated_ipv6_cidr_block = true
}
`);
    expect(acls(r.graph)).toEqual([
      {
        id: 'dual (default network ACL)',
        vpc: 'dual',
        default: true,
        incomplete: false,
        subnets: [],
        entries: [
          'egress #100 allow -1 0-65535 0.0.0.0/0',
          'egress #101 allow -1 0-65535 ::/0',
          'ingress #100 allow -1 0-65535 0.0.0.0/0',
          'ingress #101 allow -1 0-65535 ::/0',
        ],
      },
      {
        id: 'main (default network ACL)',
        vpc: 'main',
        default: true,
        incomplete: false,
        subnets: [],
        entries: ['egress #100 allow -1 0-65535 0.0.0.0/0', 'ingress #100 allow -1 0-65535 0.0.0.0/0'],
      },
    ]);
    expect(r.graph.networkAclOf('aws_subnet.a')).toBe(r.graph.defaultNetworkAclOf('aws_vpc.main'));
  });

  it('read inline entries and subnet_ids the same as aws_network_acl_rule and aws_network_acl_association', async () => {
    const inline = await tfGraph(`${VPC}
resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = [aws_subnet.a.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "tcp"
    from_port  = 443
    to_port    = 443
    cidr_block = "10.0.0.0/16"
  }
  egress {
    rule_no         = 110
    action          = "deny"
    protocol        = "icmpv6"
    from_port       = 0
    to_port         = 0
    icmp_type       = -1
    icmp_code       = -1
    ipv6_cidr_block = "::/0"
  }
}
`);
    const separate = await tfGraph(`${VPC}
resource "aws_network_acl" "private" {
  vpc_id = aws_vpc.main.id
}
resource "aws_network_acl_rule" "https" {
  network_acl_id = aws_network_acl.private.id
  rule_number    = 100
  rule_action    = "allow"
  protocol       = "6"
  from_port      = 443
  to_port        = 443
  cidr_block     = "10.0.0.0/16"
}
resource "aws_network_acl_rule" "icmp" {
  network_acl_id  = aws_network_acl.private.id
  egress          = true
  rule_number     = 110
  rule_action     = "deny"
  protocol        = "58"
  icmp_type       = -1
  icmp_code       = -1
  ipv6_cidr_block = "::/0"
}
resource "aws_network_acl_association" "a" {
  network_acl_id = aws_network_acl.private.id
  subnet_id      = aws_subnet.a.id
}
`);
    expect(acls(inline.graph)).toEqual(acls(separate.graph));
    expect(acls(inline.graph)[1]).toEqual({
      id: 'private',
      vpc: 'main',
      default: false,
      incomplete: false,
      subnets: ['a'],
      entries: ['egress #110 deny icmpv6 - ::/0', 'ingress #100 allow tcp 443-443 10.0.0.0/16'],
    });
    expect(inline.graph.getKind('aws_network_acl.private', 'network-acl')!.entries[1]!.icmp).toEqual({ type: -1, code: -1 });
    expect(normalise(separate.graph).subnetAcls).toEqual(['a -> private', 'b -> main (default network ACL)']);
  });

  it('read aws_default_network_acl as the VPC default ACL, with only the entries it lists', async () => {
    const r = await tfGraph(`${VPC}
resource "aws_default_network_acl" "default" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "10.0.0.0/16"
  }
}
`);
    expect(acls(r.graph)).toEqual([
      { id: 'default', vpc: 'main', default: true, incomplete: false, subnets: [], entries: ['ingress #100 allow -1 0-65535 10.0.0.0/16'] },
    ]);
    expect(r.graph.networkAclOf('aws_subnet.b')).toMatchObject({ id: 'aws_default_network_acl.default' });
  });

  it('leave the ACL of a subnet unknown when some association cannot be resolved, and entries incomplete when a rule cannot be placed', async () => {
    const r = await tfGraph(`${VPC}
variable "subnets" {
  type = list(string)
}
variable "acl" {
  type = string
}
resource "aws_network_acl" "private" {
  vpc_id     = aws_vpc.main.id
  subnet_ids = var.subnets
}
resource "aws_network_acl_rule" "somewhere" {
  network_acl_id = var.acl
  rule_number    = 100
  rule_action    = "allow"
  protocol       = "-1"
  cidr_block     = "0.0.0.0/0"
}
`);
    expect(r.graph.networkAclOf('aws_subnet.a')).toBe('unknown');
    expect(r.graph.getKind('aws_network_acl.private', 'network-acl')).toMatchObject({ subnetsIncomplete: true, entriesIncomplete: true });
  });
});

describe('network ACLs in CloudFormation', () => {
  const VPC_CFN = `Resources:
  Main:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
  A:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Main
      CidrBlock: 10.0.1.0/24
`;

  it('add entries to the VPC default ACL through !GetAtt Vpc.DefaultNetworkAcl', () => {
    const r = cfnGraph(`${VPC_CFN}
  DenySsh:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !GetAtt Main.DefaultNetworkAcl
      RuleNumber: 50
      RuleAction: deny
      Protocol: 6
      PortRange: { From: 22, To: 22 }
      CidrBlock: 0.0.0.0/0
`);
    expect(acls(r.graph)).toEqual([
      {
        id: 'main (default network ACL)',
        vpc: 'main',
        default: true,
        incomplete: false,
        subnets: [],
        entries: ['egress #100 allow -1 0-65535 0.0.0.0/0', 'ingress #100 allow -1 0-65535 0.0.0.0/0', 'ingress #50 deny tcp 22-22 0.0.0.0/0'],
      },
    ]);
    expect(r.graph.networkAclOf('A')).toMatchObject({ id: 'Main (default network ACL)' });
  });

  it('keep entries and associations whose Condition cannot be decided out, marking what they touch unknown', () => {
    const r = cfnGraph(`Parameters:
  Env:
    Type: String
Conditions:
  IsProd: !Equals [!Ref Env, prod]
${VPC_CFN}
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Main
  Entry:
    Type: AWS::EC2::NetworkAclEntry
    Condition: IsProd
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      RuleAction: allow
      Protocol: -1
      CidrBlock: 0.0.0.0/0
  Assoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Condition: IsProd
    Properties:
      SubnetId: !Ref A
      NetworkAclId: !Ref Acl
  TcpWithoutPorts:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 200
      RuleAction: allow
      Protocol: 6
      CidrBlock: 0.0.0.0/0
`);
    expect(r.graph.getKind('Acl', 'network-acl')).toMatchObject({ entriesIncomplete: true });
    expect(acls(r.graph).find((a) => a.id === 'acl')!.entries).toEqual(['ingress #200 allow tcp (unknown) 0.0.0.0/0']);
    expect(r.graph.networkAclOf('A')).toBe('unknown');
  });
});
