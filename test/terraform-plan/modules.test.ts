import { describe, expect, it } from 'vitest';
import { isUnknown, makeRef } from '../../src/source/value.js';
import { analyse, byAddress, fixtureText, lineOf, loadPlanOnly, loadWithConfiguration } from './helpers.js';

const MODULES = 'modules-count-for-each';
const N = 'module.network';

describe('count, for_each and modules', () => {
  for (const [label, load] of [
    ['with the .tf files', () => loadWithConfiguration(MODULES)],
    ['from the plan alone', () => loadPlanOnly(MODULES)],
  ] as const) {
    describe(label, () => {
      it('keeps the instance addresses of the plan, with module, index and key', async () => {
        const plan = await load();
        const i = byAddress(plan);
        expect([...i.keys()]).toEqual(
          expect.arrayContaining([
            `${N}.aws_subnet.private[0]`,
            `${N}.aws_subnet.private[1]`,
            `${N}.aws_subnet.public["a"]`,
            `${N}.aws_nat_gateway.this["b"]`,
            'module.endpoints.aws_vpc_endpoint.s3',
          ]),
        );
        const subnet = i.get(`${N}.aws_subnet.public["b"]`)!;
        expect(subnet).toMatchObject({ mode: 'managed', type: 'aws_subnet', name: 'public', moduleAddress: N });
        // The provider region is var.region, whose value the plan records.
        expect(subnet.region).toBe('eu-west-1');
      });

      it('resolves X[count.index] and X[each.key] when both blocks repeat alike', async () => {
        const i = byAddress(await load());
        expect(i.get(`${N}.aws_route_table_association.private[1]`)!.values).toMatchObject({
          subnet_id: makeRef(`${N}.aws_subnet.private[1]`, 'id'),
          route_table_id: makeRef(`${N}.aws_route_table.private[1]`, 'id'),
        });
        expect(i.get(`${N}.aws_nat_gateway.this["b"]`)!.values).toMatchObject({
          subnet_id: makeRef(`${N}.aws_subnet.public["b"]`, 'id'),
          allocation_id: makeRef(`${N}.aws_eip.nat["b"]`, 'id'),
        });
        expect(i.get(`${N}.aws_route.private_nat[0]`)!.values['nat_gateway_id']).toBe(makeRef(`${N}.aws_nat_gateway.this["a"]`, 'id'));
      });

      it('follows module variables to the caller and module outputs into the module', async () => {
        const endpoint = byAddress(await load()).get('module.endpoints.aws_vpc_endpoint.s3')!;
        expect(endpoint.values['vpc_id']).toBe(makeRef(`${N}.aws_vpc.this`, 'id'));
        expect(endpoint.values['route_table_ids']).toEqual([
          makeRef(`${N}.aws_route_table.private[0]`, 'id'),
          makeRef(`${N}.aws_route_table.private[1]`, 'id'),
        ]);
      });

      it('leaves out the computed inline routes nobody configured, so the aws_route resources count', async () => {
        const plan = await load();
        expect(byAddress(plan).get(`${N}.aws_route_table.private[0]`)!.values).not.toHaveProperty('route');
        const { graph, findings } = analyse(plan);
        const endpoint = graph.getKind('module.endpoints.aws_vpc_endpoint.s3', 'vpc-endpoint')!;
        expect(endpoint.routeTables).toEqual([`${N}.aws_route_table.private[0]`, `${N}.aws_route_table.private[1]`]);
        expect(endpoint.routeTablesIncomplete).toBe(false);
        expect(graph.getKind(`${N}.aws_route.private_nat[1]`, 'route')!.target).toMatchObject({ kind: 'nat', node: `${N}.aws_nat_gateway.this["a"]` });
        // Both private tables carry the S3 gateway endpoint: nothing to report.
        expect(findings.filter((f) => f.ruleId === 'VPCE101')).toEqual([]);
      });
    });
  }

  it('names the module call in .tf files when they are there', async () => {
    const subnet = byAddress(await loadWithConfiguration(MODULES)).get(`${N}.aws_subnet.private[0]`)!;
    expect(subnet.block.file).toBe('modules/network/main.tf');
    expect(subnet.block.headerSpan.start.line).toBe(lineOf(fixtureText(MODULES, 'modules/network/main.tf'), 'resource "aws_subnet" "private"'));
    expect(subnet.callChain.map((b) => [b.type, b.labels, b.file, b.headerSpan.start.line])).toEqual([
      ['module', ['network'], 'main.tf', lineOf(fixtureText(MODULES, 'main.tf'), 'module "network"')],
    ]);
  });

  it('names the module call in the plan configuration without them', async () => {
    const plan = await loadPlanOnly(MODULES);
    const endpoint = byAddress(plan).get('module.endpoints.aws_vpc_endpoint.s3')!;
    expect(endpoint.block.file).toBe('plans/plan.json');
    expect(endpoint.callChain).toHaveLength(1);
    expect(endpoint.callChain[0]).toMatchObject({ type: 'module', labels: ['endpoints'], file: 'plans/plan.json' });
    expect(endpoint.callChain[0]!.headerSpan.start.line).toBe(lineOf(fixtureText(MODULES), '"endpoints": {'));
    const { graph } = analyse(plan);
    expect(graph.getKind('module.endpoints.aws_vpc_endpoint.s3', 'vpc-endpoint')!.callSites).toEqual([
      { file: 'plans/plan.json', span: endpoint.callChain[0]!.headerSpan, address: 'module.endpoints' },
    ]);
  });
});

describe('expressions the configuration representation cannot express', () => {
  const NAME = 'hcl-expressions';

  it('are computed from the .tf files against the planned instances', async () => {
    const plan = await loadWithConfiguration(NAME);
    expect(plan.diagnostics).toEqual([]);
    const assoc = byAddress(plan).get('aws_route_table_association.private["b"]')!;
    // subnet_id = aws_subnet.private["private-${each.key}"].id; route_table_id = aws_route_table.private[each.value].id
    expect(assoc.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.private["private-b"]', 'id'),
      route_table_id: makeRef('aws_route_table.private[1]', 'id'),
    });
    const { findings } = analyse(plan);
    const s3 = findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3.map((f) => f.location.address).sort()).toEqual(['aws_route_table.private[0]', 'aws_route_table.private[1]']);
    const line = lineOf(fixtureText(NAME, 'main.tf'), 'resource "aws_route_table" "private"');
    for (const f of s3) expect([f.location.file, f.location.span.start.line]).toEqual(['main.tf', line]);
  });

  it('stay unknown from the plan alone, and nothing is reported on a guess', async () => {
    const plan = await loadPlanOnly(NAME);
    const assoc = byAddress(plan).get('aws_route_table_association.private["b"]')!;
    const subnet = assoc.values['subnet_id'];
    const table = assoc.values['route_table_id'];
    expect(isUnknown(subnet) && subnet.reason).toMatch(/for_each differs/);
    expect(isUnknown(table) && table.reason).toBe(
      'route_table_id of aws_route_table_association.private["b"] refers to aws_route_table.private[each.value]; the plan does not show the value of each.value',
    );
    // element(aws_nat_gateway.this[*].id, count.index) is listed as aws_nat_gateway.this and count.index.
    expect(byAddress(plan).get('aws_route.private_nat[1]')!.values['nat_gateway_id']).toBe(makeRef('aws_nat_gateway.this[1]', 'id'));
    expect(analyse(plan).findings.filter((f) => f.ruleId === 'VPCE101')).toEqual([]);
  });
});
