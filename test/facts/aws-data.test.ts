import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  dataDate,
  dataInfo,
  globalServiceName,
  interfaceServicePort,
  isCrossRegionService,
  isGatewayService,
  isKnownInterfaceService,
  isKnownRegion,
  knownRegions,
  managedPrefixList,
  natProcessingPrice,
  parseServiceName,
  prefixListById,
  prefixListsWithId,
  serviceRangeEntries,
  serviceRanges,
} from '../../src/facts/aws-data.js';
import { CidrSet } from '../../src/facts/cidr.js';
import { packageRoot } from '../../src/source/package.js';
import { resolveRoutes } from '../../src/sim/routes.js';

describe('service ranges', () => {
  it('has us-east-1 S3 with 3.5.0.0/19 and 52.216.0.0/15', () => {
    const s3 = serviceRanges('s3', 'us-east-1', 'ipv4')!;
    expect(s3.contains('3.5.0.0/19')).toBe(true);
    expect(s3.contains('52.216.0.0/15')).toBe(true);
    expect(s3.contains('8.8.8.8')).toBe(false);
    expect(serviceRangeEntries('s3', 'us-east-1', 'ipv4')).toContain('3.5.0.0/19');
    expect(s3.families()).toEqual(['ipv4']);
  });

  it('keeps the entries as published, so each competes at its own length', () => {
    const entries = serviceRangeEntries('s3', 'us-east-1', 'ipv4')!;
    expect(entries).toEqual(expect.arrayContaining(['16.15.160.0/22', '16.15.176.0/20']));
    expect(serviceRanges('s3', 'us-east-1', 'ipv4')!.toCidrs()).not.toContain('16.15.160.0/22');
  });

  it('leaves GLOBAL prefixes out of every region', () => {
    expect(serviceRanges('s3', 'GLOBAL')).toBeUndefined();
    expect(knownRegions()).not.toContain('GLOBAL');
    expect(serviceRanges('s3', 'us-east-1')!.contains('13.248.224.0/24')).toBe(false);
  });

  it('joins both families when none is named, and treats missing data as unknown, not empty', () => {
    const both = serviceRanges('s3', 'us-east-1')!;
    expect(both.families()).toEqual(['ipv4', 'ipv6']);
    expect(both.contains('2600:1fa0:8000::/39')).toBe(true);
    expect(serviceRanges('dynamodb', 'us-east-1', 'ipv6')).toBeUndefined();
    expect(serviceRanges('dynamodb', 'us-east-1')!.families()).toEqual(['ipv4']);
    expect(serviceRanges('s3', 'xx-nowhere-1')).toBeUndefined();
    expect(serviceRanges('s3express' as 's3', 'us-east-1')).toBeUndefined();
    expect(serviceRanges('s3', 'constructor')).toBeUndefined();
  });

  it('memoises', () => {
    expect(serviceRanges('s3', 'eu-west-1', 'ipv4')).toBe(serviceRanges('s3', 'eu-west-1', 'ipv4'));
  });

  it('feeds the resolver: a /20 route takes half of the /19 from the us-east-1 endpoint', () => {
    const list = managedPrefixList('us-east-1', 's3')!;
    const routes = [
      { id: 'nat', destination: { kind: 'cidr' as const, cidr: '0.0.0.0/0' } },
      { id: 'endpoint', destination: { kind: 'prefix-list' as const, cidrs: [...list.cidrs!], prefixListId: list.id! } },
      { id: 'pcx', destination: { kind: 'cidr' as const, cidr: '3.5.0.0/20' } },
    ];
    const shares = resolveRoutes(routes, serviceRanges('s3', 'us-east-1', 'ipv4')!);
    expect(shares.map((s) => s.route?.id)).toEqual(['endpoint', 'pcx']);
    expect(shares[1]!.cidrs.size()).toBe(4096n);
    const slash19 = CidrSet.fromCidrs(['3.5.0.0/19']);
    expect(shares[0]!.cidrs.intersect(slash19).size()).toBe(4096n);
  });
});

describe('managed prefix lists', () => {
  it('gives the us-east-1 S3 and DynamoDB lists with their status', () => {
    const s3 = managedPrefixList('us-east-1', 's3')!;
    expect(s3).toMatchObject({ id: 'pl-63a5400a', name: 'com.amazonaws.us-east-1.s3', service: 's3', region: 'us-east-1', verification: 'corroborated' });
    expect(s3.cidrs).toContain('3.5.0.0/19');
    expect(managedPrefixList('us-east-1', 'dynamodb')).toMatchObject({ id: 'pl-02cd2c6b', verification: 'corroborated' });
  });

  it('keys ids by region: one id names different lists in different regions', () => {
    expect(prefixListById('ap-south-1', 'pl-78a54011')).toMatchObject({ service: 's3', region: 'ap-south-1' });
    expect(prefixListById('ap-northeast-2', 'pl-78a54011')).toMatchObject({ service: 's3' });
    expect(prefixListById('ap-northeast-1', 'pl-78a54011')).toMatchObject({ service: 'dynamodb', name: 'com.amazonaws.ap-northeast-1.dynamodb' });
    expect(prefixListById('us-east-1', 'pl-78a54011')).toBeUndefined();
    expect(prefixListById('nowhere-1', 'pl-78a54011')).toBeUndefined();
    expect(prefixListsWithId('pl-78a54011').map((l) => `${l.region}/${l.service}`)).toEqual(['ap-northeast-1/dynamodb', 'ap-northeast-2/s3', 'ap-south-1/s3']);
  });

  it('flags the suspect ids and knows lists whose id is unknown', () => {
    expect(managedPrefixList('eu-south-1', 's3')).toMatchObject({ verification: 'suspect' });
    expect(managedPrefixList('eu-south-1', 's3')!.note).toMatch(/placeholder/);
    expect(managedPrefixList('af-south-1', 's3')!.verification).toBe('unverified-single-source');
    const noId = managedPrefixList('us-gov-west-1', 's3')!;
    expect(noId).toMatchObject({ id: undefined, verification: 'unknown', name: 'com.amazonaws.us-gov-west-1.s3' });
    expect(noId.cidrs!.length).toBeGreaterThan(0);
    expect(managedPrefixList('xx-nowhere-1', 's3')).toBeUndefined();
  });
});

describe('regions, dates and prices', () => {
  it('knows the regions of the data', () => {
    expect(knownRegions()).toEqual(expect.arrayContaining(['us-east-1', 'eu-west-1', 'cn-north-1', 'us-gov-west-1']));
    expect([...knownRegions()]).toEqual([...knownRegions()].sort());
    expect(isKnownRegion('us-east-1')).toBe(true);
    expect(isKnownRegion('us-east-9')).toBe(false);
  });

  it('dates the data', () => {
    expect(dataDate()).toBe('2026-08-22');
    expect(dataInfo().ipRanges).toMatchObject({ syncToken: '1787411825', createDate: '2026-08-22-15-17-05' });
    expect(dataInfo().pricing.source).toBe('https://aws.amazon.com/vpc/pricing/');
  });

  it('quotes the NAT processing price per GB and per TB, and nothing it does not know', () => {
    expect(natProcessingPrice('us-east-1')).toMatchObject({ perGb: 0.045, perTb: 46.08, currency: 'USD' });
    expect(natProcessingPrice('eu-west-1')?.perGb).toBe(0.048);
    expect(natProcessingPrice('us-west-2')).toBeUndefined();
    expect(natProcessingPrice('xx-nowhere-1')).toBeUndefined();
  });
});

describe('service names', () => {
  it.each([
    ['com.amazonaws.us-east-1.s3', { region: 'us-east-1', service: 's3', prefix: 'com.amazonaws', endpointService: false }],
    ['com.amazonaws.eu-west-1.ecr.dkr', { region: 'eu-west-1', service: 'ecr.dkr', prefix: 'com.amazonaws' }],
    ['cn.com.amazonaws.cn-north-1.ecr.api', { region: 'cn-north-1', service: 'ecr.api', prefix: 'cn.com.amazonaws' }],
    ['com.amazonaws.cn-northwest-1.s3', { region: 'cn-northwest-1', service: 's3' }],
    ['eu.amazonaws.eusc-de-east-1.execute-api', { region: 'eusc-de-east-1', service: 'execute-api', prefix: 'eu.amazonaws' }],
    ['com.amazonaws.us-gov-west-1.dynamodb', { region: 'us-gov-west-1', service: 'dynamodb' }],
    ['aws.api.us-east-1.freetier', { region: 'us-east-1', service: 'freetier', prefix: 'aws.api' }],
    ['aws.sagemaker.eu-west-1.notebook', { region: 'eu-west-1', service: 'notebook', prefix: 'aws.sagemaker' }],
    ['com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0', { region: 'us-east-1', service: 'vpce-svc-0123456789abcdef0', endpointService: true }],
  ])('parses %s', (name, expected) => {
    expect(parseServiceName(name)).toMatchObject(expected);
  });

  it.each(['com.amazonaws.iam', 'com.amazonaws.s3', 's3', 'com.amazonaws.US-EAST-1.s3', 'com.amazonaws.vpce.us-east-1.s3', 'org.example.us-east-1.s3', ''])(
    'does not read %j as a regional name',
    (name) => {
      expect(parseServiceName(name)).toBeUndefined();
    },
  );

  it('knows the global names', () => {
    expect(globalServiceName('com.amazonaws.iam')).toEqual({ name: 'com.amazonaws.iam', service: 'iam' });
    expect(globalServiceName('com.amazonaws.s3-global.accesspoint')?.service).toBe('s3-global.accesspoint');
    expect(globalServiceName('com.amazonaws.us-east-1.s3')).toBeUndefined();
  });

  it('knows which services offer which endpoints', () => {
    expect(isGatewayService('s3')).toBe(true);
    expect(isGatewayService('com.amazonaws.us-east-1.dynamodb')).toBe(true);
    expect(isGatewayService('s3express')).toBe(true);
    expect(isGatewayService('sqs')).toBe(false);
    expect(isKnownInterfaceService('com.amazonaws.us-east-1.ecr.dkr')).toBe(true);
    expect(isKnownInterfaceService('apigateway')).toBe(true);
    expect(isKnownInterfaceService('cassandra')).toBe(true);
    expect(isKnownInterfaceService('no-such-service')).toBe(false);
    expect(interfaceServicePort('cassandra')).toBe(9142);
    expect(interfaceServicePort('com.amazonaws.us-east-1.ssm')).toBe(443);
    expect(isCrossRegionService('lambda')).toBe(true);
    expect(isCrossRegionService('sqs')).toBe(false);
  });
});

describe('the data files', () => {
  const dataDir = join(packageRoot(), 'data');
  const read = (f: string) => JSON.parse(readFileSync(join(dataDir, f), 'utf8'));

  it('are found from the package root', () => {
    expect(existsSync(join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(join(dataDir, 'SOURCES.md'))).toBe(true);
  });

  it('record their sources and dates', () => {
    const prefixes = read('aws-service-prefixes.json');
    expect(prefixes.source).toMatch(/ip-ranges\.json/);
    expect(prefixes.createDate).toBe('2026-08-22-15-17-05');
    expect(read('aws-managed-prefix-lists.json').source).toBeTruthy();
    expect(read('aws-endpoint-services.json').source).toMatch(/aws-cdk/);
    const pricing = read('pricing.json');
    expect(pricing).toMatchObject({ source: 'https://aws.amazon.com/vpc/pricing/', currency: 'USD' });
    expect(pricing.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    for (const entry of Object.values(pricing.natGatewayDataProcessingPerGb) as Array<{ price: number; evidence: string } | null>) {
      if (entry) expect(entry.evidence.length).toBeGreaterThan(20);
    }
    expect(readFileSync(join(dataDir, 'SOURCES.md'), 'utf8')).toContain('createDate 2026-08-22-15-17-05');
  });

  it('hold only valid CIDRs', () => {
    for (const region of knownRegions()) {
      for (const service of ['s3', 'dynamodb'] as const) {
        for (const family of ['ipv4', 'ipv6'] as const) {
          const entries = serviceRangeEntries(service, region, family);
          if (entries) expect(CidrSet.tryFromCidrs(entries), `${region} ${service} ${family}`).toBeDefined();
        }
      }
    }
  });
});
