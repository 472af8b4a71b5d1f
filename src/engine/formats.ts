import path from 'node:path';
import { buildCloudFormationGraph } from '../graph/cloudformation/build.js';
import type { Graph } from '../graph/graph.js';
import { buildTerraformGraph } from '../graph/terraform/build.js';
import { cdkPathOf, readCloudAssembly, type CdkStack } from '../parsers/cdk/assembly.js';
import type { CdkSourceLocator, CdkSourceLocation } from '../parsers/cdk/locate.js';
import { readCdkJson } from '../parsers/cdk/project.js';
import { loadCloudFormation, MAX_TEMPLATE_BYTES, type CfnTemplate } from '../parsers/cloudformation/index.js';
import { cloudFormationSuppressions } from '../parsers/cloudformation/suppressions.js';
import { evaluateRootModule, type EvaluatedModule, type EvaluateOptions, type ModuleLoader } from '../parsers/terraform/evaluate/index.js';
import { loadTerraformPlan, MAX_PLAN_BYTES } from '../parsers/terraform/plan/index.js';
import { isUnknown } from '../source/value.js';
import { InputPolicy, refusalDiagnostic } from '../source/fs-policy.js';
import type { Diagnostic, SourceRef } from '../source/types.js';
import type { Rule } from '../../rules/rule.js';
import { runRules } from './run-rules.js';
import { guardInput, internalError } from './guard.js';
import { timed } from '../source/timings.js';
import type { SuppressionDirective } from '../source/suppression.js';
import type { Finding } from '../source/findings.js';
import type { EvalLimits } from '../source/budget.js';

/** What scanning one input contributes to the scan. */
export interface Contribution {
  graphs: Graph[];
  findings: Finding[];
  /** Files read, relative to the scan root. */
  files: string[];
  /** `.tf` files whose comments may hold suppressions (a plan's configuration). */
  terraformFiles: string[];
  directives: SuppressionDirective[];
  diagnostics: Diagnostic[];
  /** For a plan whose `.tf` files were found: the root module directory it was planned from. */
  planRoot?: string;
}

export interface FormatContext {
  /** Absolute scan root. */
  root: string;
  rules: Rule[];
  region?: string;
  params?: Record<string, string>;
  inlineSuppressions: boolean;
  /** The path a finding's fingerprint hashes for a file relative to the scan root (see `runRules`). */
  fingerprintFile?: (file: string) => string;
  /** Where inputs may be read from (default: the scan root). */
  policy?: InputPolicy;
  /** Evaluation limits per root module and per template. */
  limits?: Partial<EvalLimits>;
}

const empty = (): Contribution => ({ graphs: [], findings: [], files: [], terraformFiles: [], directives: [], diagnostics: [] });
const toPosix = (p: string) => p.split(path.sep).join('/');

/** Reads a regular file inside the scan root no bigger than `max`; what cannot be read becomes a diagnostic. */
async function readBounded(ctx: FormatContext, rel: string, max: number, code: string, out: Contribution, what: string): Promise<Buffer | undefined> {
  // Synchronous: a small read costs less than a round trip through the thread pool, and the scan waits for it anyway.
  const read = timed('read', () => policyOf(ctx).readSync(path.resolve(ctx.root, rel), max));
  if (read.ok) return read.bytes;
  out.diagnostics.push(
    read.reason === 'missing'
      ? { severity: 'warning', code: 'discover-read-error', file: rel, message: 'Cannot read file: it does not exist.' }
      : refusalDiagnostic(read, { file: rel, what, tooLargeCode: code, readErrorCode: 'discover-read-error' }),
  );
  return undefined;
}

const policies = new WeakMap<FormatContext, InputPolicy>();
function policyOf(ctx: FormatContext): InputPolicy {
  if (ctx.policy) return ctx.policy;
  let p = policies.get(ctx);
  if (!p) policies.set(ctx, (p = InputPolicy.createSync([ctx.root])));
  return p;
}

function analyzeTemplate(template: CfnTemplate, ctx: FormatContext, out: Contribution, cdk = false): Finding[] {
  out.diagnostics.push(...template.diagnostics);
  let graph: Graph;
  try {
    graph = timed('graph', () => buildCloudFormationGraph(template, { cdk }));
  } catch (e) {
    // One template's failure is reported on it; the assembly's other stacks and the other inputs go on.
    out.diagnostics.push(internalError(template.file, 'building the network graph of this template', e));
    return [];
  }
  out.graphs.push(graph);
  if (ctx.inlineSuppressions) {
    const extracted = cloudFormationSuppressions(template);
    out.directives.push(...extracted.directives);
    out.diagnostics.push(...extracted.diagnostics);
  }
  return timed('rules', () => runRules(graph, ctx.rules, out.diagnostics, ctx.fingerprintFile));
}

/**
 * A Terraform configuration whose VPCs have no known region (a provider without `region`, set from the environment at
 * apply time) leaves the rules that need the region's S3 and DynamoDB ranges silent: say so once, where the VPC is.
 */
export function unknownRegionNote(graph: Graph): Diagnostic | undefined {
  if (graph.all('nat-gateway').length === 0 && graph.all('vpc-endpoint').length === 0) return undefined;
  // A VPC whose region is contradicted has its own warning (`regionConflictWarnings`).
  const vpcs = graph.all('vpc').filter((v) => isUnknown(v.region) && !graph.regionConflicts.some((c) => c.vpc === v.id));
  const first = vpcs[0];
  if (!first || !isUnknown(first.region)) return undefined;
  const more = vpcs.length > 1 ? ` and ${vpcs.length - 1} more VPC${vpcs.length > 2 ? 's' : ''}` : '';
  return {
    severity: 'note',
    code: 'tf-region-unknown',
    file: first.source.file,
    line: first.source.span.start.line,
    message: `The region of ${first.id}${more} is not known: ${first.region.reason}. The rules that need the region's S3 and DynamoDB ranges (VPCE101–VPCE103) did not check ${vpcs.length > 1 ? 'them' : 'it'}; pass --region, or set region in the provider or in .iac-vpce.yml.`,
  };
}

/**
 * A Terraform VPC whose region the provider (or `--region`) gives as one region while its subnets' zones or its gateway
 * endpoints' service names say another cannot be deployed as written: say so where the other region is named, with
 * both regions. The VPC's region is left Unknown (see `pinVpcRegions`), so no rule ranges it for either.
 */
export function regionConflictWarnings(graph: Graph): Diagnostic[] {
  return graph.regionConflicts.flatMap((c) =>
    c.evidence.map((e) => ({
      severity: 'warning' as const,
      code: 'tf-region-conflict',
      file: e.source.file,
      line: e.source.span.start.line,
      message:
        c.given !== undefined
          ? `${e.resource} names ${e.what}, in ${e.region}, but the region of ${c.vpc} is ${c.given} (from the provider or --region). AWS creates ${e.what.startsWith('availability') ? 'a subnet only in a zone' : 'a gateway endpoint only for a service'} of the VPC's own region; the rules that need the region's ranges did not check ${c.vpc}. Make the two agree.`
          : `${e.resource} names ${e.what}, in ${e.region}, while other resources of ${c.vpc} name ${[...new Set(c.evidence.map((x) => x.region).filter((r) => r !== e.region))].join(', ')}. A VPC and its subnets and gateway endpoints are in one region; the rules that need the region's ranges did not check ${c.vpc}.`,
    })),
  );
}

/** A CloudFormation template in YAML or JSON. */
async function scanCloudFormationFileUnguarded(rel: string, ctx: FormatContext): Promise<Contribution> {
  const out = empty();
  const bytes = await readBounded(ctx, rel, MAX_TEMPLATE_BYTES, 'cfn-file-too-large', out, 'Template');
  if (!bytes) return out;
  out.files.push(rel);
  const template = loadCloudFormation(rel, bytes, { region: ctx.region, params: ctx.params, limits: ctx.limits });
  out.findings.push(...analyzeTemplate(template, ctx, out));
  return out;
}

/** The JSON of `terraform show -json <planfile>`; findings point at the `.tf` lines when the configuration is present. */
async function scanTerraformPlanUnguarded(rel: string, ctx: FormatContext, loader: ModuleLoader): Promise<Contribution> {
  const out = empty();
  const bytes = await readBounded(ctx, rel, MAX_PLAN_BYTES, 'tfplan-too-large', out, 'Plan');
  if (!bytes) return out;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    out.diagnostics.push({ severity: 'error', code: 'tfplan-invalid-utf8', file: rel, line: 1, message: 'The plan is not valid UTF-8; it was not read.' });
    return out;
  }
  const loaded = await loadTerraformPlan(rel, text, { scanRoot: ctx.root, loader, region: ctx.region });
  out.diagnostics.push(...loaded.diagnostics);
  out.files.push(...loaded.files);
  out.terraformFiles.push(...loaded.files.filter((f) => f !== loaded.planFile && /\.tf(\.json)?$/.test(f)));
  if (out.terraformFiles.length > 0) out.planRoot = loaded.dir;
  analyzeTerraform(loaded, ctx, out);
  return out;
}

/** A Terraform root module written as `.tf` files (its local and downloaded modules included). */
async function scanTerraformRootUnguarded(dir: string, ctx: FormatContext, loader: ModuleLoader, options: EvaluateOptions): Promise<Contribution> {
  const out = empty();
  const evaluated = await timed('evaluate', () => evaluateRootModule(loader, dir, options));
  out.diagnostics.push(...evaluated.diagnostics);
  out.files.push(...evaluated.files);
  out.terraformFiles.push(...evaluated.files);
  analyzeTerraform(evaluated, ctx, out);
  return out;
}

function analyzeTerraform(module: EvaluatedModule, ctx: FormatContext, out: Contribution): void {
  let graph: Graph;
  try {
    graph = timed('graph', () => buildTerraformGraph(module));
  } catch (e) {
    out.diagnostics.push(internalError(module.files[0] ?? module.dir, `building the network graph of the root module ${module.dir}`, e));
    return;
  }
  out.graphs.push(graph);
  out.diagnostics.push(...regionConflictWarnings(graph));
  const note = unknownRegionNote(graph);
  if (note) out.diagnostics.push(note);
  out.findings.push(...timed('rules', () => runRules(graph, ctx.rules, out.diagnostics, ctx.fingerprintFile)));
}

/**
 * A CDK cloud assembly (`cdk.out`): every stack template is analyzed as CloudFormation, then each finding moves to
 * the TypeScript that made its resource (the `new X(this, 'Id', …)` call found through `aws:cdk:path`), with the
 * template location kept as a related location. Nothing of the app is run.
 */
async function scanCdkAssemblyUnguarded(manifestRel: string, ctx: FormatContext, locator: CdkSourceLocator): Promise<Contribution> {
  const out = empty();
  const dirRel = path.posix.dirname(manifestRel);
  const dirAbs = path.resolve(ctx.root, dirRel);
  const assembly = await readCloudAssembly(dirAbs, dirRel === '.' ? '' : dirRel, policyOf(ctx));
  out.diagnostics.push(...assembly.diagnostics);
  out.files.push(manifestRel);
  for (const stack of assembly.stacks) {
    const bytes = await readBounded(ctx, stack.templateFile, MAX_TEMPLATE_BYTES, 'cfn-file-too-large', out, 'Template');
    if (!bytes) continue;
    out.files.push(stack.templateFile);
    // A stack pinned to an environment deploys to its region; an environment-agnostic one takes --region.
    const template = loadCloudFormation(stack.templateFile, bytes, {
      region: stack.region ?? ctx.region,
      params: ctx.params,
      limits: ctx.limits,
      ...(stack.account ? { accountId: stack.account } : {}),
    });
    // Every CDK template carries the CheckBootstrapVersion rule; saying each time that Rules are not evaluated is noise.
    template.diagnostics = template.diagnostics.filter((d) => !(d.code === 'cfn-section-not-evaluated' && /\bRules\b/.test(d.message)));
    const findings = analyzeTemplate(template, ctx, out, true);
    let unmapped = 0;
    for (const f of findings) {
      const moved = await toSource(f, template, stack, dirAbs, locator);
      if (moved) out.files.push(moved.location.file);
      else unmapped++;
      out.findings.push(moved ?? f);
    }
    if (unmapped > 0) {
      out.diagnostics.push({
        severity: 'note',
        code: 'cdk-source-not-found',
        file: stack.templateFile,
        message: `${unmapped} finding${unmapped === 1 ? '' : 's'} of stack ${stack.stackName} could not be traced to the app's TypeScript (no cdk.json above the assembly, or the construct is made where the source cannot be followed); ${unmapped === 1 ? 'it points' : 'they point'} at the synthesized template.`,
      });
    }
  }
  return out;
}

async function toSource(f: Finding, template: CfnTemplate, stack: CdkStack, assemblyDirAbs: string, locator: CdkSourceLocator): Promise<Finding | undefined> {
  const resource = template.resources.find((r) => r.logicalId === f.location.address);
  const constructPath = resource ? cdkPathOf(resource.logicalId, stack, resource.metadata) : undefined;
  if (!constructPath) return undefined;
  let site: CdkSourceLocation | undefined;
  try {
    site = await locator.locate(assemblyDirAbs, constructPath);
  } catch {
    return undefined;
  }
  if (!site) return undefined;
  // The region runs from `new X(` to the construct id, so the alert sits on the line that names the construct.
  const end = site.idSpan.end.line < site.span.start.line ? site.span.end : site.idSpan.end;
  const location: SourceRef = { file: site.file, span: { start: site.span.start, end }, address: constructPath };
  const where = `${f.location.address} in the synthesized template of stack ${stack.stackName}`;
  return {
    ...f,
    location,
    origin: f.location,
    related: [
      { at: f.location, message: site.confidence === 'exact' ? where : `${where} (the construct id matched, a parent scope could not be followed)` },
      ...f.related,
    ],
  };
}

/**
 * A `cdk.json`: its app is scanned through the cloud assembly in its `output` directory. When the assembly is not
 * there the app has not been synthesized; iac-vpce never runs it, so it says what to do.
 * Returns the manifest to scan when the assembly lies where discovery did not walk (a hidden or outside directory).
 */
export async function cdkProjectAssembly(
  cdkJsonRel: string,
  ctx: FormatContext,
  discoveredManifests: Set<string>,
  out: Diagnostic[],
): Promise<string | undefined> {
  const dirAbs = path.resolve(ctx.root, path.posix.dirname(cdkJsonRel));
  const policy = policyOf(ctx);
  const settings = await readCdkJson(dirAbs, policy);
  const output = settings?.output ?? 'cdk.out';
  const manifestAbs = path.resolve(dirAbs, output, 'manifest.json');
  const manifestRel = toPosix(path.relative(ctx.root, manifestAbs));
  if (discoveredManifests.has(manifestRel)) return undefined;
  const found = await policy.inspect(path.resolve(dirAbs, output));
  if (found.kind !== 'missing' && !found.inside) {
    out.push({
      severity: 'warning',
      code: 'input-outside-root',
      file: cdkJsonRel,
      line: settings?.outputLine ?? 1,
      message: `The cloud assembly named by \`output\` ("${output}") resolves to ${found.real}, outside ${policy.describeRoots()}; it was not read. Pass --allow-outside-root ${found.real} (or list it under allow-outside-root in .iac-vpce.yml) to scan it.`,
    });
    return undefined;
  }
  if ((await policy.inspect(manifestAbs)).kind === 'file') return manifestRel;
  out.push({
    severity: 'warning',
    code: 'cdk-not-synthesized',
    file: cdkJsonRel,
    line: 1,
    message: `This CDK app has no cloud assembly in ${output}/: run \`npx cdk synth\` (in CI, before the scan) and scan again. iac-vpce reads the synthesized templates and never runs the app.`,
  });
  return undefined;
}

/*
 * Each input is scanned inside a guard: an unexpected throw (a bug, not bad input, which parsers report themselves)
 * becomes an internal-error diagnostic on that input, and the scan reports everything else.
 */

/** A CloudFormation template in YAML or JSON. */
export const scanCloudFormationFile = guardInput('scanning this CloudFormation template', (rel: string) => rel, empty, scanCloudFormationFileUnguarded);

/** The JSON of `terraform show -json <planfile>`. */
export const scanTerraformPlan = guardInput('scanning this Terraform plan', (rel: string) => rel, empty, scanTerraformPlanUnguarded);

/** A Terraform root module written as `.tf` files. */
export const scanTerraformRoot = guardInput('scanning this Terraform root module', (dir: string) => dir, empty, scanTerraformRootUnguarded);

/** A CDK cloud assembly (`cdk.out`). */
export const scanCdkAssembly = guardInput('scanning this CDK cloud assembly', (manifestRel: string) => manifestRel, empty, scanCdkAssemblyUnguarded);
