import fc from 'fast-check';
import { stringify as toYaml } from 'yaml';

/** Text near a valid file: a random cut, insertion or duplication, or the text unchanged. */
export function nearly(text: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc
    .tuple(
      text,
      fc.nat(),
      fc.nat(),
      fc.oneof(fc.constant(''), fc.string({ maxLength: 4 }), fc.constantFrom('{', '}', '"', '${', '[', ']', '\n', '#', '\\', '\u0000')),
    )
    .chain(([t, a, b, insert]) =>
      fc.constantFrom(
        t,
        t.slice(0, a % (t.length + 1)) + insert + t.slice(a % (t.length + 1)),
        t.slice(0, Math.min(a, b) % (t.length + 1)) + t.slice(Math.max(a, b) % (t.length + 1)),
        t + t.slice(a % (t.length + 1)),
      ),
    );
}

const NAMES = ['a', 'b', 'main', 'private', 'this'];
const name = fc.constantFrom(...NAMES);
const cidr = fc.constantFrom('10.0.0.0/16', '10.0.1.0/24', '0.0.0.0/0', '::/0', '2001:db8::/56', '10.0.0.0/33', 'not-a-cidr', '');
const RESOURCE_TYPES = [
  'aws_vpc',
  'aws_subnet',
  'aws_route_table',
  'aws_route',
  'aws_route_table_association',
  'aws_vpc_endpoint',
  'aws_nat_gateway',
  'aws_internet_gateway',
  'aws_security_group',
  'aws_network_acl',
  'aws_instance',
];
const ATTRS = [
  'cidr_block',
  'vpc_id',
  'subnet_id',
  'route_table_id',
  'route_table_ids',
  'subnet_ids',
  'service_name',
  'vpc_endpoint_type',
  'destination_cidr_block',
  'nat_gateway_id',
  'gateway_id',
  'availability_zone',
  'count',
  'for_each',
  'policy',
  'private_dns_enabled',
  'tags',
];

/** HCL expressions: literals, references, function calls, for expressions, conditionals, templates, collections. */
export const hclExpr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cidr.map((c) => JSON.stringify(c)),
    fc.integer({ min: -3, max: 70000 }).map(String),
    fc.constantFrom('true', 'false', 'null', '"us-east-1"', '"com.amazonaws.us-east-1.s3"', '"Gateway"', '"Interface"', '"${var.region}"'),
    fc
      .tuple(fc.constantFrom(...RESOURCE_TYPES), name, fc.constantFrom('id', 'cidr_block', 'arn', '*.id', '[0].id', 'ids'))
      .map(([t, n, a]) => `${t}.${n}${a.startsWith('[') || a.startsWith('*') ? (a.startsWith('*') ? `[*]${a.slice(1)}` : a) : `.${a}`}`),
    fc.constantFrom(
      'var.cidr',
      'var.region',
      'local.subnets',
      'count.index',
      'each.key',
      'each.value',
      'module.m.vpc_id',
      'data.aws_region.current.name',
      'path.module',
      'self.id',
    ),
    fc
      .tuple(
        fc.constantFrom(
          'cidrsubnet',
          'length',
          'concat',
          'element',
          'lookup',
          'jsonencode',
          'format',
          'range',
          'join',
          'split',
          'toset',
          'merge',
          'try',
          'coalesce',
          'flatten',
          'setproduct',
          'keys',
          'zipmap',
          'tostring',
          'cidrhost',
          'nope',
        ),
        fc.array(tie('expr'), { maxLength: 3 }),
      )
      .map(([f, args]) => `${f}(${args.join(', ')})`),
    fc.array(tie('expr'), { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(name, tie('expr')), { maxLength: 3 }).map((kv) => `{ ${kv.map(([k, v]) => `${k} = ${v}`).join(', ')} }`),
    fc.tuple(tie('expr'), tie('expr')).map(([xs, body]) => `[for x in ${xs} : ${body}]`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `${c} ? ${a} : ${b}`),
    fc.tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '%', '==', '&&', '<')).map(([a, op]) => `${a} ${op} 2`),
    tie('expr').map((e) => `"prefix-\${${e}}-suffix"`),
  ),
})).expr;

const attribute = fc.tuple(fc.constantFrom(...ATTRS), hclExpr).map(([k, v]) => `  ${k} = ${v}`);
const nested = fc
  .tuple(fc.constantFrom('route', 'ingress', 'egress', 'dynamic "route"', 'lifecycle', 'provisioner "local-exec"'), fc.array(attribute, { maxLength: 3 }))
  .map(([b, attrs]) => `  ${b} {\n${attrs.map((a) => `  ${a}`).join('\n')}\n  }`);

const block = fc.oneof(
  fc
    .tuple(fc.constantFrom(...RESOURCE_TYPES), name, fc.array(fc.oneof(attribute, attribute, nested), { maxLength: 6 }))
    .map(([t, n, body]) => `resource "${t}" "${n}" {\n${body.join('\n')}\n}`),
  fc.tuple(name, hclExpr).map(([n, d]) => `variable "${n === 'a' ? 'cidr' : n}" {\n  default = ${d}\n}`),
  fc.array(fc.tuple(name, hclExpr), { maxLength: 3 }).map((kv) => `locals {\n${kv.map(([k, v]) => `  ${k === 'a' ? 'subnets' : k} = ${v}`).join('\n')}\n}`),
  hclExpr.map((e) => `data "external" "x" {\n  program = ["sh", "-c", "curl http://example.com"]\n  query = { v = ${e} }\n}`),
  hclExpr.map((e) => `module "m" {\n  source = "./modules/none"\n  cidr = ${e}\n}`),
  hclExpr.map((e) => `provider "aws" {\n  region = ${e}\n}`),
  hclExpr.map((e) => `output "o" {\n  value = ${e}\n}`),
);

/** A `.tf` file of random blocks of the resource types the analyzer reads, sometimes broken. */
export const hclFile: fc.Arbitrary<string> = nearly(fc.array(block, { maxLength: 6 }).map((bs) => `${bs.join('\n\n')}\n`));

const CFN_TYPES = [
  'AWS::EC2::VPC',
  'AWS::EC2::Subnet',
  'AWS::EC2::RouteTable',
  'AWS::EC2::Route',
  'AWS::EC2::VPCEndpoint',
  'AWS::EC2::NatGateway',
  'AWS::EC2::SubnetRouteTableAssociation',
  'AWS::EC2::SecurityGroup',
  'AWS::Lambda::Function',
];
const CFN_PROPS = [
  'CidrBlock',
  'VpcId',
  'SubnetId',
  'RouteTableId',
  'RouteTableIds',
  'SubnetIds',
  'ServiceName',
  'VpcEndpointType',
  'DestinationCidrBlock',
  'NatGatewayId',
  'GatewayId',
  'AvailabilityZone',
  'PolicyDocument',
  'PrivateDnsEnabled',
];
const logicalId = fc.constantFrom('Vpc', 'Subnet', 'Table', 'Route', 'Endpoint', 'Nat');

/** CloudFormation values: scalars and the intrinsic functions, nested. */
export const cfnValue: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    cidr,
    fc.integer({ min: -1, max: 300 }),
    fc.boolean(),
    fc.constant(null),
    logicalId.map((id) => ({ Ref: id })),
    fc.constantFrom({ Ref: 'AWS::Region' }, { Ref: 'AWS::NoValue' }, { Ref: 'Missing' }),
    fc.tuple(logicalId, fc.constantFrom('CidrBlock', 'Id', 'DefaultSecurityGroup')).map(([id, a]) => ({ 'Fn::GetAtt': [id, a] })),
    fc.constantFrom('com.amazonaws.${AWS::Region}.s3', '${Vpc}', '${Missing.Attr}', '${!Literal}').map((s) => ({ 'Fn::Sub': s })),
    fc.tuple(tie('v'), tie('v')).map(([a, b]) => ({ 'Fn::If': ['Cond', a, b] })),
    fc.tuple(fc.integer({ min: -1, max: 3 }), fc.array(tie('v'), { maxLength: 3 })).map(([i, xs]) => ({ 'Fn::Select': [i, xs] })),
    fc.tuple(tie('v'), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 130 })).map(([b, n, bits]) => ({ 'Fn::Cidr': [b, n, bits] })),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => ({ 'Fn::Join': ['-', xs] })),
    fc.constant({ 'Fn::GetAZs': '' }),
    fc.array(tie('v'), { maxLength: 3 }),
  ),
})).v;

const cfnTemplate = fc
  .record({
    resources: fc.dictionary(
      logicalId,
      fc.record({ Type: fc.constantFrom(...CFN_TYPES), Properties: fc.dictionary(fc.constantFrom(...CFN_PROPS), cfnValue, { maxKeys: 5 }) }),
      { maxKeys: 6 },
    ),
    condition: fc.oneof(
      fc.constant(undefined),
      cfnValue.map((v) => ({ 'Fn::Equals': [v, 'x'] })),
    ),
    parameter: fc.oneof(fc.constant(undefined), fc.record({ Type: fc.constantFrom('String', 'Number', 'List<String>'), Default: cfnValue })),
  })
  .map(({ resources, condition, parameter }) => ({
    AWSTemplateFormatVersion: '2010-09-09',
    ...(parameter ? { Parameters: { Missing: parameter } } : {}),
    ...(condition ? { Conditions: { Cond: condition } } : {}),
    Resources: resources,
  }));

/** A CloudFormation template as YAML, sometimes broken. */
export const cfnYaml: fc.Arbitrary<string> = nearly(cfnTemplate.map((t) => toYaml(t)));
/** A CloudFormation template as JSON, sometimes broken. */
export const cfnJson: fc.Arbitrary<string> = nearly(cfnTemplate.map((t) => JSON.stringify(t, null, 1)));
