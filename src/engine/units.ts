import path from 'node:path';
import { ModuleLoader, type EvaluateOptions } from '../parsers/terraform/evaluate/index.js';
import { terraformSuppressions } from '../parsers/terraform/suppressions.js';
import { InputPolicy } from '../source/fs-policy.js';
import type { Diagnostic } from '../source/types.js';
import type { SuppressionDirective } from '../source/suppression.js';
import type { Finding, InterfaceEndpointInfo } from '../source/findings.js';
import type { EvalLimits } from '../source/budget.js';
import type { Rule } from '../../rules/rule.js';
import { scanCloudFormationFile, scanTerraformRoot, type Contribution, type FormatContext } from './formats.js';
import { addInterfaceEndpoints } from './inventory.js';
import { repositoryPath } from './repository.js';

/**
 * One unit of a scan (a Terraform root module or a CloudFormation template) scanned on its own, as a worker thread
 * does it for `--jobs`: what it contributes, as plain data (its graphs summed up into their interface endpoints and VPC
 * count), so that it crosses to the scanning thread, which takes the units in their order and finishes the scan.
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
}

/** The suppression directives of one Terraform file the unit evaluated. */
export interface FileDirectives {
  file: string;
  directives: SuppressionDirective[];
  diagnostics: Diagnostic[];
}

export interface UnitResult {
  findings: Finding[];
  files: string[];
  terraformFiles: string[];
  directives: SuppressionDirective[];
  /** The unit's own diagnostics, then what the module loader reported while reading it. */
  diagnostics: Diagnostic[];
  endpoints: InterfaceEndpointInfo[];
  vpcs: number;
  /** Directives of its Terraform files, read where the files were loaded (when inline suppressions are on). */
  fileDirectives: FileDirectives[];
}

/** Everything a worker needs to scan units: built once from the settings. */
export class UnitScanner {
  private readonly ctx: FormatContext;
  private readonly loader: ModuleLoader;
  private readonly options: EvaluateOptions;
  private reported: Diagnostic[] = [];

  constructor(
    private readonly settings: UnitSettings,
    rules: Rule[],
  ) {
    const policy = InputPolicy.createSync(settings.roots);
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
    this.loader = new ModuleLoader(settings.root, (d) => this.reported.push(d), undefined, policy);
    this.options = { region: settings.region, vars: settings.vars, varFiles: settings.varFiles, limits: settings.limits };
  }

  async scan(request: UnitRequest): Promise<UnitResult> {
    this.reported = [];
    const c =
      request.kind === 'terraform-root'
        ? await scanTerraformRoot(request.dir, this.ctx, this.loader, this.options)
        : await scanCloudFormationFile(request.path, this.ctx);
    const fileDirectives = await this.directivesOf(c);
    return { ...summarize(c), diagnostics: [...c.diagnostics, ...this.reported], fileDirectives };
  }

  /** The suppression directives in the Terraform files a unit evaluated, from the files the loader already parsed. */
  private async directivesOf(c: Contribution): Promise<FileDirectives[]> {
    if (!this.settings.inlineSuppressions || c.terraformFiles.length === 0) return [];
    const wanted = new Set(c.terraformFiles);
    const out: FileDirectives[] = [];
    for (const dir of new Set(c.terraformFiles.map((f) => path.posix.dirname(f)))) {
      for (const file of (await this.loader.load(dir))?.files ?? []) {
        if (!wanted.has(file.path)) continue;
        out.push({ file: file.path, ...terraformSuppressions(file) });
      }
    }
    return out;
  }
}

/** A contribution without its graphs: their interface endpoints and VPC count stand for them. */
export function summarize(c: Contribution): Omit<UnitResult, 'fileDirectives'> {
  const endpoints = new Map<string, InterfaceEndpointInfo>();
  addInterfaceEndpoints(endpoints, c.graphs);
  return {
    findings: c.findings,
    files: c.files,
    terraformFiles: c.terraformFiles,
    directives: c.directives,
    diagnostics: c.diagnostics,
    endpoints: [...endpoints.values()],
    vpcs: c.graphs.reduce((n, g) => n + g.all('vpc').length, 0),
  };
}
