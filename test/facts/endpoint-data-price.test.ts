import { describe, expect, it } from 'vitest';
import { interfaceEndpointDataPrice } from '../../src/facts/aws-data.js';

describe('interface endpoint data processing price', () => {
  it('gives the first-tier rate where a source shows it, with the source', () => {
    const p = interfaceEndpointDataPrice('us-east-1');
    expect(p?.perGb).toBe(0.01);
    expect(p?.source).toBe('https://aws.amazon.com/privatelink/pricing/');
    expect(p?.evidence).toContain('First 1 PB $0.01');
  });

  it('gives nothing for a region whose rate no source we read shows, and for names that are not regions', () => {
    expect(interfaceEndpointDataPrice('eu-west-1')).toBeUndefined();
    expect(interfaceEndpointDataPrice('__proto__')).toBeUndefined();
  });
});
