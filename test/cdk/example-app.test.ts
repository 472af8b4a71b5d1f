import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cdkPathOf, readCloudAssembly, type CdkStack } from '../../src/parsers/cdk/assembly.js';
import { CdkSourceLocator } from '../../src/parsers/cdk/locate.js';
import { logicalIdOf, makeUniqueId } from './helpers/unique-id.js';

const REPO = path.resolve(__dirname, '../..');
const APP = path.join(REPO, 'examples/cdk-app');
const OUT = path.join(APP, 'cdk.out');

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string[];
  Metadata?: Record<string, unknown>;
}
interface TreeNode {
  id: string;
  path: string;
  constructInfo: { fqn: string; version: string };
  children?: Record<string, TreeNode>;
  attributes?: { 'aws:cdk:cloudformation:type': string };
}

const read = (name: string): string => readFileSync(path.join(OUT, name), 'utf8');
const templateText = read('NetworkStack.template.json');
const template = JSON.parse(templateText) as { Resources: Record<string, Resource>; Parameters: Record<string, unknown>; Rules: Record<string, unknown> };
const manifest = JSON.parse(read('manifest.json')) as { version: string; artifacts: Record<string, { type: string; properties: Record<string, unknown> }> };
const resources = Object.entries(template.Resources);
const byPath = new Map(resources.map(([id, r]) => [r.Metadata!['aws:cdk:path'] as string, id]));
const idOf = (constructPath: string): string => byPath.get(`NetworkStack/${constructPath}`)!;

function treeNodes(node: TreeNode, out: TreeNode[] = []): TreeNode[] {
  out.push(node);
  for (const child of Object.values(node.children ?? {})) treeNodes(child, out);
  return out;
}

function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'Ref' && typeof v === 'string') out.push(v);
      else if (k === 'Fn::GetAtt' && Array.isArray(v)) out.push(String(v[0]));
      else references(v, out);
    }
  }
  return out;
}

describe('examples/cdk-app/cdk.out is what CDK synthesizes for the app', () => {
  let stack: CdkStack;
  beforeAll(async () => {
    stack = (await readCloudAssembly(OUT, 'examples/cdk-app/cdk.out')).stacks[0]!;
  });

  it('gives every resource the logical id CDK derives from its construct path, and the same path in the manifest', () => {
    expect(resources).toHaveLength(27);
    for (const [logicalId, resource] of resources) {
      const constructPath = resource.Metadata!['aws:cdk:path'] as string;
      expect(logicalIdOf(constructPath, 'NetworkStack'), constructPath).toBe(logicalId);
      expect(cdkPathOf(logicalId, stack)).toBe(constructPath);
    }
    for (const [logicalId, constructPath] of Object.entries(stack.logicalIdToPath)) {
      const known = template.Resources[logicalId] ?? template.Parameters[logicalId] ?? template.Rules[logicalId];
      expect(known, logicalId).toBeDefined();
      expect(logicalIdOf(constructPath, 'NetworkStack')).toBe(logicalId);
    }
  });

  it('is a self-consistent template: every Ref, GetAtt and DependsOn names a resource, a parameter or a pseudo parameter', () => {
    const names = new Set([...Object.keys(template.Resources), ...Object.keys(template.Parameters)]);
    for (const [logicalId, resource] of resources) {
      for (const target of [...references(resource.Properties), ...(resource.DependsOn ?? [])]) {
        expect(names.has(target) || target.startsWith('AWS::'), `${logicalId} → ${target}`).toBe(true);
      }
    }
  });

  it('orders DependsOn by construct path, as CDK renders it', () => {
    const pathOf = (id: string): string => template.Resources[id]!.Metadata!['aws:cdk:path'] as string;
    for (const [, resource] of resources) {
      if (!resource.DependsOn) continue;
      const sorted = [...resource.DependsOn].sort((a, b) => pathOf(a).localeCompare(pathOf(b)));
      expect(resource.DependsOn).toEqual(sorted);
    }
  });

  it('has a tree.json node for every resource, of the same type, and no CloudFormation node without a resource', () => {
    const tree = JSON.parse(read('tree.json')) as { version: string; tree: TreeNode };
    expect(tree.version).toBe('tree-0.1');
    const cfnNodes = treeNodes(tree.tree).filter((n) => n.attributes);
    expect(cfnNodes.map((n) => n.path).sort()).toEqual([...byPath.keys()].sort());
    for (const n of cfnNodes) expect(template.Resources[byPath.get(n.path)!]!.Type).toBe(n.attributes!['aws:cdk:cloudformation:type']);
    for (const n of treeNodes(tree.tree)) expect(n.constructInfo.version).toMatch(n.constructInfo.fqn.startsWith('constructs.') ? /^10\./ : /^2\.199\.0$/);
  });

  it('publishes the template under its SHA-256, in the manifest and in the asset manifest', () => {
    const hash = createHash('sha256').update(templateText).digest('hex');
    const stackArtifact = manifest.artifacts.NetworkStack!;
    expect(stackArtifact.properties.stackTemplateAssetObjectUrl).toBe(`s3://cdk-hnb659fds-assets-\${AWS::AccountId}-\${AWS::Region}/${hash}.json`);
    const assets = JSON.parse(read('NetworkStack.assets.json')) as { version: string; files: Record<string, { source: { path: string } }> };
    expect(Object.keys(assets.files)).toEqual([hash]);
    expect(assets.files[hash]!.source.path).toBe('NetworkStack.template.json');
    expect(assets.version).toBe(manifest.version);
    expect(JSON.parse(read('cdk.out'))).toEqual({ version: manifest.version });
    for (const artifact of Object.values(manifest.artifacts)) {
      const file = artifact.properties.templateFile ?? artifact.properties.file;
      expect(existsSync(path.join(OUT, String(file)))).toBe(true);
    }
  });

  it('builds the network the finding is about: one NAT gateway, S3 routes in the public route tables only', () => {
    const of = (type: string): string[] => resources.filter(([, r]) => r.Type === type).map(([id]) => id);
    expect(of('AWS::EC2::NatGateway')).toEqual([idOf('Vpc/PublicSubnet1/NATGateway')]);
    expect(of('AWS::EC2::Subnet')).toHaveLength(4);
    const endpoint = template.Resources[idOf('Vpc/S3/Resource')]!;
    expect(endpoint.Properties).toMatchObject({
      VpcEndpointType: 'Gateway',
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      RouteTableIds: [{ Ref: idOf('Vpc/PublicSubnet1/RouteTable') }, { Ref: idOf('Vpc/PublicSubnet2/RouteTable') }],
    });
    for (const n of [1, 2]) {
      expect(template.Resources[idOf(`Vpc/PrivateSubnet${n}/DefaultRoute`)]!.Properties).toEqual({
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: idOf('Vpc/PublicSubnet1/NATGateway') },
        RouteTableId: { Ref: idOf(`Vpc/PrivateSubnet${n}/RouteTable`) },
      });
    }
  });

  it('runs a function in the private subnets that reads the DynamoDB table', () => {
    const fn = template.Resources[idOf('OrdersReader/Resource')]!;
    expect(fn.Properties!.VpcConfig).toMatchObject({ SubnetIds: [{ Ref: idOf('Vpc/PrivateSubnet1/Subnet') }, { Ref: idOf('Vpc/PrivateSubnet2/Subnet') }] });
    const policy = template.Resources[idOf('OrdersReader/ServiceRole/DefaultPolicy/Resource')]!;
    expect(policy.Properties!.PolicyDocument).toEqual({
      Statement: [{ Action: ['dynamodb:GetItem', 'dynamodb:Query'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [idOf('Orders/Resource'), 'Arn'] } }],
      Version: '2012-10-17',
    });
    const sg = template.Resources[idOf('OrdersReader/SecurityGroup/Resource')]!;
    expect(sg.Properties!.GroupDescription).toBe(`Automatic security group for Lambda Function ${makeUniqueId(['NetworkStack', 'OrdersReader'])}`);
  });
});

describe('examples/cdk-app: constructs back to the lines that create them', () => {
  const locator = new CdkSourceLocator(REPO);
  const locate = (constructPath: string) => locator.locate(OUT, constructPath);
  const at = (line: number, column: number) => ({ line, column });

  it.each([
    ['NetworkStack/Vpc/Resource', 'lib/network-stack.ts', at(13, 17), 'Vpc'],
    ['NetworkStack/Vpc/PublicSubnet1/RouteTable', 'lib/network-stack.ts', at(13, 17), 'Vpc'],
    ['NetworkStack/Vpc/PrivateSubnet2/DefaultRoute', 'lib/network-stack.ts', at(13, 17), 'Vpc'],
    ['NetworkStack/Vpc/PublicSubnet1/NATGateway', 'lib/network-stack.ts', at(13, 17), 'Vpc'],
    ['NetworkStack/Vpc/IGW', 'lib/network-stack.ts', at(13, 17), 'Vpc'],
    ['NetworkStack/Vpc/S3/Resource', 'lib/network-stack.ts', at(24, 5), 'S3'],
    ['NetworkStack/Orders/Resource', 'lib/network-stack.ts', at(29, 20), 'Orders'],
    ['NetworkStack/OrdersReader/Resource', 'lib/network-stack.ts', at(35, 20), 'OrdersReader'],
    ['NetworkStack/OrdersReader/ServiceRole/DefaultPolicy/Resource', 'lib/network-stack.ts', at(35, 20), 'OrdersReader'],
    ['NetworkStack/OrdersReader/SecurityGroup/Resource', 'lib/network-stack.ts', at(35, 20), 'OrdersReader'],
    ['NetworkStack/BootstrapVersion', 'bin/app.ts', at(6, 1), 'NetworkStack'],
  ])('%s → %s %o', async (constructPath, file, start, constructId) => {
    const loc = await locate(constructPath);
    expect(loc).toMatchObject({ file: `examples/cdk-app/${file}`, constructId, confidence: 'exact' });
    expect(loc!.span.start).toEqual(start);
  });

  it('spans the whole expression and, separately, the id', async () => {
    const loc = await locate('NetworkStack/Vpc/S3/Resource');
    expect(loc).toMatchObject({
      span: { start: at(24, 5), end: at(27, 7) },
      idSpan: { start: at(24, 28), end: at(24, 32) },
      constructPath: 'NetworkStack/Vpc/S3',
    });
  });

  it('locates every resource of the template, each in the stack file', async () => {
    const stack = (await readCloudAssembly(OUT, 'examples/cdk-app/cdk.out')).stacks[0]!;
    for (const [logicalId, resource] of resources) {
      const loc = await locate(cdkPathOf(logicalId, stack, resource.Metadata)!);
      expect(loc, logicalId).toMatchObject({ file: 'examples/cdk-app/lib/network-stack.ts', confidence: 'exact' });
    }
  });

  it('parses the app from the cdk.json entry, without diagnostics', async () => {
    const project = await locator.projectFor(OUT);
    expect(project).toMatchObject({
      root: 'examples/cdk-app',
      entry: 'examples/cdk-app/bin/app.ts',
      files: ['examples/cdk-app/bin/app.ts', 'examples/cdk-app/lib/network-stack.ts'],
    });
    expect(await locator.diagnostics()).toEqual([]);
  });
});
