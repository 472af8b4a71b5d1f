import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { makeRef } from '../../src/source/value.js';
import { loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { analyse, byAddress } from './helpers.js';

/**
 * Real `terraform show -json` output of new infrastructure, from the peer test suites kept beside the repository
 * (checkov's tfplan fixtures; see the suites' SOURCES.md). They are read in place, never copied here, and the tests skip
 * when the suites are not there.
 */

const CHECKOV = sharedPath('peer-suites', 'checkov', 'terraform');

function plan(relative: string) {
  const file = path.join(CHECKOV, relative);
  return {
    file,
    /** Registers a skipped (or, under IAC_VPCE_REQUIRE_SHARED, failing) test when the file is not there. */
    available: () => sharedAvailable('the checkov peer suite', file),
    load: () => loadTerraformPlan(path.basename(file), readFileSync(file, 'utf8'), { scanRoot: path.dirname(file) }),
  };
}

// terragoat's AWS configuration planned from scratch with Terraform 0.12.23 (format 0.1): every id is known only after
// apply, and the configuration section lists only the referenced objects (`aws_vpc.web_vpc` for `aws_vpc.web_vpc.id`).
const TERRAGOAT = plan('runner/resources/plan/tfplan.json');
// The same plan without its configuration section.
const WITHOUT_CONFIGURATION = plan('runner/tf_plan_skip_check_regex/resource/tfplan1.json');
// A trimmed copy whose planned_values keep one resource, while its configuration still refers to the others.
const TRIMMED = plan('parser/resources/plan_tags/tfplan.json');

describe('real plans: checkov runner/resources/plan/tfplan.json (terragoat, Terraform 0.12)', () => {
  if (!TERRAGOAT.available()) return;

  it('links the route, the associations and the subnets through the configuration references', async () => {
    const loaded = await TERRAGOAT.load();
    const i = byAddress(loaded);
    expect(i.get('aws_route.public_internet_gateway')!.values).toMatchObject({
      route_table_id: makeRef('aws_route_table.web_rtb', 'id'),
      gateway_id: makeRef('aws_internet_gateway.web_igw', 'id'),
      destination_cidr_block: '0.0.0.0/0',
    });
    expect(i.get('aws_route_table_association.rtbassoc2')!.values).toMatchObject({
      subnet_id: makeRef('aws_subnet.web_subnet2', 'id'),
      route_table_id: makeRef('aws_route_table.web_rtb', 'id'),
    });
    expect(i.get('aws_db_subnet_group.default')!.values['subnet_ids']).toEqual([
      makeRef('aws_subnet.web_subnet', 'id'),
      makeRef('aws_subnet.web_subnet2', 'id'),
    ]);
    expect(i.get('aws_elb.weblb')!.values['subnets']).toEqual([makeRef('aws_subnet.web_subnet', 'id')]);

    const { graph } = analyse(loaded);
    expect(graph.getKind('aws_route.public_internet_gateway', 'route')).toMatchObject({
      routeTable: 'aws_route_table.web_rtb',
      target: { kind: 'igw', node: 'aws_internet_gateway.web_igw' },
    });
    expect(graph.associations.map((a) => [a.subnet, a.routeTable]).sort()).toEqual([
      ['aws_subnet.web_subnet', 'aws_route_table.web_rtb'],
      ['aws_subnet.web_subnet2', 'aws_route_table.web_rtb'],
    ]);
    expect(graph.getKind('aws_subnet.eks_subnet1', 'subnet')!.vpc).toBe('aws_vpc.eks_vpc');
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['tfplan-configuration-files-not-found']);
  });

  it('scans without findings: the public subnets route to an internet gateway, and no NAT gateway is planned', async () => {
    const result = await scan({ paths: [TERRAGOAT.file], root: path.dirname(TERRAGOAT.file), region: 'us-west-2' });
    expect(result.findings).toEqual([]);
    expect(result.diagnostics.map((d) => d.code).filter((c) => c.startsWith('tfplan-') || c === 'rule-undecided')).toEqual([
      'tfplan-configuration-files-not-found',
    ]);
  });
});

describe('real plans: checkov tf_plan_skip_check_regex/resource/tfplan1.json (no configuration section)', () => {
  if (!WITHOUT_CONFIGURATION.available()) return;

  it('links nothing it cannot prove, says why once, and gives no note per link', async () => {
    const loaded = await WITHOUT_CONFIGURATION.load();
    const route = byAddress(loaded).get('aws_route.public_internet_gateway')!.values['route_table_id'];
    expect(route).toEqual(
      expect.objectContaining({
        reason: 'route_table_id of aws_route.public_internet_gateway is known only after apply, and the plan holds no configuration for this resource',
      }),
    );
    expect(loaded.diagnostics.map((d) => d.code)).toEqual(['tfplan-no-configuration']);
    expect(analyse(loaded).graph.all('route')).toEqual([]);
  });
});

describe('real plans: checkov parser/resources/plan_tags/tfplan.json (trimmed planned_values)', () => {
  if (!TRIMMED.available()) return;

  it('notes the reference to a resource the plan does not hold', async () => {
    const loaded = await TRIMMED.load();
    const notes = loaded.diagnostics.filter((d) => d.code === 'tfplan-unresolved-link');
    expect(notes).toHaveLength(1);
    expect(notes[0]!.message).toMatch(
      /^vpc_security_group_ids of aws_db_instance\.default lists aws_security_group\.default, which has no instance in the plan\./,
    );
    expect(notes[0]!.severity).toBe('note');
  });
});
