import { buildCloudFormationGraph } from '../../src/graph/cloudformation/build.js';
import type { Graph } from '../../src/graph/graph.js';
import type { NodeId, PolicyJson, RulePeer, SecurityGroupRule } from '../../src/graph/model.js';
import { buildTerraformGraph } from '../../src/graph/terraform/build.js';
import { loadCloudFormation, type LoadOptions } from '../../src/parsers/cloudformation/index.js';
import { evaluateRootModule, ModuleLoader, type EvaluateOptions } from '../../src/parsers/terraform/evaluate/index.js';
import { isUnknown } from '../../src/source/value.js';
import { loadTerraformPlan } from '../../src/parsers/terraform/plan/index.js';
import type { Diagnostic } from '../../src/source/types.js';
import { tmpTree } from '../helpers/tmp-tree.js';

/** The graph of a Terraform root module written as files. */
export async function tfGraph(files: Record<string, string> | string, options: EvaluateOptions = {}): Promise<{ graph: Graph; diagnostics: Diagnostic[] }> {
  const root = tmpTree(typeof files === 'string' ? { 'main.tf': files } : files);
  const diagnostics: Diagnostic[] = [];
  const module = await evaluateRootModule(new ModuleLoader(root, (d) => diagnostics.push(d)), '.', options);
  return { graph: buildTerraformGraph(module), diagnostics: [...diagnostics, ...module.diagnostics] };
}

/** The graph of a CloudFormation template (us-east-1 unless told). */
export function cfnGraph(text: string, options: LoadOptions = { region: 'us-east-1' }, file = 'template.yaml'): { graph: Graph; diagnostics: Diagnostic[] } {
  const template = loadCloudFormation(file, text, options);
  return { graph: buildCloudFormationGraph(template), diagnostics: template.diagnostics };
}

export async function planGraph(text: string): Promise<Graph> {
  const root = tmpTree({ 'README.md': 'plans only\n' });
  const plan = await loadTerraformPlan('plan.json', text, { scanRoot: root });
  return buildTerraformGraph(plan);
}

/**
 * A format-neutral name for a node: the resource name without type or module path, without underscores, in lower
 * case (`aws_security_group.app_sg` and `AppSg` both read `appsg`), keeping suffixes like ` (default security group)`.
 */
export function canon(id: NodeId | undefined): string | undefined {
  if (id === undefined) return undefined;
  const m = /^(.*?)( \(.*\))?$/.exec(id)!;
  const parts = m[1]!.split('.');
  const name = parts.length >= 2 && !id.startsWith('com.amazonaws.') ? parts[parts.length - 1]! : m[1]!;
  return `${name.replace(/_/g, '').toLowerCase()}${m[2] ?? ''}`;
}

export const show = (v: unknown): unknown => (isUnknown(v) ? '(unknown)' : v);
const sortIds = (ids: NodeId[]) => ids.map((x) => canon(x)!).sort();

export function peerText(p: RulePeer): string {
  switch (p.kind) {
    case 'cidr':
    case 'ipv6':
      return p.cidr;
    case 'prefix-list':
      return `pl:${p.prefixList ? canon(p.prefixList) : p.label}`;
    case 'security-group':
      return `sg:${p.securityGroup ? canon(p.securityGroup) : p.label}`;
    case 'self':
      return 'self';
    case 'unknown':
      return '(unknown)';
  }
}

/** One line per (rule, peer): Terraform writes several peers in one block, CloudFormation one per rule. */
export function ruleLines(rules: readonly SecurityGroupRule[]): string[] {
  const ports = (r: SecurityGroupRule) =>
    isUnknown(r.ports) ? '(unknown)' : r.ports ? `${r.ports.from}-${r.ports.to}` : r.icmp ? `icmp ${show(r.icmp.type)}/${show(r.icmp.code)}` : '-';
  return rules
    .flatMap((r) => r.peers.map((p) => `${r.direction} ${show(r.protocol)} ${ports(r)} ${peerText(p)}${r.origin === 'aws-default' ? ' (aws default)' : ''}`))
    .sort();
}

/** Policy JSON with Unknown leaves shown. */
export function policyJson(v: PolicyJson | undefined): unknown {
  return JSON.parse(JSON.stringify(v ?? null, (_k, x) => (isUnknown(x) ? '(unknown)' : x)));
}

/** What the new node kinds say, without addresses, sources or the format's spelling. */
export function normalise(graph: Graph) {
  const byId = <T extends { id: string }>(xs: T[]) => [...xs].sort((a, b) => canon(a.id)!.localeCompare(canon(b.id)!));
  return {
    securityGroups: byId(graph.all('security-group')).map((g) => ({
      id: canon(g.id),
      vpc: canon(g.vpc),
      default: g.default,
      incomplete: g.rulesIncomplete,
      rules: ruleLines(g.rules),
    })),
    networkAcls: byId(graph.all('network-acl')).map((a) => ({
      id: canon(a.id),
      vpc: canon(a.vpc),
      default: a.default,
      incomplete: a.entriesIncomplete,
      subnets: sortIds(a.subnets),
      entries: a.entries
        .map(
          (e) =>
            `${e.direction} #${show(e.ruleNumber)} ${show(e.action)} ${show(e.protocol)} ${isUnknown(e.ports) ? '(unknown)' : e.ports ? `${e.ports.from}-${e.ports.to}` : '-'} ${e.peer.kind === 'unknown' ? '(unknown)' : e.peer.cidr}`,
        )
        .sort(),
    })),
    subnetAcls: byId(graph.all('subnet')).map((s) => {
      const acl = graph.networkAclOf(s.id);
      return `${canon(s.id)} -> ${acl === 'unknown' ? 'unknown' : canon(acl?.id)}`;
    }),
    endpoints: byId(graph.all('vpc-endpoint')).map((e) => ({
      id: canon(e.id),
      type: show(e.type),
      subnets: sortIds(e.subnets),
      subnetsIncomplete: e.subnetsIncomplete,
      securityGroups: sortIds(e.securityGroups),
      securityGroupsIncomplete: e.securityGroupsIncomplete,
      defaultSecurityGroup: e.defaultSecurityGroup,
      policy: e.policy === undefined ? 'none' : isUnknown(e.policy) ? '(unknown)' : policyJson(e.policy.document),
    })),
    loadBalancers: byId(graph.all('load-balancer')).map((l) => ({
      id: canon(l.id),
      type: show(l.type),
      subnets: sortIds(l.subnets),
      incomplete: l.subnetsIncomplete,
    })),
    endpointServices: byId(graph.all('endpoint-service')).map((s) => ({
      id: canon(s.id),
      acceptanceRequired: show(s.acceptanceRequired),
      networkLoadBalancers: sortIds(s.networkLoadBalancers),
      gatewayLoadBalancers: sortIds(s.gatewayLoadBalancers),
      principals: s.allowedPrincipals.map((p) => show(p.principal)).sort(),
      incomplete: s.allowedPrincipalsIncomplete || s.loadBalancersIncomplete,
    })),
    bucketPolicies: byId(graph.all('bucket-policy')).map((b) => ({
      bucket: canon(b.bucketResource),
      name: show(b.bucketName),
      policy: isUnknown(b.policy) ? '(unknown)' : policyJson(b.policy.document),
    })),
    workloads: byId(graph.all('workload')).map((w) => ({
      id: canon(w.id),
      workload: w.workload,
      inVpc: show(w.inVpc),
      vpc: canon(w.vpc),
      subnets: sortIds(w.subnets),
      subnetsIncomplete: w.subnetsIncomplete,
      securityGroups: sortIds(w.securityGroups),
      securityGroupsIncomplete: w.securityGroupsIncomplete,
      defaultSecurityGroup: w.defaultSecurityGroup,
      uses: sortIds(w.uses),
      ...(w.assignPublicIp !== undefined ? { assignPublicIp: show(w.assignPublicIp) } : {}),
      ...(w.networkMode !== undefined ? { networkMode: show(w.networkMode) } : {}),
      ...(w.containers !== undefined
        ? {
            containers: isUnknown(w.containers)
              ? '(unknown)'
              : w.containers.map((c) => ({ name: show(c.name), image: show(c.image), logDriver: show(c.logDriver), secrets: c.secrets.map(show) })),
          }
        : {}),
    })),
  };
}
