import { describe, expect, it } from 'vitest';
import { isUnknown, makeRef, type Value } from '../../src/source/value.js';
import { loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import { distinctReferences, parseReference } from '../../src/parsers/terraform/plan/references.js';
import { idAttributeFor } from '../../src/parsers/terraform/plan/resolve.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { configResource, constant, idOf, planText, refs, type TestPlan } from './build-plan.js';

const root = tmpTree({ 'README.md': 'plans only\n' });

async function values(p: TestPlan, address: string): Promise<Record<string, Value>> {
  const plan = await loadTerraformPlan('plan.json', planText(p), { scanRoot: root });
  const i = plan.instances.find((x) => x.address === address);
  if (!i) throw new Error(`${address} not loaded: ${JSON.stringify(plan.diagnostics)}`);
  return i.values;
}

const reason = (v: Value | undefined) => (isUnknown(v) ? v.reason : `not unknown: ${JSON.stringify(v)}`);

const vpc = { address: 'aws_vpc.main', type: 'aws_vpc', name: 'main', values: { cidr_block: '10.0.0.0/16' }, unknown: { id: true } };
const table = (name: string, index?: number) => ({
  address: `aws_route_table.${name}${index === undefined ? '' : `[${index}]`}`,
  type: 'aws_route_table',
  name,
  index,
  unknown: { id: true },
});

describe('references of the configuration representation', () => {
  it('keeps one reference per traversal, without the shorter forms Terraform lists after it', () => {
    const list = distinctReferences([
      'aws_subnet.a[0].id',
      'aws_subnet.a[0]',
      'aws_subnet.a',
      'count.index',
      'module.m.out',
      'module.m',
      'var.x',
      'count.index',
    ]);
    expect(list.map((r) => r.text)).toEqual(['aws_subnet.a[0].id', 'count.index', 'module.m.out', 'var.x']);
  });

  it('parses resource, data source and module references with their keys', () => {
    expect(parseReference('data.aws_vpc.x["k.1"].id')!.subject).toEqual({
      kind: 'resource',
      mode: 'data',
      type: 'aws_vpc',
      name: 'x',
      key: 'k.1',
      rest: [{ attr: 'id' }],
    });
    expect(parseReference('module.vpc[2].private_route_table_ids')!.subject).toEqual({
      kind: 'module',
      name: 'vpc',
      key: 2,
      rest: [{ attr: 'private_route_table_ids' }],
    });
    expect(parseReference('aws_subnet.a')!.subject).toEqual({ kind: 'resource', mode: 'managed', type: 'aws_subnet', name: 'a', key: undefined, rest: [] });
  });

  it('knows which argument names take the id of which resource type', () => {
    expect(idAttributeFor('subnet_id', 'aws_subnet')).toBe('id');
    expect(idAttributeFor('route_table_ids', 'aws_route_table')).toBe('id');
    expect(idAttributeFor('gateway_id', 'aws_internet_gateway')).toBe('id');
    expect(idAttributeFor('vpc_id', 'aws_default_vpc')).toBe('id');
    expect(idAttributeFor('subnet_id', 'aws_vpc')).toBeUndefined();
    expect(idAttributeFor('route_table_id', 'aws_vpc')).toBeUndefined();
  });
});

describe('values known only after apply', () => {
  it('stay unknown when the expression has more than one reference', async () => {
    const v = await values(
      {
        resources: [vpc, { address: 'aws_subnet.a', type: 'aws_subnet', name: 'a', unknown: { vpc_id: true } }],
        configuration: { root_module: { resources: [configResource('aws_subnet.a', { vpc_id: refs('var.prefix', 'aws_vpc.main.id', 'aws_vpc.main') })] } },
      },
      'aws_subnet.a',
    );
    expect(reason(v['vpc_id'])).toBe('vpc_id of aws_subnet.a is computed from var.prefix, aws_vpc.main.id; the plan does not show how');
  });

  it('stay unknown when X[count.index] indexes a resource counted differently', async () => {
    const v = await values(
      {
        resources: [
          table('private', 0),
          { address: 'aws_route_table_association.a[0]', type: 'aws_route_table_association', name: 'a', index: 0, unknown: { route_table_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_route_table.private', {}, { count_expression: constant(1) }),
              configResource(
                'aws_route_table_association.a',
                { route_table_id: refs('aws_route_table.private', 'count.index') },
                { count_expression: refs('var.n') },
              ),
            ],
          },
        },
      },
      'aws_route_table_association.a[0]',
    );
    expect(reason(v['route_table_id'])).toBe(
      "route_table_id of aws_route_table_association.a[0] refers to aws_route_table.private[count.index], whose count differs from aws_route_table_association.a's",
    );
  });

  it('become a list of references for a list of references, element by element', async () => {
    const p = (unknown: unknown, planned: unknown) => ({
      resources: [
        table('a'),
        table('b'),
        {
          address: 'aws_vpc_endpoint.s3',
          type: 'aws_vpc_endpoint',
          name: 's3',
          values: { service_name: 'com.amazonaws.eu-west-1.s3', ...(planned ? { route_table_ids: planned } : {}) },
          unknown: { route_table_ids: unknown },
        },
      ],
      configuration: {
        root_module: {
          resources: [
            configResource('aws_vpc_endpoint.s3', {
              route_table_ids: refs('aws_route_table.a.id', 'aws_route_table.a', 'aws_route_table.b.id', 'aws_route_table.b'),
              service_name: constant('com.amazonaws.eu-west-1.s3'),
            }),
          ],
        },
      },
    });
    const both = [makeRef('aws_route_table.a', 'id'), makeRef('aws_route_table.b', 'id')];
    expect((await values(p([true, true], [null, null]), 'aws_vpc_endpoint.s3'))['route_table_ids']).toEqual(both);
    expect((await values(p(true, undefined), 'aws_vpc_endpoint.s3'))['route_table_ids']).toEqual(both);
    const three = (await values(p([true, true, true], [null, null, null]), 'aws_vpc_endpoint.s3'))['route_table_ids'] as Value[];
    expect(three).toHaveLength(3);
    expect(reason(three[0])).toMatch(/3 element\(s\) known only after apply, but its expression lists 2/);
  });

  it('in a block written as one expression, resolve only when one resource is referenced', async () => {
    const route = (nat: unknown) => ({ cidr_block: '0.0.0.0/0', ...(nat ? { nat_gateway_id: nat } : {}) });
    const p = (routeExpr: unknown, n: number) => ({
      resources: [
        { address: 'aws_nat_gateway.a', type: 'aws_nat_gateway', name: 'a', unknown: { id: true } },
        { address: 'aws_nat_gateway.b', type: 'aws_nat_gateway', name: 'b', unknown: { id: true } },
        {
          address: 'aws_route_table.r',
          type: 'aws_route_table',
          name: 'r',
          values: { route: Array.from({ length: n }, (_, i) => ({ ...route(null), cidr_block: `10.${i}.0.0/16` })) },
          unknown: { route: Array.from({ length: n }, () => ({ nat_gateway_id: true })) },
        },
      ],
      configuration: { root_module: { resources: [configResource('aws_route_table.r', { route: routeExpr })] } },
    });
    const one = (await values(p(idOf('aws_nat_gateway.a'), 2), 'aws_route_table.r'))['route'] as Array<Record<string, Value>>;
    expect(one.map((r) => r['nat_gateway_id'])).toEqual([makeRef('aws_nat_gateway.a', 'id'), makeRef('aws_nat_gateway.a', 'id')]);
    const two = (await values(p(refs('aws_nat_gateway.a.id', 'aws_nat_gateway.a', 'aws_nat_gateway.b.id', 'aws_nat_gateway.b'), 2), 'aws_route_table.r'))[
      'route'
    ] as Array<Record<string, Value>>;
    expect(two.every((r) => isUnknown(r['nat_gateway_id']))).toBe(true);
  });

  it('in nested blocks listed one by one, come from the block whose constants match', async () => {
    const v = await values(
      {
        resources: [
          { address: 'aws_nat_gateway.a', type: 'aws_nat_gateway', name: 'a', unknown: { id: true } },
          { address: 'aws_internet_gateway.i', type: 'aws_internet_gateway', name: 'i', unknown: { id: true } },
          {
            address: 'aws_route_table.r',
            type: 'aws_route_table',
            name: 'r',
            values: {
              route: [
                { cidr_block: '0.0.0.0/0', gateway_id: '' },
                { cidr_block: '10.9.0.0/16', nat_gateway_id: '' },
              ],
            },
            unknown: { route: [{ nat_gateway_id: true }, { gateway_id: true }] },
          },
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_route_table.r', {
                route: [
                  { cidr_block: constant('10.9.0.0/16'), gateway_id: idOf('aws_internet_gateway.i') },
                  { cidr_block: constant('0.0.0.0/0'), nat_gateway_id: idOf('aws_nat_gateway.a') },
                ],
              }),
            ],
          },
        },
      },
      'aws_route_table.r',
    );
    expect(v['route']).toEqual([
      { cidr_block: '0.0.0.0/0', gateway_id: null, nat_gateway_id: makeRef('aws_nat_gateway.a', 'id') },
      { cidr_block: '10.9.0.0/16', nat_gateway_id: null, gateway_id: makeRef('aws_internet_gateway.i', 'id') },
    ]);
  });

  it('are left out when nobody configured them, and unknown when a dynamic block wrote them', async () => {
    const p = (route: unknown, unknown: unknown) => ({
      resources: [
        vpc,
        {
          address: 'aws_route_table.r',
          type: 'aws_route_table',
          name: 'r',
          values: route === undefined ? {} : { route },
          unknown: { route: unknown, vpc_id: true, propagating_vgws: true },
        },
      ],
      configuration: { root_module: { resources: [configResource('aws_route_table.r', { vpc_id: idOf('aws_vpc.main') })] } },
    });
    const computed = await values(p(undefined, true), 'aws_route_table.r');
    expect(computed).not.toHaveProperty('route');
    expect(computed).not.toHaveProperty('propagating_vgws');
    expect(computed['vpc_id']).toBe(makeRef('aws_vpc.main', 'id'));
    const dynamic = await values(p([{ cidr_block: '0.0.0.0/0' }], [{ nat_gateway_id: true }]), 'aws_route_table.r');
    const route = (dynamic['route'] as Array<Record<string, Value>>)[0]!;
    expect(route['cidr_block']).toBe('0.0.0.0/0');
    expect(reason(route['nat_gateway_id'])).toBe(
      'nat_gateway_id of aws_route_table.r is written in a dynamic "route" block, whose expressions the plan does not record',
    );
  });

  it('follow each.value.<attribute> when for_each iterates a resource', async () => {
    const v = await values(
      {
        resources: [
          { address: 'aws_subnet.s["a"]', type: 'aws_subnet', name: 's', index: 'a', unknown: { id: true } },
          { address: 'aws_route_table_association.r["a"]', type: 'aws_route_table_association', name: 'r', index: 'a', unknown: { subnet_id: true } },
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_subnet.s', {}, { for_each_expression: refs('var.subnets') }),
              configResource(
                'aws_route_table_association.r',
                { subnet_id: refs('each.value.id', 'each.value') },
                { for_each_expression: refs('aws_subnet.s') },
              ),
            ],
          },
        },
      },
      'aws_route_table_association.r["a"]',
    );
    expect(v['subnet_id']).toBe(makeRef('aws_subnet.s["a"]', 'id'));
  });

  it('follow an output of one instance of a counted module, but not of all of them', async () => {
    const p = (ref: string[]) => ({
      resources: [
        { address: 'module.vpc[0].aws_vpc.this', type: 'aws_vpc', name: 'this', module: 'module.vpc[0]', unknown: { id: true } },
        { address: 'aws_subnet.a', type: 'aws_subnet', name: 'a', unknown: { vpc_id: true } },
      ],
      configuration: {
        root_module: {
          resources: [configResource('aws_subnet.a', { vpc_id: refs(...ref) })],
          module_calls: {
            vpc: {
              source: './vpc',
              count_expression: constant(1),
              module: { outputs: { vpc_id: { expression: idOf('aws_vpc.this') } }, resources: [configResource('aws_vpc.this', {})] },
            },
          },
        },
      },
    });
    expect((await values(p(['module.vpc[0].vpc_id', 'module.vpc[0]', 'module.vpc']), 'aws_subnet.a'))['vpc_id']).toBe(
      makeRef('module.vpc[0].aws_vpc.this', 'id'),
    );
    expect(reason((await values(p(['module.vpc.vpc_id', 'module.vpc']), 'aws_subnet.a'))['vpc_id'])).toMatch(/across the instances of module\.vpc/);
  });

  it('from data sources read during apply stay unknown', async () => {
    const v = await values(
      {
        resources: [
          { address: 'data.aws_vpc.shared', mode: 'data', type: 'aws_vpc', name: 'shared', unknown: { id: true } },
          { address: 'aws_subnet.a', type: 'aws_subnet', name: 'a', unknown: { vpc_id: true } },
        ],
        configuration: { root_module: { resources: [configResource('aws_subnet.a', { vpc_id: idOf('data.aws_vpc.shared') })] } },
      },
      'aws_subnet.a',
    );
    expect(reason(v['vpc_id'])).toBe('vpc_id of aws_subnet.a refers to data.aws_vpc.shared.id, which is read from AWS during apply');
  });

  it('stay unknown without a configuration for the resource', async () => {
    const v = await values({ resources: [{ address: 'aws_subnet.a', type: 'aws_subnet', name: 'a', unknown: { vpc_id: true } }] }, 'aws_subnet.a');
    expect(reason(v['vpc_id'])).toMatch(/no configuration for this resource/);
  });
});

describe('known ids', () => {
  it('stay literal when two planned instances share them', async () => {
    const v = await values(
      {
        resources: [
          { address: 'aws_vpc.a', type: 'aws_vpc', name: 'a', values: { id: 'vpc-0123456789abcdef0' } },
          { address: 'aws_default_vpc.b', type: 'aws_default_vpc', name: 'b', values: { id: 'vpc-0123456789abcdef0' } },
          { address: 'aws_subnet.s', type: 'aws_subnet', name: 's', values: { vpc_id: 'vpc-0123456789abcdef0' } },
        ],
      },
      'aws_subnet.s',
    );
    expect(v['vpc_id']).toBe('vpc-0123456789abcdef0');
  });

  it('of a VPC main route table link to that VPC attribute', async () => {
    const v = await values(
      {
        resources: [
          { address: 'aws_vpc.a', type: 'aws_vpc', name: 'a', values: { id: 'vpc-0123456789abcdef0', main_route_table_id: 'rtb-0123456789abcdef0' } },
          { address: 'aws_route.r', type: 'aws_route', name: 'r', values: { route_table_id: 'rtb-0123456789abcdef0', destination_cidr_block: '0.0.0.0/0' } },
        ],
      },
      'aws_route.r',
    );
    expect(v['route_table_id']).toBe(makeRef('aws_vpc.a', 'main_route_table_id'));
    expect(v['destination_cidr_block']).toBe('0.0.0.0/0');
  });
});

describe('regions', () => {
  const resources = [
    { address: 'aws_vpc.a', type: 'aws_vpc', name: 'a' },
    { address: 'aws_vpc.b', type: 'aws_vpc', name: 'b' },
    { address: 'aws_vpc.c', type: 'aws_vpc', name: 'c', values: { region: 'ap-southeast-2' } },
    { address: 'module.m.aws_vpc.d', type: 'aws_vpc', name: 'd', module: 'module.m' },
  ];
  const configuration = {
    provider_config: {
      aws: { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', expressions: { region: refs('var.region') } },
      'aws.west': { name: 'aws', full_name: 'registry.terraform.io/hashicorp/aws', alias: 'west', expressions: { region: constant('us-west-2') } },
      'module.m:aws': {
        name: 'aws',
        full_name: 'registry.terraform.io/hashicorp/aws',
        module_address: 'module.m',
        expressions: { region: refs('var.region') },
      },
    },
    root_module: {
      resources: [configResource('aws_vpc.a', {}), configResource('aws_vpc.b', {}, { provider_config_key: 'aws.west' }), configResource('aws_vpc.c', {})],
      module_calls: { m: { source: './m', module: { resources: [configResource('aws_vpc.d', {}, { provider_config_key: 'module.m:aws' })] } } },
    },
  };

  it('come from the provider configuration, its alias, a root variable or the resource itself', async () => {
    const plan = await loadTerraformPlan('plan.json', planText({ resources, configuration, variables: { region: 'eu-central-1' } }), { scanRoot: root });
    const region = Object.fromEntries(plan.instances.map((i) => [i.address, isUnknown(i.region) ? `unknown: ${i.region.reason}` : i.region]));
    expect(region).toEqual({
      'aws_vpc.a': 'eu-central-1',
      'aws_vpc.b': 'us-west-2',
      'aws_vpc.c': 'ap-southeast-2',
      'module.m.aws_vpc.d': 'unknown: the provider region comes from var.region',
    });
    const withFlag = await loadTerraformPlan('plan.json', planText({ resources, configuration, variables: { region: 'eu-central-1' } }), {
      scanRoot: root,
      region: 'sa-east-1',
    });
    expect(withFlag.instances.find((i) => i.address === 'module.m.aws_vpc.d')!.region).toBe('sa-east-1');
  });
});
