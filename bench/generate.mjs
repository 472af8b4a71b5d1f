// Writes the benchmark's inputs: trees of Terraform root modules, CloudFormation templates, one root module with
// thousands of subnets, and one small root module. Every generator is deterministic: the same arguments give the
// same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** One root module per VPC, in three files: public/private subnets over three AZs, NAT per AZ, routes, an S3 endpoint on half. */
export function vpcModuleFiles(i) {
  const cidr = `10.${i % 250}.0.0/16`;
  const main = `provider "aws" {
  region = var.region
}

resource "aws_vpc" "v" {
  cidr_block = var.cidr
  tags = {
    Name = "vpc-${i}"
  }
}

resource "aws_subnet" "public" {
  count             = 3
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet(var.cidr, 8, count.index)
  availability_zone = var.azs[count.index]
}

resource "aws_subnet" "private" {
  for_each          = { for i, az in var.azs : az => i }
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet(var.cidr, 8, 10 + each.value)
  availability_zone = each.key
}

resource "aws_nat_gateway" "n" {
  count     = 3
  subnet_id = aws_subnet.public[count.index].id
}

resource "aws_route_table" "private" {
  for_each = toset(var.azs)
  vpc_id   = aws_vpc.v.id
}

resource "aws_route" "nat" {
  for_each               = toset(var.azs)
  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.n[index(var.azs, each.key)].id
}

resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}
${
  i % 2
    ? `
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.v.id
  service_name    = "com.amazonaws.\${var.region}.s3"
  route_table_ids = [for t in aws_route_table.private : t.id]
}
`
    : ''
}`;
  const variables = `variable "region" {
  type    = string
  default = "us-east-1"
}

variable "cidr" {
  type    = string
  default = "${cidr}"
}

variable "azs" {
  type    = list(string)
  default = ["us-east-1a", "us-east-1b", "us-east-1c"]
}
`;
  const outputs = `output "vpc_id" {
  value = aws_vpc.v.id
}

output "private_subnet_ids" {
  value = [for s in aws_subnet.private : s.id]
}

output "route_table_ids" {
  value = { for k, t in aws_route_table.private : k => t.id }
}
`;
  return { 'main.tf': main, 'variables.tf': variables, 'outputs.tf': outputs };
}

/** The same network as one CloudFormation template: the region stays symbolic, so every region is evaluated. */
export function vpcTemplate(i) {
  const lines = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    `    Properties: { CidrBlock: 10.${i % 250}.0.0/16 }`,
  ];
  for (let k = 0; k < 3; k++) {
    lines.push(
      `  Public${k}:`,
      '    Type: AWS::EC2::Subnet',
      `    Properties: { VpcId: !Ref Vpc, CidrBlock: !Select [${k}, !Cidr [!GetAtt Vpc.CidrBlock, 32, 8]], AvailabilityZone: !Select [${k}, !GetAZs ""] }`,
      `  Private${k}:`,
      '    Type: AWS::EC2::Subnet',
      `    Properties: { VpcId: !Ref Vpc, CidrBlock: !Select [${10 + k}, !Cidr [!GetAtt Vpc.CidrBlock, 32, 8]], AvailabilityZone: !Select [${k}, !GetAZs ""] }`,
      `  Eip${k}:`,
      '    Type: AWS::EC2::EIP',
      `  Nat${k}:`,
      '    Type: AWS::EC2::NatGateway',
      `    Properties: { SubnetId: !Ref Public${k}, AllocationId: !GetAtt Eip${k}.AllocationId }`,
      `  PrivateTable${k}:`,
      '    Type: AWS::EC2::RouteTable',
      '    Properties: { VpcId: !Ref Vpc }',
      `  PrivateDefault${k}:`,
      '    Type: AWS::EC2::Route',
      `    Properties: { RouteTableId: !Ref PrivateTable${k}, DestinationCidrBlock: 0.0.0.0/0, NatGatewayId: !Ref Nat${k} }`,
      `  PrivateAssoc${k}:`,
      '    Type: AWS::EC2::SubnetRouteTableAssociation',
      `    Properties: { SubnetId: !Ref Private${k}, RouteTableId: !Ref PrivateTable${k} }`,
    );
  }
  if (i % 2) {
    lines.push(
      '  S3:',
      '    Type: AWS::EC2::VPCEndpoint',
      '    Properties:',
      '      VpcId: !Ref Vpc',
      '      ServiceName: !Sub com.amazonaws.${AWS::Region}.s3',
      '      RouteTableIds: [!Ref PrivateTable0, !Ref PrivateTable1, !Ref PrivateTable2]',
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * One root module of `n` subnets, each with its own route table and association, written out one block per resource
 * (3n + 2 resources in one file), so that evaluation and parsing both see the whole size.
 */
export function subnetModule(n) {
  const azs = ['us-east-1a', 'us-east-1b', 'us-east-1c'];
  const parts = [
    `provider "aws" {
  region = "us-east-1"
}

resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = {
    Name = "many-subnets"
  }
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.v.id
}
`,
  ];
  for (let i = 0; i < n; i++) {
    // /27 blocks: 2048 of them fit the /16.
    const cidr = `10.0.${Math.floor(i / 8)}.${(i % 8) * 32}/27`;
    parts.push(`
resource "aws_subnet" "s${i}" {
  vpc_id            = aws_vpc.v.id
  cidr_block        = "${cidr}"
  availability_zone = "${azs[i % 3]}"
  tags = {
    Name = "subnet-${i}"
  }
}

resource "aws_route_table" "r${i}" {
  vpc_id = aws_vpc.v.id
}

resource "aws_route_table_association" "a${i}" {
  subnet_id      = aws_subnet.s${i}.id
  route_table_id = aws_route_table.r${i}.id
}
`);
  }
  return parts.join('');
}

function writeFiles(dir, files) {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
}

/** `n` Terraform root modules `vpc-<i>/`, three files each. Returns the number of files written. */
export function writeTerraformTree(dir, n) {
  for (let i = 0; i < n; i++) writeFiles(path.join(dir, `vpc-${i}`), vpcModuleFiles(i));
  return 3 * n;
}

/** `n` CloudFormation templates `vpc-<i>.yaml`. Returns the number of files written. */
export function writeCloudFormationTree(dir, n) {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(path.join(dir, `vpc-${i}.yaml`), vpcTemplate(i));
  return n;
}

/** One root module of `n` subnets in `main.tf`. Returns the number of files written. */
export function writeSubnetModule(dir, n) {
  writeFiles(dir, { 'main.tf': subnetModule(n) });
  return 1;
}

/** One small root module (one VPC, three files). Returns the number of files written. */
export function writeSmallModule(dir) {
  writeFiles(dir, vpcModuleFiles(1));
  return 3;
}
