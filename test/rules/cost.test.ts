import { describe, expect, it } from 'vitest';
import { natCostSentence, natCostSentenceForRegions } from '../../rules/shared/cost.js';
import { natProcessingPrice } from '../../src/facts/aws-data.js';

describe('NAT processing cost sentences', () => {
  it('gives the rate of one known region, per GB and per TB of 1,024 GB', () => {
    const price = natProcessingPrice('us-east-1')!;
    expect(natCostSentence('us-east-1')).toContain(`costs $${price.perGb} per GB, $${(price.perGb * 1024).toFixed(2)} a month for each TB (1,024 GB)`);
    expect(natCostSentenceForRegions(['us-east-1'], 1)).toBe(natCostSentence('us-east-1'));
  });

  it('says a template deployed anywhere is affected everywhere, or names the affected regions', () => {
    expect(natCostSentenceForRegions(['us-east-1', 'eu-west-1'], 2)).toMatch(
      /^This holds in every one of the 2 regions of the bundled data, wherever the template is deployed; /,
    );
    expect(natCostSentenceForRegions(['us-east-1', 'eu-west-1'], 5)).toContain('in 2 of the 5 regions of the bundled data (us-east-1, eu-west-1), wherever');
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].map((x) => `us-${x}-1`);
    expect(natCostSentenceForRegions(many, 20)).toContain('(us-a-1, us-b-1, us-c-1, us-d-1, us-e-1, us-f-1, us-g-1, us-h-1 and 2 more)');
  });

  it('speaks of the regions a template can be deployed to when the template limits them', () => {
    const s = natCostSentenceForRegions(['eu-west-1', 'eu-central-1'], 2, true);
    expect(s).toMatch(/^This holds in every one of the 2 regions of the bundled data the template can be deployed to; /);
    expect(s).not.toContain('wherever');
  });
});
