#!/usr/bin/env node
// Measures scan time and peak memory on generated Terraform trees and CloudFormation templates of growing size,
// using the built CLI engine.
// usage: npm run bench [-- --sizes 10,50,200]   (writes a table to stdout; RESULTS.md keeps the recorded runs)
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { scan } from '../dist/src/engine/scan.js';

const args = process.argv.slice(2);
const sizesArg = args[args.indexOf('--sizes') + 1];
const sizes = args.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : [10, 50, 200];

/** One root module per VPC: public/private subnets over three AZs, NAT per AZ, routes, an S3 endpoint on half. */
function vpcModule(i) {
  const cidr = `10.${i % 250}.0.0/16`;
  return `
provider "aws" {
  region = "us-east-1"
}
locals {
  azs = ["us-east-1a", "us-east-1b", "us-east-1c"]
}
resource "aws_vpc" "v" {
  cidr_block = "${cidr}"
}
resource "aws_subnet" "public" {
  count             = 3
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("${cidr}", 8, count.index)
  availability_zone = local.azs[count.index]
}
resource "aws_subnet" "private" {
  for_each          = { for i, az in local.azs : az => i }
  vpc_id            = aws_vpc.v.id
  cidr_block        = cidrsubnet("${cidr}", 8, 10 + each.value)
  availability_zone = each.key
}
resource "aws_nat_gateway" "n" {
  count     = 3
  subnet_id = aws_subnet.public[count.index].id
}
resource "aws_route_table" "private" {
  for_each = toset(local.azs)
  vpc_id   = aws_vpc.v.id
}
resource "aws_route" "nat" {
  for_each               = toset(local.azs)
  route_table_id         = aws_route_table.private[each.key].id
  destination_cidr_block = "0.0.0.0/0"
  nat_gateway_id         = aws_nat_gateway.n[index(local.azs, each.key)].id
}
resource "aws_route_table_association" "private" {
  for_each       = aws_subnet.private
  subnet_id      = each.value.id
  route_table_id = aws_route_table.private[each.key].id
}
${
  i % 2
    ? `resource "aws_vpc_endpoint" "s3" {
  vpc_id          = aws_vpc.v.id
  service_name    = "com.amazonaws.us-east-1.s3"
  route_table_ids = [for t in aws_route_table.private : t.id]
}`
    : ''
}
`;
}

/** The same network as one CloudFormation template: the region stays symbolic, so every region is evaluated. */
function vpcTemplate(i) {
  const azs = ['a', 'b', 'c'];
  const lines = [
    'AWSTemplateFormatVersion: "2010-09-09"',
    'Resources:',
    '  Vpc:',
    '    Type: AWS::EC2::VPC',
    `    Properties: { CidrBlock: 10.${i % 250}.0.0/16 }`,
  ];
  azs.forEach((az, k) => {
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
    void az;
  });
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

const FORMATS = {
  terraform: {
    unit: 'root modules',
    write: (dir, i) => (mkdirSync(path.join(dir, `vpc-${i}`)), writeFileSync(path.join(dir, `vpc-${i}`, 'main.tf'), vpcModule(i))),
  },
  cloudformation: { unit: 'templates', write: (dir, i) => writeFileSync(path.join(dir, `vpc-${i}.yaml`), vpcTemplate(i)) },
};

for (const [format, { unit, write }] of Object.entries(FORMATS)) {
  console.log(`\n${format}\n`);
  console.log(`| ${unit} | files | resources | findings | wall time (ms) | ms per ${unit.replace(/s$/, '')} | peak RSS (MB) |`);
  console.log('|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const dir = mkdtempSync(path.join(tmpdir(), 'iac-vpce-bench-'));
    for (let i = 0; i < n; i++) write(dir, i);
    const start = performance.now();
    const result = await scan({ paths: [dir], root: dir });
    const ms = performance.now() - start;
    const resources = result.graphs.reduce(
      (a, g) =>
        a +
        g.all('subnet').length +
        g.all('route-table').length +
        g.all('route').length +
        g.all('vpc').length +
        g.all('nat-gateway').length +
        g.all('vpc-endpoint').length,
      0,
    );
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`| ${n} | ${result.files.length} | ${resources} | ${result.findings.length} | ${ms.toFixed(0)} | ${(ms / n).toFixed(1)} | ${rss.toFixed(0)} |`);
    rmSync(dir, { recursive: true, force: true });
  }
}
