import { internalReason } from '../../../source/internal-error.js';
import path from 'node:path';
import type { Diagnostic, Span } from '../../../source/types.js';
import { ModuleLoader } from '../evaluate/module-loader.js';
import type { ParsedBlock } from '../evaluate/parsed.js';
import type { EvaluatedModule, ResourceInstance } from '../evaluate/types.js';
import { JsonSyntaxError, readJson, type JsonNode } from '../../../source/json.js';
import { MAX_NESTING } from '../load/text.js';
import { configModuleAt, moduleSteps, readPlanDocument, type PlanDocument, type PlannedResource } from './document.js';
import { entryOf, entrySpan, isObjectNode, memberOf, stringOf, type JsonObjectNode } from '../../../source/json-tree.js';
import { linkKnownIds } from './links.js';
import { HclRecovery } from './hcl-recover.js';
import { ConfigLocator, hclNestedSpans, planModuleBlock, planResourceBlock } from './locate.js';
import { regionOf } from './region.js';
import { configAddress, ReferenceResolver } from './resolve.js';
import { unresolvedLinkDiagnostics, type LinkSource } from './unresolved.js';
import { rebuildValues } from './values.js';
import { INPUT_SIZE_LIMITS } from '../../../source/fs-policy.js';

/**
 * Reads `terraform show -json <planfile>` into the resource instances the HCL evaluator produces, so the graph
 * builder and every rule run on a plan unchanged. Values come from `planned_values`; what is known only after apply is
 * recovered from the configuration representation where its references prove it, and is Unknown otherwise.
 */

export interface PlanLoadOptions {
  /** The scan root; `file` and every reported path are relative to it. */
  scanRoot: string;
  /** Loads the configuration's `.tf` files for locations; one is made for the scan root when not given. */
  loader?: ModuleLoader;
  /** Region for provider configurations that do not set one (`--region`). */
  region?: string;
}

export type LoadedPlan = EvaluatedModule & { planFile: string };

/** Plans of large estates run to tens of megabytes; beyond this the file is not read (the reader keeps positions). */
export const MAX_PLAN_BYTES = INPUT_SIZE_LIMITS.plan;

/** Terraform 0.12 to 1.0 wrote 0.x, later releases 1.x, of the same format. */
const SUPPORTED_MAJORS = new Set([0, 1]);

/** True when the text is a plan as `terraform show -json` prints it: a JSON object with `planned_values`. */
export function isTerraformPlan(text: string): boolean {
  if (!text.includes('"planned_values"')) return false;
  try {
    const v: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const o = v as Record<string, unknown>;
    const planned = o['planned_values'];
    if (typeof planned !== 'object' || planned === null || Array.isArray(planned)) return false;
    return typeof o['format_version'] === 'string' || typeof o['terraform_version'] === 'string' || 'resource_changes' in o || 'configuration' in o;
  } catch {
    return false;
  }
}

/** Never throws: what cannot be read becomes a diagnostic (`tfplan-…`) with the file and line. */
export async function loadTerraformPlan(file: string, text: string, options: PlanLoadOptions): Promise<LoadedPlan> {
  const planFile = file.split(path.sep).join('/').replace(/^\.\//, '');
  const diagnostics: Diagnostic[] = [];
  const result = (dir: string, files: string[], instances: ResourceInstance[], unknownExpansions: string[]): LoadedPlan => ({
    dir,
    files,
    instances,
    unknownExpansions,
    diagnostics,
    planFile,
  });
  const empty = () => result(path.posix.dirname(planFile), [planFile], [], []);
  const problem = (severity: Diagnostic['severity'], code: string, message: string, at?: { line: number; column: number }) =>
    diagnostics.push({ severity, code, file: planFile, line: at?.line ?? 1, ...(at ? { column: at.column } : {}), message });
  try {
    const checked = checkText(text);
    if ('problem' in checked) {
      problem('error', checked.code, checked.problem);
      return empty();
    }
    let root: JsonNode;
    try {
      root = readJson(checked.text, { maxNesting: MAX_NESTING });
    } catch (e) {
      if (!(e instanceof JsonSyntaxError)) throw e;
      if (e.tooDeep) problem('error', 'tfplan-too-deep', `${e.message} The plan was not read.`, e.position);
      else problem('error', 'tfplan-parse-error', `The plan is not valid JSON: ${e.message}`, e.position);
      return empty();
    }
    if (!isObjectNode(root)) {
      problem('error', 'tfplan-not-a-plan', 'A Terraform plan in JSON is one object (the output of `terraform show -json <planfile>`).', root.span.start);
      return empty();
    }
    if (!checkVersion(root, problem)) return empty();
    const planned = memberOf(root, 'planned_values');
    if (!isObjectNode(planned)) {
      const looksLikeState = memberOf(root, 'values') !== undefined;
      problem(
        'error',
        'tfplan-missing-planned-values',
        looksLikeState
          ? 'The file has no planned_values: it is a state, not a plan. Scan the output of `terraform show -json <planfile>`.'
          : 'The file has no planned_values object, so it is not a plan from `terraform show -json <planfile>`.',
        (planned ?? root).span.start,
      );
      return empty();
    }
    return await readPlan(root, planFile, options, diagnostics, problem, result);
  } catch (e) {
    problem('error', 'tfplan-internal-error', `The plan could not be read: ${internalReason(e)}.`);
    return empty();
  }
}

type Problem = (severity: Diagnostic['severity'], code: string, message: string, at?: { line: number; column: number }) => void;

function checkText(text: string): { text: string } | { problem: string; code: string } {
  if (text.length > MAX_PLAN_BYTES || (text.length * 3 > MAX_PLAN_BYTES && Buffer.byteLength(text, 'utf8') > MAX_PLAN_BYTES)) {
    return { code: 'tfplan-too-large', problem: `The plan is over ${MAX_PLAN_BYTES / (1024 * 1024)} MB; it was not read.` };
  }
  if (text.includes('\0'))
    return {
      code: 'tfplan-binary',
      problem: 'The file holds NUL bytes: it is a binary plan file. Scan the output of `terraform show -json <planfile>` instead.',
    };
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text))
    return { code: 'tfplan-invalid-utf8', problem: 'The plan is not valid UTF-8; it was not read.' };
  return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/** Minor versions add properties (ignored); another major version is rejected, as the format asks. */
function checkVersion(root: JsonObjectNode, problem: Problem): boolean {
  const entry = entryOf(root, 'format_version');
  if (!entry) {
    problem('warning', 'tfplan-no-format-version', 'The plan has no format_version; it is read as format 1.x.', root.span.start);
    return true;
  }
  const version = stringOf(entry.value);
  const major = version !== undefined ? /^(\d+)\.\d+/.exec(version)?.[1] : undefined;
  if (major === undefined) {
    problem(
      'error',
      'tfplan-unsupported-version',
      `format_version ${JSON.stringify(version ?? null)} is not a version this reader understands; the plan was not read.`,
      entry.keySpan.start,
    );
    return false;
  }
  if (!SUPPORTED_MAJORS.has(Number(major))) {
    problem('error', 'tfplan-unsupported-version', `Plan format ${version} is not supported (only 0.x and 1.x); the plan was not read.`, entry.keySpan.start);
    return false;
  }
  return true;
}

async function readPlan(
  root: JsonObjectNode,
  planFile: string,
  options: PlanLoadOptions,
  diagnostics: Diagnostic[],
  problem: Problem,
  result: (dir: string, files: string[], instances: ResourceInstance[], unknownExpansions: string[]) => LoadedPlan,
): Promise<LoadedPlan> {
  const doc = readPlanDocument(root, planFile, diagnostics);
  const at = { line: doc.plannedValuesLine, column: 1 };
  if (doc.errored) problem('warning', 'tfplan-errored', 'Terraform stopped planning on an error; what the plan holds may be incomplete.', at);
  const unknownExpansions = [...new Set(doc.deferred.map((a) => a.replace(/\[[^\]]*\]$/, '')))].sort();
  if (doc.deferred.length > 0) {
    problem(
      'note',
      'tfplan-deferred-changes',
      `Terraform deferred ${doc.deferred.length} change(s) to a later plan (${unknownExpansions.join(', ')}); what they create is unknown.`,
      at,
    );
  }
  if (!doc.configuration) {
    problem('note', 'tfplan-no-configuration', 'The plan has no configuration section: values known only after apply stay unknown.', at);
  }

  const loader = options.loader ?? new ModuleLoader(path.resolve(options.scanRoot), (d) => diagnostics.push(d));
  const locator = new ConfigLocator(loader, planFile);
  await locator.locate(doc.configuration);
  if (doc.configuration && (doc.configuration.resources.size > 0 || doc.configuration.calls.size > 0) && locator.rootDir === undefined) {
    problem(
      'note',
      'tfplan-configuration-files-not-found',
      'The .tf files of this plan were not found under the scan root; findings point into the plan JSON.',
      at,
    );
  }

  const byAddress = new Map<string, PlannedResource>();
  for (const r of doc.resources) if (!byAddress.has(r.address)) byAddress.set(r.address, r);
  const resolver = new ReferenceResolver(doc, byAddress);
  const recovery = new HclRecovery(doc, locator);
  const callChains = new Map<string, ParsedBlock[]>();
  const instances: ResourceInstance[] = [];
  const links: LinkSource[] = [];
  for (const r of byAddress.values()) {
    const config = configModuleAt(doc.configuration, r.moduleAddress);
    const configResource = config?.resources.get(configAddress(r.mode, r.type, r.name));
    const change = doc.changes.get(r.address);
    const values = rebuildValues({
      planned: r.values,
      afterUnknown: r.origin === 'planned_values' ? change?.afterUnknown : undefined,
      expressions: configResource?.expressions,
      resolver,
      site: resolver.siteOf(r),
    });
    const steps = moduleSteps(r.moduleAddress);
    const hcl = locator.module(steps.map((s) => s.name))?.resources.get(configAddress(r.mode, r.type, r.name));
    if (hcl) recovery.recover(r, hcl, values);
    const fromPlan = hcl ? undefined : planResourceBlock(r, change, planFile);
    const chain = callChains.get(r.moduleAddress) ?? callChainOf(r.moduleAddress, doc, locator, planFile);
    callChains.set(r.moduleAddress, chain);
    const instance: ResourceInstance = {
      mode: r.mode,
      type: r.type,
      name: r.name,
      address: r.address,
      moduleAddress: r.moduleAddress,
      block: hcl ?? fromPlan!.block,
      values,
      nestedSpans: fromPlan?.nestedSpans ?? {},
      region: regionOf(r.values, configResource, doc, options.region),
      callChain: chain,
    };
    instances.push(instance);
    if (r.origin === 'planned_values') links.push({ instance, config: configResource, planFile });
  }
  linkKnownIds(instances);
  diagnostics.push(...unresolvedLinkDiagnostics(links));
  for (const i of instances) if (i.block.file !== planFile) i.nestedSpans = hclNestedSpans(i.block, i.values);

  const files = [...new Set([planFile, ...locator.files()])].sort();
  return result(locator.rootDir ?? path.posix.dirname(planFile), files, instances, unknownExpansions);
}

/** The module blocks from the root to a module instance: the `.tf` blocks when found, else the plan's own entries. */
function callChainOf(moduleAddress: string, doc: PlanDocument, locator: ConfigLocator, planFile: string): ParsedBlock[] {
  const chain: ParsedBlock[] = [];
  const names: string[] = [];
  for (const step of moduleSteps(moduleAddress)) {
    const parent = configModuleAt(doc.configuration, names.length ? moduleAddressOf(names) : '');
    const hcl = locator.module(names)?.calls.get(step.name);
    const call = parent?.calls.get(step.name);
    chain.push(hcl ?? (call ? planModuleBlock(call, planFile) : moduleValuesBlock(step.name, step.address, doc, planFile)));
    names.push(step.name);
  }
  return chain;
}

function moduleAddressOf(names: string[]): string {
  return names.map((n) => `module.${n}`).join('.');
}

/** Without a configuration section, a module call is shown where `planned_values` lists the module instance. */
function moduleValuesBlock(name: string, address: string, doc: PlanDocument, planFile: string): ParsedBlock {
  const node = doc.moduleNodes.get(address);
  const addressEntry = node ? entryOf(node, 'address') : undefined;
  const fallback: Span = { start: { line: doc.plannedValuesLine, column: 1 }, end: { line: doc.plannedValuesLine, column: 1 } };
  return {
    type: 'module',
    labels: [name],
    attributes: {},
    blocks: [],
    span: node?.span ?? fallback,
    headerSpan: addressEntry ? entrySpan(addressEntry) : fallback,
    file: planFile,
  };
}
