import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cdkPathOf, readCloudAssembly } from '../../src/parsers/cdk/assembly.js';
import { CdkSourceLocator, findCdkProjectRoot, loadCdkProject, locateInProject } from '../../src/parsers/cdk/locate.js';
import { tmpTree } from '../helpers/tmp-tree.js';

const REPO = path.resolve(__dirname, '../..');
const STAGE_APP = path.join(REPO, 'fixtures/cdk/stage-app');
const STAGE_OUT = path.join(STAGE_APP, 'build/cdk.out');

const CDK_JSON = JSON.stringify({ app: 'npx ts-node --prefer-ts-exts bin/app.ts' });

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function pos(text: string, needle: string): { line: number; column: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/** A CDK project in a temporary directory; locates construct paths of its `cdk.out`. */
async function project(files: Record<string, string>) {
  const root = tmpTree({ 'cdk.out/manifest.json': '{"version":"41.0.0","artifacts":{}}', ...files });
  const locator = new CdkSourceLocator(root);
  const out = path.join(root, 'cdk.out');
  return { root, locator, locate: (p: string) => locator.locate(out, p), diagnostics: () => locator.diagnostics() };
}

describe('findCdkProjectRoot', () => {
  it('finds the directory whose cdk.json `output` is the assembly, also from the assembly of a stage', async () => {
    expect(await findCdkProjectRoot(STAGE_OUT)).toBe(STAGE_APP);
    expect(await findCdkProjectRoot(path.join(STAGE_OUT, 'assembly-Prod'))).toBe(STAGE_APP);
  });

  it('takes the parent of cdk.out when cdk.json does not set `output`', async () => {
    const root = tmpTree({ 'infra/cdk.json': CDK_JSON, 'infra/cdk.out/manifest.json': '{}' });
    expect(await findCdkProjectRoot(path.join(root, 'infra/cdk.out'))).toBe(path.join(root, 'infra'));
  });

  it('finds nothing when no cdk.json sends its output to the assembly', async () => {
    const root = tmpTree({ 'cdk.json': JSON.stringify({ app: 'x', output: 'synth' }), 'cdk.out/manifest.json': '{}', 'other/cdk.out/manifest.json': '{}' });
    expect(await findCdkProjectRoot(path.join(root, 'cdk.out'))).toBeUndefined();
    expect(await findCdkProjectRoot(path.join(root, 'other/cdk.out'))).toBeUndefined();
    const locator = new CdkSourceLocator(root);
    expect(await locator.locate(path.join(root, 'cdk.out'), 'App/Vpc/Resource')).toBeUndefined();
  });
});

describe('locate: a stage, a custom construct class and two constructs with one id', () => {
  const locator = new CdkSourceLocator(REPO);
  const locate = (p: string) => locator.locate(STAGE_OUT, p);
  const file = (name: string) => `fixtures/cdk/stage-app/${name}`;

  it.each([
    ['Prod/Service/Network/Vpc/Resource', 'lib/network.ts', { line: 9, column: 16 }, 'Prod/Service/Network/Vpc'],
    ['Prod/Service/Network/Vpc/PrivateSubnet1/RouteTable', 'lib/network.ts', { line: 9, column: 16 }, 'Prod/Service/Network/Vpc'],
    ['Prod/Service/Network/Vpc/DynamoDb/Resource', 'lib/network.ts', { line: 13, column: 9 }, 'Prod/Service/Network/Vpc/DynamoDb'],
    ['Prod/Service/Network/S3Endpoint/Resource', 'lib/network.ts', { line: 16, column: 5 }, 'Prod/Service/Network/S3Endpoint'],
    ['Prod/Service/Shared/S3Endpoint/Resource', 'lib/shared-endpoints.ts', { line: 12, column: 5 }, 'Prod/Service/Shared/S3Endpoint'],
    ['Prod/Service/Ssm/SecurityGroup/Resource', 'lib/service-stack.ts', { line: 12, column: 5 }, 'Prod/Service/Ssm'],
    ['Prod/Service/Network', 'lib/service-stack.ts', { line: 10, column: 21 }, 'Prod/Service/Network'],
    ['Prod/Service/BootstrapVersion', 'lib/prod-stage.ts', { line: 8, column: 5 }, 'Prod/Service'],
    ['Prod', 'bin/app.ts', { line: 6, column: 1 }, 'Prod'],
  ])('%s → %s', async (constructPath, name, start, matched) => {
    const loc = await locate(constructPath);
    expect(loc).toMatchObject({ file: file(name), confidence: 'exact', constructPath: matched });
    expect(loc!.span.start).toEqual(start);
  });

  it('finds nothing for a path the app does not build', async () => {
    expect(await locate('Staging/Service/Network/S3Endpoint/Resource')).toBeUndefined();
    expect(await locate('')).toBeUndefined();
  });

  it('locates every resource of the stage stack through the manifest', async () => {
    const { stacks } = await readCloudAssembly(STAGE_OUT, 'fixtures/cdk/stage-app/build/cdk.out');
    const ids = Object.keys(stacks[0]!.logicalIdToPath);
    expect(ids).toHaveLength(8);
    for (const id of ids) {
      const loc = await locate(cdkPathOf(id, stacks[0]!)!);
      expect(loc?.confidence, id).toBe('exact');
    }
  });

  it('parses the app by following imports from bin/app.ts', async () => {
    const p = (await locator.projectFor(STAGE_OUT))!;
    expect(p.entry).toBe(file('bin/app.ts'));
    expect(p.files).toEqual([
      file('bin/app.ts'),
      file('lib/prod-stage.ts'),
      file('lib/service-stack.ts'),
      file('lib/network.ts'),
      file('lib/shared-endpoints.ts'),
    ]);
    expect(await locator.projectFor(path.join(STAGE_OUT, 'assembly-Prod'))).toBe(p);
  });
});

const STACK_FILE = `import * as cdk from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';

export class AppStack extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const vpc = new ec2.Vpc(this, 'Vpc');
    vpc.addInterfaceEndpoint('Ecr', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
  }
}
`;

describe('locate: source that cannot be parsed', () => {
  it('reports a file with a syntax error and locates constructs in the others', async () => {
    const broken = `import * as ec2 from 'aws-cdk-lib/aws-ec2';\nexport function helper( {\n  return 1;\n}\n`;
    const { locate, diagnostics } = await project({
      'cdk.json': CDK_JSON,
      'bin/app.ts': `import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/app-stack';\nimport { helper } from '../lib/broken';\n\nconst app = new cdk.App();\nnew AppStack(app, 'App');\n`,
      'lib/app-stack.ts': STACK_FILE,
      'lib/broken.ts': broken,
    });
    expect(await locate('App/Vpc/Ecr/SecurityGroup/Resource')).toMatchObject({
      file: 'lib/app-stack.ts',
      span: { start: pos(STACK_FILE, 'vpc.addInterfaceEndpoint') },
      confidence: 'exact',
    });
    const [d, ...more] = await diagnostics();
    expect(more).toEqual([]);
    expect(d).toMatchObject({ severity: 'warning', code: 'cdk-source-unparsed', file: 'lib/broken.ts', line: 3 });
    expect(d!.column).toBeGreaterThan(0);
    expect(d!.message).toMatch(/^TypeScript could not parse this file \(.+\); constructs it creates cannot be located\.$/);
  });

  it('falls back to bin/ and lib/ when the entry itself does not parse, with the parents it can no longer follow', async () => {
    const { locate, diagnostics } = await project({
      'cdk.json': CDK_JSON,
      'bin/app.ts': `import { AppStack } from '../lib/app-stack';\nconst app = new cdk.App(;\n`,
      'lib/app-stack.ts': STACK_FILE,
    });
    expect(await locate('App/Vpc/Resource')).toMatchObject({
      file: 'lib/app-stack.ts',
      span: { start: pos(STACK_FILE, 'new ec2.Vpc') },
      confidence: 'id-only',
    });
    expect((await diagnostics()).map((d) => [d.code, d.file])).toEqual([['cdk-source-unparsed', 'bin/app.ts']]);
  });

  it('reads bin/ and lib/ for an app cdk.json does not run from TypeScript, leaving tests, declarations and packages out', async () => {
    const { locator, root } = await project({
      'cdk.json': JSON.stringify({ app: 'python3 app.py' }),
      'bin/app.ts': `import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/app-stack';\nnew AppStack(new cdk.App(), 'App');\n`,
      'lib/app-stack.ts': STACK_FILE,
      'lib/app-stack.test.ts': STACK_FILE,
      'lib/types.d.ts': 'export declare const x: number;\n',
      'lib/node_modules/dep/index.ts': STACK_FILE,
      'lib/__tests__/stack.ts': STACK_FILE,
      'test/app.test.ts': STACK_FILE,
    });
    const p = (await locator.projectFor(path.join(root, 'cdk.out')))!;
    expect(p.entry).toBeUndefined();
    expect(p.files).toEqual(['bin/app.ts', 'lib/app-stack.ts']);
    expect(locateInProject(p, 'App/Vpc/Resource')).toMatchObject({ file: 'lib/app-stack.ts', confidence: 'exact' });
  });

  it('traces compiled output in cdk.json back to its TypeScript, and follows NodeNext `.js` imports', async () => {
    const root = tmpTree({
      'cdk.json': JSON.stringify({ app: 'node dist/bin/app.js' }),
      'bin/app.ts': `import * as cdk from 'aws-cdk-lib';\nimport { AppStack } from '../lib/app-stack.js';\nnew AppStack(new cdk.App(), 'App');\n`,
      'lib/app-stack.ts': STACK_FILE,
    });
    const p = await loadCdkProject(root, root);
    expect(p).toMatchObject({ root: '.', entry: 'bin/app.ts', files: ['bin/app.ts', 'lib/app-stack.ts'], diagnostics: [] });
  });

  it('reports a source too large to be hand-written and one that is binary', async () => {
    const { locator, root } = await project({
      'cdk.json': CDK_JSON,
      'bin/app.ts': `import '../lib/big';\nimport '../lib/binary';\n`,
      'lib/big.ts': `export const x = '${'a'.repeat(2 * 1024 * 1024)}';\n`,
      'lib/binary.ts': 'export const x = 1;\0\n',
    });
    await locator.projectFor(path.join(root, 'cdk.out'));
    expect((await locator.diagnostics()).map((d) => [d.code, d.file])).toEqual([
      ['cdk-source-unparsed', 'lib/big.ts'],
      ['cdk-source-unparsed', 'lib/binary.ts'],
    ]);
  });
});

describe('locate: how a site names its parent', () => {
  const app = (body: string, imports = '') =>
    `import * as cdk from 'aws-cdk-lib';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';\nimport { Construct } from 'constructs';\n${imports}\n${body}\n`;

  it('follows `this.vpc` set in the constructor and a class property initializer', async () => {
    const src = app(`class Net extends Construct {
  readonly table = new cdk.CfnResource(this, 'Table', { type: 'AWS::DynamoDB::Table' });
  readonly vpc: ec2.Vpc;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.vpc = new ec2.Vpc(this, 'Vpc');
    this.vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
  }
}
const root = new cdk.App();
const stack = new cdk.Stack(root, 'App');
new Net(stack, 'Net');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('App/Net/Vpc/S3/Resource')).toMatchObject({ span: { start: pos(src, 'this.vpc.addGatewayEndpoint') }, confidence: 'exact' });
    expect(await locate('App/Net/Table')).toMatchObject({ span: { start: pos(src, "new cdk.CfnResource(this, 'Table'") }, confidence: 'exact' });
  });

  it('knows the first constructor parameter is the scope the instance was given, and subclasses inherit constructors', async () => {
    const src = app(`class Base extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.Vpc(this, 'Vpc');
    new cdk.CfnOutput(scope, 'Sibling', { value: 'x' });
  }
}
class Child extends Base {}
const app = new cdk.App();
new Child(app, 'ChildStack');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('ChildStack/Vpc/Resource')).toMatchObject({ span: { start: pos(src, "new ec2.Vpc(this, 'Vpc')") }, confidence: 'exact' });
    expect(await locate('Sibling')).toMatchObject({ span: { start: pos(src, "new cdk.CfnOutput(scope, 'Sibling'") }, confidence: 'exact' });
  });

  it('matches ids built from template literals and concatenations, and ids held in constants', async () => {
    const src = app(`class S extends cdk.Stack {
  constructor(scope: Construct, id: string, env: string) {
    super(scope, id);
    new ec2.Vpc(this, \`\${env}-vpc\`);
    for (const az of ['a', 'b']) new ec2.CfnSubnet(this, 'Subnet-' + az, { vpcId: 'v', cidrBlock: '10.0.0.0/24' });
    const name = 'Logs';
    new cdk.CfnResource(this, name, { type: 'AWS::Logs::LogGroup' });
  }
}
new S(new cdk.App(), 'Prod', 'prod');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('Prod/prod-vpc/Resource')).toMatchObject({ constructId: 'prod-vpc', span: { start: pos(src, 'new ec2.Vpc') }, confidence: 'exact' });
    expect(await locate('Prod/Subnet-b')).toMatchObject({ span: { start: pos(src, 'new ec2.CfnSubnet') }, confidence: 'exact' });
    expect(await locate('Prod/Logs')).toMatchObject({ span: { start: pos(src, 'new cdk.CfnResource(this, name') }, confidence: 'exact' });
    expect(await locate('Prod/other/Resource')).toMatchObject({ constructId: 'Prod', confidence: 'exact' });
  });

  it('undoes import aliases and tells an app class from a library class of the same name', async () => {
    const lib = `import * as cdk from 'aws-cdk-lib';\nimport * as ec2 from 'aws-cdk-lib/aws-ec2';\nimport { Construct } from 'constructs';\nexport class Vpc extends Construct {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new ec2.Vpc(this, 'Inner');\n  }\n}\nexport class Net extends cdk.Stack {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    new ec2.Vpc(this, 'Vpc');\n  }\n}\n`;
    const bin = `import * as cdk from 'aws-cdk-lib';\nimport { Net as NetworkStack } from '../lib/net';\nnew NetworkStack(new cdk.App(), 'Network');\n`;
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': bin, 'lib/net.ts': lib });
    expect(await locate('Network/Vpc/Resource')).toMatchObject({
      file: 'lib/net.ts',
      span: { start: pos(lib, "new ec2.Vpc(this, 'Vpc')") },
      confidence: 'exact',
    });
    // The app's own `Vpc` class is never built: `new ec2.Vpc` is the library's class, not an instance of it.
    expect(await locate('Network/Vpc/Inner/Resource')).toMatchObject({ span: { start: pos(lib, "new ec2.Vpc(this, 'Inner')") }, confidence: 'id-only' });
  });

  it('gives `id-only` when a parent is a parameter it cannot follow', async () => {
    const src = app(`function addEndpoints(vpc: ec2.IVpc) {
  vpc.addInterfaceEndpoint('Ecr', { service: ec2.InterfaceVpcEndpointAwsService.ECR });
}
class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    addEndpoints(new ec2.Vpc(this, 'Vpc'));
  }
}
new S(new cdk.App(), 'App');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('App/Vpc/Ecr/Resource')).toMatchObject({
      constructId: 'Ecr',
      span: { start: pos(src, "vpc.addInterfaceEndpoint('Ecr'") },
      confidence: 'id-only',
    });
  });

  it('does not let an unverified site with an id CDK generates take a VPC child from the VPC', async () => {
    const src = app(`function table(scope: Construct) {
  return new ec2.CfnRouteTable(scope, 'RouteTable', { vpcId: 'vpc-1' });
}
class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.Vpc(this, 'Vpc');
  }
}
new S(new cdk.App(), 'App');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('App/Vpc/PublicSubnet1/RouteTable')).toMatchObject({
      constructId: 'Vpc',
      span: { start: pos(src, "new ec2.Vpc(this, 'Vpc')") },
      confidence: 'exact',
    });
    expect(await locate('Elsewhere/RouteTable')).toMatchObject({ span: { start: pos(src, 'new ec2.CfnRouteTable') }, confidence: 'id-only' });
  });

  it('prefers the site whose parents match over one whose parents are unknown', async () => {
    const src = app(`function anywhere(scope: Construct) {
  new ec2.Vpc(scope, 'Vpc');
}
class S extends cdk.Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new ec2.Vpc(this, 'Vpc');
  }
}
new S(new cdk.App(), 'App');`);
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('App/Vpc/Resource')).toMatchObject({ span: { start: pos(src, "new ec2.Vpc(this, 'Vpc')") }, confidence: 'exact' });
  });
});

describe('locate: hostile input', () => {
  it('ends a class that builds itself with the scope it was given, and a path too long to be CDK', async () => {
    const src = `import * as cdk from 'aws-cdk-lib';\nimport { Construct } from 'constructs';\nclass Loop extends Construct {\n  constructor(scope: Construct, id: string) {\n    super(scope, id);\n    if (id.length < 4) new Loop(scope, id + 'x');\n  }\n}\nnew Loop(new cdk.App(), 'L');\n`;
    const { locate } = await project({ 'cdk.json': CDK_JSON, 'bin/app.ts': src });
    expect(await locate('Lx/Resource')).toMatchObject({ span: { start: pos(src, "new Loop(scope, id + 'x')") }, confidence: 'exact' });
    expect(await locate('Nowhere/Lx')).toBeUndefined();
    expect(await locate(Array.from({ length: 1000 }, () => 'L').join('/'))).toBeUndefined();
  });

  it('turns a source nested too deep to walk into a diagnostic', async () => {
    const deep = `export const x = ${'['.repeat(50000)}${']'.repeat(50000)};\n`;
    const { locate, diagnostics } = await project({
      'cdk.json': CDK_JSON,
      // The deep file is parsed first: the files after it must still parse.
      'bin/app.ts': `import * as cdk from 'aws-cdk-lib';\nimport '../lib/deep';\nimport { AppStack } from '../lib/app-stack';\nnew AppStack(new cdk.App(), 'App');\n`,
      'lib/app-stack.ts': STACK_FILE,
      'lib/deep.ts': deep,
    });
    expect(await locate('App/Vpc/Resource')).toMatchObject({ file: 'lib/app-stack.ts', confidence: 'exact' });
    const found = await diagnostics();
    expect(found.map((d) => [d.code, d.file])).toEqual([['cdk-source-unparsed', 'lib/deep.ts']]);
  });
});
