import { describe, expect, it } from 'vitest';
import { compareZones, knownZone, zoneLabel } from '../../src/sim/availability-zones.js';
import { SYMBOLIC_REGION } from '../../src/source/region.js';
import { unknown } from '../../src/source/value.js';

const symbolic = (letter: string) => `${SYMBOLIC_REGION}${letter}`;

describe('compareZones', () => {
  it.each([
    ['us-east-1a', 'us-east-1a', true],
    ['us-east-1a', 'us-east-1b', false],
    ['use1-az1', 'use1-az1', true],
    ['use1-az1', 'use1-az2', false],
    ['us-east-1-bos-1a', 'us-east-1a', false],
    ['us-gov-west-1a', 'us-gov-west-1b', false],
    [symbolic('a'), symbolic('a'), true],
    [symbolic('a'), symbolic('b'), false],
    // Different letters are different zones whatever the region turns out to be.
    [symbolic('a'), 'eu-west-1b', false],
  ])('%s and %s: same is %s', (a, b, same) => {
    expect(compareZones(a, b)).toEqual({ same });
  });

  it('cannot compare a zone name with a zone id: the mapping differs per account', () => {
    const r = compareZones('us-east-1a', 'use1-az1');
    expect(r.same).toBe('unknown');
    expect(r.same === 'unknown' && r.reason).toContain('map to each other differently in every account');
  });

  it('cannot tell a symbolic name from a concrete one with the same letter: it depends on the region', () => {
    const r = compareZones(symbolic('a'), 'us-east-1a');
    expect(r).toEqual({ same: 'unknown', reason: '${AWS::Region}a and us-east-1a are the same zone only if the template is deployed to that region' });
  });

  it('does not guess about strings that are neither names nor ids', () => {
    expect(compareZones('zone-one', 'zone-two').same).toBe('unknown');
  });
});

describe('knownZone and zoneLabel', () => {
  it('reads a zone, an Unknown with its reason, and an absent zone as AWS’s choice', () => {
    expect(knownZone('us-east-1a')).toEqual({ zone: 'us-east-1a' });
    expect(knownZone(unknown('variable az has no value'))).toEqual({ unknown: 'variable az has no value' });
    expect(knownZone(undefined)).toEqual({ unknown: 'AWS picks its Availability Zone' });
  });

  it('writes the symbolic region as CloudFormation does', () => {
    expect(zoneLabel(symbolic('b'))).toBe('${AWS::Region}b');
  });
});
