import { describe, expect, it } from 'vitest';
import { corpusAvailable, downloadedLayout, endpointDetails, evaluateTree, networkOf } from './helpers.js';

/**
 * The built-in models must build the network the real module builds. Each call below is evaluated twice: once with
 * the module's own v6.6.0 source laid out as `terraform init` leaves it (`.terraform/modules` + `modules.json`), once
 * without it, so that the model stands in. Both graphs must describe the same subnets, route tables, routes,
 * associations, NAT gateways and endpoints.
 */

const PROVIDER = `
provider "aws" {
  region = "eu-west-1"
}
`;

const CASES: Record<string, { files: Record<string, string>; calls: Record<string, 'vpc' | 'vpc-endpoints'> }> = {
  'single NAT gateway, database subnets on the private table': {
    calls: { vpc: 'vpc' },
    files: {
      'main.tf': `${PROVIDER}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name = "single-nat"
  cidr = "10.0.0.0/16"

  azs              = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets  = ["10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24"]
  public_subnets   = ["10.0.101.0/24", "10.0.102.0/24", "10.0.103.0/24"]
  database_subnets = ["10.0.21.0/24", "10.0.22.0/24"]
  intra_subnets    = ["10.0.51.0/24", "10.0.52.0/24"]

  enable_nat_gateway = true
  single_nat_gateway = true

  tags = { Terraform = "true" }
}
`,
    },
  },
  'one NAT gateway per AZ, more private subnets than AZs': {
    calls: { vpc: 'vpc' },
    files: {
      'main.tf': `${PROVIDER}
locals {
  azs = ["eu-west-1a", "eu-west-1b"]
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = ">= 6.0, < 7.0"

  name = "nat-per-az"
  cidr = "10.10.0.0/16"

  azs             = local.azs
  private_subnets = [for k in range(4) : cidrsubnet("10.10.0.0/16", 8, k)]
  public_subnets  = [for k, v in local.azs : cidrsubnet("10.10.0.0/16", 8, k + 100)]
  elasticache_subnets = ["10.10.60.0/24", "10.10.61.0/24"]
  intra_subnets       = ["10.10.70.0/24", "10.10.71.0/24"]

  create_multiple_intra_route_tables = true

  enable_nat_gateway     = true
  single_nat_gateway     = false
  one_nat_gateway_per_az = true

  create_multiple_public_route_tables = true
  enable_vpn_gateway                  = true
}
`,
    },
  },
  'separate database route tables with NAT routes': {
    calls: { vpc: 'vpc' },
    files: {
      'main.tf': `${PROVIDER}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.6.0"

  name = "db-nat"
  cidr = "10.20.0.0/16"
  azs  = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]

  private_subnets  = ["10.20.1.0/24", "10.20.2.0/24", "10.20.3.0/24"]
  public_subnets   = ["10.20.101.0/24", "10.20.102.0/24", "10.20.103.0/24"]
  database_subnets = ["10.20.21.0/24", "10.20.22.0/24", "10.20.23.0/24"]
  redshift_subnets = ["10.20.41.0/24", "10.20.42.0/24"]

  create_database_subnet_route_table = true
  create_database_nat_gateway_route  = true
  create_redshift_subnet_route_table = true

  enable_nat_gateway = true
  nat_gateway_destination_cidr_block = "0.0.0.0/0"

  manage_default_route_table = true
  default_route_table_routes = [{ cidr_block = "192.168.0.0/16", transit_gateway_id = "tgw-0123456789abcdef0" }]
}
`,
    },
  },
  'separate database route tables without NAT routes (internet gateway route instead)': {
    calls: { vpc: 'vpc' },
    files: {
      'main.tf': `${PROVIDER}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.6"

  name            = "db-igw"
  cidr            = "10.30.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b"]
  private_subnets = ["10.30.1.0/24", "10.30.2.0/24"]
  public_subnets  = ["10.30.101.0/24", "10.30.102.0/24"]
  database_subnets = ["10.30.21.0/24", "10.30.22.0/24"]

  create_database_subnet_route_table     = true
  create_database_internet_gateway_route = true
  secondary_cidr_blocks                  = ["100.64.0.0/16"]

  enable_nat_gateway = true
  private_dedicated_network_acl = true
}
`,
    },
  },
  'separate database route tables, no NAT route, NAT disabled': {
    calls: { vpc: 'vpc' },
    files: {
      'main.tf': `${PROVIDER}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name             = "db-no-nat"
  cidr             = "10.40.0.0/16"
  azs              = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets  = ["10.40.1.0/24", "10.40.2.0/24", "10.40.3.0/24"]
  database_subnets = ["10.40.21.0/24", "10.40.22.0/24", "10.40.23.0/24"]

  create_database_subnet_route_table = true
  enable_dns_hostnames               = false
}
`,
    },
  },
  'endpoints submodule: S3 gateway on the private route tables, interface endpoints with a security group': {
    calls: { vpc: 'vpc', vpc_endpoints: 'vpc-endpoints' },
    files: {
      'main.tf': `${PROVIDER}
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 6.0"

  name            = "endpoints"
  cidr            = "10.50.0.0/16"
  azs             = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  private_subnets = ["10.50.1.0/24", "10.50.2.0/24", "10.50.3.0/24"]
  public_subnets  = ["10.50.101.0/24", "10.50.102.0/24", "10.50.103.0/24"]

  enable_nat_gateway     = true
  one_nat_gateway_per_az = true
}

module "vpc_endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "~> 6.0"

  vpc_id = module.vpc.vpc_id

  create_security_group      = true
  security_group_name_prefix = "vpce-"
  security_group_rules = {
    ingress_https = {
      description = "HTTPS from VPC"
      cidr_blocks = [module.vpc.vpc_cidr_block]
    }
  }

  endpoints = {
    s3 = {
      service         = "s3"
      service_type    = "Gateway"
      route_table_ids = module.vpc.private_route_table_ids
    }
    dynamodb = {
      service         = "dynamodb"
      service_type    = "Gateway"
      route_table_ids = flatten([module.vpc.private_route_table_ids, module.vpc.public_route_table_ids])
      policy          = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Principal = "*", Action = "dynamodb:GetItem", Resource = "*" }] })
    }
    sqs = {
      service             = "sqs"
      private_dns_enabled = true
      subnet_ids          = module.vpc.private_subnets
    }
    s3_interface = {
      service             = "s3"
      private_dns_enabled = true
      subnet_ids          = slice(module.vpc.private_subnets, 0, 2)
      dns_options = {
        private_dns_only_for_inbound_resolver_endpoint = true
      }
    }
    ssm = {
      service = "ssm"
      create  = false
    }
  }
}
`,
    },
  },
};

const moduleSource = corpusAvailable('built-in models build what the real module builds');

describe.skipIf(!moduleSource)('built-in models build what the real module builds (v6.6.0 source from ../shared/corpus)', () => {
  for (const [name, c] of Object.entries(CASES)) {
    it(name, async () => {
      const real = await evaluateTree(downloadedLayout(c.files, c.calls));
      const modelled = await evaluateTree(c.files);
      expect(real.diagnostics.filter((d) => d.code.startsWith('tf-module'))).toEqual([]);
      expect(modelled.diagnostics.filter((d) => d.code === 'tf-module-modelled')).toHaveLength(Object.keys(c.calls).length);
      expect(modelled.diagnostics.filter((d) => d.code === 'tf-module-model-input-ignored')).toEqual([]);
      const want = networkOf(real.graph);
      const got = networkOf(modelled.graph);
      expect(want.subnets.length).toBeGreaterThan(0);
      expect(got.subnets).toEqual(want.subnets);
      expect(got.routeTables).toEqual(want.routeTables);
      expect(got.routes).toEqual(want.routes);
      expect(got.associations).toEqual(want.associations);
      expect(got.mainTables).toEqual(want.mainTables);
      expect(got.natGateways).toEqual(want.natGateways);
      expect(got.gateways).toEqual(want.gateways);
      expect(got.endpoints).toEqual(want.endpoints);
      expect(got).toEqual(want);
      expect(endpointDetails(modelled.module.instances)).toEqual(endpointDetails(real.module.instances));
    });
  }
});
