import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTerraformGraph } from '../../src/graph/terraform/build.js';
import type { Graph } from '../../src/graph/graph.js';
import type { GatewayNode } from '../../src/graph/model.js';
import { evaluateRootModule, ModuleLoader, type EvaluateOptions } from '../../src/parsers/terraform/evaluate/index.js';
import { isUnknown } from '../../src/source/value.js';
import type { Diagnostic } from '../../src/source/types.js';
import { sharedAvailable, sharedPath } from '../helpers/shared.js';
import { tmpTree } from '../helpers/tmp-tree.js';

export const VPC_SOURCE = sharedPath('corpus', 'tfvpc-separate-route-tables');
export const ENDPOINTS_SOURCE = sharedPath('corpus', 'tfvpc-module-vpc-endpoints');
/** The corpus holds v6.6.0 of the module (both the root module and the vpc-endpoints submodule). */
export const CORPUS_VERSION = '6.6.0';

/**
 * Whether the corpus holds the module source; when not, the current suite gets one test named `label` that says so
 * (skipped, or failing under IAC_VPCE_REQUIRE_SHARED). Call it once per group of tests it guards.
 */
export function corpusAvailable(label: string): boolean {
  return sharedAvailable(label, path.join(VPC_SOURCE, 'main.tf'), path.join(ENDPOINTS_SOURCE, 'main.tf'));
}

function tfFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (name.endsWith('.tf')) out[name] = readFileSync(path.join(dir, name), 'utf8');
  return out;
}

/**
 * The files of a root module as `terraform init` leaves them: the registry module under `.terraform/modules/<call>`
 * (the vpc-endpoints submodule in the package's `modules/vpc-endpoints`), listed in `modules.json`.
 */
export function downloadedLayout(rootFiles: Record<string, string>, calls: Record<string, 'vpc' | 'vpc-endpoints'>): Record<string, string> {
  const files: Record<string, string> = { ...rootFiles };
  const modules: Array<{ Key: string; Source: string; Version?: string; Dir: string }> = [{ Key: '', Source: '', Dir: '.' }];
  for (const [key, kind] of Object.entries(calls)) {
    if (kind === 'vpc') {
      for (const [n, t] of Object.entries(tfFiles(VPC_SOURCE))) files[`.terraform/modules/${key}/${n}`] = t;
      modules.push({ Key: key, Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws', Version: CORPUS_VERSION, Dir: `.terraform/modules/${key}` });
    } else {
      for (const [n, t] of Object.entries(tfFiles(ENDPOINTS_SOURCE))) files[`.terraform/modules/${key}/modules/vpc-endpoints/${n}`] = t;
      modules.push({
        Key: key,
        Source: 'registry.terraform.io/terraform-aws-modules/vpc/aws//modules/vpc-endpoints',
        Version: CORPUS_VERSION,
        Dir: `.terraform/modules/${key}/modules/vpc-endpoints`,
      });
    }
  }
  files['.terraform/modules/modules.json'] = JSON.stringify({ Modules: modules });
  return files;
}

export async function evaluateTree(files: Record<string, string>, options: EvaluateOptions = {}) {
  const root = tmpTree(files);
  const diagnostics: Diagnostic[] = [];
  const loader = new ModuleLoader(root, (d) => diagnostics.push(d));
  const module = await evaluateRootModule(loader, '.', options);
  const graph = buildTerraformGraph(module);
  return { module, graph, diagnostics: [...diagnostics, ...module.diagnostics], root };
}

const show = (v: unknown): unknown => (isUnknown(v) ? '(unknown)' : v);

/** What the comparison looks at: the network the graph describes, by node id, without source locations. */
export function networkOf(graph: Graph) {
  const sortBy = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => a.id.localeCompare(b.id));
  return {
    vpcs: sortBy(graph.all('vpc')).map((v) => ({
      id: v.id,
      region: show(v.region),
      cidrs: v.cidrs.map(show),
      ipv6: v.ipv6Cidrs.map(show),
      dnsSupport: show(v.enableDnsSupport),
      dnsHostnames: show(v.enableDnsHostnames),
    })),
    subnets: sortBy(graph.all('subnet')).map((s) => ({ id: s.id, vpc: s.vpc, cidr: show(s.cidr), az: show(s.az) })),
    routeTables: sortBy(graph.all('route-table')).map((t) => ({
      id: t.id,
      vpc: t.vpc,
      main: t.main,
      incomplete: t.routesIncomplete,
      routes: [...t.routes].sort(),
    })),
    routes: sortBy(graph.all('route')).map((r) => ({
      id: r.id,
      table: r.routeTable,
      destination: r.destination,
      target: { kind: r.target.kind, node: r.target.node },
      origin: r.origin,
    })),
    associations: graph.associations.map((a) => `${a.subnet} -> ${a.routeTable}`).sort(),
    mainTables: sortBy(graph.all('vpc')).map((v) => `${v.id} -> ${graph.mainTableOf(v.id)?.id}`),
    natGateways: sortBy(graph.all('nat-gateway')).map((n) => ({ id: n.id, subnet: n.subnet, connectivity: show(n.connectivity) })),
    gateways: sortBy(
      (['internet-gateway', 'egress-only-internet-gateway', 'vpn-gateway'] as const).flatMap((k) => graph.all(k) as unknown as GatewayNode[]),
    ).map((g) => ({ id: g.id, kind: g.kind, vpc: g.vpc })),
    endpoints: sortBy(graph.all('vpc-endpoint')).map((e) => ({
      id: e.id,
      vpc: e.vpc,
      type: show(e.type),
      serviceName: show(e.serviceName),
      routeTables: [...e.routeTables].sort(),
      incomplete: e.routeTablesIncomplete,
      privateDns: show(e.privateDns),
      inboundOnly: show(e.privateDnsInboundOnly),
      subnets: [...e.subnets].sort(),
      subnetsIncomplete: e.subnetsIncomplete,
      securityGroups: [...e.securityGroups].sort(),
      policy:
        e.policy === undefined
          ? '(none)'
          : isUnknown(e.policy)
            ? '(unknown)'
            : JSON.parse(JSON.stringify(e.policy.document ?? null, (_k, x) => (isUnknown(x) ? '(unknown)' : x))),
    })),
    securityGroups: sortBy(graph.all('security-group')).map((g) => ({
      id: g.id,
      vpc: g.vpc,
      default: g.default,
      incomplete: g.rulesIncomplete,
      rules: g.rules
        .map((r) =>
          JSON.stringify({ direction: r.direction, protocol: show(r.protocol), ports: r.ports, peers: r.peers }, (_k, x) => (isUnknown(x) ? '(unknown)' : x)),
        )
        .sort(),
    })),
    unknownExpansions: [...graph.unknownExpansions].sort(),
  };
}

/** The endpoint and security group instances' own attributes, as the model and the module set them. */
export function endpointDetails(instances: Awaited<ReturnType<typeof evaluateTree>>['module']['instances']) {
  const pick = (v: unknown) => JSON.parse(JSON.stringify(v ?? null, (_k, x) => (isUnknown(x) ? '(unknown)' : x)));
  return instances
    .filter((i) => i.mode === 'managed' && ['aws_vpc_endpoint', 'aws_security_group', 'aws_security_group_rule'].includes(i.type))
    .map((i) => ({
      address: i.address,
      subnet_ids: pick(i.values['subnet_ids']),
      security_group_ids: pick(i.values['security_group_ids']),
      policy: pick(i.values['policy']),
      vpc_id: pick(i.values['vpc_id']),
      cidr_blocks: pick(i.values['cidr_blocks']),
      from_port: pick(i.values['from_port']),
    }))
    .sort((a, b) => a.address.localeCompare(b.address));
}
