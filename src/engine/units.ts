import path from 'node:path';
import { inProcessParser } from '../parsers/terraform/parse/file.js';
import type { EvaluateOptions } from '../parsers/terraform/evaluate/index.js';
import { InputPolicy } from '../source/fs-policy.js';
import type { EvalLimits } from '../source/budget.js';
import type { Rule } from '../../rules/rule.js';
import { resolveFixEdits } from './fix-edits/index.js';
import { scanCloudFormationFile, scanTerraformRoot, type FormatContext } from './formats.js';
import { INTERNAL_ERROR } from './guard.js';
import { repositoryPath } from './repository.js';
import { ReadLog, RecordingLoader, unitDeps, type UnitDeps, type UnitResult } from './result-cache.js';
import { resultOf, summarize, summarizeTerraform } from './unit-summary.js';

/**
 * One unit of a scan (a Terraform root module or a CloudFormation template) scanned on its own, as a unit worker does
 * it for `--jobs`: its result as the result cache keeps it (plain data: findings with their fixes worked out, its
 * graphs summed up), and what it read, so that the scanning thread can take the units back in their order, finish
 * the scan, and keep each unit in the result cache exactly as if it had scanned the unit itself.
 */

export type UnitRequest = { kind: 'terraform-root'; dir: string } | { kind: 'cloudformation'; path: string };

/** What every unit of one scan shares: sent to each worker once. */
export interface UnitSettings {
  root: string;
  /** The read policy's roots (real paths; the first is the scan root's boundary). */
  roots: string[];
  ruleIds: string[];
  region?: string;
  params?: Record<string, string>;
  inlineSuppressions: boolean;
  limits?: Partial<EvalLimits>;
  vars?: Record<string, string>;
  varFiles?: string[];
  /** The scan keeps units in the result cache: work out what each one read (`UnitWork.deps`). */
  resultCache: boolean;
}

export interface UnitWork {
  result: UnitResult;
  /**
   * What the unit read, hashed (see `unitDeps`), when the scan keeps a result cache; absent when the unit must not be
   * kept (an internal error, or a read it cannot vouch for).
   */
  deps?: UnitDeps;
}

export class UnitScanner {
  private readonly ctx: FormatContext;
  private readonly loader: RecordingLoader;
  private readonly options: EvaluateOptions;
  private readonly policy: InputPolicy;
  /** The content hash of every file this worker read, for the units' deps. */
  private readonly reads = new ReadLog();

  constructor(
    private readonly settings: UnitSettings,
    rules: Rule[],
  ) {
    const policy = InputPolicy.createSync(settings.roots);
    this.policy = policy;
    if (settings.resultCache) this.reads.attach(policy);
    this.ctx = {
      root: settings.root,
      rules,
      region: settings.region,
      params: settings.params,
      inlineSuppressions: settings.inlineSuppressions,
      fingerprintFile: repositoryPath(settings.root),
      policy,
      limits: settings.limits,
    };
    // What the loader reports is taken per unit, from what it heard about the directories the unit read.
    this.loader = new RecordingLoader(settings.root, () => {}, inProcessParser, policy);
    this.options = { region: settings.region, vars: settings.vars, varFiles: settings.varFiles, limits: settings.limits };
  }

  scan(request: UnitRequest): Promise<UnitWork> {
    return request.kind === 'terraform-root' ? this.rootModule(request.dir) : this.template(request.path);
  }

  private async rootModule(dir: string): Promise<UnitWork> {
    const { value: c, recording } = await this.loader.record(() => scanTerraformRoot(dir, this.ctx, this.loader, this.options));
    c.findings = resolveFixEdits(c.findings, this.ctx.root);
    const summary = await summarizeTerraform(c, this.loader, this.ctx.inlineSuppressions);
    const own = new Set([...recording.dirs, ...[...recording.files].map((f) => path.posix.dirname(f))]);
    const loaded = [...own].flatMap((d) => this.loader.reportedIn(d));
    const safe = !c.diagnostics.some((d) => d.code === INTERNAL_ERROR) && recording.reported.every((d) => own.has(path.posix.dirname(d.file)));
    // Unsafe, what the loader said about other directories still belongs to this scan's report.
    const diagnostics = [...c.diagnostics, ...loaded, ...(safe ? [] : recording.reported)];
    const result = { ...resultOf(c, summary), diagnostics };
    return { result, ...this.depsOf(safe, [...recording.dirs], [...recording.files, ...(this.settings.varFiles ?? []), ...c.files]) };
  }

  private async template(rel: string): Promise<UnitWork> {
    const c = await scanCloudFormationFile(rel, this.ctx);
    c.findings = resolveFixEdits(c.findings, this.ctx.root);
    const result = resultOf(c, summarize(c));
    return { result, ...this.depsOf(!c.diagnostics.some((d) => d.code === INTERNAL_ERROR), [], [rel]) };
  }

  private depsOf(safe: boolean, dirs: string[], files: string[]): { deps?: UnitDeps } {
    if (!safe || !this.settings.resultCache) return {};
    const abs = (p: string) => path.resolve(this.settings.root, p);
    const deps = unitDeps(dirs.map(abs), files.map(abs), this.reads, this.policy);
    return deps ? { deps } : {};
  }
}
