import { describe, expect, it } from 'vitest';
import { isUnknown } from '../../src/source/value.js';
import { cfnGraph } from './helpers.js';

const service = (acceptance: string) =>
  [
    'Resources:',
    '  Nlb:',
    '    Type: AWS::ElasticLoadBalancingV2::LoadBalancer',
    '    Properties: { Type: network, Subnets: [subnet-1, subnet-2] }',
    '  Service:',
    '    Type: AWS::EC2::VPCEndpointService',
    `    Properties: { NetworkLoadBalancerArns: [!Ref Nlb]${acceptance} }`,
    '',
  ].join('\n');

describe('CloudFormation endpoint services', () => {
  it('reads AcceptanceRequired when it is written', () => {
    expect(cfnGraph(service(', AcceptanceRequired: true')).graph.all('endpoint-service')[0]!.acceptanceRequired).toBe(true);
    expect(cfnGraph(service(', AcceptanceRequired: false')).graph.all('endpoint-service')[0]!.acceptanceRequired).toBe(false);
  });

  it('leaves an omitted AcceptanceRequired Unknown: AWS documents no default for it', () => {
    const v = cfnGraph(service('')).graph.all('endpoint-service')[0]!.acceptanceRequired;
    expect(isUnknown(v)).toBe(true);
  });
});
