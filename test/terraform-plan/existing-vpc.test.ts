import { describe, expect, it } from 'vitest';
import { makeRef } from '../../src/source/value.js';
import { analyse, byAddress, fixtureText, lineOf, loadPlanOnly } from './helpers.js';

const NAME = 'existing-vpc';

describe('a plan over resources that already exist (known ids)', () => {
  it('links a literal id to the one planned instance that has it', async () => {
    const i = byAddress(await loadPlanOnly(NAME));
    expect(i.get('aws_subnet.private')!.values['vpc_id']).toBe(makeRef('aws_vpc.main', 'id'));
    expect(i.get('aws_route_table_association.private')!.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.private', 'id'),
      route_table_id: makeRef('aws_route_table.private', 'id'),
    });
    const route = (i.get('aws_route_table.private')!.values['route'] as Array<Record<string, unknown>>)[0]!;
    expect(route['nat_gateway_id']).toBe(makeRef('aws_nat_gateway.main', 'id'));
    // An instance's own id stays what the plan says.
    expect(i.get('aws_vpc.main')!.values['id']).toBe('vpc-0a1b2c3d4e5f60718');
    expect(i.get('aws_nat_gateway.main')!.values['allocation_id']).toBe('eipalloc-0a1b2c3d4e5f60718');
  });

  it('keeps the id of a VPC the plan does not manage as a literal string', async () => {
    const plan = await loadPlanOnly(NAME);
    expect(byAddress(plan).get('aws_subnet.shared')!.values['vpc_id']).toBe('vpc-0fedcba9876543210');
    const { graph } = analyse(plan);
    expect(graph.getKind('aws_subnet.shared', 'subnet')!.vpc).toBeUndefined();
    expect(graph.getKind('aws_subnet.private', 'subnet')!.vpc).toBe('aws_vpc.main');
  });

  it('reads data sources that were read while planning from the prior state', async () => {
    const pl = byAddress(await loadPlanOnly(NAME)).get('data.aws_prefix_list.s3')!;
    expect(pl).toMatchObject({ mode: 'data', type: 'aws_prefix_list', name: 's3' });
    expect(pl.values['name']).toBe('com.amazonaws.eu-west-1.s3');
    expect(pl.block.headerSpan.start.line).toBeGreaterThan(lineOf(fixtureText(NAME), '"prior_state"'));
  });

  it('reports the existing private route table that sends S3 traffic to the NAT gateway', async () => {
    const { findings } = analyse(await loadPlanOnly(NAME));
    const s3 = findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3).toHaveLength(1);
    expect(s3[0]!.location.address).toBe('aws_route_table.private');
    expect(s3[0]!.location.span.start.line).toBe(lineOf(fixtureText(NAME), '"address": "aws_route_table.private"'));
  });
});
