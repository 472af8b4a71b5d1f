import type { Finding, RuleMeta, ScanResult } from '../../src/source/findings.js';
import type { SourceRef } from '../../src/source/types.js';

/** A scan root no report may mention: it stands for the machine the scan ran on. */
export const ROOT = '/home/ci/work/infra-repo';

export const ODD_FILE = 'modules/net work/vpc#1 données.tf';

export const SOURCES: Record<string, string> = {
  'main.tf': [
    'resource "aws_vpc" "main" {', // 1
    '  cidr_block = "10.0.0.0/16"', // 2
    '}', // 3
    '', // 4
    'resource "aws_vpc_endpoint" "s3_b" {', // 5
    '  vpc_id          = aws_vpc.main.id', // 6
    '  route_table_ids = [aws_route_table.private.id]', // 7
    '}', // 8
    '', // 9
    'resource "aws_route_table" "private" {', // 10
    '  vpc_id = aws_vpc.main.id', // 11
    '  route {', // 12
    '    cidr_block     = "0.0.0.0/0"', // 13
    '    nat_gateway_id = aws_nat_gateway.main.id', // 14
    '  }', // 15
    '}', // 16
  ].join('\n'),
  'app/lambda.tf': 'resource "aws_vpc_endpoint" "sqs" {\n\tservice_name = "com.amazonaws.eu-west-1.sqs"\n}\n',
};

export function ref(file: string, line: number, column: number, endColumn: number, address: string, endLine = line): SourceRef {
  return { file, span: { start: { line, column }, end: { line: endLine, column: endColumn } }, address };
}

function rule(id: string, name: string, level: RuleMeta['level'], category: RuleMeta['category'], extra: Partial<RuleMeta> = {}): RuleMeta {
  return {
    id,
    name,
    level,
    category,
    summary: `Summary of ${name}.`,
    description: `What ${name} finds, and why it matters.`,
    precision: 'high',
    tags: ['vpc-endpoint'],
    messages: { main: 'message' },
    ...extra,
  };
}

export const RULES: RuleMeta[] = [
  rule('VPCE401', 'endpoint-service-open', 'error', 'security', { securitySeverity: '8.1', tags: ['security', 'vpc-endpoint'], precision: 'very-high' }),
  rule('VPCE101', 's3-traffic-via-nat', 'warning', 'cost', { tags: ['cost', 'nat'] }),
  rule('VPCE205', 'private-dns-needs-vpc-dns', 'error', 'correctness'),
  rule('VPCE104', 'duplicate-gateway-endpoint', 'error', 'correctness'),
  rule('VPCE301', 'endpoint-policy-full-access', 'note', 'security', { securitySeverity: '3.1' }),
];

const viaNat: Finding = {
  ruleId: 'VPCE101',
  level: 'warning',
  messageId: 'viaNat',
  message: 'S3 traffic from subnets aws_subnet.private["a"] and aws_subnet.app leaves through NAT gateway aws_nat_gateway.main (USD 45 per TB).',
  location: ref('main.tf', 10, 1, 38, 'aws_route_table.private'),
  related: [
    { at: ref('main.tf', 12, 3, 4, 'aws_route_table.private', 15), message: 'default route to the NAT gateway' },
    { at: ref('app/lambda.tf', 1, 1, 35, 'aws_subnet.app'), message: 'subnet aws_subnet.app uses route table aws_route_table.private' },
  ],
  path: [
    { at: ref('app/lambda.tf', 1, 1, 35, 'aws_subnet.app'), message: 'subnet aws_subnet.app uses route table aws_route_table.private' },
    { at: ref('main.tf', 10, 1, 38, 'aws_route_table.private'), message: 'route table aws_route_table.private' },
    { at: ref('main.tf', 13, 5, 34, 'aws_route_table.private'), message: 'route 0.0.0.0/0' },
    { at: ref('main.tf', 14, 5, 45, 'aws_nat_gateway.main'), message: 'NAT gateway aws_nat_gateway.main' },
  ],
  fix: {
    description: 'Add an S3 gateway endpoint on aws_route_table.private.',
    snippet: 'resource "aws_vpc_endpoint" "s3" {\n  vpc_id            = aws_vpc.main.id\n  vpc_endpoint_type = "Gateway"\n}',
  },
  fingerprint: 'VPCE101:0f3a9c2e7b1d4a55',
};

const duplicate: Finding = {
  ruleId: 'VPCE104',
  level: 'error',
  messageId: 'duplicate',
  message: 'Gateway endpoints aws_vpc_endpoint.s3_a and aws_vpc_endpoint.s3_b are both associated with route table aws_route_table.private.',
  location: ref('main.tf', 7, 3, 50, 'aws_vpc_endpoint.s3_b'),
  related: [{ at: ref('main.tf', 10, 1, 38, 'aws_route_table.private'), message: 'route table aws_route_table.private' }],
  fix: { description: 'Keep one S3 gateway endpoint on aws_route_table.private.' },
  fingerprint: 'VPCE104:77aa01bb23cc45dd',
};

const openService: Finding = {
  ruleId: 'VPCE401',
  level: 'error',
  messageId: 'open',
  message: 'Endpoint service aws_vpc_endpoint_service.api auto-accepts connections from any principal.',
  location: ref(ODD_FILE, 3, 3, 29, 'module.net.aws_vpc_endpoint_service.api'),
  related: [],
  fingerprint: 'VPCE401:5e5e5e5e5e5e5e5e',
};

const fullAccess: Finding = {
  ruleId: 'VPCE301',
  level: 'note',
  messageId: 'fullAccess',
  message: 'Interface endpoint aws_vpc_endpoint.sqs has no policy, so AWS attaches full access.',
  location: ref('app/lambda.tf', 1, 1, 35, 'aws_vpc_endpoint.sqs'),
  related: [],
  fingerprint: 'VPCE301:1234abcd1234abcd',
};

/** Two files with findings (plus one with an awkward name), related locations, a path, fixes and diagnostics. */
export function scanResult(): ScanResult {
  return {
    root: ROOT,
    findings: [viaNat, duplicate, openService, fullAccess],
    diagnostics: [
      { severity: 'error', code: 'tf-parse-error', message: 'Unclosed configuration block.', file: 'broken.tf', line: 2, column: 7 },
      { severity: 'warning', code: 'tf-unknown-function', message: 'Function "templatefile" is not evaluated.', file: 'main.tf', line: 11 },
      { severity: 'note', code: 'tf-remote-state', message: 'Remote state outputs stay unknown.', file: 'variables.tf' },
      { severity: 'warning', code: 'tf-var-file', message: 'Var file could not be read.', file: `${ROOT}/env/prod.tfvars` },
    ],
    rules: RULES,
    files: ['app/lambda.tf', 'broken.tf', 'main.tf', ODD_FILE, 'variables.tf'],
    toolVersion: '0.1.0',
  };
}

/** The same scan with every list in another order: reports must not notice. */
export function shuffledScanResult(): ScanResult {
  const r = scanResult();
  return {
    ...r,
    findings: [...r.findings].reverse(),
    diagnostics: [r.diagnostics[2]!, r.diagnostics[0]!, r.diagnostics[3]!, r.diagnostics[1]!],
    rules: [...r.rules].reverse(),
    files: [...r.files].reverse(),
  };
}
