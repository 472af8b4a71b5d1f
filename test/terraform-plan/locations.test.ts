import { describe, expect, it } from 'vitest';
import { makeRef } from '../../src/source/value.js';
import { analyse, byAddress, fixtureText, lineOf, loadPlanOnly, loadWithConfiguration } from './helpers.js';

const NAME = 'nat-private-subnet';

describe('a plan with its .tf files (NAT gateway, private subnet, no S3 endpoint)', () => {
  it('reads every planned instance with the region of its provider configuration', async () => {
    const plan = await loadWithConfiguration(NAME);
    expect(plan.diagnostics).toEqual([]);
    expect(plan.planFile).toBe('plan.json');
    expect(plan.dir).toBe('.');
    expect(plan.files).toEqual(['main.tf', 'plan.json']);
    expect(plan.unknownExpansions).toEqual([]);
    expect(plan.instances.map((i) => i.address).sort()).toEqual([
      'aws_eip.nat',
      'aws_internet_gateway.main',
      'aws_nat_gateway.main',
      'aws_route_table.private',
      'aws_route_table.public',
      'aws_route_table_association.private',
      'aws_route_table_association.public',
      'aws_subnet.private',
      'aws_subnet.public',
      'aws_vpc.main',
    ]);
    for (const i of plan.instances) expect(i.region).toBe('eu-west-1');
  });

  it('turns the ids known only after apply into references, as the configuration wrote them', async () => {
    const i = byAddress(await loadWithConfiguration(NAME));
    expect(i.get('aws_subnet.private')!.values['vpc_id']).toBe(makeRef('aws_vpc.main', 'id'));
    expect(i.get('aws_route_table_association.private')!.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.private', 'id'),
      route_table_id: makeRef('aws_route_table.private', 'id'),
    });
    const route = (i.get('aws_route_table.private')!.values['route'] as Array<Record<string, unknown>>)[0]!;
    expect(route['cidr_block']).toBe('0.0.0.0/0');
    expect(route['nat_gateway_id']).toBe(makeRef('aws_nat_gateway.main', 'id'));
    // The provider's "" for an unset route target reads as not set.
    expect(route['gateway_id']).toBeNull();
    // Computed attributes nobody configured are left out, so the graph applies the documented defaults.
    expect(i.get('aws_vpc.main')!.values).not.toHaveProperty('id');
    expect(i.get('aws_route_table.private')!.values).not.toHaveProperty('propagating_vgws');
  });

  it('reports VPCE101 at the aws_route_table block in the .tf file', async () => {
    const { findings, diagnostics } = analyse(await loadWithConfiguration(NAME));
    expect(diagnostics).toEqual([]);
    const s3 = findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3).toHaveLength(1);
    const line = lineOf(fixtureText(NAME, 'main.tf'), 'resource "aws_route_table" "private" {');
    expect(s3[0]!.location).toEqual({ file: 'main.tf', address: 'aws_route_table.private', span: expect.objectContaining({ start: { line, column: 1 } }) });
    expect(s3[0]!.message).toContain('aws_subnet.private');
    expect(s3[0]!.message).toContain('aws_nat_gateway.main');
    // The inline route is located at its own `route` block.
    const route = s3[0]!.related.find((r) => r.at.address === 'aws_route_table.private');
    expect(route?.at.file).toBe('main.tf');
    expect(route?.at.span.start.line).toBe(lineOf(fixtureText(NAME, 'main.tf'), 'route {', 2));
    expect(findings.filter((f) => f.ruleId !== 'VPCE101')).toEqual([]);
  });
});

describe('the same plan without its .tf files', () => {
  it('points the finding at the resource in the plan JSON', async () => {
    const plan = await loadPlanOnly(NAME);
    expect(plan.planFile).toBe('plans/plan.json');
    expect(plan.dir).toBe('plans');
    expect(plan.files).toEqual(['plans/plan.json']);
    expect(plan.diagnostics.map((d) => d.code)).toEqual(['tfplan-configuration-files-not-found']);
    const { findings } = analyse(plan);
    const s3 = findings.filter((f) => f.ruleId === 'VPCE101');
    expect(s3).toHaveLength(1);
    const text = fixtureText(NAME);
    // The first "address" of the table is its object in planned_values.
    const line = lineOf(text, '"address": "aws_route_table.private"');
    expect(line).toBeLessThan(lineOf(text, '"resource_changes"'));
    expect(s3[0]!.location.file).toBe('plans/plan.json');
    expect(s3[0]!.location.address).toBe('aws_route_table.private');
    expect(s3[0]!.location.span.start).toEqual({ line, column: 11 });
  });

  it('locates attributes and nested blocks inside the resource object', async () => {
    const plan = await loadPlanOnly(NAME);
    const table = byAddress(plan).get('aws_route_table.private')!;
    const text = fixtureText(NAME);
    const objectLine = lineOf(text, '"address": "aws_route_table.private"');
    expect(table.block.file).toBe('plans/plan.json');
    expect(table.block.labels).toEqual(['aws_route_table', 'private']);
    expect(table.block.attributes['vpc_id']!.span.start.line).toBeGreaterThan(objectLine);
    // vpc_id is known only after apply: it is found in the change's after_unknown.
    expect(table.block.attributes['vpc_id']!.span.start.line).toBeGreaterThan(lineOf(text, '"resource_changes"'));
    expect(table.nestedSpans['route']).toHaveLength(1);
    expect(table.nestedSpans['route']![0]!.start.line).toBeGreaterThan(objectLine);
    expect(table.values['route']).toEqual([expect.objectContaining({ nat_gateway_id: makeRef('aws_nat_gateway.main', 'id') })]);
  });
});
