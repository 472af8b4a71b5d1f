import { describe, expect, it } from 'vitest';
import { isCrossRegionService, parseServiceName } from '../../src/facts/aws-data.js';
import { gatewayServiceSuffixes, nearestSuffix, serviceNameVerdict } from '../../src/facts/endpoint-service-names.js';

const verdict = (name: string) => serviceNameVerdict(parseServiceName(name), name);

describe('endpoint service names', () => {
  it('lists the services of both endpoint types', () => {
    expect(verdict('com.amazonaws.us-east-1.s3')).toMatchObject({ kind: 'listed', gateway: true, interface: true });
    expect(verdict('com.amazonaws.us-east-1.dynamodb')).toMatchObject({ kind: 'listed', gateway: true, interface: true });
    expect(verdict('com.amazonaws.us-east-1.s3express')).toMatchObject({ kind: 'listed', gateway: true, interface: false });
    expect(verdict('com.amazonaws.eu-west-1.sqs')).toMatchObject({ kind: 'listed', gateway: false, interface: true });
    expect(gatewayServiceSuffixes()).toEqual(['s3', 'dynamodb', 's3express']);
  });

  it('knows the other name forms: China, aws.api, aws.sagemaker, FIPS, global and partner services', () => {
    expect(verdict('cn.com.amazonaws.cn-north-1.ecr.api')).toMatchObject({ kind: 'listed', interface: true });
    expect(verdict('aws.api.us-east-1.freetier')).toMatchObject({ kind: 'listed', interface: true });
    expect(verdict('aws.sagemaker.us-east-1.notebook')).toMatchObject({ kind: 'listed', interface: true });
    expect(verdict('com.amazonaws.us-east-1.sqs-fips')).toMatchObject({ kind: 'listed', interface: true });
    expect(verdict('com.amazonaws.us-east-1.kms-fips')).toMatchObject({ kind: 'listed', interface: true });
    expect(verdict('com.amazonaws.s3-global.accesspoint')).toEqual({ kind: 'global', service: 's3-global.accesspoint' });
    expect(verdict('com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0').kind).toBe('endpoint-service');
  });

  it('rules out a name only where the service documents every name it offers', () => {
    expect(verdict('com.amazonaws.eu-west-1.sqs-fifo')).toMatchObject({ kind: 'not-offered', family: 'sqs', offered: ['sqs', 'sqs-fips'], suggestion: 'sqs' });
    expect(verdict('com.amazonaws.eu-west-1.kms-fip')).toMatchObject({ kind: 'not-offered', suggestion: 'kms-fips' });
    // Not a name of the SQS family (no separator after sqs): unverified, not wrong.
    expect(verdict('com.amazonaws.eu-west-1.sqsfifo')).toMatchObject({ kind: 'unlisted' });
  });

  it('leaves an unlisted name unverified, naming the listed name a typo away', () => {
    expect(verdict('com.amazonaws.eu-west-1.secretmanager')).toMatchObject({ kind: 'unlisted', nearest: 'secretsmanager' });
    expect(verdict('com.amazonaws.eu-west-1.brand-new-service')).toEqual({
      kind: 'unlisted',
      name: parseServiceName('com.amazonaws.eu-west-1.brand-new-service'),
    });
    expect(verdict('com.amazonaws.sqs')).toEqual({ kind: 'unlisted', name: undefined });
    // An aws.api name the data does not pair with that prefix is unverified too.
    expect(verdict('aws.api.us-east-1.sqs').kind).toBe('unlisted');
    expect(nearestSuffix('ecr.dkrr')).toBe('ecr.dkr');
    expect(nearestSuffix('zzzz')).toBeUndefined();
  });

  it('knows the services enabled for cross-region PrivateLink, as the AWS page lists them', () => {
    for (const s of ['s3', 'ecr.api', 'ecr.dkr', 'kms', 'kms-fips', 'ecs', 'lambda', 'kinesis-firehose', 'kinesisanalytics', 'kinesisanalytics-fips'])
      expect(isCrossRegionService(s), s).toBe(true);
    for (const s of ['sqs', 'secretsmanager', 'dynamodb', 'logs']) expect(isCrossRegionService(s), s).toBe(false);
  });
});
