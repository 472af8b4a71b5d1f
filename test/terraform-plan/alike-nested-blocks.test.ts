import { describe, expect, it } from 'vitest';
import { isUnknown, makeRef, type Value } from '../../src/source/value.js';
import { loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import { tmpTree } from '../helpers/tmp-tree.js';
import { configResource, constant, idOf, planText, refs, type TestPlan } from './build-plan.js';

/*
 * Nested blocks the plan shows alike: a load balancer's `subnet_mapping` blocks whose `subnet_id` is known only after
 * apply look the same in `planned_values`, so no constant tells which configuration block each came from. When every
 * element looks the same, any pairing gives the same set of blocks, and the subnets resolve.
 */

const root = tmpTree({ 'README.md': 'plans only\n' });

async function values(p: TestPlan, address: string): Promise<Record<string, Value>> {
  const plan = await loadTerraformPlan('plan.json', planText(p), { scanRoot: root });
  const i = plan.instances.find((x) => x.address === address);
  if (!i) throw new Error(`${address} not loaded: ${JSON.stringify(plan.diagnostics)}`);
  return i.values;
}

const subnet = (name: string) => ({ address: `aws_subnet.${name}`, type: 'aws_subnet', name, values: { cidr_block: '10.0.0.0/24' }, unknown: { id: true } });
const mapping = { allocation_id: '', ipv6_address: '', private_ipv4_address: '' };
const lb = (planned: Array<Record<string, unknown>>, config: Array<Record<string, unknown>>): TestPlan => ({
  resources: [
    subnet('a'),
    subnet('b'),
    {
      address: 'aws_lb.nlb',
      type: 'aws_lb',
      name: 'nlb',
      values: { load_balancer_type: 'network', subnet_mapping: planned },
      unknown: { arn: true, subnets: true, subnet_mapping: planned.map(() => ({ outpost_id: true, subnet_id: true })) },
    },
  ],
  configuration: { root_module: { resources: [configResource('aws_lb.nlb', { load_balancer_type: constant('network'), subnet_mapping: config })] } },
});
const subnetIds = (v: Record<string, Value>) => (v['subnet_mapping'] as Array<Record<string, Value>>).map((m) => m['subnet_id']);

describe('nested blocks the plan shows alike', () => {
  it('pair with the configuration blocks in order, giving every subnet of the mappings', async () => {
    const v = await values(lb([mapping, mapping], [{ subnet_id: idOf('aws_subnet.a') }, { subnet_id: idOf('aws_subnet.b') }]), 'aws_lb.nlb');
    expect(new Set(subnetIds(v))).toEqual(new Set([makeRef('aws_subnet.a', 'id'), makeRef('aws_subnet.b', 'id')]));
  });

  it('stay unknown when the planned elements differ and no constant says which block is which', async () => {
    const v = await values(
      lb(
        [
          { ...mapping, private_ipv4_address: '10.0.0.10' },
          { ...mapping, private_ipv4_address: '10.0.1.10' },
        ],
        [
          { subnet_id: idOf('aws_subnet.a'), private_ipv4_address: refs('var.ip_a') },
          { subnet_id: idOf('aws_subnet.b'), private_ipv4_address: refs('var.ip_b') },
        ],
      ),
      'aws_lb.nlb',
    );
    for (const id of subnetIds(v)) {
      expect(isUnknown(id)).toBe(true);
      if (isUnknown(id)) expect(id.reason).toContain('cannot be told apart from the others in the plan');
    }
  });

  it('stay unknown when the plan has more elements than the configuration has blocks (a dynamic block beside them)', async () => {
    const v = await values(lb([mapping, mapping, mapping], [{ subnet_id: idOf('aws_subnet.a') }, { subnet_id: idOf('aws_subnet.b') }]), 'aws_lb.nlb');
    expect(subnetIds(v).every((id) => isUnknown(id))).toBe(true);
  });
});
