import { describe, expect, it } from 'vitest';
import { isUnknown, makeRef, type Value } from '../../src/source/value.js';
import { loadTerraformPlan, type LoadedPlan } from '../../src/parsers/terraform/plan/index.js';
import { parseReference } from '../../src/parsers/terraform/plan/references.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { configResource, constant, idOf, planText, refs, type TestPlan, type TestResource } from './build-plan.js';
import { lineOf } from './helpers.js';

/** How references of resources that do not exist yet become links, and what is left unknown when they cannot. */

const root = tmpTree({ 'README.md': 'plans only\n' });

function load(p: TestPlan, scanRoot = root): Promise<LoadedPlan> {
  return loadTerraformPlan('plan.json', planText(p), { scanRoot });
}

async function values(p: TestPlan, address: string): Promise<Record<string, Value>> {
  const i = (await load(p)).instances.find((x) => x.address === address);
  if (!i) throw new Error(`${address} not loaded`);
  return i.values;
}

const reason = (v: Value | undefined) => (isUnknown(v) ? v.reason : `not unknown: ${JSON.stringify(v)}`);

const at = (type: string, name: string, index?: number | string, module?: string): TestResource => {
  const local = `${type}.${name}${index === undefined ? '' : typeof index === 'number' ? `[${index}]` : `[${JSON.stringify(index)}]`}`;
  return {
    address: module ? `${module}.${local}` : local,
    type,
    name,
    ...(index !== undefined ? { index } : {}),
    ...(module ? { module } : {}),
    unknown: { id: true },
  };
};
const withUnknown = (r: TestResource, ...attributes: string[]): TestResource => ({
  ...r,
  unknown: { ...r.unknown, ...Object.fromEntries(attributes.map((a) => [a, true])) },
});

describe('X[count.index] and X[each.key]', () => {
  const counted = (tables: number, routes: number, routeCount: unknown = refs('var.azs')): TestPlan => ({
    resources: [
      ...Array.from({ length: tables }, (_, i) => at('aws_route_table', 'private', i)),
      ...Array.from({ length: routes }, (_, i) => withUnknown(at('aws_route', 'nat', i), 'route_table_id')),
    ],
    configuration: {
      root_module: {
        resources: [
          configResource('aws_route_table.private', {}, { count_expression: refs('var.azs') }),
          configResource('aws_route.nat', { route_table_id: refs('aws_route_table.private', 'count.index') }, { count_expression: routeCount }),
        ],
      },
    },
  });

  it('resolve when both blocks have the same count and expanded to the same instances', async () => {
    expect((await values(counted(2, 2), 'aws_route.nat[1]'))['route_table_id']).toBe(makeRef('aws_route_table.private[1]', 'id'));
  });

  it('stay unknown when the same count expression expanded to other instances', async () => {
    expect(reason((await values(counted(3, 2), 'aws_route.nat[1]'))['route_table_id'])).toBe(
      'route_table_id of aws_route.nat[1] refers to aws_route_table.private[count.index], whose instances in the plan (0, 1, 2) are not those of aws_route.nat (0, 1)',
    );
  });

  it('stay unknown when the counts differ, even with the same number of instances', async () => {
    expect(reason((await values(counted(2, 2, refs('var.private_subnets')), 'aws_route.nat[0]'))['route_table_id'])).toBe(
      "route_table_id of aws_route.nat[0] refers to aws_route_table.private[count.index], whose count differs from aws_route.nat's",
    );
    expect(reason((await values(counted(1, 1, constant(1)), 'aws_route.nat[0]'))['route_table_id'])).toMatch(/whose count differs/);
  });

  it('follow a for_each written as another resource to that resource’s own for_each', async () => {
    const v = await values(
      {
        resources: [
          at('aws_subnet', 'private', 'a'),
          at('aws_route_table', 'private', 'a'),
          withUnknown(at('aws_route_table_association', 'private', 'a'), 'subnet_id', 'route_table_id'),
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_subnet.private', {}, { for_each_expression: refs('var.subnets') }),
              configResource('aws_route_table.private', {}, { for_each_expression: refs('var.subnets') }),
              configResource(
                'aws_route_table_association.private',
                { subnet_id: refs('each.value.id', 'each.value'), route_table_id: refs('aws_route_table.private', 'each.key') },
                { for_each_expression: refs('aws_subnet.private') },
              ),
            ],
          },
        },
      },
      'aws_route_table_association.private["a"]',
    );
    expect(v).toMatchObject({ subnet_id: makeRef('aws_subnet.private["a"]', 'id'), route_table_id: makeRef('aws_route_table.private["a"]', 'id') });
  });

  it('read a listing that keeps the index in the traversal (X[count.index].id, X, count.index)', async () => {
    expect(parseReference('aws_route_table.private[count.index].id')!.subject).toEqual({
      kind: 'resource',
      mode: 'managed',
      type: 'aws_route_table',
      name: 'private',
      key: undefined,
      symbol: 'count.index',
      rest: [{ attr: 'id' }],
    });
    const p = counted(2, 2);
    const route = (p.configuration!['root_module'] as { resources: Array<{ expressions: Record<string, unknown> }> }).resources[1]!;
    route.expressions['route_table_id'] = refs('aws_route_table.private[count.index].id', 'aws_route_table.private', 'count.index');
    expect((await values(p, 'aws_route.nat[1]'))['route_table_id']).toBe(makeRef('aws_route_table.private[1]', 'id'));
  });

  it('resolve X[count.index] written in the arguments of a counted module call, per module instance', async () => {
    const p = (tables: number): TestPlan => ({
      resources: [
        ...Array.from({ length: tables }, (_, i) => at('aws_route_table', 'private', i)),
        withUnknown(at('aws_route', 'nat', undefined, 'module.az[0]'), 'route_table_id'),
        withUnknown(at('aws_route', 'nat', undefined, 'module.az[1]'), 'route_table_id'),
      ],
      configuration: {
        root_module: {
          resources: [configResource('aws_route_table.private', {}, { count_expression: refs('var.azs') })],
          module_calls: {
            az: {
              source: './az',
              count_expression: refs('var.azs'),
              expressions: { route_table_id: refs('aws_route_table.private', 'count.index') },
              module: { resources: [configResource('aws_route.nat', { route_table_id: refs('var.route_table_id') })] },
            },
          },
        },
      },
    });
    expect((await values(p(2), 'module.az[1].aws_route.nat'))['route_table_id']).toBe(makeRef('aws_route_table.private[1]', 'id'));
    expect(reason((await values(p(3), 'module.az[1].aws_route.nat'))['route_table_id'])).toBe(
      'route_table_id of module.az[1].aws_route.nat (through var.route_table_id) refers to aws_route_table.private[count.index], whose instances in the plan (0, 1, 2) are not those of module.az (0, 1)',
    );
  });

  it('resolve X[each.value] when for_each is a literal map', async () => {
    const v = await values(
      {
        resources: [
          at('aws_route_table', 'private', 0),
          at('aws_route_table', 'private', 1),
          withUnknown(at('aws_route_table_association', 'a', 'eu-west-1b'), 'route_table_id'),
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_route_table.private', {}, { count_expression: constant(2) }),
              configResource(
                'aws_route_table_association.a',
                { route_table_id: refs('aws_route_table.private', 'each.value') },
                { for_each_expression: constant({ 'eu-west-1a': 0, 'eu-west-1b': 1 }) },
              ),
            ],
          },
        },
      },
      'aws_route_table_association.a["eu-west-1b"]',
    );
    expect(v['route_table_id']).toBe(makeRef('aws_route_table.private[1]', 'id'));
  });
});

describe('literal indexes, splats and whole resources', () => {
  it('resolve a literal index inside a module instance', async () => {
    const M = 'module.vpc["a"]';
    const v = await values(
      {
        resources: [
          at('aws_route_table', 'private', 0, M),
          at('aws_route_table', 'private', 1, M),
          withUnknown(at('aws_route', 'first', undefined, M), 'route_table_id'),
        ],
        configuration: {
          root_module: {
            module_calls: {
              vpc: {
                source: './vpc',
                for_each_expression: refs('var.vpcs'),
                module: {
                  resources: [
                    configResource('aws_route_table.private', {}, { count_expression: refs('var.azs') }),
                    configResource('aws_route.first', {
                      route_table_id: refs('aws_route_table.private[0].id', 'aws_route_table.private[0]', 'aws_route_table.private'),
                    }),
                  ],
                },
              },
            },
          },
        },
      },
      `${M}.aws_route.first`,
    );
    expect(v['route_table_id']).toBe(makeRef(`${M}.aws_route_table.private[0]`, 'id'));
  });

  it('list every instance of a for_each resource, by key', async () => {
    const v = await values(
      {
        resources: [
          at('aws_route_table', 'private', 'b'),
          at('aws_route_table', 'private', 'a'),
          withUnknown(
            { address: 'aws_vpc_endpoint.s3', type: 'aws_vpc_endpoint', name: 's3', values: { service_name: 'com.amazonaws.eu-west-1.s3' } },
            'route_table_ids',
          ),
        ],
        configuration: {
          root_module: {
            resources: [
              configResource('aws_route_table.private', {}, { for_each_expression: refs('var.azs') }),
              configResource('aws_vpc_endpoint.s3', { route_table_ids: refs('aws_route_table.private'), service_name: constant('com.amazonaws.eu-west-1.s3') }),
            ],
          },
        },
      },
      'aws_vpc_endpoint.s3',
    );
    expect(v['route_table_ids']).toEqual([makeRef('aws_route_table.private["a"]', 'id'), makeRef('aws_route_table.private["b"]', 'id')]);
  });

  it('resolve Terraform 0.12 listings, which name only the resource an id is read from', async () => {
    const v = await values(
      {
        resources: [at('aws_subnet', 'a'), at('aws_subnet', 'b'), withUnknown({ address: 'aws_elb.web', type: 'aws_elb', name: 'web' }, 'subnets')],
        configuration: { root_module: { resources: [configResource('aws_elb.web', { subnets: refs('aws_subnet.a', 'aws_subnet.b') })] } },
      },
      'aws_elb.web',
    );
    expect(v['subnets']).toEqual([makeRef('aws_subnet.a', 'id'), makeRef('aws_subnet.b', 'id')]);
  });
});

describe('reasons and notes', () => {
  it('name the module variables and outputs a value came through', async () => {
    const v = await values(
      {
        resources: [
          at('aws_route_table', 'a', undefined, 'module.network'),
          withUnknown({ address: 'module.endpoints.aws_vpc_endpoint.s3', type: 'aws_vpc_endpoint', name: 's3', module: 'module.endpoints' }, 'route_table_ids'),
        ],
        configuration: {
          root_module: {
            module_calls: {
              network: {
                source: './network',
                module: {
                  outputs: { tables: { expression: refs('aws_route_table.a.id', 'aws_route_table.a', 'var.extra') } },
                  resources: [configResource('aws_route_table.a', {})],
                },
              },
              endpoints: {
                source: './endpoints',
                expressions: { route_table_ids: refs('module.network.tables', 'module.network') },
                module: { resources: [configResource('aws_vpc_endpoint.s3', { route_table_ids: refs('var.route_table_ids') })] },
              },
            },
          },
        },
      },
      'module.endpoints.aws_vpc_endpoint.s3',
    );
    expect(reason(v['route_table_ids'])).toBe(
      'route_table_ids of module.endpoints.aws_vpc_endpoint.s3 (through var.route_table_ids, module.network.tables) comes from var.extra, which the call of module.network does not set',
    );
  });

  it('are one note per resource block and argument, at the .tf attribute when the files are there', async () => {
    const tf = [
      'resource "aws_subnet" "a" {',
      '  count  = 2',
      '  vpc_id = data.aws_vpc.shared.id',
      '}',
      '',
      'data "aws_vpc" "shared" {',
      '  default = true',
      '}',
      '',
    ].join('\n');
    const plan: TestPlan = {
      resources: [
        { address: 'data.aws_vpc.shared', mode: 'data', type: 'aws_vpc', name: 'shared', unknown: { id: true } },
        withUnknown(at('aws_subnet', 'a', 0), 'vpc_id'),
        withUnknown(at('aws_subnet', 'a', 1), 'vpc_id'),
      ],
      configuration: {
        root_module: {
          resources: [
            configResource('aws_subnet.a', { vpc_id: idOf('data.aws_vpc.shared') }, { count_expression: constant(2) }),
            configResource('data.aws_vpc.shared', { default: constant(true) }),
          ],
        },
      },
    };
    const withFiles = await load(plan, tmpTree({ 'main.tf': tf, 'plan.json': planText(plan) }));
    expect(withFiles.diagnostics).toEqual([
      {
        severity: 'note',
        code: 'tfplan-unresolved-link',
        file: 'main.tf',
        line: lineOf(tf, 'vpc_id = data.aws_vpc.shared.id'),
        column: 3,
        message:
          'vpc_id of aws_subnet.a[0] refers to data.aws_vpc.shared.id, which is read from AWS during apply. The link is left unknown here and in aws_subnet.a[1]; rules that depend on it do not decide on it.',
      },
    ]);
    const alone = await load(plan);
    const text = planText(plan);
    const configStart = lineOf(text, '"configuration"');
    const line = text.split('\n').findIndex((l, i) => i >= configStart && l.includes('"vpc_id": {')) + 1;
    expect(alone.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ['tfplan-configuration-files-not-found', 'plan.json', lineOf(text, '"planned_values"')],
      ['tfplan-unresolved-link', 'plan.json', line],
    ]);
  });

  it('are not given for arguments that link nothing, nor for resources the configuration does not describe', async () => {
    const plan = await load({
      resources: [
        withUnknown({ address: 'aws_kms_alias.a', type: 'aws_kms_alias', name: 'a' }, 'target_key_id'),
        withUnknown({ address: 'aws_subnet.b', type: 'aws_subnet', name: 'b' }, 'vpc_id'),
      ],
      configuration: { root_module: { resources: [configResource('aws_kms_alias.a', { target_key_id: refs('aws_kms_key.k') })] } },
    });
    expect(plan.diagnostics.map((d) => d.code)).not.toContain('tfplan-unresolved-link');
  });
});
