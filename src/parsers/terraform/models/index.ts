import type { Diagnostic } from '../../../source/types.js';
import type { ResourceInstance } from '../evaluate/types.js';
import { isObject, isUnknown, unknown, type Value, type ValueObject } from '../../../source/value.js';
import type { InputStatus, ModelContext, ModelResult, ModuleModel } from './common.js';
import { admitsRelease, newestSatisfying, parseConstraint, parseVersion, requestedPrerelease } from './version.js';
import { vpcEndpointsModel } from './vpc-endpoints.js';
import { vpcModel } from './vpc.js';

export type { ModelContext, ModelResult, ModuleModel } from './common.js';

/** Built-in models of registry modules, used when a module call's source is not downloaded. */
export const MODELS: readonly ModuleModel[] = [vpcModel, vpcEndpointsModel];

export interface ModelLookup {
  /** The model for the call's source, when there is one. */
  model?: ModuleModel;
  /** The model applies: the call is modelled as one of the releases the model covers. */
  matched: boolean;
  /** The release modelled, when matched: the one `terraform init` would install among those the model covers. */
  version?: string;
  /** Its major, which the model builds. */
  major?: number;
  /** When matched, how the release was chosen (a clause after "modelled as version X, "); otherwise why the model does not apply. */
  reason?: string;
}

const REGISTRY_HOST = /^(?:registry\.terraform\.io\/|registry\.opentofu\.org\/)/i;
const GITHUB = /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)?github\.com[/:]terraform-aws-modules\/terraform-aws-vpc(?:\.git)?(?:\/\/([^?]*))?(?:\?(.*))?$/i;

/**
 * Which model a source names, and the version a git source pins (`?ref=v5.1.0`). Registry sources
 * (`terraform-aws-modules/vpc/aws`, optionally with the registry host and a `//modules/vpc-endpoints` subdirectory)
 * and the module's GitHub repository are recognised; forks are not.
 */
export function modelForSource(source: string): { model: ModuleModel; gitRef?: string | null } | undefined {
  const registry = source.replace(REGISTRY_HOST, '');
  const [pkg, sub] = registry.split('//') as [string, string | undefined];
  if (pkg.toLowerCase() === 'terraform-aws-modules/vpc/aws') return byPath(sub);
  const gh = GITHUB.exec(source);
  if (gh) {
    const params = new URLSearchParams(gh[2] ?? '');
    const found = byPath(gh[1]);
    return found ? { ...found, gitRef: params.get('ref') } : undefined;
  }
  return undefined;
}

function byPath(sub: string | undefined): { model: ModuleModel } | undefined {
  const path = (sub ?? '').replace(/^\/+|\/+$/g, '');
  if (path === '') return { model: vpcModel };
  if (path === 'modules/vpc-endpoints') return { model: vpcEndpointsModel };
  return undefined;
}

/** `3.0.0 to 6.6.0`: the releases a model covers. */
export function coveredReleases(model: ModuleModel): string {
  return `${model.releases[0]} to ${model.releases[model.releases.length - 1]}`;
}

/**
 * The model for a module call, given its source and its `version` constraint (undefined when the call has none,
 * null when it has one that is not a literal string), and the release to model: what `terraform init` would install,
 * the newest release the constraint admits, taken among the releases the model covers.
 */
export function findModel(source: string, version: string | null | undefined): ModelLookup {
  const found = modelForSource(source);
  if (!found) return { matched: false };
  const { model } = found;
  const newest = model.releases[model.releases.length - 1]!;
  const newestVersion = parseVersion(newest)!;
  const chosen = (release: string, reason: string): ModelLookup => ({
    model,
    matched: true,
    version: release,
    major: parseVersion(release)!.segments[0]!,
    reason,
  });
  const refused = (reason: string): ModelLookup => ({ model, matched: false, reason });

  if (found.gitRef !== undefined) {
    // A git source pins a commit, not a range: a release tag is read as that exact release.
    if (found.gitRef === null) {
      return chosen(
        newest,
        `the newest release the model covers: its git source names no ref, so Terraform clones the default branch, which may hold changes made after ${newest}`,
      );
    }
    const tag = /^v?(\d+\.\d+\.\d+)$/.exec(found.gitRef);
    if (!tag) return refused(`its git ref \`${found.gitRef}\` is not a release tag, so the module version is not known`);
    if (!model.releases.includes(tag[1]!))
      return refused(`its git ref \`${found.gitRef}\` names version ${tag[1]}, which is not among the releases the model covers (${coveredReleases(model)})`);
    return chosen(tag[1]!, `the release its git ref \`${found.gitRef}\` names`);
  }
  if (version === undefined) {
    return chosen(
      newest,
      `the newest release the model covers: the call has no version constraint, so \`terraform init\` installs the newest release published, which is ${newest} unless a later one has been published since`,
    );
  }
  if (version === null) return refused('its version constraint is not a literal string');
  const constraint = parseConstraint(version);
  if (!constraint) return refused(`its version constraint \`${version}\` is not a valid Terraform version constraint`);
  const release = newestSatisfying(constraint, model.releases);
  const beyond = admitsRelease(constraint, newestVersion);
  if (release === undefined) {
    if (beyond) return refused(`its version constraint \`${version}\` admits only releases after ${newest}, the newest the model covers`);
    const pre = requestedPrerelease(constraint);
    if (pre) return refused(`its version constraint \`${version}\` asks for the pre-release ${pre}, which the model does not cover`);
    const plain = constraint.conditions.every((c) => c.version.pre === '' && c.version.written <= 3);
    if (plain && !admitsRelease(constraint))
      return refused(`its version constraint \`${version}\` admits no version at all, so \`terraform init\` fails on it`);
    return refused(`its version constraint \`${version}\` admits none of the releases the model covers (${coveredReleases(model)})`);
  }
  const caveat = beyond
    ? `; the constraint also admits releases after ${newest}, the newest the model covers, and \`terraform init\` installs the newest of those instead if any has been published`
    : '';
  return chosen(release, `the newest covered version that \`${version}\` admits${caveat}`);
}

// ----- running a model over one or more majors -----

export interface ModelRun extends ModelResult {
  /** What differs between the majors built (and is therefore Unknown or left out). */
  differences: string[];
}

/**
 * Builds the call with the model of each given major. `findModel` gives one, the major of the release `terraform
 * init` would install. Given several, where majors agree the result is what they build; a resource whose instances
 * differ between them is left out as of unknown number, and an attribute or output whose value differs is Unknown.
 */
export function runModel(model: ModuleModel, ctx: Omit<ModelContext, 'major'>, majors: number[]): ModelRun {
  const runs = majors.map((major) => ({ major, result: model.build({ ...ctx, major }) }));
  const diagnostics: Diagnostic[] = runs.flatMap((r) => r.result.diagnostics);
  diagnostics.push(...inputDiagnostics(model, ctx, majors));
  if (runs.length === 1) return { ...runs[0]!.result, diagnostics, differences: [] };

  const label = majors.map((m) => `${m}.x`).join(', ');
  const differences: string[] = [];
  const unknownExpansions = new Set(runs.flatMap((r) => r.result.unknownExpansions));
  const groupOf = (i: ResourceInstance) => i.address.replace(/\[[^\]]*\]$/, '');
  const groups = new Map<string, Array<Map<string, ResourceInstance>>>();
  runs.forEach((r, n) => {
    for (const i of r.result.instances) {
      const g =
        groups.get(groupOf(i)) ??
        groups
          .set(
            groupOf(i),
            runs.map(() => new Map()),
          )
          .get(groupOf(i))!;
      g[n]!.set(i.address, i);
    }
  });
  const instances: ResourceInstance[] = [];
  for (const [group, perRun] of groups) {
    if (unknownExpansions.has(group)) continue;
    const addresses = perRun.map((m) => [...m.keys()].sort().join('\u0000'));
    if (new Set(addresses).size > 1) {
      unknownExpansions.add(group);
      differences.push(`how many ${group} instances exist`);
      continue;
    }
    for (const address of perRun[0]!.keys()) {
      const variants = perRun.map((m) => m.get(address)!);
      const merged = mergeValues(
        variants.map((v) => v.values),
        `${address} differs between ${label}`,
      ) as ValueObject;
      for (const k of Object.keys(merged)) if (isUnknown(merged[k]) && variants.some((v) => !isUnknown(v.values[k]))) differences.push(`${address}.${k}`);
      instances.push({ ...variants[0]!, values: merged });
    }
  }
  const outputs: Record<string, Value> = {};
  const names = new Set(runs.flatMap((r) => Object.keys(r.result.outputs)));
  for (const name of names) {
    const values = runs.map((r) => r.result.outputs[name]);
    outputs[name] = values.some((v) => v === undefined)
      ? unknown(`output ${name} does not exist in every major of ${label}`)
      : mergeValues(values as Value[], `output ${name} differs between ${label}`);
  }
  return { instances, outputs, unknownExpansions: [...unknownExpansions].sort(), diagnostics, differences };
}

/** The common value of several, with Unknown where they differ (objects and lists merged member by member). */
function mergeValues(values: Value[], reason: string): Value {
  const first = values[0]!;
  if (values.every((v) => same(v, first))) return first;
  if (values.every((v) => isObject(v))) {
    const keys = new Set(values.flatMap((v) => Object.keys(v as ValueObject)));
    const out: ValueObject = {};
    for (const k of keys) {
      const parts = values.map((v) => (v as ValueObject)[k]);
      out[k] = parts.some((p) => p === undefined) ? unknown(reason) : mergeValues(parts as Value[], reason);
    }
    return out;
  }
  if (values.every((v) => Array.isArray(v) && v.length === (first as Value[]).length)) {
    return (first as Value[]).map((_, i) =>
      mergeValues(
        values.map((v) => (v as Value[])[i]!),
        reason,
      ),
    );
  }
  return unknown(reason);
}

function same(a: Value, b: Value): boolean {
  if (isUnknown(a) || isUnknown(b)) return isUnknown(a) && isUnknown(b);
  return JSON.stringify(a, (_k, x) => (isUnknown(x) ? '\u0000unknown' : x)) === JSON.stringify(b, (_k, x) => (isUnknown(x) ? '\u0000unknown' : x));
}

/** An input whose value changes nothing (false, null, empty) is not worth a diagnostic even when it is not modelled. */
function inert(v: Value | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

function inputDiagnostics(model: ModuleModel, ctx: Omit<ModelContext, 'major'>, majors: number[]): Diagnostic[] {
  const ignored: string[] = [];
  const notInputs = new Map<string, number[]>();
  for (const name of ctx.inputNames) {
    const statuses: InputStatus[] = majors.map((m) => model.inputStatus(name, m));
    majors.forEach((m, n) => {
      if (statuses[n] === 'not-an-input') (notInputs.get(name) ?? notInputs.set(name, []).get(name)!).push(m);
    });
    if (statuses.includes('ignored') && !inert(ctx.input(name))) ignored.push(name);
  }
  const parts: string[] = [];
  if (ignored.length)
    parts.push(
      `does not reproduce ${ignored.map((n) => `\`${n}\``).join(', ')}, so what ${ignored.length === 1 ? 'it changes' : 'they change'} is missing from the analysis`,
    );
  if (notInputs.size) {
    const list = [...notInputs].map(([n, ms]) => `\`${n}\`${ms.length === majors.length ? '' : ` (in ${ms.map((m) => `${m}.x`).join(', ')})`}`);
    parts.push(
      `found ${list.join(', ')}, which the module does not accept (Terraform rejects the call), so ${notInputs.size === 1 ? 'it is' : 'they are'} not read`,
    );
  }
  if (!parts.length) return [];
  const name = ctx.block.labels[0];
  return [
    {
      severity: 'warning',
      code: 'tf-module-model-input-ignored',
      file: ctx.block.file,
      line: ctx.block.headerSpan.start.line,
      message: `module "${name}": the built-in model of ${model.id} ${parts.join('; it ')}. Run \`terraform init -backend=false\` before scanning to analyse the module's own source.`,
    },
  ];
}
