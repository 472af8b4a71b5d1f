import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/engine/run-rules.js';
import { isUnknown, parseRef } from '../../src/source/value.js';
import type { Diagnostic } from '../../src/source/types.js';
import { rules } from '../../rules/index.js';
import { corpusAvailable, downloadedLayout, evaluateTree, networkOf } from './helpers.js';

const codes = (ds: Diagnostic[], code: string) => ds.filter((d) => d.code === code);

const KICS_37 = `
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
  version = "3.7.0"
  name = "my-vpc"
  cidr = "10.0.0.0/16"

  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]

  enable_nat_gateway = true
  enable_vpn_gateway = true
  enable_dns_support = false
}
`;

describe('the vpc model per major', () => {
  it('builds a 3.x call with 3.x defaults: no DNS hostnames, the main route table left alone, a NAT gateway per private subnet', async () => {
    const r = await evaluateTree({ 'main.tf': KICS_37 });
    const n = networkOf(r.graph);
    expect(codes(r.diagnostics, 'tf-module-modelled')[0]!.message).toContain('modelled as version 3.7.0');
    // No provider region: the subnets' zones (eu-west-1a, …) say where the VPC is.
    expect(n.vpcs).toEqual([
      { id: 'module.vpc.aws_vpc.this[0]', region: 'eu-west-1', cidrs: ['10.0.0.0/16'], ipv6: [], dnsSupport: false, dnsHostnames: false },
    ]);
    expect(n.mainTables).toEqual(['module.vpc.aws_vpc.this[0] -> module.vpc.aws_vpc.this[0] (main route table)']);
    expect(n.natGateways.map((x) => `${x.id} in ${x.subnet}`)).toEqual(
      [0, 1, 2].map((i) => `module.vpc.aws_nat_gateway.this[${i}] in module.vpc.aws_subnet.public[${i}]`),
    );
    expect(n.routes.filter((x) => x.target.kind === 'nat').map((x) => `${x.table} -> ${x.target.node}`)).toEqual(
      [0, 1, 2].map((i) => `module.vpc.aws_route_table.private[${i}] -> module.vpc.aws_nat_gateway.this[${i}]`),
    );
    expect(n.gateways.map((g) => g.id)).toEqual(['module.vpc.aws_internet_gateway.this[0]', 'module.vpc.aws_vpn_gateway.this[0]']);
  });

  it('finds S3 traffic through the NAT gateways of a modelled call once the region is known, on the module call line', async () => {
    const r = await evaluateTree({ 'main.tf': KICS_37 }, { region: 'eu-west-1' });
    const findings = runRules(r.graph, rules, []);
    expect(findings.map((f) => `${f.ruleId} ${f.location.address} ${f.location.file}:${f.location.span.start.line}`)).toEqual(
      [0, 1, 2].map((i) => `VPCE101 module.vpc.aws_route_table.private[${i}] main.tf:2`),
    );
  });

  it('counts NAT gateways the way each major does: 3.x leaves public subnets out of max_subnet_length', async () => {
    const call = (version: string) => `
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "${version}"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1a"]
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24", "10.0.104.0/24"]
  enable_nat_gateway = true
}
`;
    const v3 = networkOf((await evaluateTree({ 'main.tf': call('~> 3.19') })).graph);
    const v5 = networkOf((await evaluateTree({ 'main.tf': call('~> 5.0') })).graph);
    expect(v3.natGateways).toHaveLength(2);
    expect(v5.natGateways).toHaveLength(4);
    expect(v3.routeTables.filter((t) => t.id.includes('aws_route_table.private'))).toHaveLength(2);
    expect(v5.routeTables.filter((t) => t.id.includes('aws_route_table.private'))).toHaveLength(4);
  });

  it('builds a range that spans majors as the newest release it admits, the one terraform init installs', async () => {
    const r = await evaluateTree({
      'main.tf': `
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = ">= 3.0, < 6"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
}
`,
    });
    const n = networkOf(r.graph);
    const note = codes(r.diagnostics, 'tf-module-modelled');
    expect(note).toHaveLength(1);
    expect(note[0]!.message).toContain('modelled as version 5.21.1, the newest covered version that `>= 3.0, < 6` admits.');
    expect(codes(r.diagnostics, 'tf-module-model-version')).toEqual([]);
    // 5.x defaults, not 3.x ones: DNS hostnames on, the default route table managed.
    expect(n.vpcs[0]!.dnsHostnames).toBe(true);
    expect(n.unknownExpansions).toEqual([]);
    expect(r.module.instances.some((i) => i.address === 'module.vpc.aws_default_route_table.default[0]')).toBe(true);
  });
});

describe('diagnostics of modelled calls', () => {
  it('names the inputs the model does not reproduce or the module does not accept, once per call', async () => {
    const r = await evaluateTree({
      'main.tf': `
module "vpc" {
  count   = 2
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a"]
  private_subnets = ["10.0.1.0/24"]
  tags            = { a = "b" }
  enable_flow_log = true
  enable_dhcp_options = true
  dhcp_options_domain_name_servers = ["10.0.0.2"]
  vpc_block_public_access_options = {}
  enable_s3_endpoint = true
}
`,
    });
    const d = codes(r.diagnostics, 'tf-module-model-input-ignored');
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.line).toBe(2);
    // The DHCP options set is modelled: its name servers decide whether private DNS names resolve in the VPC.
    expect(d[0]!.message).not.toContain('dhcp');
    const dhcp = r.module.instances.find((i) => i.address === 'module.vpc[1].aws_vpc_dhcp_options.this[0]');
    expect(dhcp?.values['domain_name_servers']).toEqual(['10.0.0.2']);
    expect(r.module.instances.some((i) => i.address === 'module.vpc[1].aws_vpc_dhcp_options_association.this[0]')).toBe(true);
    expect(d[0]!.message).toContain('`enable_s3_endpoint`');
    expect(d[0]!.message).not.toContain('vpc_block_public_access_options');
    expect(d[0]!.message).not.toContain('`tags`');
    expect(d[0]!.message).not.toContain('enable_flow_log');
    expect(r.module.instances.some((i) => i.address === 'module.vpc[1].aws_subnet.private[0]')).toBe(true);
  });

  it('reports inputs a 3.x call cannot have', async () => {
    const r = await evaluateTree({
      'main.tf': KICS_37.replace('enable_nat_gateway = true', 'enable_nat_gateway = true\n  create_multiple_public_route_tables = true'),
    });
    expect(codes(r.diagnostics, 'tf-module-model-input-ignored')[0]!.message).toContain('`create_multiple_public_route_tables`');
    expect(networkOf(r.graph).routeTables.filter((t) => t.id.includes('aws_route_table.public'))).toHaveLength(1);
  });

  it('treats a call outside the modelled versions as unknown, creating nothing', async () => {
    const r = await evaluateTree({
      'main.tf':
        'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 2.70"\n  private_subnets = ["10.0.1.0/24"]\n}\nresource "null_resource" "x" {\n  triggers = { id = module.vpc.vpc_id }\n}\n',
    });
    const d = codes(r.diagnostics, 'tf-module-model-version');
    expect(d).toHaveLength(1);
    expect(d[0]!.severity).toBe('warning');
    expect(d[0]!.message).toContain('terraform init -backend=false');
    expect(codes(r.diagnostics, 'tf-module-modelled')).toEqual([]);
    expect(r.module.instances.filter((i) => i.address.startsWith('module.vpc'))).toEqual([]);
    const x = r.module.instances.find((i) => i.address === 'null_resource.x')!;
    expect(isUnknown((x.values['triggers'] as Record<string, unknown>)['id'])).toBe(true);
  });
});

describe('inputs that are not known', () => {
  it('creates nothing whose number depends on unknown AZs, and records the uncertainty', async () => {
    const r = await evaluateTree({
      'main.tf': `
data "aws_availability_zones" "available" {}
locals {
  azs = slice(data.aws_availability_zones.available.names, 0, 3)
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
  cidr            = "10.0.0.0/16"
  azs             = local.azs
  private_subnets = [for k, v in local.azs : cidrsubnet("10.0.0.0/16", 4, k)]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24"]
  enable_nat_gateway = true
}
`,
    });
    const n = networkOf(r.graph);
    expect(n.subnets.filter((s) => s.id.includes('private'))).toEqual([]);
    expect(n.natGateways).toEqual([]);
    expect(n.unknownExpansions).toEqual(
      expect.arrayContaining([
        'module.vpc.aws_subnet.private',
        'module.vpc.aws_route_table.private',
        'module.vpc.aws_nat_gateway.this',
        'module.vpc.aws_route.private_nat_gateway',
        'module.vpc.aws_route_table_association.private',
      ]),
    );
    expect(r.graph.isUncertain('aws_route_table_association')).toBe(true);
    // Public subnets have a known number; their zone is what is unknown.
    expect(n.subnets.filter((s) => s.id.includes('public')).map((s) => s.az)).toEqual(['(unknown)', '(unknown)']);
    expect(runRules(r.graph, rules, [])).toEqual([]);
  });
});

describe('module outputs', () => {
  it('serves outputs as references that root resources resolve to the modelled nodes', async () => {
    const r = await evaluateTree({
      'main.tf': `
provider "aws" {
  region = "eu-west-1"
}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.0.1.0/24", "10.0.2.0/24"]
  public_subnets  = ["10.0.101.0/24", "10.0.102.0/24"]
  enable_nat_gateway = true
  single_nat_gateway = true
}
resource "aws_vpc_endpoint" "s3" {
  vpc_id          = module.vpc.vpc_id
  service_name    = "com.amazonaws.eu-west-1.s3"
  route_table_ids = module.vpc.private_route_table_ids
}
resource "null_resource" "x" {
  triggers = {
    cidr    = module.vpc.vpc_cidr_block
    azs     = join(",", module.vpc.azs)
    nat     = module.vpc.natgw_ids[0]
    missing = module.vpc.no_such_output
  }
}
`,
    });
    const e = r.graph.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!;
    expect(e.vpc).toBe('module.vpc.aws_vpc.this[0]');
    expect(e.routeTables).toEqual(['module.vpc.aws_route_table.private[0]']);
    const t = r.module.instances.find((i) => i.address === 'null_resource.x')!.values['triggers'] as Record<string, unknown>;
    expect(t['cidr']).toBe('10.0.0.0/16');
    expect(t['azs']).toBe('eu-west-1a,eu-west-1b');
    expect(parseRef(t['nat'])?.address).toBe('module.vpc.aws_nat_gateway.this[0]');
    expect(isUnknown(t['missing'])).toBe(true);
    // Only the note that the S3 endpoint has no policy (AWS attaches full access): nothing about routing.
    expect(runRules(r.graph, rules, []).filter((f) => f.ruleId !== 'VPCE301')).toEqual([]);
  });

  it('points findings and attributes at the call and the inputs that decide them', async () => {
    const r = await evaluateTree(
      {
        'main.tf': `module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a"]
  private_subnets = ["10.0.1.0/24"]
  public_subnets  = ["10.0.101.0/24"]
  enable_nat_gateway = true
}
`,
      },
      { region: 'eu-west-1' },
    );
    const subnet = r.graph.getKind('module.vpc.aws_subnet.private[0]', 'subnet')!;
    expect(subnet.source.span.start.line).toBe(1);
    expect(subnet.attributeRefs['cidr_block']!.span.start.line).toBe(6);
    expect(subnet.attributeRefs['availability_zone']!.span.start.line).toBe(5);
    expect(subnet.callSites.map((c) => `${c.address}@${c.file}:${c.span.start.line}`)).toEqual(['module.vpc@main.tf:1']);
    const [finding] = runRules(r.graph, rules, []);
    expect(finding!.location).toMatchObject({ file: 'main.tf', address: 'module.vpc.aws_route_table.private[0]' });
    // The call is the primary location already: it is not repeated as a related one.
    expect(finding!.related.filter((x) => x.message.startsWith('called from'))).toEqual([]);
  });
});

const moduleSource = corpusAvailable('downloaded module source');

describe.skipIf(!moduleSource)('downloaded module source (v6.6.0 from ../shared/corpus)', () => {
  const root = `
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"
  name            = "dl"
  cidr            = "10.0.0.0/16"
  azs             = ["eu-west-1a"]
  private_subnets = ["10.0.1.0/24"]
  public_subnets  = ["10.0.101.0/24"]
  enable_nat_gateway = true
}
`;

  it('wins over the model', async () => {
    const r = await evaluateTree(downloadedLayout({ 'main.tf': root }, { vpc: 'vpc' }));
    expect(codes(r.diagnostics, 'tf-module-modelled')).toEqual([]);
    expect(r.graph.getKind('module.vpc.aws_subnet.private[0]', 'subnet')!.source.file).toBe('.terraform/modules/vpc/main.tf');
  });

  it('reports findings in the module file and names the calling module block as a related location', async () => {
    const r = await evaluateTree(downloadedLayout({ 'main.tf': root }, { vpc: 'vpc' }));
    const findings = runRules(r.graph, rules, []);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location.file).toBe('.terraform/modules/vpc/main.tf');
    const call = findings[0]!.related.find((x) => x.message === 'called from module "vpc"')!;
    expect(call.at).toMatchObject({ file: 'main.tf', address: 'module.vpc' });
    expect(call.at.span.start.line).toBe(6);
  });

  it('loads nested calls and git sources from modules.json', async () => {
    const files = downloadedLayout(
      {
        'main.tf': 'module "network" {\n  source = "./network"\n}\n',
        'network/main.tf': root.replace(
          'source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 6.0"',
          'source = "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=v6.6.0"',
        ),
      },
      { 'network.vpc': 'vpc' },
    );
    const r = await evaluateTree(files);
    expect(codes(r.diagnostics, 'tf-module-not-downloaded')).toEqual([]);
    const subnet = r.graph.getKind('module.network.module.vpc.aws_subnet.private[0]', 'subnet')!;
    expect(subnet.source.file).toBe('.terraform/modules/network.vpc/main.tf');
    expect(subnet.callSites.map((c) => c.address)).toEqual(['module.network', 'module.network.module.vpc']);
    const [finding] = runRules(r.graph, rules, []);
    expect(finding!.related.filter((x) => x.message.startsWith('called from')).map((x) => x.message)).toEqual([
      'called from module "network"',
      'called from module "vpc"',
    ]);
  });
});
