import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/engine/scan.js';
import { regionOfZone } from '../../src/sim/routing.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const FIXTURES = path.resolve(__dirname, '../../fixtures/rules/VPCE101/cloudformation-yaml');
const bad = readFileSync(path.join(FIXTURES, 'bad-nat-no-endpoint/template.yaml'), 'utf8');
const good = readFileSync(path.join(FIXTURES, 'good-endpoint-on-private-table/template.yaml'), 'utf8');

async function findings(template: string) {
  const result = await scan({ paths: [tmpTree({ 'template.yaml': template })] });
  return result.findings.filter((f) => f.ruleId === 'VPCE101');
}

describe('where a template deployed to any region can really be deployed', () => {
  it('names the parent region of availability zones and local zones', () => {
    expect(regionOfZone('us-east-1a')).toBe('us-east-1');
    expect(regionOfZone('us-west-2-lax-1a')).toBe('us-west-2');
    expect(regionOfZone('eu-west-1')).toBeUndefined();
    expect(regionOfZone('use1-az1')).toBeUndefined();
  });

  it('evaluates every region when nothing in the template pins one', async () => {
    const [f] = await findings(bad);
    expect(f!.message).toMatch(/in every one of the \d+ regions of the bundled data, wherever the template is deployed/);
  });

  it('is pinned by a gateway endpoint whose service names a region: AWS makes gateway endpoints in the VPC region only', async () => {
    const pinned = good.replace('!Sub com.amazonaws.${AWS::Region}.s3', 'com.amazonaws.us-east-1.s3');
    expect(pinned).not.toBe(good);
    expect(await findings(pinned)).toEqual([]);
  });

  it('is pinned by a literal availability zone', async () => {
    const [f] = await findings(bad.replaceAll('!Select [0, !GetAZs ""]', 'eu-west-1a'));
    expect(f!.message).toContain('NAT gateway data processing in eu-west-1 costs');
    expect(f!.message).not.toContain('regions of the bundled data');
  });

  it('is limited to the keys of a mapping looked up by AWS::Region', async () => {
    const mapped = bad
      .replace('Resources:', 'Mappings:\n  Cidrs:\n    eu-west-1: { Vpc: 10.0.0.0/16 }\n    eu-central-1: { Vpc: 10.0.0.0/16 }\nResources:')
      .replace('CidrBlock: 10.0.0.0/16', 'CidrBlock: !FindInMap [Cidrs, !Ref AWS::Region, Vpc]');
    const [f] = await findings(mapped);
    expect(f!.message).toContain('in every one of the 2 regions of the bundled data the template can be deployed to');
    expect(f!.message).not.toContain('wherever the template is deployed');
  });

  it('stays silent when the pins contradict each other (no region can deploy the template)', async () => {
    const contradict = bad.replace('!Select [0, !GetAZs ""]', 'eu-west-1a').replace('!Select [0, !GetAZs ""]', 'us-east-1a');
    expect(await findings(contradict)).toEqual([]);
  });
});
