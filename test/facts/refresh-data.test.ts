import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/source/package.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const script = join(packageRoot(), 'scripts', 'refresh-data.mjs');

function run(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8' });
}

const ipRanges = {
  syncToken: '1800000000',
  createDate: '2027-01-15-10-00-00',
  prefixes: [
    { ip_prefix: '52.216.0.0/15', region: 'us-east-1', service: 'S3', network_border_group: 'us-east-1' },
    { ip_prefix: '3.5.0.0/19', region: 'us-east-1', service: 'S3', network_border_group: 'us-east-1' },
    { ip_prefix: '3.5.0.0/19', region: 'us-east-1', service: 'AMAZON', network_border_group: 'us-east-1' },
    { ip_prefix: '3.5.0.0/19', region: 'us-east-1', service: 'S3', network_border_group: 'us-east-1' },
    { ip_prefix: '52.94.0.0/22', region: 'us-east-1', service: 'DYNAMODB', network_border_group: 'us-east-1' },
    { ip_prefix: '13.248.224.0/24', region: 'GLOBAL', service: 'S3', network_border_group: 'GLOBAL' },
    { ip_prefix: '18.34.0.0/19', region: 'us-east-1', service: 'EC2', network_border_group: 'us-east-1' },
  ],
  ipv6_prefixes: [
    { ipv6_prefix: '2600:1fa0:8000::/39', region: 'us-east-1', service: 'S3', network_border_group: 'us-east-1' },
    { ipv6_prefix: '2406:da61:8800::/40', region: 'ap-southeast-1', service: 'S3', network_border_group: 'ap-southeast-1-sggov-sin-2' },
  ],
};

describe('scripts/refresh-data.mjs', () => {
  it('reduces ip-ranges.json to S3/DynamoDB prefixes per region, sorted, GLOBAL left out', () => {
    const dir = tmpTree({
      'ip-ranges.json': JSON.stringify(ipRanges),
      'out/SOURCES.md': 'x\n<!-- refresh-data:service-prefixes -->\nold\n<!-- /refresh-data -->\ny\n',
    });
    const res = run(join(dir, 'ip-ranges.json'), '--out', join(dir, 'out'));
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('syncToken 1800000000');
    const data = JSON.parse(readFileSync(join(dir, 'out', 'aws-service-prefixes.json'), 'utf8'));
    expect(data).toMatchObject({ syncToken: '1800000000', createDate: '2027-01-15-10-00-00', generatedBy: 'scripts/refresh-data.mjs' });
    expect(data.source).toContain(join(dir, 'ip-ranges.json'));
    expect(data.regions).toEqual({
      'ap-southeast-1': { s3: { ipv6: ['2406:da61:8800::/40'] } },
      'us-east-1': { dynamodb: { ipv4: ['52.94.0.0/22'] }, s3: { ipv4: ['3.5.0.0/19', '52.216.0.0/15'], ipv6: ['2600:1fa0:8000::/39'] } },
    });
    expect(data.networkBorderGroupExceptions).toEqual([
      { service: 's3', family: 'ipv6', prefix: '2406:da61:8800::/40', region: 'ap-southeast-1', networkBorderGroup: 'ap-southeast-1-sggov-sin-2' },
    ]);
    const sources = readFileSync(join(dir, 'out', 'SOURCES.md'), 'utf8');
    expect(sources).toContain('syncToken 1800000000, createDate 2027-01-15-10-00-00');
    expect(sources).not.toContain('old');
    expect(sources.endsWith('y\n')).toBe(true);
  });

  it('refuses a source that is not ip-ranges.json, and unknown arguments', () => {
    const dir = tmpTree({ 'other.json': '{"hello": 1}' });
    const bad = run(join(dir, 'other.json'), '--out', join(dir, 'out'));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/neither ip-ranges\.json/);
    expect(run('--bogus').status).toBe(2);
    expect(run('--out').status).toBe(2);
  });

  it('refuses a malformed prefix rather than writing it', () => {
    const broken = { ...ipRanges, prefixes: [{ ip_prefix: '3.5.0.0/33', region: 'us-east-1', service: 'S3' }] };
    const dir = tmpTree({ 'ip-ranges.json': JSON.stringify(broken) });
    const res = run(join(dir, 'ip-ranges.json'), '--out', join(dir, 'out'));
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('3.5.0.0/33');
  });
});
