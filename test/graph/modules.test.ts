import { describe, expect, it } from 'vitest';
import { corpusAvailable, downloadedLayout } from '../terraform-models/helpers.js';
import { normalise, ruleLines, tfGraph } from './helpers.js';

/** terraform-aws-modules/vpc and its vpc-endpoints submodule: the built-in models, and the real source when the corpus has it. */
const CALLS = `
provider "aws" {
  region = "eu-west-1"
}
module "vpc" {
  source                        = "terraform-aws-modules/vpc/aws"
  version                       = "~> 6.0"
  cidr                          = "10.0.0.0/16"
  azs                           = ["eu-west-1a", "eu-west-1b"]
  private_subnets               = ["10.0.1.0/24", "10.0.2.0/24"]
  public_subnets                = ["10.0.101.0/24", "10.0.102.0/24"]
  private_dedicated_network_acl = true
  private_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 443, to_port = 443, protocol = "tcp", cidr_block = "10.0.0.0/16" },
  ]
  default_security_group_ingress = [
    { self = true, from_port = 443, to_port = 443, protocol = "tcp" },
  ]
}
module "endpoints" {
  source                = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version               = "~> 6.0"
  vpc_id                = module.vpc.vpc_id
  create_security_group = true
  security_group_rules = {
    ingress_https = { cidr_blocks = ["10.0.0.0/16"] }
  }
  endpoints = {
    ssm = {
      service             = "ssm"
      subnet_ids          = module.vpc.private_subnets
      private_dns_enabled = true
      policy              = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = "ssm:*", Resource = "*" }] })
    }
    logs = {
      service            = "logs"
      subnet_ids         = module.vpc.private_subnets
      security_group_ids = [module.vpc.default_security_group_id]
    }
  }
}
`;

describe('registry VPC modules', () => {
  it('the vpc model manages the default security group and ACL, and the endpoints model its group, rules and policies', async () => {
    const { graph, diagnostics } = await tfGraph(CALLS);
    expect(diagnostics.filter((d) => d.code === 'tf-module-modelled')).toHaveLength(2);
    const vpc = 'module.vpc.aws_vpc.this[0]';
    const def = graph.defaultSecurityGroupOf(vpc)!;
    expect(def.id).toBe('module.vpc.aws_default_security_group.this[0]');
    expect(ruleLines(def.rules)).toEqual(['ingress tcp 443-443 self']);
    expect(graph.defaultNetworkAclOf(vpc)!.id).toBe('module.vpc.aws_default_network_acl.this[0]');
    expect(graph.networkAclOf('module.vpc.aws_subnet.private[0]')).toMatchObject({ id: 'module.vpc.aws_network_acl.private[0]' });
    expect(graph.networkAclOf('module.vpc.aws_subnet.public[0]')).toMatchObject({ id: 'module.vpc.aws_default_network_acl.this[0]' });
    expect(normalise(graph).networkAcls.find((a) => a.id === 'private[0]')!.entries).toEqual([
      'egress #100 allow -1 0-65535 0.0.0.0/0',
      'ingress #100 allow tcp 443-443 10.0.0.0/16',
    ]);

    const sg = graph.getKind('module.endpoints.aws_security_group.this[0]', 'security-group')!;
    expect(sg.vpc).toBe(vpc);
    expect(ruleLines(sg.rules)).toEqual(['ingress tcp 443-443 10.0.0.0/16']);
    const ssm = graph.getKind('module.endpoints.aws_vpc_endpoint.this["ssm"]', 'vpc-endpoint')!;
    expect(ssm).toMatchObject({
      subnets: ['module.vpc.aws_subnet.private[0]', 'module.vpc.aws_subnet.private[1]'],
      securityGroups: ['module.endpoints.aws_security_group.this[0]'],
      defaultSecurityGroup: false,
    });
    expect(ssm.policy).toMatchObject({ document: { Statement: [{ Action: 'ssm:*' }] } });
    const logs = graph.getKind('module.endpoints.aws_vpc_endpoint.this["logs"]', 'vpc-endpoint')!;
    expect(logs.securityGroups).toEqual(['module.endpoints.aws_security_group.this[0]', 'module.vpc.aws_default_security_group.this[0]']);
    expect(logs.policy).toBeUndefined();
  });

  const moduleSource = corpusAvailable('the models against the real module source');
  it.skipIf(!moduleSource)('the models give the same groups, ACLs and endpoints as the real module source', async () => {
    const modelled = normalise((await tfGraph(CALLS)).graph);
    const real = await tfGraph(downloadedLayout({ 'main.tf': CALLS }, { vpc: 'vpc', endpoints: 'vpc-endpoints' }));
    expect(real.diagnostics.filter((d) => d.code === 'tf-module-modelled')).toEqual([]);
    const source = normalise(real.graph);
    expect(modelled.securityGroups).toEqual(source.securityGroups);
    expect(modelled.networkAcls).toEqual(source.networkAcls);
    expect(modelled.subnetAcls).toEqual(source.subnetAcls);
    expect(modelled.endpoints).toEqual(source.endpoints);
  });
});
