import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTerraformGraph } from '../../src/graph/terraform/build.js';
import { loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';

const CASE = sharedPath('corpus', 'checkov-tfplan-vpce-policy');
const PLAN = path.join(CASE, 'tfplan.json');

describe('corpus: checkov-tfplan-vpce-policy', () => {
  if (!sharedAvailable('the corpus plan', PLAN)) return;

  it('reads the plan without throwing and finds its aws_vpc_endpoint', async () => {
    const plan = await loadTerraformPlan('tfplan.json', readFileSync(PLAN, 'utf8'), { scanRoot: CASE });
    const endpoint = plan.instances.find((i) => i.type === 'aws_vpc_endpoint');
    expect(endpoint).toBeDefined();
    expect(endpoint!.address).toBe('aws_vpc_endpoint.test');
    expect(endpoint!.block.file).toBe('tfplan.json');
    expect(typeof endpoint!.values['policy']).toBe('string');
    // The sample has no format_version: read as 1.x, with a warning.
    expect(plan.diagnostics.map((d) => d.code)).toContain('tfplan-no-format-version');
    expect(() => buildTerraformGraph(plan)).not.toThrow();
    expect(buildTerraformGraph(plan).getKind('aws_vpc_endpoint.test', 'vpc-endpoint')).toBeDefined();
  });
});
