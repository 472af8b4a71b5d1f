import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdkPathOf, readCloudAssembly } from '../../src/parsers/cdk/assembly.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const REPO = path.resolve(__dirname, '../..');
const EXAMPLE_OUT = path.join(REPO, 'examples/cdk-app/cdk.out');
const STAGE_OUT = path.join(REPO, 'fixtures/cdk/stage-app/build/cdk.out');

function manifest(artifacts: Record<string, unknown>): string {
  return JSON.stringify({ version: '41.0.0', artifacts }, undefined, 2);
}

function stackArtifact(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'aws:cloudformation:stack', environment: 'aws://unknown-account/unknown-region', properties: { templateFile: 'App.template.json' }, ...extra };
}

const TEMPLATE = JSON.stringify({
  Resources: { Vpc8378EB38: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' }, Metadata: { 'aws:cdk:path': 'App/Vpc/Resource' } } },
});

describe('readCloudAssembly: the example app', () => {
  it('lists its one stack with the template relative to the scan root and no concrete environment', async () => {
    const { stacks, diagnostics } = await readCloudAssembly(EXAMPLE_OUT, 'examples/cdk-app/cdk.out');
    expect(diagnostics).toEqual([]);
    expect(stacks).toHaveLength(1);
    const [stack] = stacks;
    expect(stack).toMatchObject({
      artifactId: 'NetworkStack',
      stackName: 'NetworkStack',
      displayName: 'NetworkStack',
      templateFile: 'examples/cdk-app/cdk.out/NetworkStack.template.json',
      manifestFile: 'examples/cdk-app/cdk.out/manifest.json',
    });
    expect(stack!.region).toBeUndefined();
    expect(stack!.account).toBeUndefined();
  });

  it('maps logical ids to construct paths without the leading slash, Bootstrap parameter and rule included', async () => {
    const [stack] = (await readCloudAssembly(EXAMPLE_OUT, 'examples/cdk-app/cdk.out')).stacks;
    const map = stack!.logicalIdToPath;
    expect(map.Vpc8378EB38).toBe('NetworkStack/Vpc/Resource');
    expect(map.VpcS3A5408339).toBe('NetworkStack/Vpc/S3/Resource');
    expect(map.VpcPrivateSubnet1RouteTableB2C5B500).toBe('NetworkStack/Vpc/PrivateSubnet1/RouteTable');
    expect(map.OrdersReaderServiceRoleDefaultPolicy1BF7D5DB).toBe('NetworkStack/OrdersReader/ServiceRole/DefaultPolicy/Resource');
    expect(map.BootstrapVersion).toBe('NetworkStack/BootstrapVersion');
    expect(map.CheckBootstrapVersion).toBe('NetworkStack/CheckBootstrapVersion');
    expect(Object.keys(map)).toHaveLength(29);
  });

  it('works when the scan root is the assembly itself', async () => {
    const { stacks } = await readCloudAssembly(EXAMPLE_OUT, '');
    expect(stacks[0]!.templateFile).toBe('NetworkStack.template.json');
    expect(stacks[0]!.manifestFile).toBe('manifest.json');
  });
});

describe('readCloudAssembly: stages', () => {
  it('reads the nested assembly of a stage in place of its artifact, with stack name, display name and environment', async () => {
    const { stacks, diagnostics } = await readCloudAssembly(STAGE_OUT, 'build/cdk.out');
    expect(diagnostics).toEqual([]);
    expect(stacks).toHaveLength(1);
    expect(stacks[0]).toMatchObject({
      artifactId: 'ProdServiceC810982D',
      stackName: 'Prod-Service',
      displayName: 'Prod/Service',
      templateFile: 'build/cdk.out/assembly-Prod/ProdServiceC810982D.template.json',
      manifestFile: 'build/cdk.out/assembly-Prod/manifest.json',
      account: '111111111111',
      region: 'eu-west-1',
    });
    expect(stacks[0]!.logicalIdToPath.SharedS3Endpoint578414D0).toBe('Prod/Service/Shared/S3Endpoint/Resource');
    expect(stacks[0]!.logicalIdToPath.NetworkVpcDynamoDbCF49C09B).toBe('Prod/Service/Network/Vpc/DynamoDb/Resource');
  });

  it('keeps manifest order: stacks before, inside and after a stage', async () => {
    const root = tmpTree({
      'cdk.out/manifest.json': manifest({
        First: { ...stackArtifact(), properties: { templateFile: 'First.template.json' } },
        'assembly-Beta': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-Beta', displayName: 'Beta' } },
        Last: { ...stackArtifact(), properties: { templateFile: 'Last.template.json' } },
      }),
      'cdk.out/First.template.json': TEMPLATE,
      'cdk.out/Last.template.json': TEMPLATE,
      'cdk.out/assembly-Beta/manifest.json': manifest({
        BetaApi1A2B3C4D: {
          ...stackArtifact({ environment: 'aws://123456789012/us-east-2' }),
          properties: { templateFile: 'BetaApi1A2B3C4D.template.json', stackName: 'Beta-Api' },
        },
      }),
      'cdk.out/assembly-Beta/BetaApi1A2B3C4D.template.json': TEMPLATE,
    });
    const { stacks, diagnostics } = await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out');
    expect(diagnostics).toEqual([]);
    expect(stacks.map((s) => [s.stackName, s.templateFile, s.region])).toEqual([
      ['First', 'cdk.out/First.template.json', undefined],
      ['Beta-Api', 'cdk.out/assembly-Beta/BetaApi1A2B3C4D.template.json', 'us-east-2'],
      ['Last', 'cdk.out/Last.template.json', undefined],
    ]);
  });

  it('reads a nested assembly reached twice through a link once', async () => {
    const root = tmpTree({
      'cdk.out/manifest.json': manifest({
        'assembly-A': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-A' } },
        'assembly-B': { type: 'cdk:cloud-assembly', properties: { directoryName: 'assembly-B' } },
      }),
      'cdk.out/assembly-A/manifest.json': manifest({ A: stackArtifact() }),
      'cdk.out/assembly-A/App.template.json': TEMPLATE,
    });
    symlinkSync(path.join(root, 'cdk.out/assembly-A'), path.join(root, 'cdk.out/assembly-B'));
    const { stacks, diagnostics } = await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out');
    expect(stacks.map((s) => s.artifactId)).toEqual(['A']);
    expect(diagnostics.map((d) => d.code)).toEqual(['cdk-nested-assembly-skipped']);
  });

  it('refuses a nested assembly outside the assembly directory', async () => {
    const root = tmpTree({
      'cdk.out/manifest.json': manifest({ escape: { type: 'cdk:cloud-assembly', properties: { directoryName: '../elsewhere' } } }),
      'elsewhere/manifest.json': manifest({ A: stackArtifact() }),
      'elsewhere/App.template.json': TEMPLATE,
    });
    const { stacks, diagnostics } = await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out');
    expect(stacks).toEqual([]);
    expect(diagnostics).toMatchObject([{ code: 'cdk-nested-assembly-skipped', file: 'cdk.out/manifest.json', line: 4 }]);
  });
});

describe('readCloudAssembly: environments', () => {
  it.each([
    ['aws://123456789012/eu-central-1', '123456789012', 'eu-central-1'],
    ['aws://unknown-account/ap-southeast-2', undefined, 'ap-southeast-2'],
    ['aws://123456789012/unknown-region', '123456789012', undefined],
    ['aws://${AWS::AccountId}/${AWS::Region}', undefined, undefined],
    ['not-an-environment', undefined, undefined],
  ])('%s gives account %s and region %s', async (environment, account, region) => {
    const root = tmpTree({ 'cdk.out/manifest.json': manifest({ App: stackArtifact({ environment }) }), 'cdk.out/App.template.json': TEMPLATE });
    const [stack] = (await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out')).stacks;
    expect(stack!.account).toBe(account);
    expect(stack!.region).toBe(region);
  });
});

describe('readCloudAssembly: what it cannot read', () => {
  it('reports a manifest that is not JSON, and returns nothing', async () => {
    const root = tmpTree({ 'cdk.out/manifest.json': '{ "version": "41.0.0", "artifacts": {' });
    const out = await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out');
    expect(out.stacks).toEqual([]);
    expect(out.diagnostics).toMatchObject([{ severity: 'error', code: 'cdk-manifest-unreadable', file: 'cdk.out/manifest.json' }]);
  });

  it('reports a missing manifest, a binary one and one without artifacts', async () => {
    const root = tmpTree({ 'a/x.txt': '', 'b/manifest.json': 'ab\0cd', 'c/manifest.json': '{"version":"41.0.0"}' });
    const codes = async (dir: string): Promise<string[]> => (await readCloudAssembly(path.join(root, dir), dir)).diagnostics.map((d) => d.code);
    expect(await codes('a')).toEqual(['cdk-manifest-unreadable']);
    expect(await codes('b')).toEqual(['cdk-manifest-unreadable']);
    expect(await codes('c')).toEqual(['cdk-manifest-invalid']);
  });

  it('skips stacks whose template is missing or escapes the assembly, and keeps the others', async () => {
    const root = tmpTree({
      'cdk.out/manifest.json': manifest({
        Missing: { ...stackArtifact(), properties: { templateFile: 'Missing.template.json' } },
        Escape: { ...stackArtifact(), properties: { templateFile: '../secret.json' } },
        NoTemplate: { type: 'aws:cloudformation:stack' },
        Good: stackArtifact(),
        Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } },
      }),
      'cdk.out/App.template.json': TEMPLATE,
      'secret.json': TEMPLATE,
    });
    const out = await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out');
    expect(out.stacks.map((s) => s.artifactId)).toEqual(['Good']);
    expect(out.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['cdk-template-missing', 4],
      ['cdk-artifact-invalid', 11],
      ['cdk-artifact-invalid', 18],
    ]);
  });

  it('gives an empty map when the manifest has no metadata, so paths come from the template', async () => {
    const root = tmpTree({ 'cdk.out/manifest.json': manifest({ App: stackArtifact() }), 'cdk.out/App.template.json': TEMPLATE });
    const [stack] = (await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out')).stacks;
    expect(stack!.logicalIdToPath).toEqual({});
    expect(cdkPathOf('Vpc8378EB38', stack!)).toBeUndefined();
    expect(cdkPathOf('Vpc8378EB38', stack!, { 'aws:cdk:path': 'App/Vpc/Resource' })).toBe('App/Vpc/Resource');
  });

  it('ignores metadata entries that are not logical ids and keeps the first path of a logical id', async () => {
    const metadata = {
      '/App/Vpc': [{ type: 'aws:cdk:warning', data: 'something' }],
      '/App/Vpc/Resource': [{ type: 'aws:cdk:logicalId', data: 'Vpc8378EB38', trace: ['at new Vpc (vpc.ts:1:1)'] }],
      '/App/Other': [{ type: 'aws:cdk:logicalId', data: 'Vpc8378EB38' }],
      '/App/Broken': 'not a list',
      '/App/Proto': [{ type: 'aws:cdk:logicalId', data: '__proto__' }],
    };
    const root = tmpTree({ 'cdk.out/manifest.json': manifest({ App: stackArtifact({ metadata }) }), 'cdk.out/App.template.json': TEMPLATE });
    const [stack] = (await readCloudAssembly(path.join(root, 'cdk.out'), 'cdk.out')).stacks;
    expect(cdkPathOf('Vpc8378EB38', stack!)).toBe('App/Vpc/Resource');
    expect(cdkPathOf('__proto__', stack!)).toBe('App/Proto');
    expect(cdkPathOf('toString', stack!)).toBeUndefined();
  });
});

describe('cdkPathOf', () => {
  const stack = { logicalIdToPath: { Vpc8378EB38: 'App/Vpc/Resource' } };

  it('prefers the manifest, then reads the resource metadata as a plain object or a parsed template map', () => {
    expect(cdkPathOf('Vpc8378EB38', stack, { 'aws:cdk:path': 'Elsewhere/Resource' })).toBe('App/Vpc/Resource');
    expect(cdkPathOf('Bucket83908E77', stack, { 'aws:cdk:path': '/App/Bucket/Resource' })).toBe('App/Bucket/Resource');
    const span = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const node = { kind: 'map', span, entries: [{ key: 'aws:cdk:path', keySpan: span, span, value: { kind: 'scalar', span, value: 'App/Bucket/Resource' } }] };
    expect(cdkPathOf('Bucket83908E77', stack, node)).toBe('App/Bucket/Resource');
  });

  it('is undefined without a path anywhere', () => {
    expect(cdkPathOf('Bucket83908E77', stack)).toBeUndefined();
    expect(cdkPathOf('Bucket83908E77', stack, { 'aws:cdk:path': 42 })).toBeUndefined();
    expect(cdkPathOf('Bucket83908E77', stack, 'App/Bucket')).toBeUndefined();
  });
});
