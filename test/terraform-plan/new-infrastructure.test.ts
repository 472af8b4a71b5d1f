import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import type { Finding } from '../../src/source/findings.js';
import { isUnknown, makeRef, type Value } from '../../src/source/value.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { analyse, byAddress, FIXTURES, fixtureText, lineOf, loadPlanOnly, loadWithConfiguration } from './helpers.js';

/**
 * Plans of infrastructure that does not exist yet: every id is known only after apply, so routes, associations, NAT
 * gateways and endpoints are linked through the references of the plan's configuration section, and what cannot be
 * proved is left unknown with a reason and a note.
 */

/** Scans a fixture with its `.tf` files, or its plan alone in a directory of its own. */
async function scanFixture(name: string, planOnly = false) {
  const dir = planOnly ? tmpTree({ 'plan.json': fixtureText(name) }) : path.join(FIXTURES, name);
  return scan({ paths: [dir], root: dir, today: '2026-06-01' });
}

const s3ViaNat = (findings: Finding[]) => findings.filter((f) => f.ruleId === 'VPCE101');
const summary = (f: Finding) => [f.location.address, f.location.file, f.location.span.start.line];
const codes = (d: Diagnostic[]) => d.map((x) => x.code);
const reason = (v: Value | undefined) => (isUnknown(v) ? v.reason : `not unknown: ${JSON.stringify(v)}`);

/** The 1-based line of the first `needle` after line `from`. */
function lineAfter(text: string, from: number, needle: string): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i + 1;
  throw new Error(`"${needle}" not found after line ${from}`);
}

/** The line of a resource instance's `"address"` in planned_values (the first place the plan names it). */
const plannedLine = (name: string, address: string) => lineOf(fixtureText(name), `"address": ${JSON.stringify(address)},`);

describe('the count idiom in the root module (count-root)', () => {
  const NAME = 'count-root';
  const tableLine = lineOf(fixtureText(NAME, 'main.tf'), 'resource "aws_route_table" "private"');

  it('links each route, association and NAT gateway to the instance with the same count.index', async () => {
    const i = byAddress(await loadPlanOnly(NAME));
    expect(i.get('aws_route.private_nat[1]')!.values).toMatchObject({
      route_table_id: makeRef('aws_route_table.private[1]', 'id'),
      nat_gateway_id: makeRef('aws_nat_gateway.this[1]', 'id'),
      destination_cidr_block: '0.0.0.0/0',
    });
    expect(i.get('aws_route_table_association.private[0]')!.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.private[0]', 'id'),
      route_table_id: makeRef('aws_route_table.private[0]', 'id'),
    });
    expect(i.get('aws_nat_gateway.this[1]')!.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.public[1]', 'id'),
      allocation_id: makeRef('aws_eip.nat[1]', 'id'),
    });
    const { graph } = analyse(await loadPlanOnly(NAME));
    expect(graph.getKind('aws_route.private_nat[1]', 'route')).toMatchObject({
      routeTable: 'aws_route_table.private[1]',
      target: { kind: 'nat', node: 'aws_nat_gateway.this[1]' },
    });
    expect(graph.associations.filter((a) => a.subnet === 'aws_subnet.private[1]').map((a) => a.routeTable)).toEqual(['aws_route_table.private[1]']);
  });

  it('reports VPCE101 for each private route table, at the .tf block when the files are beside the plan', async () => {
    const result = await scanFixture(NAME);
    const found = s3ViaNat(result.findings);
    expect(found.map(summary)).toEqual([
      ['aws_route_table.private[0]', 'main.tf', tableLine],
      ['aws_route_table.private[1]', 'main.tf', tableLine],
    ]);
    expect(found.every((f) => f.messageId === 'viaNat' && f.level === 'warning')).toBe(true);
    expect(found[1]!.message).toContain('aws_subnet.private[1]');
    expect(found[1]!.message).toContain('NAT gateway aws_nat_gateway.this[1]');
    expect(codes(result.diagnostics)).not.toContain('tfplan-unresolved-link');
  });

  it('reports the same from the plan alone, pointing into the plan JSON', async () => {
    const result = await scanFixture(NAME, true);
    expect(s3ViaNat(result.findings).map(summary)).toEqual([
      ['aws_route_table.private[0]', 'plan.json', plannedLine(NAME, 'aws_route_table.private[0]')],
      ['aws_route_table.private[1]', 'plan.json', plannedLine(NAME, 'aws_route_table.private[1]')],
    ]);
    expect(codes(result.diagnostics)).toEqual(['tfplan-configuration-files-not-found']);
  });
});

describe('the count idiom inside a for_each module (for-each-module)', () => {
  const NAME = 'for-each-module';
  const tableLine = lineOf(fixtureText(NAME, 'modules/net/main.tf'), 'resource "aws_route_table" "private"');

  it('resolves references relative to each module instance', async () => {
    const i = byAddress(await loadPlanOnly(NAME));
    expect(i.get('module.net["b"].aws_route.private_nat[0]')!.values).toMatchObject({
      route_table_id: makeRef('module.net["b"].aws_route_table.private[0]', 'id'),
      nat_gateway_id: makeRef('module.net["b"].aws_nat_gateway.this[0]', 'id'),
    });
    expect(i.get('module.net["a"].aws_route_table_association.private[1]')!.values).toMatchObject({
      subnet_id: makeRef('module.net["a"].aws_subnet.private[1]', 'id'),
      route_table_id: makeRef('module.net["a"].aws_route_table.private[1]', 'id'),
    });
  });

  for (const planOnly of [false, true]) {
    it(`reports VPCE101 in every module instance (${planOnly ? 'plan alone' : 'with the .tf files'})`, async () => {
      const result = await scanFixture(NAME, planOnly);
      const tables = ['module.net["a"].aws_route_table.private[0]', 'module.net["a"].aws_route_table.private[1]', 'module.net["b"].aws_route_table.private[0]'];
      expect(s3ViaNat(result.findings).map(summary)).toEqual(
        tables.map((t) => (planOnly ? [t, 'plan.json', plannedLine(NAME, t)] : [t, 'modules/net/main.tf', tableLine])),
      );
      expect(codes(result.diagnostics)).not.toContain('tfplan-unresolved-link');
    });
  }
});

describe('the count idiom in a nested module (nested-module)', () => {
  const NAME = 'nested-module';
  const M = 'module.outer.module.inner';

  it('resolves references inside module.outer.module.inner', async () => {
    const i = byAddress(await loadPlanOnly(NAME));
    expect(i.get(`${M}.aws_route.private_nat[0]`)!.values).toMatchObject({
      route_table_id: makeRef(`${M}.aws_route_table.private[0]`, 'id'),
      nat_gateway_id: makeRef(`${M}.aws_nat_gateway.this[0]`, 'id'),
    });
    expect(i.get(`${M}.aws_subnet.private[1]`)!.values['vpc_id']).toBe(makeRef(`${M}.aws_vpc.this`, 'id'));
  });

  it('reports VPCE101 at the inner module block, with both module calls in the call chain', async () => {
    const result = await scanFixture(NAME);
    const line = lineOf(fixtureText(NAME, 'modules/inner/main.tf'), 'resource "aws_route_table" "private"');
    expect(s3ViaNat(result.findings).map(summary)).toEqual([
      [`${M}.aws_route_table.private[0]`, 'modules/inner/main.tf', line],
      [`${M}.aws_route_table.private[1]`, 'modules/inner/main.tf', line],
    ]);
    const table = byAddress(await loadWithConfiguration(NAME)).get(`${M}.aws_route_table.private[0]`)!;
    expect(table.callChain.map((b) => [b.labels[0], b.file])).toEqual([
      ['outer', 'main.tf'],
      ['inner', 'modules/outer/main.tf'],
    ]);
    expect(s3ViaNat((await scanFixture(NAME, true)).findings)).toHaveLength(2);
  });
});

describe('a splat on an S3 gateway endpoint (splat-endpoint)', () => {
  const NAME = 'splat-endpoint';

  it('associates the endpoint with every instance of the splatted route table', async () => {
    const plan = await loadPlanOnly(NAME);
    expect(byAddress(plan).get('aws_vpc_endpoint.s3')!.values['route_table_ids']).toEqual([
      makeRef('aws_route_table.private[0]', 'id'),
      makeRef('aws_route_table.private[1]', 'id'),
    ]);
    const endpoint = analyse(plan).graph.getKind('aws_vpc_endpoint.s3', 'vpc-endpoint')!;
    expect(endpoint.routeTables).toEqual(['aws_route_table.private[0]', 'aws_route_table.private[1]']);
    expect(endpoint.routeTablesIncomplete).toBe(false);
  });

  for (const planOnly of [false, true]) {
    it(`reports no VPCE101: the private route tables carry the endpoint (${planOnly ? 'plan alone' : 'with the .tf files'})`, async () => {
      const result = await scanFixture(NAME, planOnly);
      expect(s3ViaNat(result.findings)).toEqual([]);
      expect(result.diagnostics.filter((d) => d.code === 'rule-undecided' || d.code === 'tfplan-unresolved-link')).toEqual([]);
    });
  }
});

describe('counts the plan cannot align (count-mismatch)', () => {
  // Routes and associations are counted by the private subnets, route tables and NAT gateways by the AZs: both expand
  // to two instances, but nothing in the plan says that `aws_route_table.private[count.index]` is the table with the
  // route's own index rather than any other function of it.
  const NAME = 'count-mismatch';
  const text = fixtureText(NAME);
  const configLine = (resource: string, attribute: string) => lineAfter(text, lineOf(text, `"address": "${resource}",`), `"${attribute}": {`);

  it('leaves the links unknown, saying which reference and why', async () => {
    const i = byAddress(await loadPlanOnly(NAME));
    const route = i.get('aws_route.private_nat[1]')!.values;
    expect(reason(route['route_table_id'])).toBe(
      "route_table_id of aws_route.private_nat[1] refers to aws_route_table.private[count.index], whose count differs from aws_route.private_nat's",
    );
    expect(reason(route['nat_gateway_id'])).toBe(
      "nat_gateway_id of aws_route.private_nat[1] refers to aws_nat_gateway.this[count.index], whose count differs from aws_route.private_nat's",
    );
    const association = i.get('aws_route_table_association.private[0]')!.values;
    expect(reason(association['route_table_id'])).toBe(
      "route_table_id of aws_route_table_association.private[0] refers to aws_route_table.private[count.index], whose count differs from aws_route_table_association.private's",
    );
    // The subnets are counted as the associations are: that link is proved.
    expect(association['subnet_id']).toBe(makeRef('aws_subnet.private[0]', 'id'));
  });

  it('reports no VPCE101 from the plan alone, and one note per unresolved link at its configuration entry', async () => {
    const result = await scanFixture(NAME, true);
    expect(s3ViaNat(result.findings)).toEqual([]);
    const notes = result.diagnostics.filter((d) => d.code === 'tfplan-unresolved-link');
    expect(notes.map((d) => [d.severity, d.file, d.line])).toEqual([
      ['note', 'plan.json', configLine('aws_route.private_nat', 'nat_gateway_id')],
      ['note', 'plan.json', configLine('aws_route.private_nat', 'route_table_id')],
      ['note', 'plan.json', configLine('aws_route_table_association.private', 'route_table_id')],
    ]);
    expect(notes[1]!.message).toBe(
      "route_table_id of aws_route.private_nat[0] refers to aws_route_table.private[count.index], whose count differs from aws_route.private_nat's. The link is left unknown here and in aws_route.private_nat[1]; rules that depend on it do not decide on it.",
    );
    // VPCE101 stays silent about the private subnets and says so.
    expect(result.diagnostics.filter((d) => d.code === 'rule-undecided' && d.rule === 'VPCE101').map((d) => d.resource)).toEqual(
      expect.arrayContaining(['aws_subnet.private[0]', 'aws_subnet.private[1]']),
    );
  });

  it('is decided when the .tf files are beside the plan: the expression written there proves the index', async () => {
    const plan = await loadWithConfiguration(NAME);
    expect(byAddress(plan).get('aws_route.private_nat[1]')!.values['route_table_id']).toBe(makeRef('aws_route_table.private[1]', 'id'));
    expect(codes(plan.diagnostics)).not.toContain('tfplan-unresolved-link');
    const result = await scanFixture(NAME);
    expect(s3ViaNat(result.findings).map((f) => f.location.address)).toEqual(['aws_route_table.private[0]', 'aws_route_table.private[1]']);
  });
});
